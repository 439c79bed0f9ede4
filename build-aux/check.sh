#!/bin/sh
# The whole test suite, as CI runs it: a -Werror build under AddressSanitizer
# and UBSan running every test layer (unit, model, screen on a pty, the
# private-daemon host test, the real-guest lab), the core paths under
# valgrind, a clang -Werror build, then `make distcheck`. Ends with one line
# "N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$top/build-check}
jobs=${JOBS:-2}
cd "$top"
./autogen.sh >/dev/null 2>&1 || { echo "autogen failed"; exit 1; }
rm -rf "$build"
mkdir -p "$build/asan"
cd "$build"
"$top/configure" --enable-werror --enable-sanitizers >configure.out 2>&1 ||
    { cat configure.out; echo "configure failed"; exit 1; }
make -j"$jobs" >make.out 2>&1 || { cat make.out; echo "build failed"; exit 1; }

# Sanitizer reports go to files: virtmux points stderr at a log while
# curses owns the terminal, so a report on stderr would go unseen.
ASAN_OPTIONS="log_path=$build/asan/report:detect_leaks=1:abort_on_error=0"
UBSAN_OPTIONS="log_path=$build/asan/report:print_stacktrace=1:halt_on_error=1"
LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0"
export ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS
make -j"$jobs" check >check.out 2>&1
rc=$?
grep -E '^(PASS|FAIL|SKIP|XFAIL|XPASS|ERROR):' check.out
if [ $rc -ne 0 ]; then
    for f in $(grep -lE '^:test-result: (FAIL|ERROR)' tests/*/*.trs 2>/dev/null); do
        echo "---- ${f%.trs}.log"
        tail -n 80 "${f%.trs}.log"
    done
fi
if ls asan/report* >/dev/null 2>&1; then
    echo "---- sanitizer reports"
    cat asan/report*
    rc=1
fi
unset ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS

# valgrind on the core paths (the model test drives src/ end to end)
if [ $rc -eq 0 ] && command -v valgrind >/dev/null; then
    mkdir -p "$build/vg" && cd "$build/vg"
    if [ ! -f Makefile ]; then
        "$top/configure" --enable-werror >configure.out 2>&1 && make -j"$jobs" \
            tests/model/test-model >make.out 2>&1 || { cat make.out; rc=1; }
    fi
    if [ $rc -eq 0 ]; then
        top_srcdir=$top valgrind -q --leak-check=full --errors-for-leak-kinds=definite \
            --error-exitcode=9 --suppressions="$top/tests/valgrind.supp" \
            ./tests/model/test-model >valgrind.out 2>&1
        if [ $? -ne 0 ]; then
            echo "FAIL: valgrind tests/model/test-model"; cat valgrind.out; rc=1
        else
            echo "PASS: valgrind tests/model/test-model"
        fi
    fi
    cd "$build"
fi

# the same code with clang -Werror (its warnings differ from gcc's): a build
# of the program and of every test program, not a second run of the suite
if [ $rc -eq 0 ]; then
    mkdir -p "$build/clang" && cd "$build/clang"
    if CC=clang "$top/configure" --enable-werror >configure.out 2>&1 &&
       make -j"$jobs" all >make.out 2>&1 && make -j"$jobs" check TESTS= >>make.out 2>&1; then
        echo "PASS: clang -Werror build"
    else
        echo "FAIL: clang -Werror build"; grep -E 'error|warning' make.out configure.out | head -40
        rc=1
    fi
    cd "$build"
fi

if [ $rc -eq 0 ]; then
    # the lab already ran above; the tarball's build skips it
    VIRTMUX_LAB=skip make -j"$jobs" distcheck >distcheck.out 2>&1
    if [ $? -ne 0 ]; then
        tail -n 60 distcheck.out
        for f in $(grep -lE '^:test-result: (FAIL|ERROR)' \
                   virtmux-*/_build/sub/tests/*/*.trs 2>/dev/null); do
            echo "---- distcheck: ${f%.trs}.log"
            tail -n 80 "${f%.trs}.log"
        done
        echo "FAIL: make distcheck"; rc=1
    else
        echo "PASS: make distcheck"
    fi
fi
cd "$build"
pass=$(grep -cE '^PASS:' check.out)
fail=$(grep -cE '^(FAIL|ERROR|XPASS):' check.out)
skip=$(grep -cE '^SKIP:' check.out)
[ $rc -ne 0 ] && [ "$fail" -eq 0 ] && fail=1
echo "$pass passed, $fail failed, $skip skipped"
exit $rc
