#!/bin/sh
# A scripted $EDITOR for test-edit: each run does the next step of the
# story. $EDIT_STATE is a directory for its counter and copies.
set -eu
f=$1
n=$(cat "$EDIT_STATE/runs" 2>/dev/null || echo 0)
n=$((n + 1))
echo "$n" > "$EDIT_STATE/runs"
case $n in
1)  # break the XML: drop the closing tag
    cp "$f" "$EDIT_STATE/orig.xml"
    grep -v '</domain>' "$EDIT_STATE/orig.xml" > "$f"
    cp "$f" "$EDIT_STATE/broken.xml"
    ;;
2)  # the broken text must come back; then fix it and shrink the memory
    cmp -s "$f" "$EDIT_STATE/broken.xml" || echo lost > "$EDIT_STATE/lost"
    sed -e "s|<memory unit='KiB'>[0-9]*</memory>|<memory unit='KiB'>3145728</memory>|" \
        -e "s|<currentMemory unit='KiB'>[0-9]*</currentMemory>|<currentMemory unit='KiB'>3145728</currentMemory>|" \
        "$EDIT_STATE/orig.xml" > "$f"
    ;;
3)  # well-formed, but libvirt refuses it
    sed -e "s|<memory unit='KiB'>[0-9]*</memory>|<memory unit='KiB'>lots</memory>|" "$f" > "$f.new"
    mv "$f.new" "$f"
    ;;
*)  # leave it as it is
    ;;
esac
