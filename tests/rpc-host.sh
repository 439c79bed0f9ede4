#!/bin/bash
# A libvirt "remote host" for tests, with no QEMU: a private session-mode
# libvirtd run as an unprivileged user, all its state under DIR, serving
# libvirt's test driver over its unix socket.
#   rpc-host.sh start DIR        start the daemon (waits until the socket answers)
#   rpc-host.sh uri DIR FILE     print the URI serving test-driver FILE through it
#   rpc-host.sh stop DIR         stop it by its pid file (clients see the close)
#   rpc-host.sh pid DIR          print the daemon's pid
# Needs root (to drop to RPC_USER, default nobody); FILE must be readable by it.
set -eu
cmd=${1:?start|uri|stop|pid}
D=${2:?directory}
mkdir -p "$D"
D=$(cd "$D" && pwd)
user=${RPC_USER:-nobody}
sock=$D/run/libvirt/libvirt-sock
pidf=$D/run/libvirt/libvirtd.pid

case $cmd in
start)
    for sub in home cfg run cache data; do
        mkdir -p "$D/$sub"
    done
    chown -R "$user" "$D/home" "$D/cfg" "$D/run" "$D/cache" "$D/data"
    chmod 755 "$D"
    rm -f "$sock" "$pidf"
    uid=$(id -u "$user")
    gid=$(id -g "$user")
    setsid setpriv --reuid="$uid" --regid="$gid" --clear-groups env -i \
        HOME="$D/home" XDG_CONFIG_HOME="$D/cfg" XDG_RUNTIME_DIR="$D/run" \
        XDG_CACHE_HOME="$D/cache" XDG_DATA_HOME="$D/data" \
        PATH=/usr/sbin:/usr/bin:/sbin:/bin libvirtd >>"$D/libvirtd.log" 2>&1 </dev/null &
    for _ in $(seq 1 200); do
        [ -S "$sock" ] && [ -s "$pidf" ] && exit 0
        sleep 0.05
    done
    echo "rpc-host: the daemon did not start; see $D/libvirtd.log" >&2
    exit 1
    ;;
uri)
    echo "test+unix://${3:?test driver file}?socket=$sock"
    ;;
pid)
    cat "$pidf"
    ;;
stop)
    if [ -s "$pidf" ]; then
        pid=$(cat "$pidf")
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.05
        done
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$sock" "$pidf"
    ;;
*)
    echo "usage: rpc-host.sh start|uri|stop|pid DIR [FILE]" >&2
    exit 2
    ;;
esac
