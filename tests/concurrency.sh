#!/bin/sh
# concurrency.sh - experiment (not a test): does measuring disjoint pairs
# concurrently change what vtopocheck concludes, against --serial?
# Runs RUNS (default 10) interleaved pairs of runs, one default and one
# --serial, saving DIR/concN.json and DIR/serN.json, then summarises them
# with tests/concurrency.py (verdicts per mode, run time, and the per-pair
# concurrent/serial latency ratio by tier).
# Usage: tests/concurrency.sh DIR [path/to/vtopocheck]
set -u
dir=${1:?usage: tests/concurrency.sh DIR [vtopocheck]}
bin=${2:-./vtopocheck}
runs=${RUNS:-10}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$dir" || exit 1
i=1
while [ "$i" -le "$runs" ]; do
	"$bin" -q --json "$dir/conc$i.json" >/dev/null 2>&1
	"$bin" -q --serial --json "$dir/ser$i.json" >/dev/null 2>&1
	i=$((i + 1))
done
exec python3 "$here/concurrency.py" "$dir" "$bin"
