#!/bin/sh
# The house rules that a grep can keep (STYLE.md, DESIGN.md rules 5 and 7),
# folder by folder: no curses in src/, no libvirt in ui/, no libvirt calls
# in src/core (but its event glue), src/xml and src/model, no action-name
# comparisons outside src/act, no system()/popen() in the program, no tabs
# in C sources, no file over 800 lines.
set -u
top=${1:-${top_srcdir:-.}}
cd "$top" || exit 1
fail=0
bad() { echo "syntax-check: $*"; fail=1; }
src=$(find src -name '*.[ch]' | sort)
csrc=$(find src -name '*.c' | sort)

hits=$(grep -lE '#include[[:space:]]*[<"](n?curses|ncursesw/curses)\.h' $src)
[ -n "$hits" ] && bad "curses included in src/: $hits"
hits=$(grep -nE '\bvir(Domain|Connect|Storage|Network|Stream|Event)[A-Za-z]*[[:space:]]*\(' ui/*.c ui/*.h)
[ -n "$hits" ] && bad "libvirt called from ui/: $hits"
hits=$(grep -lE '#include[[:space:]]*<libvirt/' ui/*.c ui/*.h)
[ -n "$hits" ] && bad "libvirt included in ui/: $hits"
# the lower layers know no libvirt; src/core/virtevent.c (events) and
# src/core/err.c (libvirt's error into a sentence) are the glue
hits=$(grep -nE '\bvir[A-Z][A-Za-z]*[[:space:]]*\(' src/xml/*.[ch] src/model/*.[ch] src/core/*.[ch] |
       grep -vE '^src/core/(virtevent|err)\.c:')
[ -n "$hits" ] && bad "libvirt called from src/xml, src/model or src/core: $hits"
hits=$(grep -nE 'STREQ\([A-Za-z_>.-]*name,[[:space:]]*"' $csrc ui/*.c | grep -v '^src/act/' |
       grep -E '(->|\.)act->name|\ba->name|action->name')
[ -n "$hits" ] && bad "behaviour keyed on an action's name outside src/act: $hits"
# each folder's private header stays in its folder (act.h: what only act-*.c share)
hits=$(grep -lE '#include[[:space:]]*"(act|host-priv|vnc-priv)\.h"' $csrc ui/*.c src/main.c |
       grep -vE '^src/(act|host|term)/')
[ -n "$hits" ] && bad "a folder's private header included outside it: $hits"
hits=$(grep -nE '\b(system|popen)[[:space:]]*\(' $csrc ui/*.c)
[ -n "$hits" ] && bad "system()/popen() in the program: $hits"
hits=$(grep -lP '\t' $src ui/*.[ch] tests/*/*.[ch] 2>/dev/null)
[ -n "$hits" ] && bad "tabs in C sources: $hits"
hits=$(grep -nE '\bexit[[:space:]]*\(' $csrc | grep -v 'src/main.c' | grep -v 'exit(70)' |
       grep -vE '^[^:]*:[0-9]+:[[:space:]]*/?\*')
[ -n "$hits" ] && bad "exit() in src/ outside main.c and fatal(): $hits"
for f in $csrc ui/*.c; do
    n=$(wc -l <"$f")
    [ "$n" -gt 800 ] && bad "$f has $n lines (over 800: find a seam)"
done
exit $fail
