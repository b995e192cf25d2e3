#!/bin/sh
# Replay every fuzz seed (fuzz/corpus/<target>) and regression input
# (fuzz/regress/<target>) once through its target, built without libFuzzer
# as fuzz/replay_<target> (fuzz/replay.c). Part of "make check": crashes
# found by fuzzing stay fixed in every build, sanitizers included.
top=${VTC_SRCDIR:?VTC_SRCDIR not set (run through make check)}
status=0
for t in $(cd "$top/fuzz" && ls fuzz_*.c | sed 's/^fuzz_//; s/\.c$//'); do
	dirs="$top/fuzz/corpus/fuzz_$t"
	[ -d "$top/fuzz/regress/fuzz_$t" ] && dirs="$dirs $top/fuzz/regress/fuzz_$t"
	printf 'fuzz_%s: ' "$t"
	./fuzz/replay_$t $dirs || status=1
done
exit $status
