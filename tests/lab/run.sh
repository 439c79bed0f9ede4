#!/bin/sh
# The lab layer of `make check`: boot the project's real-guest lab, run the
# console and VNC tests against it, tear it down; then the same in the
# real-networking mode (LAB_NET=1) for the network tests. In CI (CI=true) a lab that
# cannot start fails; elsewhere a missing prerequisite skips (77) and says
# what is missing.
set -u
# build-aux/check.sh runs the lab once, in its sanitized build; the
# distcheck build that follows sets this (the same tests, twice the minutes)
if [ "${VIRTMUX_LAB:-}" = skip ]; then
    echo "SKIP: the lab ran in the sanitized build (VIRTMUX_LAB=skip)"
    exit 77
fi
top=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${top_builddir:-.}

missing=""
[ "$(id -u)" = 0 ] || missing="$missing root"
for c in libvirtd qemu-system-x86_64 qemu-img busybox dnsmasq iptables; do
    command -v "$c" >/dev/null 2>&1 || [ -x "/usr/sbin/$c" ] || [ -x "/bin/$c" ] ||
        missing="$missing $c"
done
if [ -n "$missing" ]; then
    if [ "${CI:-}" = true ]; then
        echo "lab: cannot run in CI, missing:$missing (tests/lab/lab-deps.sh installs them)"
        exit 1
    fi
    echo "SKIP: the lab needs:$missing (run tests/lab/lab-deps.sh as root)"
    exit 77
fi

cache=${LAB_CACHE:-/var/cache/virtmux-lab}
mkdir -p "$cache" 2>/dev/null || cache=/tmp/virtmux-lab-cache
fail=0
dir=

cleanup() {
    [ -n "$dir" ] && "$top/tests/lab/lab-down.sh" "$dir" >>"$build/tests/lab/lab-down.log" 2>&1
    dir=
}
trap cleanup EXIT INT TERM

# lab MODE TESTS...: boot a lab (MODE "" or "net"), run the tests against it
lab() {
    mode=$1
    shift
    dir=$(mktemp -d /tmp/vmlab.XXXXXX) || exit 1
    chmod 755 "$dir"
    if ! LAB_NET=$([ "$mode" = net ] && echo 1 || echo 0) LAB_CACHE=$cache \
            "$top/tests/lab/lab-up.sh" "$dir" >>"$build/tests/lab/lab-up.log" 2>&1; then
        echo "lab: lab-up ${mode:-default} failed:"
        tail -n 30 "$build/tests/lab/lab-up.log"
        fail=1
        cleanup
        return
    fi
    # shellcheck disable=SC1091
    . "$dir/lab.env"
    export LAB_DIR LAB_URI LAB_DOMAIN LAB_DOMAIN2 LAB_SERIAL_LOG LAB_SERIAL_LOG2
    export LAB_GUEST_MAC
    for t in "$@"; do
        start=$(date +%s)
        if "$build/tests/lab/$t"; then
            echo "lab: PASS $t ($(( $(date +%s) - start )) s)"
        else
            echo "lab: FAIL $t"
            fail=1
        fi
    done
    cleanup
    unset LAB_GUEST_MAC
}

: >"$build/tests/lab/lab-up.log"
: >"$build/tests/lab/lab-down.log"
lab "" test-console test-vnc test-storage test-clone test-snapshot test-chains
# real networks: a system libvirtd in private namespaces, dnsmasq, a lease
lab net test-net
exit $fail
