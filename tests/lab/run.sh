#!/bin/sh
# The lab layer of `make check`: boot the project's real-guest lab once,
# run every lab test against it, tear it down. In CI (CI=true) a lab that
# cannot start fails; elsewhere a missing prerequisite skips (77) and says
# what is missing.
set -u
top=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${top_builddir:-.}
tests="test-console test-vnc"

missing=""
[ "$(id -u)" = 0 ] || missing="$missing root"
for c in libvirtd qemu-system-x86_64 qemu-img busybox; do
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

dir=$(mktemp -d /tmp/vmlab.XXXXXX) || exit 1
chmod 755 "$dir"
cache=${LAB_CACHE:-/var/cache/virtmux-lab}
mkdir -p "$cache" 2>/dev/null || cache=$dir/cache
cleanup() { "$top/tests/lab/lab-down.sh" "$dir" >"$build/tests/lab/lab-down.log" 2>&1; }
trap cleanup EXIT INT TERM
if ! LAB_CACHE=$cache "$top/tests/lab/lab-up.sh" "$dir" >"$build/tests/lab/lab-up.log" 2>&1; then
    echo "lab: lab-up failed:"
    tail -n 30 "$build/tests/lab/lab-up.log"
    LAB_KEEP=1
    exit 1
fi
# shellcheck disable=SC1091
. "$dir/lab.env"
export LAB_DIR LAB_URI LAB_DOMAIN LAB_DOMAIN2 LAB_SERIAL_LOG LAB_SERIAL_LOG2
fail=0
for t in $tests; do
    start=$(date +%s)
    if "$build/tests/lab/$t"; then
        echo "lab: PASS $t ($(( $(date +%s) - start )) s)"
    else
        echo "lab: FAIL $t"
        fail=1
    fi
done
exit $fail
