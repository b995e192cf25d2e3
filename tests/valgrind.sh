#!/bin/sh
# The CLI under valgrind memcheck: a live measurement with a JSON report,
# --advertised, --analyze of the saved report and of the documented example,
# a recorded sysroot, and the error paths of bad input. Any memory error or
# definite/indirect leak fails (valgrind's exit 99); the verdicts (0-3) are
# whatever this machine gives. Exit 77 when valgrind is not installed.
# Usage: tests/valgrind.sh VTOPOCHECK_BINARY
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:?usage: tests/valgrind.sh VTOPOCHECK_BINARY}
command -v valgrind >/dev/null || { echo "valgrind.sh: valgrind not installed; skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# --fair-sched: the ping-pong threads spin on each other; valgrind runs one
# thread at a time and would otherwise starve the partner for a timeslice.
vg="valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect
	--errors-for-leak-kinds=definite,indirect --track-origins=yes --fair-sched=yes"
fails=0

# Valgrind must be able to run the binary at all: 3.19 cannot read the
# DWARF 5 debug info of clang 14, and would exit 1, which reads as a verdict.
rc=0
$vg "$bin" --version >"$tmp/out" 2>"$tmp/err" || rc=$?
if [ "$rc" -ne 0 ] || ! grep -q vtopocheck "$tmp/out"; then
	tail -n 20 "$tmp/err"
	echo "valgrind.sh: $bin --version failed under valgrind (exit $rc); if valgrind" \
		"could not read the binary, use a gcc build (valgrind 3.19 cannot read" \
		"clang 14's DWARF 5)"
	exit 1
fi

# run EXPECTED_MAX ARGS...: exit statuses up to EXPECTED_MAX are verdicts.
run() {
	max=$1; shift
	rc=0
	$vg "$bin" "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
	if [ "$rc" -le "$max" ] && ! grep -q '^==[0-9]*== Valgrind:' "$tmp/err"; then
		echo "valgrind.sh: vtopocheck $*: clean (exit $rc)"
	else
		cat "$tmp/err" | tail -n 60
		echo "valgrind.sh: vtopocheck $*: FAILED (exit $rc)"
		fails=$((fails + 1))
	fi
}

run 3 -q --budget 4 --json "$tmp/live.json"
run 3 --advertised
run 3 --advertised --json "$tmp/advertised.json"
run 3 --analyze "$tmp/live.json"
run 3 --analyze "$tmp/live.json" --json - --matrix
run 3 --analyze "$top/tests/data/report-example.json"
run 3 --advertised --sysroot "$top/tests/data/sysfs-offline-cpu"
run 3 --advertised --cpuid-dump "$top/tests/data/cpuid-legacy-ht" \
	--sysroot "$top/tests/data/sysfs-old-kernel"
# Bad input: one clear line and exit 3 (or 64-style usage errors below 99).
run 98 --analyze "$tmp/advertised.json"
run 98 --analyze "$tmp/nonexistent.json"
run 98 --advertised --sysroot "$top/tests/data/sysfs-online-garbage"
run 98 --advertised --cpuid-dump "$top/tests/data/cpuid-bad-line"
run 98 --cpus 5000-6000
[ "$fails" -eq 0 ] || { echo "valgrind.sh: $fails run(s) not clean"; exit 1; }
echo "valgrind.sh: all runs clean"
