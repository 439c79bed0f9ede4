#!/bin/sh
# Install what virtmux needs to build and to run its whole test suite on
# Debian 12 (as root), the lab's daemon and QEMU included. Idempotent;
# quiet unless something fails.
set -eu
pkgs="autoconf automake pkg-config gcc clang make libc6-dev
      libvirt-dev libxml2-dev libncurses-dev libvterm-dev libcmocka-dev
      libvncserver-dev libpng-dev
      libvirt-daemon libvirt-clients util-linux procps valgrind less"
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done
export DEBIAN_FRONTEND=noninteractive
if [ -n "$missing" ]; then
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
# the real-guest lab of the test suite (libvirtd, QEMU, busybox)
exec "$(dirname "$0")/../tests/lab/lab-deps.sh"
