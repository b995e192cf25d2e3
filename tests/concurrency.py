#!/usr/bin/env python3
"""concurrency.py - compare concurrent and --serial runs of one machine.

Experiment for the probe schedule (not a test): run vtopocheck alternately
with and without --serial, saving JSON reports as DIR/concN.json and
DIR/serN.json (tests/concurrency.sh does that), then:

    tests/concurrency.py DIR [path/to/vtopocheck]

prints, per mode: the verdicts (re-judged with the given binary through
--analyze, so reports of older builds are judged by today's inference), the
run time, and the pair latencies. Then the per-pair ratio of the concurrent
to the serial median over all runs, by latency tier, which is what
concurrency does to a measurement on this machine.
"""
import glob
import json
import os
import re
import statistics
import subprocess
import sys


def passes(pair):
    """A report pair's passes as dicts: schema 2 writes [a, b, pass...], a
    pass null or [stalled, samples, stalls, median_ns, ...]; schema 1 named
    fields."""
    if isinstance(pair, dict):
        return pair["passes"]
    return [{"measured": True, "stalled": x[0], "median_ns": x[3]} if x else {"measured": False}
            for x in pair[2:]]


def pair_ab(pair):
    return (pair["a"], pair["b"]) if isinstance(pair, dict) else (pair[0], pair[1])


def cell(pair):
    """Median over measured, unstalled passes of each pass's median (ns)."""
    v = [p["median_ns"] for p in passes(pair)
         if p.get("measured") and not p.get("stalled") and p.get("median_ns")]
    return statistics.median(v) if v else None


def rejudge(binary, path):
    if not binary:
        return None
    out = subprocess.run([binary, "--analyze", path, "-q"], capture_output=True, text=True)
    line = (out.stdout.strip().splitlines() or [out.stderr.strip()])[0]
    return line


def kind_of(verdict):
    m = re.match(r"(OK|WARNING|CRITICAL|UNKNOWN)", verdict or "")
    word = m.group(1) if m else "?"
    m = re.search(r"\(([a-z-]+)\)", verdict or "")
    return word + (" " + m.group(1) if m else "")


def load(d, mode, binary):
    runs = []
    for path in sorted(glob.glob(os.path.join(d, mode + "*.json")),
                       key=lambda p: int(re.sub(r"\D", "", os.path.basename(p)) or 0)):
        j = json.load(open(path))
        m = j["measurements"]
        cells = {pair_ab(p): cell(p) for p in m["pairs"]}
        verdict = rejudge(binary, path) or j["verdict"]["reason"]
        runs.append({"name": os.path.basename(path), "cells": cells,
                     "duration": m["duration_s"], "verdict": verdict,
                     "serial": m["params"]["serial"]})
    return runs


def summary(mode, runs):
    print("== %s: %d runs ==" % (mode, len(runs)))
    kinds = {}
    for r in runs:
        k = kind_of(r["verdict"])
        kinds[k] = kinds.get(k, 0) + 1
    for k, n in sorted(kinds.items(), key=lambda x: -x[1]):
        print("  %2d  %s" % (n, k))
    d = [r["duration"] for r in runs]
    print("  probe time: median %.2f s (%.2f-%.2f)" % (statistics.median(d), min(d), max(d)))


def tiers(all_cells):
    """Split pairs into fast/slow by the largest log gap of their medians."""
    import math
    v = sorted(x for x in all_cells if x)
    if len(v) < 2:
        return None
    gaps = [(math.log(v[i + 1]) - math.log(v[i]), i) for i in range(len(v) - 1)]
    g, i = max(gaps)
    return (v[i] * v[i + 1]) ** 0.5 if g > math.log(1.5) else None


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    d, binary = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else None)
    conc, ser = load(d, "conc", binary), load(d, "ser", binary)
    if not conc or not ser:
        print("concurrency.py: need DIR/conc*.json and DIR/ser*.json", file=sys.stderr)
        return 2
    summary("concurrent", conc)
    summary("serial", ser)
    cut = tiers([c for r in conc + ser for c in r["cells"].values()])
    print("fast/slow cut: %s" % ("%.1f ns" % cut if cut else "none (one tier)"))
    for name, pick in (("slow", lambda x: cut is None or x >= cut), ("fast", lambda x: cut and x < cut)):
        cv = [c for r in conc for c in r["cells"].values() if c and pick(c)]
        sv = [c for r in ser for c in r["cells"].values() if c and pick(c)]
        if cv and sv:
            print("  %s pairs: concurrent median %.1f ns (n=%d), serial %.1f ns (n=%d), ratio %.3f"
                  % (name, statistics.median(cv), len(cv), statistics.median(sv), len(sv),
                     statistics.median(cv) / statistics.median(sv)))
    # Per pair: concurrent median over runs / serial median over runs (slow pairs).
    ratios = []
    for key in conc[0]["cells"]:
        cv = [r["cells"].get(key) for r in conc]
        sv = [r["cells"].get(key) for r in ser]
        cv = [x for x in cv if x and (cut is None or x >= cut)]
        sv = [x for x in sv if x and (cut is None or x >= cut)]
        if cv and sv:
            ratios.append(statistics.median(cv) / statistics.median(sv))
    if len(ratios) >= 2:
        q = statistics.quantiles(ratios, n=10)
        print("  per-pair concurrent/serial (slow tier, %d pairs): median %.3f, p10 %.3f, p90 %.3f"
              % (len(ratios), statistics.median(ratios), q[0], q[-1]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
