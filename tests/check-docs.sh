#!/bin/sh
# doc/keys.md must be what build-aux/gen-keys prints (make keys regenerates
# it), every action must be in the manual, and the house rules must hold.
set -u
top=${top_srcdir:-.}
build=${top_builddir:-.}
fail=0
"$build/build-aux/gen-keys" >keys.generated || exit 1
if ! cmp -s keys.generated "$top/doc/keys.md"; then
    echo "doc/keys.md is out of date: run 'make keys'"
    diff -u "$top/doc/keys.md" keys.generated | head -40
    fail=1
fi
for a in $(sed -n '/^## Commands/,$ s/^| `\([a-z-]*\).*/\1/p' keys.generated | sort -u); do
    grep -q "^\.B $a\b\|^\.BR $a\b\|^\\\\fB$a\\\\fR\|\\\\fB$a\\\\fR" "$top/doc/virtmux.1" ||
        { echo "doc/virtmux.1 does not mention the command '$a'"; fail=1; }
done
rm -f keys.generated
sh "$top/build-aux/syntax-check.sh" "$top" || fail=1
exit $fail
