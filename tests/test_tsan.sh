#!/bin/sh
# The probe code under ThreadSanitizer: build the scheduler and hardware
# probe tests and the CLI with clang -fsanitize=thread in their own build
# dir, run the tests, then one short live measurement. Fails on any data
# race TSan reports (exit 66) or a failing test; exit 77 (skip) only when
# clang cannot build with TSan here.
# Usage: tests/test_tsan.sh [BUILD_DIR]     (default: build-tsan)
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build-tsan}
# tsan-uatomic.h makes liburcu's atomics visible to TSan (see there).
flags="-g -O1 -fsanitize=thread -fno-omit-frame-pointer -include $top/tests/tsan-uatomic.h"

if ! echo 'int main(void) { return 0; }' |
	clang $flags $(pkg-config --cflags liburcu) -x c - -o /dev/null 2>/dev/null; then
	echo "test_tsan: clang with -fsanitize=thread is not available; skipped"
	exit 77
fi
mkdir -p "$build"
cd "$build"
[ -f Makefile ] || "$top/configure" -q --enable-werror CC=clang CFLAGS="$flags"
make -j"$(nproc)" vtopocheck tests/test_schedule tests/test_probes_hw >make.log 2>&1 ||
	{ tail -n 40 make.log; exit 1; }

# halt_on_error: the first race fails the run with its two stacks.
TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1 $TSAN_OPTIONS"
VTC_SRCDIR=$top
VTC_CORPUS=${VTC_CORPUS:-$top/../shared/corpus}
export TSAN_OPTIONS VTC_SRCDIR VTC_CORPUS
for t in tests/test_schedule tests/test_probes_hw; do
	rc=0
	./$t >"$t.tsan.log" 2>&1 || rc=$?
	case $rc in
	0) echo "test_tsan: $t: ok" ;;
	77) echo "test_tsan: $t: skipped (its own reason: $(tail -n 1 "$t.tsan.log"))" ;;
	*) tail -n 60 "$t.tsan.log"; echo "test_tsan: $t: FAILED (exit $rc)"; exit 1 ;;
	esac
done
# The CLI's own threads (progress, signals) around a real measurement; its
# verdict (0-3) is whatever this machine gives, only TSan's 66 fails.
rc=0
./vtopocheck -q --budget 3 --json vtopocheck.tsan.json >vtopocheck.tsan.log 2>&1 || rc=$?
if [ "$rc" -gt 3 ]; then
	tail -n 60 vtopocheck.tsan.log
	echo "test_tsan: vtopocheck: FAILED (exit $rc)"
	exit 1
fi
echo "test_tsan: vtopocheck --budget 3: ok (verdict exit $rc)"
