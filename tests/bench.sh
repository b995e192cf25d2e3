#!/bin/sh
# bench.sh - probe benchmark (not a test): per-pair cost, total probe time on
# this machine, schedule size and projected time for 16/64/256 vCPUs, and the
# run-to-run spread of the A<->B median next to c2clat's (built in a scratch
# directory from ../shared/anchors, never vendored).
# Usage: tests/bench.sh [path/to/vtc-bench]     (make bench does this)
# Env:   RUNS (default 10), PAIR (default: the first two allowed CPUs "A B"),
#        C2CLAT_SRC (default: <srcdir>/../shared/anchors/c2clat.cpp)
set -eu

srcdir=$(cd "$(dirname "$0")/.." && pwd)
bench=${1:-./probes/vtc-bench}
runs=${RUNS:-10}
c2c_src=${C2CLAT_SRC:-$srcdir/../shared/anchors/c2clat.cpp}
scratch=$(mktemp -d /tmp/vtc-bench.XXXXXX)
trap 'rm -rf "$scratch"' EXIT INT TERM

[ -x "$bench" ] || { echo "bench.sh: $bench not built (run: make bench)" >&2; exit 1; }
if [ -z "${PAIR:-}" ]; then
	allowed=$(awk '/^Cpus_allowed_list/ {print $2}' /proc/self/status)
	PAIR=$(echo "$allowed" | tr ',' '\n' | awk -F- '{ for (c = $1; c <= ($2 == "" ? $1 : $2); c++) print c }' | head -2 | tr '\n' ' ')
fi
set -- $PAIR
[ $# -eq 2 ] || { echo "bench.sh: need two allowed CPUs (got '$PAIR')" >&2; exit 77; }
a=$1 b=$2

have_c2c=no
if [ -f "$c2c_src" ] && command -v g++ >/dev/null 2>&1 &&
   g++ -O3 -pthread -o "$scratch/c2clat" "$c2c_src" 2>"$scratch/c2c.err"; then
	have_c2c=yes
fi

now_ms() { date +%s%N | awk '{ printf "%.3f", $1 / 1e6 }'; }

# Interleave the two tools so both see the same host conditions.
i=0
while [ "$i" -lt "$runs" ]; do
	"$bench" pair "$a" "$b" >>"$scratch/vtc.txt"
	# Ablation: the same pass on one cache line (the pool's reason to be).
	VTC_BENCH_LINES=1 "$bench" pair "$a" "$b" >>"$scratch/vtc1.txt"
	# What --matrix shows: the median over passes (CSV keeps decimals).
	"$bench" csv "$a,$b" 2>/dev/null | awk -F, 'NR == 2 { print $1 }' >>"$scratch/cell.txt"
	if [ $have_c2c = yes ]; then
		t0=$(now_ms)
		taskset -c "$a,$b" "$scratch/c2clat" | awk 'NR == 2 { print $3 }' >>"$scratch/c2c.txt"
		t1=$(now_ms)
		echo "$t0 $t1" | awk '{ print $2 - $1 }' >>"$scratch/c2c_ms.txt"
	fi
	i=$((i + 1))
done

# spread = (max - min) / median, in percent; also the median itself.
spread() {
	sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "n/a"; exit }
		if (NR % 2) m = v[(NR + 1) / 2]; else m = (v[NR / 2] + v[NR / 2 + 1]) / 2
		s = (m > 0) ? 100 * (v[NR] - v[1]) / m : 0
		printf "median %.1f ns, min %.1f, max %.1f, spread %.1f%% (n=%d)", m, v[1], v[NR], s, NR }'
}

pair_ms=$(awk '{ s += $5; n++ } END { printf "%.2f", s / n }' "$scratch/vtc.txt")
stalled=$(awk '$6 == "stalled" { n++ } END { print n + 0 }' "$scratch/vtc.txt")

"$bench" matrix "$a,$b" >"$scratch/m.txt" 2>"$scratch/m.err"
"$bench" cont "$a,$b" >/dev/null 2>"$scratch/c.err"
lat_s=$(awk '/^cpus/ { for (i = 1; i < NF; i++) if ($i == "duration_s") print $(i + 1) }' "$scratch/m.err")
all_s=$(awk '/^cpus/ { for (i = 1; i < NF; i++) if ($i == "duration_s") print $(i + 1) }' "$scratch/c.err")

echo "== vtopocheck probe benchmark: CPUs $a,$b, $runs runs =="
awk '/^cpus/ { print "timer: " $(NF - 2) " " $(NF - 1) " " $NF }' "$scratch/m.err"
echo "per-pair cost (one pass, default parameters): $pair_ms ms wall incl. thread start; stalled runs: $stalled"
echo "total probe time here: latency ${lat_s}s, with contention ${all_s}s"
echo "matrix:"
cat "$scratch/m.txt"
echo
echo "run-to-run one-way latency $a<->$b over $runs runs:"
printf '  vtopocheck matrix cell (median over 2 passes): '
grep -v inf "$scratch/cell.txt" | grep . | spread
echo
printf '  vtopocheck one pass (median of samples):      '
awk '$6 == "ok" { print $1 }' "$scratch/vtc.txt" | spread
echo
printf '  the same pass on one cache line (ablation):   '
awk '$6 == "ok" { print $1 }' "$scratch/vtc1.txt" | spread
echo
if [ $have_c2c = yes ]; then
	# Side by side per run: a jump in both columns is the host moving the
	# vCPUs (both tools see it), not measurement noise.
	printf '  per run (vtopocheck cell / c2clat):'
	paste -d/ "$scratch/cell.txt" "$scratch/c2c.txt" | tr '\n' ' '
	echo
	printf '  c2clat (min of 1000 samples of 100 round trips): '
	spread <"$scratch/c2c.txt"
	echo
	awk '{ s += $1; n++ } END { printf "  c2clat wall time per run (2 CPUs): %.1f ms\n", s / n }' "$scratch/c2c_ms.txt"
else
	echo "  c2clat: not built ($c2c_src, g++)"
fi
echo
# Projection: the real scheduler on a modelled SMT guest of each size
# (vtc-bench plan: backend calls counted, nothing probed). A latency call
# costs about one pair (its pairs run concurrently); a contention call as
# measured here, (with contention - latency) / 12 calls for 2 CPUs (6 solo +
# 6 co-run calls, 2 threads each), plus starting its other threads, taken as
# 40 us each (a guess, SCHED_CONT_THREAD_EST_S: this 2-vCPU guest cannot
# time a 256-thread start). Serial: the one-at-a-time contention path.
echo "projection (2 passes, one full look, no window):"
printf '  %5s %7s %7s %12s %14s %10s %17s\n' vCPUs pairs rounds latency_s contention_s total_s "serial cont_s"
for n in 16 64 256; do
	plan=$("$bench" plan "$n")
	splan=$(VTC_BENCH_SERIAL=1 "$bench" plan "$n")
	echo "$n $lat_s $all_s $pair_ms $plan $splan" | awk '{
		n = $1; cont_call = ($3 - $2) / 12; if (cont_call < 0) cont_call = 0
		lat_calls = $8; thr_calls = $10; threads = $12; ser_calls = $18
		lat = lat_calls * $4 / 1000
		cont = thr_calls * (cont_call + (threads - 2) * 40e-6)
		printf "  %5d %7d %7d %12.2f %14.2f %10.2f %17.2f\n", n, n * (n - 1) / 2,
			lat_calls / 2, lat, cont, lat + cont, ser_calls * cont_call
	}'
done
echo "  (the default budget_s of 10 s caps a run; past it the run keeps partial data;"
echo "   a serial latency phase would take pairs/rounds times its latency_s)"
