#!/bin/sh
# lab-down.sh DIR -- stop a lab started by lab-up.sh DIR and remove DIR.
#
# Destroys the running guests, stops the lab's libvirtd (pid file), then kills, by PID, any
# process left from this lab: a libvirtd/virtlogd/virtlockd whose environment has
# XDG_RUNTIME_DIR=DIR/run, or a qemu-system-* whose command line names DIR/ (qemu outlives
# libvirtd). Never kills by name alone. Exits non-zero if a lab process survives.
#
# A LAB_NET=1 lab (system libvirtd in private mount + network namespaces): active networks are
# destroyed (net-destroy stops their dnsmasq; libvirtd's SIGTERM would leave it running) before
# the daemon (pid file; argv names DIR/sys/sock/libvirtd.pid) is stopped; then dnsmasq from
# DIR/sys/run/libvirt/network/*.pid and any process whose net AND mnt namespace ids both equal
# LAB_NETNS/LAB_MNTNS (lab.env or DIR/sys/ns.env; a netns id alone is reused between runs).
# The kernel frees the namespace, with its bridges, taps and firewall rules, with its last process.
#
#   LAB_KEEP=1   keep DIR (logs in DIR/log) instead of removing it
#
# A LAB_CACHE inside DIR (the default, DIR/cache) goes with it; keep the cache outside DIR
# to reuse the kernel across runs.
set -u
LAB_DIR=${1:?usage: lab-down.sh DIR}
[ -d "$LAB_DIR" ] || { echo "lab-down: no $LAB_DIR, nothing to do" >&2; exit 0; }
LAB_DIR=$(cd "$LAB_DIR" && pwd)
[ -e "$LAB_DIR/.virtmux-lab" ] || { echo "lab-down: $LAB_DIR was not made by lab-up.sh; not touching it" >&2; exit 1; }
LAB_URI="" LAB_DAEMON_PID="" LAB_NETNS="" LAB_MNTNS=""
S="$LAB_DIR/sys"      # LAB_NET=1 labs only
# shellcheck disable=SC1091
[ -f "$LAB_DIR/lab.env" ] && . "$LAB_DIR/lab.env"
# shellcheck disable=SC1091
[ -z "$LAB_NETNS" ] && [ -f "$S/ns.env" ] && . "$S/ns.env"   # lab-up failed before lab.env
if [ -z "$LAB_URI" ]; then
    if [ -d "$S/sock" ]; then LAB_URI="qemu+unix:///system?socket=$S/sock/libvirt-sock"
    else LAB_URI="qemu+unix:///session?socket=$LAB_DIR/run/libvirt/libvirt-sock"; fi
fi
# never the caller's own namespace (a netns id equal to ours would be a mistake)
[ "$LAB_NETNS" = "$(readlink /proc/self/ns/net)" ] && LAB_NETNS=""
[ "$LAB_MNTNS" = "$(readlink /proc/self/ns/mnt)" ] && LAB_MNTNS=""

argv0() { # PID -> basename of its argv[0] (empty if gone or a kernel thread)
    basename "$(tr '\0' '\n' 2>/dev/null < "/proc/$1/cmdline" | head -n 1)" 2>/dev/null
}
in_lab_ns() { # PID -> 0 if its net and mnt namespaces are the LAB_NET=1 lab's
    [ -n "$LAB_NETNS" ] && [ -n "$LAB_MNTNS" ] &&
        [ "$(readlink "/proc/$1/ns/net" 2>/dev/null)" = "$LAB_NETNS" ] &&
        [ "$(readlink "/proc/$1/ns/mnt" 2>/dev/null)" = "$LAB_MNTNS" ]
}
is_dnsmasq_pidfile() { # PID -> 0 if a lab network's dnsmasq pid file names it
    for f in "$S"/run/libvirt/network/*.pid; do
        [ -f "$f" ] && [ "$(cat "$f" 2>/dev/null)" = "$1" ] && return 0
    done
    return 1
}
is_lab_proc() { # PID -> 0 if it belongs to this lab
    comm=""
    { read -r comm < "/proc/$1/comm"; } 2>/dev/null   # cheap first filter, no fork
    case $comm in
    libvirtd|virtlogd|virtlockd|qemu-system-*) ;;
    dnsmasq) is_dnsmasq_pidfile "$1" && return 0 ;;
    esac
    [ -d "$S" ] && in_lab_ns "$1" && return 0           # LAB_NET=1: anything in its namespaces
    case $comm in libvirtd|virtlogd|virtlockd|qemu-system-*) ;; *) return 1 ;; esac
    case $(argv0 "$1") in
    libvirtd|virtlogd|virtlockd)
        tr '\0' '\n' 2>/dev/null < "/proc/$1/environ" | grep -q -x -F "XDG_RUNTIME_DIR=$LAB_DIR/run" ||
            tr '\0' ' ' 2>/dev/null < "/proc/$1/cmdline" | grep -q -F -- "-p $S/sock/libvirtd.pid" ;;
    qemu-system-*)
        tr '\0' ' ' 2>/dev/null < "/proc/$1/cmdline" | grep -q -F "$LAB_DIR/" ;;
    *) return 1 ;;
    esac
}
lab_pids() {
    for p in /proc/[0-9]*; do
        p=${p#/proc/}
        [ "$p" != $$ ] && is_lab_proc "$p" && echo "$p"
    done
    return 0
}
stop_pid() { # PID: SIGTERM, wait up to 10 s, then SIGKILL
    what="$(argv0 "$1")"
    kill -TERM "$1" 2>/dev/null || return 0
    kill -CONT "$1" 2>/dev/null     # a test may have SIGSTOPped it
    i=0
    while kill -0 "$1" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
    if kill -0 "$1" 2>/dev/null; then
        echo "lab-down: $what ($1) ignored SIGTERM; SIGKILL" >&2
        kill -KILL "$1" 2>/dev/null
        i=0
        while kill -0 "$1" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
    fi
    return 0
}

# 0. the daemon's pid, kept only if it really is this lab's libvirtd
[ -n "$LAB_DAEMON_PID" ] || LAB_DAEMON_PID=$(cat "$LAB_DIR/run/libvirt/libvirtd.pid" "$S/sock/libvirtd.pid" 2>/dev/null | head -n 1)
if [ -n "$LAB_DAEMON_PID" ] && ! is_lab_proc "$LAB_DAEMON_PID"; then LAB_DAEMON_PID=""; fi
[ -z "$LAB_DAEMON_PID" ] || kill -CONT "$LAB_DAEMON_PID" 2>/dev/null   # a test may have SIGSTOPped it

# 1. guests, through the daemon while it still answers
V="timeout 10 virsh -q -c $LAB_URI"
if $V uri >/dev/null 2>&1; then
    for d in $($V list --name 2>/dev/null); do $V destroy "$d" >/dev/null 2>&1 & done
    wait
    # LAB_NET=1: net-destroy stops each network's dnsmasq (the daemon's SIGTERM leaves them)
    if [ -d "$S" ]; then
        for n in $($V net-list --name 2>/dev/null); do $V net-destroy "$n" >/dev/null 2>&1; done
    fi
fi
# 2. the daemon (pid file or lab.env, checked above to be this lab's libvirtd)
[ -z "$LAB_DAEMON_PID" ] || stop_pid "$LAB_DAEMON_PID"
# 3. leftovers: qemu (when the destroy above could not run), any stray daemon and, for
#    LAB_NET=1, dnsmasq and anything else left in the lab's namespaces
for p in $(lab_pids); do
    echo "lab-down: stopping leftover $(argv0 "$p") ($p)" >&2
    stop_pid "$p"
done
left=$(lab_pids)
if [ -n "$left" ]; then
    echo "lab-down: error: lab processes still running: $left" >&2
    exit 1
fi
if [ "${LAB_KEEP:-0}" = 1 ]; then
    echo "lab-down: stopped the lab in $LAB_DIR (kept, LAB_KEEP=1)" >&2
else
    rm -rf "$LAB_DIR"
    echo "lab-down: stopped the lab and removed $LAB_DIR" >&2
fi
