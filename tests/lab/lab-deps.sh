#!/bin/sh
# Install what the real-guest lab (tests/lab/) needs on Debian 12, as root.
# Idempotent; quiet unless something fails. Run it before lab-up.sh: the lab's libvirtd
# looks for qemu-img only when it starts (a daemon started before qemu-utils was installed
# fails qcow2 volumes and snapshots with "unable to find qemu-img").
# dnsmasq-base and iptables are used only by LAB_NET=1 labs (libvirt networks inside a private
# network namespace); installed always, they start no service and load no rules (dnsmasq-base
# adds a system user `dnsmasq`). iproute2 gives `ip`, util-linux `unshare` and `nsenter`.
set -eu
pkgs="libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients
      qemu-system-x86 qemu-utils busybox-static
      util-linux procps mawk
      dnsmasq-base iptables iproute2"
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done
export DEBIAN_FRONTEND=noninteractive
updated=0
if [ -n "$missing" ]; then
    apt-get update -qq
    updated=1
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
# lab-up.sh fetches the guest kernel with `apt-get download`: it needs package lists
if [ $updated = 0 ] &&
   ! apt-cache depends linux-image-amd64 2>/dev/null | grep -q 'Depends: linux-image-[0-9]'; then
    apt-get update -qq
fi
