#!/bin/sh
# lab-up.sh DIR -- start a private libvirt daemon and two tiny real guests (QEMU TCG).
#
# Everything lives under DIR: the daemon's config, state, sockets and logs, the guest
# kernel + initramfs, a dir storage pool. Nothing is written to /etc, /var/lib/libvirt or
# /run/libvirt. As root, libvirtd runs as LAB_USER (default nobody), which makes it a
# *session* daemon whose every path comes from XDG_* variables pointing into DIR; as
# non-root it runs as the caller. Stop it all with lab-down.sh DIR.
#
# The guests: a Debian kernel (taken from its .deb, not installed) and a busybox initramfs.
# Each prints "LAB-GUEST-READY name=NAME uptime=N" on its serial port once booted and runs
# a shell (prompt "labguest# ") on ttyS0 (the libvirt console) and tty1 (VNC). ACPI power
# button -> acpid -> poweroff, so `virsh shutdown` works.
#
# LAB_NET=1 (real libvirt networking, root only): libvirtd is instead the privileged *system*
# daemon (qemu runs as root), inside private mount + network namespaces (unshare -m -n) with
# private /etc/passwd, /etc/group, /etc/libvirt, /var and /run bind-mounted from DIR/sys, a
# fresh sysfs and its own lo. Networks the tests create (bridges, taps, dnsmasq, iptables
# rules, ip_forward) live only in that netns and vanish with its last process; the host's
# network namespace is not touched. The URI is qemu+unix:///system?socket=DIR/sys/sock/libvirt-sock
# (reachable from the host); IP-based access (ping, VNC over TCP) needs $LAB_NSENTER. No
# network is defined here and the guests have no NIC: the guest initramfs carries virtio-net,
# a carrier watcher (/etc/netwatch) and a udhcpc script that prints
# "LAB-NET-LEASE bound eth0 ip=A/M router=R server=S lease=N mac=M" on ttyS0, so a test can
# create a network and hot-plug a NIC with LAB_GUEST_MAC into labguest.
#
# Defines:  pool 'labpool' (DIR/pool) with volume 'labdisk.qcow2' (64M, not attached),
#           domains 'labguest' and 'labguest2' (identical, no disk).
# Writes:   DIR/lab.env (LAB_URI, LAB_DOMAIN, LAB_SERIAL_LOG, ...) for tests to source.
#
# Environment:
#   LAB_CACHE=DIR/cache   where vmlinuz, button.ko and evdev.ko are kept; point it outside DIR
#                         to download the kernel once for many runs (or pre-fill it: offline)
#   LAB_KERNEL_PKG        kernel package (default: what linux-image-amd64 depends on)
#   LAB_BOOT=1            start both guests and wait for their banners (0: only define them)
#   LAB_BOOT_TIMEOUT=120  seconds to wait for the banners
#   LAB_USER=nobody       user the daemon runs as when we are root
#   LAB_MEM_MIB=256       guest RAM
#   LAB_NET=0             1: system daemon in a private network namespace (above); needs
#                         dnsmasq-base + iptables (lab-deps.sh) and 8 more .ko files in LAB_CACHE
#                         (a cache holding only the 3 base files triggers one re-download)
#
# DIR must be empty or missing (a cache/ subdirectory is allowed), short (unix socket paths
# under it must stay below 108 bytes) and made only of [A-Za-z0-9._/-].
# On failure, processes started so far are stopped; DIR is kept for its logs (DIR/log).
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
LAB_DIR=${1:?usage: lab-up.sh DIR}
LAB_BOOT=${LAB_BOOT:-1}
LAB_BOOT_TIMEOUT=${LAB_BOOT_TIMEOUT:-120}
LAB_USER=${LAB_USER:-nobody}
LAB_MEM_MIB=${LAB_MEM_MIB:-256}
LAB_NET=${LAB_NET:-0}
LAB_GUEST_MAC=52:54:00:6c:61:62
# virtio-net (CONFIG_VIRTIO*=m in the Debian kernel), in load order (the depends= of each .ko)
NETMODS="virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci failover net_failover virtio_net"
# virtio-blk, loaded in every lab: hot-plugged disks show up in the guest as /sys/block/vdX
BLKMODS="virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci virtio_blk"
DOMAINS="labguest labguest2"
BUSYBOX=/bin/busybox

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
T0=$(now)
log() { printf '[lab-up %6ss] %s\n' "$(since "$T0")" "$*" >&2; }
die() { echo "lab-up: error: $*" >&2; exit 1; }

# ---------------------------------------------------------------- checks
for c in libvirtd virsh qemu-system-x86_64 qemu-img dpkg-deb apt-get apt-cache gzip awk; do
    command -v "$c" >/dev/null 2>&1 || die "'$c' is missing: run tests/lab/lab-deps.sh first"
done
[ -x "$BUSYBOX" ] || die "$BUSYBOX is missing: run tests/lab/lab-deps.sh first"
if ldd "$BUSYBOX" >/dev/null 2>&1; then die "$BUSYBOX is dynamically linked: install busybox-static"; fi
case "$LAB_NET" in 0|1) ;; *) die "LAB_NET must be 0 or 1";; esac
if [ "$LAB_NET" = 1 ]; then
    [ "$(id -u)" = 0 ] || die "LAB_NET=1 needs root (system daemon in its own namespaces)"
    for c in dnsmasq iptables ip6tables ip unshare nsenter setsid; do
        command -v "$c" >/dev/null 2>&1 || die "LAB_NET=1: '$c' is missing: run tests/lab/lab-deps.sh first"
    done
fi

case "$LAB_DIR" in *[!A-Za-z0-9._/-]*) die "'$LAB_DIR': use only [A-Za-z0-9._/-] in the lab directory";; esac
mkdir -p "$LAB_DIR"
LAB_DIR=$(cd "$LAB_DIR" && pwd)
if [ "$LAB_NET" = 1 ]; then   # /var, /run and /etc/libvirt are replaced inside the namespace
    case "$LAB_DIR/" in /var/*|/run/*|/etc/*) die "LAB_NET=1: the lab directory must not be under /var, /run or /etc";; esac
fi
for f in "$LAB_DIR"/* "$LAB_DIR"/.[!.]* "$LAB_DIR"/..?*; do
    [ -e "$f" ] || [ -L "$f" ] || continue
    [ "$f" = "$LAB_DIR/cache" ] && [ -d "$f" ] && continue
    die "$LAB_DIR is not empty (a lab running there? tests/lab/lab-down.sh $LAB_DIR)"
done
mon="$LAB_DIR/cfg/libvirt/qemu/lib/domain-9999-labguest2/monitor.sock"
[ ${#mon} -lt 108 ] || die "$LAB_DIR is too long: '$mon' would exceed the unix socket path limit"
LAB_CACHE=${LAB_CACHE:-$LAB_DIR/cache}

# From here on DIR is ours: on any failure stop what we started, keep the logs.
: > "$LAB_DIR/.virtmux-lab"
on_exit() {
    rc=$?
    trap - EXIT INT TERM
    if [ "$rc" != 0 ]; then
        echo "lab-up: failed; stopping the lab, logs kept in $LAB_DIR/log (remove with lab-down.sh $LAB_DIR)" >&2
        LAB_KEEP=1 "$HERE/lab-down.sh" "$LAB_DIR" >&2 || true
    fi
    exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- kernel
have_kernel() {
    [ -s "$LAB_CACHE/vmlinuz" ] && [ -s "$LAB_CACHE/button.ko" ] && [ -s "$LAB_CACHE/evdev.ko" ] || return 1
    for m in $BLKMODS; do [ -s "$LAB_CACHE/$m.ko" ] || return 1; done
    [ "$LAB_NET" = 1 ] || return 0
    for m in $NETMODS; do [ -s "$LAB_CACHE/$m.ko" ] || return 1; done
}
kernel_pkg() {
    [ -n "${LAB_KERNEL_PKG:-}" ] && { echo "$LAB_KERNEL_PKG"; return; }
    apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }'
}
fetch_kernel() { # -> 0 once vmlinuz and the 10 modules are in LAB_CACHE (set -e is off in here)
    pkg=$(kernel_pkg)
    [ -n "$pkg" ] || { echo "cannot resolve linux-image-amd64" > "$LAB_DIR/log/apt.err"; return 1; }
    log "downloading $pkg"
    x="$LAB_CACHE/tmp.$$"
    rm -rf "$x"; mkdir -p "$x"
    # files are renamed into place: a lab sharing LAB_CACHE never sees a half-written one
    if (cd "$x" && apt-get download -q "$pkg" >/dev/null 2>"$LAB_DIR/log/apt.err") &&
       deb=$(ls "$x"/*.deb) &&
       dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$x" --wildcards './boot/vmlinuz-*' \
           './lib/modules/*/kernel/drivers/acpi/button.ko' './lib/modules/*/kernel/drivers/input/evdev.ko' \
           './lib/modules/*/kernel/drivers/virtio/virtio*.ko' './lib/modules/*/kernel/drivers/net/virtio_net.ko' \
           './lib/modules/*/kernel/drivers/net/net_failover.ko' './lib/modules/*/kernel/net/core/failover.ko' \
           './lib/modules/*/kernel/drivers/block/virtio_blk.ko' &&
       fetch_netmods "$x" &&
       mv "$x"/lib/modules/*/kernel/drivers/acpi/button.ko "$LAB_CACHE/button.ko" &&
       mv "$x"/lib/modules/*/kernel/drivers/input/evdev.ko "$LAB_CACHE/evdev.ko" &&
       mv "$x"/boot/vmlinuz-* "$LAB_CACHE/vmlinuz"; then
        basename "$deb" .deb > "$LAB_CACHE/kernel-package"
        rm -rf "$x"
        log "kernel extracted from $(cat "$LAB_CACHE/kernel-package")"
        return 0
    fi
    rm -rf "$x"
    return 1
}
fetch_netmods() { # EXTRACTED_TREE: the virtio-net modules into LAB_CACHE (renamed into place)
    for m in $NETMODS virtio_blk; do
        f=$(find "$1/lib/modules" -name "$m.ko" | head -n 1)
        if [ -z "$f" ] || ! mv "$f" "$LAB_CACHE/$m.ko"; then
            echo "$m.ko not in the kernel package" >> "$LAB_DIR/log/apt.err"; return 1
        fi
    done
}
mkdir -p "$LAB_CACHE" "$LAB_DIR/log"
if have_kernel; then
    log "kernel from cache $LAB_CACHE ($(cat "$LAB_CACHE/kernel-package" 2>/dev/null || echo '?'))"
elif ! fetch_kernel; then
    # stale or missing package lists: the kernel's point release may be gone from the mirror
    [ "$(id -u)" = 0 ] || { cat "$LAB_DIR/log/apt.err" >&2 2>/dev/null; die "cannot download the kernel package (apt-get update?)"; }
    log "kernel download failed; apt-get update and retry"
    apt-get update -qq >/dev/null 2>&1 || true
    fetch_kernel || { cat "$LAB_DIR/log/apt.err" >&2 2>/dev/null; die "cannot download the kernel package"; }
fi

# ---------------------------------------------------------------- initramfs
mkdir -p "$LAB_DIR/images" "$LAB_DIR/pool" "$LAB_DIR/home" "$LAB_DIR/cfg/libvirt" \
         "$LAB_DIR/run" "$LAB_DIR/cache-xdg" "$LAB_DIR/data"
ir="$LAB_DIR/images/initramfs"
mkdir -p "$ir/bin" "$ir/dev" "$ir/proc" "$ir/sys" "$ir/tmp" "$ir/root" "$ir/usr" \
         "$ir/etc/acpi/PWRF" "$ir/lib/modules" "$ir/var/log"
cp "$BUSYBOX" "$ir/bin/busybox"
for a in $("$BUSYBOX" --list); do [ "$a" = busybox ] || ln -s busybox "$ir/bin/$a"; done
ln -s bin "$ir/sbin"; ln -s ../bin "$ir/usr/bin"; ln -s ../bin "$ir/usr/sbin"
ln -s bin/busybox "$ir/init"          # busybox init reads /etc/inittab
cp "$LAB_CACHE/button.ko" "$LAB_CACHE/evdev.ko" "$ir/lib/modules/"
for m in $BLKMODS; do cp "$LAB_CACHE/$m.ko" "$ir/lib/modules/"; done
cat > "$ir/etc/inittab" <<'EOF'
::sysinit:/etc/rcS
ttyS0::respawn:-/bin/sh
tty1::respawn:-/bin/sh
::ctrlaltdel:/bin/reboot
::shutdown:/bin/sync
EOF
# The domain's name comes in on the kernel command line (labname=NAME).
cat > "$ir/etc/rcS" <<'EOF'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts && mount -t devpts devpts /dev/pts
name=labguest
for w in $(cat /proc/cmdline); do case $w in labname=*) name=${w#labname=};; esac; done
echo "$name" > /etc/labname
hostname "$name"
# ACPI power button -> acpid -> poweroff, so that `virsh shutdown` works
insmod /lib/modules/evdev.ko 2>/dev/null
insmod /lib/modules/button.ko 2>/dev/null
# virtio-blk: a disk hot-plugged by a test appears as /sys/block/vdX
for m in virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci virtio_blk; do insmod /lib/modules/$m.ko || echo "LAB-BLK-ERROR insmod $m" > /dev/ttyS0; done
acpid -c /etc/acpi -l /var/log/acpid.log   # exits silently if the log's directory is missing
[ -x /etc/rc.net ] && /etc/rc.net          # LAB_NET=1 only: virtio-net + /etc/netwatch
echo "LAB-GUEST-READY name=$name uptime=$(cut -d' ' -f1 /proc/uptime)" > /dev/ttyS0
echo "LAB-GUEST-READY name=$name (tty1)" > /dev/tty1
EOF
cat > "$ir/etc/acpi/PWRF/00000080" <<'EOF'
#!/bin/sh
echo "LAB-GUEST-POWEROFF" > /dev/ttyS0
poweroff
EOF
printf "export PS1='labguest# '\nexport PATH=/bin\n" > "$ir/etc/profile"
chmod +x "$ir/etc/rcS" "$ir/etc/acpi/PWRF/00000080"
if [ "$LAB_NET" = 1 ]; then
    mkdir -p "$ir/var/run"
    for m in $NETMODS; do cp "$LAB_CACHE/$m.ko" "$ir/lib/modules/"; done
    cat > "$ir/etc/rc.net" <<EOF
#!/bin/sh
for m in $NETMODS; do grep -q "^\$m " /proc/modules || insmod /lib/modules/\$m.ko || echo "LAB-NET-ERROR insmod \$m" > /dev/ttyS0; done
ip link set lo up
/etc/netwatch > /dev/null 2>&1 &
EOF
    # One udhcpc on eth0 at a time. eth0 appears (NIC hot-plugged): bring it up, start udhcpc.
    # Carrier 0 -> 1 (virsh domif-setlink down/up, e.g. after update-device moved the NIC to
    # another network): SIGUSR2 (release) then SIGUSR1 (renew) -- from BOUND a lone SIGUSR1
    # only unicasts to the old server; after a release it broadcasts a fresh DISCOVER.
    # eth0 gone (hot-unplug): stop its udhcpc. Transitions are printed as LAB-NET-CARRIER.
    cat > "$ir/etc/netwatch" <<'EOF'
#!/bin/sh
last=x
while :; do
    if [ -e /sys/class/net/eth0 ]; then
        # carrier reads EINVAL while eth0 is administratively down
        [ $(( $(cat /sys/class/net/eth0/flags) & 1 )) = 1 ] || ip link set eth0 up
        c=$(cat /sys/class/net/eth0/carrier 2>/dev/null || echo 0)
    else
        c=none
    fi
    if [ "$c" != "$last" ]; then
        echo "LAB-NET-CARRIER eth0=$c" > /dev/ttyS0
        p=$(cat /var/run/udhcpc.eth0.pid 2>/dev/null)
        if [ "$c" = none ]; then
            [ -n "$p" ] && kill "$p" 2>/dev/null; rm -f /var/run/udhcpc.eth0.pid
        elif [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then
            [ "$c" = 1 ] && [ "$last" != x ] && { kill -USR2 "$p"; sleep 1; kill -USR1 "$p"; }
        else
            udhcpc -i eth0 -b -t 20 -T 1 -A 3 -p /var/run/udhcpc.eth0.pid -s /etc/udhcpc.script > /dev/ttyS0 2>&1
        fi
        last=$c
    fi
    sleep 1
done
EOF
    # busybox udhcpc only runs this script: $1 = deconfig|bound|renew|nak|leasefail, the lease
    # in $interface $ip $mask $router $dns $serverid $lease
    cat > "$ir/etc/udhcpc.script" <<'EOF'
#!/bin/sh
case "$1" in
deconfig)
    ip addr flush dev "$interface"; ip link set "$interface" up
    echo "LAB-NET-DECONFIG $interface" > /dev/ttyS0 ;;
bound|renew)
    [ "$1" = bound ] && ip addr flush dev "$interface"
    ip addr replace "$ip/${mask:-24}" dev "$interface"
    for r in $router; do ip route replace default via "$r" dev "$interface"; break; done
    : > /etc/resolv.conf; for d in $dns; do echo "nameserver $d" >> /etc/resolv.conf; done
    echo "LAB-NET-LEASE $1 $interface ip=$ip/${mask:-24} router=${router:-none} server=$serverid lease=$lease mac=$(cat /sys/class/net/$interface/address)" > /dev/ttyS0 ;;
leasefail|nak)
    echo "LAB-NET-$1 $interface" > /dev/ttyS0 ;;
esac
exit 0
EOF
    chmod +x "$ir/etc/rc.net" "$ir/etc/netwatch" "$ir/etc/udhcpc.script"
fi
# GNU cpio is not a dependency: busybox has one
(cd "$ir" && find . | "$BUSYBOX" cpio -o -H newc 2>/dev/null | gzip -1 > "$LAB_DIR/images/initrd.gz")
rm -rf "$ir"
cp "$LAB_CACHE/vmlinuz" "$LAB_DIR/images/vmlinuz"
log "initramfs built ($(wc -c < "$LAB_DIR/images/initrd.gz") bytes)"

# ---------------------------------------------------------------- daemon
if [ "$LAB_NET" = 1 ]; then
    # libvirtd run as root is always the privileged "system" daemon with hard-wired paths
    # (/etc/libvirt, /var/{lib,log,cache}/libvirt, /run/libvirt): give it private ones in a
    # private mount namespace, and a private network namespace for the networks.
    S="$LAB_DIR/sys"
    mkdir -p "$S/etc" "$S/var/lock" "$S/var/tmp" "$S/run" "$S/sock"   # /var/lock: console pty locks
    cp /etc/libvirt/libvirt.conf "$S/etc/" 2>/dev/null || true
    cat > "$S/etc/libvirtd.conf" <<EOF
unix_sock_dir = "$S/sock"
log_outputs = "3:file:$LAB_DIR/log/libvirtd.log"
EOF
    # qemu runs as root (nothing to chown); "file": no virtlogd
    cat > "$S/etc/qemu.conf" <<'EOF'
user = "root"
group = "root"
stdio_handler = "file"
EOF
    # The qemu driver resolves its built-in default user libvirt-qemu before it reads qemu.conf
    # (libvirt-daemon-system, not installed, would create it): fake it inside the namespace only.
    cp /etc/passwd "$S/passwd"; cp /etc/group "$S/group"
    getent passwd libvirt-qemu >/dev/null || echo 'libvirt-qemu:x:64055:64055:Libvirt Qemu:/nonexistent:/usr/sbin/nologin' >> "$S/passwd"
    getent group libvirt-qemu >/dev/null || echo 'libvirt-qemu:x:64055:' >> "$S/group"
    getent group kvm >/dev/null || echo 'kvm:x:64056:' >> "$S/group"
    chmod 755 "$LAB_DIR"
    log "starting libvirtd (system daemon as root in private mount + network namespaces)"
    # - /run is a directory of DIR (not a tmpfs) so lab-down sees dnsmasq's pid files
    # - a new netns has lo down: connect(127.0.0.1) would fail with ENETUNREACH (VNC)
    # - umount -l /sys takes the host's cgroup submounts along (private propagation: only in
    #   here); a fresh sysfs shows this netns's /sys/class/net. With cgroups still listed in
    #   /proc/mounts, `virsh start` fails "Failed to create v1 controller cpu for group";
    #   without any, libvirt puts qemu in no cgroup (host cgroup tree untouched).
    # unshare execs (no --fork): the process setsid starts becomes libvirtd, its pid is in
    # the pid file; lab-down recognises it by "-p DIR/sys/sock/libvirtd.pid" in its argv.
    setsid unshare -m -n --propagation private sh -c "
        mount --bind '$S/passwd' /etc/passwd && mount --bind '$S/group' /etc/group &&
        mount --bind '$S/etc' /etc/libvirt && mount --bind '$S/var' /var &&
        mount --bind '$S/run' /run && mkdir -p /run/lock &&
        ip link set lo up && umount -l /sys && mount -t sysfs sysfs /sys &&
        exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C \
            libvirtd -f /etc/libvirt/libvirtd.conf -p '$S/sock/libvirtd.pid'" \
        > "$LAB_DIR/log/libvirtd.stderr" 2>&1 < /dev/null &
    SOCK="$S/sock/libvirt-sock"
    PIDFILE="$S/sock/libvirtd.pid"
    URI="qemu+unix:///system?socket=$SOCK"
    QEMU_LOGS="$S/var/log/libvirt/qemu"
else
    cat > "$LAB_DIR/cfg/libvirt/libvirtd.conf" <<EOF
log_outputs = "3:file:$LAB_DIR/log/libvirtd.log"
EOF
    # "file": qemu writes its own log, so no virtlogd is spawned (one process less to clean up)
    cat > "$LAB_DIR/cfg/libvirt/qemu.conf" <<'EOF'
stdio_handler = "file"
EOF
    AS_USER=""
    if [ "$(id -u)" = 0 ]; then
        uid=$(id -u "$LAB_USER" 2>/dev/null) || die "no user '$LAB_USER'"
        gid=$(id -g "$LAB_USER")
        chmod 755 "$LAB_DIR"
        chown -R "$uid:$gid" "$LAB_DIR/images" "$LAB_DIR/log" "$LAB_DIR/pool" "$LAB_DIR/home" \
            "$LAB_DIR/cfg" "$LAB_DIR/run" "$LAB_DIR/cache-xdg" "$LAB_DIR/data"
        AS_USER="setpriv --reuid=$uid --regid=$gid --clear-groups"
        $AS_USER test -r "$LAB_DIR/images/vmlinuz" ||
            die "user $LAB_USER cannot reach $LAB_DIR (is a parent directory not traversable?)"
    fi
    chmod 700 "$LAB_DIR/run"
    log "starting libvirtd (session daemon as $(if [ -n "$AS_USER" ]; then echo "$LAB_USER"; else id -un; fi))"
    # setsid: the daemon ignores the caller's terminal and ^C. No --daemon: it stays our
    # grandchild only as long as setsid forks; its real pid is read from the pid file.
    # shellcheck disable=SC2086
    setsid $AS_USER env -i HOME="$LAB_DIR/home" XDG_CONFIG_HOME="$LAB_DIR/cfg" \
        XDG_RUNTIME_DIR="$LAB_DIR/run" XDG_CACHE_HOME="$LAB_DIR/cache-xdg" \
        XDG_DATA_HOME="$LAB_DIR/data" XDG_STATE_HOME="$LAB_DIR/data" \
        PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C \
        libvirtd > "$LAB_DIR/log/libvirtd.stderr" 2>&1 < /dev/null &
    SOCK="$LAB_DIR/run/libvirt/libvirt-sock"
    PIDFILE="$LAB_DIR/run/libvirt/libvirtd.pid"
    URI="qemu+unix:///session?socket=$SOCK"
    QEMU_LOGS="$LAB_DIR/cache-xdg/libvirt/qemu/log"
fi
V="virsh -q -c $URI"
i=0
until $V uri >/dev/null 2>&1; do
    i=$((i + 1))
    [ $i -lt 300 ] || { cat "$LAB_DIR/log/libvirtd.stderr" >&2; die "libvirtd did not answer within 30 s"; }
    sleep 0.1
done
DPID=$(cat "$PIDFILE")
log "libvirtd pid $DPID answers on $SOCK"
if [ "$LAB_NET" = 1 ]; then
    # both ids identify the lab's processes for lab-down (a netns inode number alone gets
    # reused from one run to the next); recorded now in case lab-up fails before lab.env
    NETNS=$(readlink "/proc/$DPID/ns/net") MNTNS=$(readlink "/proc/$DPID/ns/mnt")
    printf "LAB_NETNS='%s'\nLAB_MNTNS='%s'\n" "$NETNS" "$MNTNS" > "$S/ns.env"
    [ "$NETNS" != "$(readlink /proc/self/ns/net)" ] || die "libvirtd is not in a private network namespace"
    log "lab network namespace $NETNS"
fi

# ---------------------------------------------------------------- pool, volume, domains
$V pool-define-as labpool dir --target "$LAB_DIR/pool" >/dev/null
$V pool-start labpool >/dev/null
$V vol-create-as labpool labdisk.qcow2 64M --format qcow2 >/dev/null

domxml() { # NAME
    cat <<EOF
<domain type='qemu'>
  <name>$1</name>
  <memory unit='MiB'>$LAB_MEM_MIB</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>$LAB_DIR/images/vmlinuz</kernel>
    <initrd>$LAB_DIR/images/initrd.gz</initrd>
    <cmdline>console=tty0 console=ttyS0,115200 panic=-1 labname=$1</cmdline>
  </os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <serial type='pty'>
      <log file='$LAB_DIR/log/$1-serial.log' append='off'/>
      <target port='0'/>
    </serial>
    <console type='pty'><target type='serial' port='0'/></console>
    <graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1'/>
    <video><model type='vga'/></video>
    <memballoon model='none'/>
  </devices>
</domain>
EOF
}
for d in $DOMAINS; do
    domxml "$d" > "$LAB_DIR/$d.xml"
    $V define "$LAB_DIR/$d.xml" >/dev/null
done
log "pool labpool + volume labdisk.qcow2, domains $DOMAINS defined"

cat > "$LAB_DIR/lab.env" <<EOF
LAB_DIR='$LAB_DIR'
LAB_URI='$URI'
LAB_SOCKET='$SOCK'
LAB_DAEMON_PID='$DPID'
LAB_DOMAIN='labguest'
LAB_DOMAIN2='labguest2'
LAB_SERIAL_LOG='$LAB_DIR/log/labguest-serial.log'
LAB_SERIAL_LOG2='$LAB_DIR/log/labguest2-serial.log'
LAB_POOL='labpool'
LAB_VOLUME='labdisk.qcow2'
LAB_BANNER='LAB-GUEST-READY'
LAB_PROMPT='labguest# '
EOF
if [ "$LAB_NET" = 1 ]; then
    # LAB_NSENTER runs a command in the lab's network namespace (ping a guest, VNC over TCP,
    # ip/iptables-save of the lab's bridges and rules)
    cat >> "$LAB_DIR/lab.env" <<EOF
LAB_NET='1'
LAB_NETNS='$NETNS'
LAB_MNTNS='$MNTNS'
LAB_NSENTER='nsenter --net=/proc/$DPID/ns/net'
LAB_GUEST_MAC='$LAB_GUEST_MAC'
EOF
fi

# ---------------------------------------------------------------- boot
if [ "$LAB_BOOT" = 1 ]; then
    tb=$(now)
    for d in $DOMAINS; do $V start "$d" >/dev/null; done
    log "started $DOMAINS; waiting for their banners (TCG)"
    pending=$DOMAINS
    while [ -n "$pending" ]; do
        left=""
        for d in $pending; do
            if grep -a -q LAB-GUEST-READY "$LAB_DIR/log/$d-serial.log" 2>/dev/null; then
                log "$d: $(grep -a -o 'LAB-GUEST-READY.*' "$LAB_DIR/log/$d-serial.log" | head -n 1 | tr -d '\r'), $(since "$tb") s after start"
            else
                left="$left $d"
            fi
        done
        pending=$left
        [ -z "$pending" ] && break
        if [ "$(awk -v a="$(since "$tb")" -v t="$LAB_BOOT_TIMEOUT" 'BEGIN { print (a > t) }')" = 1 ]; then
            for d in $pending; do
                echo "--- $d: $($V domstate "$d" 2>&1); serial log tail:" >&2
                tail -c 600 "$LAB_DIR/log/$d-serial.log" >&2 2>/dev/null || true
                tail -n 5 "$QEMU_LOGS/$d.log" >&2 2>/dev/null || true
            done
            die "no LAB-GUEST-READY from$pending within $LAB_BOOT_TIMEOUT s"
        fi
        sleep 0.1
    done
    for d in $DOMAINS; do   # vnc://127.0.0.1:N -> TCP port 5900+N
        port=$($V domdisplay "$d" | sed -n 's/^vnc:.*:\([0-9]*\)$/\1/p')
        [ "$d" = labguest ] && var=LAB_VNC_PORT || var=LAB_VNC_PORT2
        echo "$var='$((5900 + port))'" >> "$LAB_DIR/lab.env"
    done
fi
log "ready: . $LAB_DIR/lab.env; virsh -c \"\$LAB_URI\" list --all"
