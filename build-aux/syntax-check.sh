#!/bin/sh
# The house rules that a grep can keep (STYLE.md, DESIGN.md rule 7):
# no curses in src/, no libvirt calls in ui/, no system()/popen() in the
# program, no tabs in C sources, generated docs in step.
set -u
top=${1:-${top_srcdir:-.}}
cd "$top" || exit 1
fail=0
bad() { echo "syntax-check: $*"; fail=1; }

hits=$(grep -lE '#include[[:space:]]*[<"](n?curses|ncursesw/curses)\.h' src/*.c src/*.h)
[ -n "$hits" ] && bad "curses included in src/: $hits"
hits=$(grep -nE '\bvir(Domain|Connect|Storage|Network|Stream|Event)[A-Za-z]*[[:space:]]*\(' ui/*.c ui/*.h)
[ -n "$hits" ] && bad "libvirt called from ui/: $hits"
hits=$(grep -nE '\b(system|popen)[[:space:]]*\(' src/*.c ui/*.c)
[ -n "$hits" ] && bad "system()/popen() in the program: $hits"
hits=$(grep -lP '\t' src/*.[ch] ui/*.[ch] tests/*/*.[ch] 2>/dev/null)
[ -n "$hits" ] && bad "tabs in C sources: $hits"
hits=$(grep -nE '\bexit[[:space:]]*\(' src/*.c | grep -v 'src/main.c' | grep -v 'exit(70)' | grep -vE '^[^:]*:[0-9]+:[[:space:]]*/?\*')
[ -n "$hits" ] && bad "exit() in src/ outside main.c and fatal(): $hits"
for f in src/*.c ui/*.c; do
    n=$(wc -l <"$f")
    [ "$n" -gt 800 ] && bad "$f has $n lines (over 800: find a seam)"
done
exit $fail
