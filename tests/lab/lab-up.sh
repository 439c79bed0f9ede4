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

case "$LAB_DIR" in *[!A-Za-z0-9._/-]*) die "'$LAB_DIR': use only [A-Za-z0-9._/-] in the lab directory";; esac
mkdir -p "$LAB_DIR"
LAB_DIR=$(cd "$LAB_DIR" && pwd)
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
have_kernel() { [ -s "$LAB_CACHE/vmlinuz" ] && [ -s "$LAB_CACHE/button.ko" ] && [ -s "$LAB_CACHE/evdev.ko" ]; }
kernel_pkg() {
    [ -n "${LAB_KERNEL_PKG:-}" ] && { echo "$LAB_KERNEL_PKG"; return; }
    apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }'
}
fetch_kernel() { # -> 0 once the three files are in LAB_CACHE (set -e is off in here)
    pkg=$(kernel_pkg)
    [ -n "$pkg" ] || { echo "cannot resolve linux-image-amd64" > "$LAB_DIR/log/apt.err"; return 1; }
    log "downloading $pkg"
    x="$LAB_CACHE/tmp.$$"
    rm -rf "$x"; mkdir -p "$x"
    # files are renamed into place: a lab sharing LAB_CACHE never sees a half-written one
    if (cd "$x" && apt-get download -q "$pkg" >/dev/null 2>"$LAB_DIR/log/apt.err") &&
       deb=$(ls "$x"/*.deb) &&
       dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$x" --wildcards './boot/vmlinuz-*' \
           './lib/modules/*/kernel/drivers/acpi/button.ko' './lib/modules/*/kernel/drivers/input/evdev.ko' &&
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
acpid -c /etc/acpi -l /var/log/acpid.log   # exits silently if the log's directory is missing
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
# GNU cpio is not a dependency: busybox has one
(cd "$ir" && find . | "$BUSYBOX" cpio -o -H newc 2>/dev/null | gzip -1 > "$LAB_DIR/images/initrd.gz")
rm -rf "$ir"
cp "$LAB_CACHE/vmlinuz" "$LAB_DIR/images/vmlinuz"
log "initramfs built ($(wc -c < "$LAB_DIR/images/initrd.gz") bytes)"

# ---------------------------------------------------------------- daemon
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
V="virsh -q -c $URI"
i=0
until $V uri >/dev/null 2>&1; do
    i=$((i + 1))
    [ $i -lt 300 ] || { cat "$LAB_DIR/log/libvirtd.stderr" >&2; die "libvirtd did not answer within 30 s"; }
    sleep 0.1
done
DPID=$(cat "$PIDFILE")
log "libvirtd pid $DPID answers on $SOCK"

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
                tail -n 5 "$LAB_DIR/cache-xdg/libvirt/qemu/log/$d.log" >&2 2>/dev/null || true
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
