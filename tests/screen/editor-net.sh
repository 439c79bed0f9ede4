#!/bin/sh
# A scripted $EDITOR for the network edit story: run 1 breaks the XML,
# run 2 checks the broken text came back and moves the DHCP range's end.
set -eu
f=$1
n=$(cat "$EDIT_STATE/runs" 2>/dev/null || echo 0)
n=$((n + 1))
echo "$n" > "$EDIT_STATE/runs"
case $n in
1)
    cp "$f" "$EDIT_STATE/orig.xml"
    grep -v '</network>' "$EDIT_STATE/orig.xml" > "$f"
    cp "$f" "$EDIT_STATE/broken.xml"
    ;;
2)
    cmp -s "$f" "$EDIT_STATE/broken.xml" || echo lost > "$EDIT_STATE/lost"
    sed -e "s|end='192.168.122.254'|end='192.168.122.199'|" "$EDIT_STATE/orig.xml" > "$f"
    ;;
esac
