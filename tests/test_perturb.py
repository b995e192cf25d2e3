#!/usr/bin/env python3
# test_perturb.py - the judge on noisy copies of the real bare-metal matrices
# (../shared/corpus/real-matrices): every case of expected.tsv is perturbed
# the ways a busy VM perturbs a run, with this file's own seeds, and judged
# with --analyze --matrix against its honest or lying sysroot.
#
# Families (each a model of something a guest really sees):
#   pair     one random pair reads slower (a hiccup during its measurement)
#   row      one CPU's whole row reads slower (a vCPU busy with interrupts or
#            another task is slow to every partner)
#   jitter   lognormal jitter on every pair (run-to-run spread)
#   busy     row + jitter + pair together (a busy guest)
# and, not gated (never wrong), stronger settings, a busy core (both threads'
# rows), a fixed cost added to every pair, and hiccups on 1% of the pairs.
# Right: the verdict class expected.tsv names; wrong: another class that is
# not UNKNOWN (a cried wolf or a lie gone quiet); UNKNOWN: exit 3.
# Gate: in the families at the settings, >= 95% right and 0 wrong;
# the stronger settings are printed, and must never be wrong.
# Skips (77) without the corpus.
# SPDX-License-Identifier: GPL-2.0-or-later
import concurrent.futures
import math
import os
import random
import subprocess
import sys
import tarfile

# the corpus's cases and verdict classes, as test_real_matrices reads them
from test_real_matrices import WANT, rows as cases, scratch

BIN = os.environ.get("VTC_BIN", "./vtopocheck")
CORPUS = os.environ.get("VTC_CORPUS", "")
ROOT = os.path.join(CORPUS, "real-matrices")
TSV = os.path.join(ROOT, "expected.tsv")
# VTC_PERTURB_SEEDS="1 2 3 ..." explores other seeds (the gate keeps its own).
SEEDS = tuple(int(v) for v in os.environ.get("VTC_PERTURB_SEEDS", "11 23").split())


def read_matrix(path):
    """Lower-triangle CSV -> full symmetric list of lists (0 on the diagonal)."""
    rows = []
    with open(path) as f:
        for line in f:
            cells = line.rstrip("\n").split(",")
            rows.append([float(c) if c else None for c in cells])
    n = len(rows)
    m = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i):
            v = rows[i][j] if rows[i][j] is not None else rows[j][i]
            m[i][j] = m[j][i] = v
    return m


def write_matrix(m, path):
    n = len(m)
    with open(path, "w") as f:
        for i in range(n):
            f.write(",".join(f"{m[i][j]:.6f}" if j < i else "" for j in range(n)) + "\n")


def nearest(m, c):
    return min((j for j in range(len(m)) if j != c), key=lambda j: m[c][j])


def perturb(m, rng, pair=0.0, row=0.0, rows=1, jitter=0.0, core=0.0, add=0.0, pairs=0.0):
    """pair: one pair that much slower; row/rows: that many CPUs' rows that
    much slower; jitter: lognormal sigma on every pair; core: a CPU and its
    nearest partner (both threads of a core) that much slower; add: uniform
    0..add ns added to every pair (a fixed cost of the timer); pairs: 1% of
    the pairs that much slower."""
    n = len(m)
    out = [r[:] for r in m]
    if add:
        for i in range(n):
            for j in range(i):
                out[i][j] = out[j][i] = out[i][j] + rng.uniform(0, add)
    if pairs:
        for i in range(n):
            for j in range(i):
                if rng.random() < 0.01:
                    out[i][j] = out[j][i] = out[i][j] * pairs
    if core:
        c = rng.randrange(n)
        for x in (c, nearest(m, c)):
            for j in range(n):
                if j != x:
                    out[x][j] *= core
                    out[j][x] = out[x][j]
    if jitter:
        for i in range(n):
            for j in range(i):
                out[i][j] = out[j][i] = out[i][j] * math.exp(rng.gauss(0, jitter))
    if row:
        for c in rng.sample(range(n), rows):
            for j in range(n):
                if j != c:
                    out[c][j] *= row
                    out[j][c] = out[c][j]
    if pair:
        i, j = rng.sample(range(n), 2)
        out[i][j] *= pair
        out[j][i] = out[i][j]
    return out


# (family, setting label, gated, perturb() arguments)
FAMILIES = [
    ("pair", "one pair 2x", True, dict(pair=2.0)),
    ("row", "one row 1.5x", True, dict(row=1.5)),
    ("jitter", "5% jitter", True, dict(jitter=0.05)),
    ("busy", "row 1.5x + 5% jitter + pair 2x", True, dict(row=1.5, jitter=0.05, pair=2.0)),
    ("pair", "one pair 4x", False, dict(pair=4.0)),
    ("row", "one row 2x", False, dict(row=2.0)),
    ("row", "two rows 1.5x", False, dict(row=1.5, rows=2)),
    ("jitter", "10% jitter", False, dict(jitter=0.10)),
    ("busy", "row 2x + 10% jitter + pair 3x", False, dict(row=2.0, jitter=0.10, pair=3.0)),
    ("busy", "two rows 1.5x + 10% jitter", False, dict(row=1.5, rows=2, jitter=0.10)),
    ("row", "a busy core: both threads' rows 1.5x", False, dict(core=1.5)),
    ("jitter", "0-5 ns added to every pair", False, dict(add=5.0)),
    ("pair", "1% of the pairs 3x", False, dict(pairs=3.0)),
]
if os.environ.get("VTC_PERTURB_EXTREME"):
    FAMILIES += [
        ("pair", "one pair 8x", False, dict(pair=8.0)),
        ("row", "one row 3x", False, dict(row=3.0)),
        ("row", "four rows 1.5x", False, dict(row=1.5, rows=4)),
        ("jitter", "15% jitter", False, dict(jitter=0.15)),
        ("jitter", "20% jitter", False, dict(jitter=0.20)),
    ]


def judge(matrix_path, sysroot):
    p = subprocess.run([BIN, "--analyze", "--matrix", matrix_path, "--sysroot", sysroot, "-q"],
                       capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout.strip()


def run_family(tmp, matrices, label, args, pool):
    """Judge every case of every seed perturbed by @args, in parallel (the
    judge is not timed: nothing here measures the machine). Returns the
    counts (right, wrong, unknown)."""
    jobs = []
    for seed in SEEDS:
        for k, (matrix, sysroot, expect, case) in enumerate(cases()):
            rng = random.Random(seed * 1000 + k)
            path = os.path.join(tmp, f"m{seed}-{k}.csv")
            write_matrix(perturb(matrices[matrix], rng, **args), path)
            jobs.append((seed, expect, case, pool.submit(judge, path, os.path.join(tmp, sysroot))))
    right = wrong = unknown = 0
    for seed, expect, case, job in jobs:
        rc, line = job.result()
        if rc in WANT[expect]:
            right += 1
        elif rc == 3:
            unknown += 1
            print(f"  UNKNOWN [{label}, seed {seed}] {case}: {line[:200]}")
        else:
            wrong += 1
            print(f"  WRONG [{label}, seed {seed}] {case} ({expect}): {line[:200]}")
    return right, wrong, unknown


def main():
    if not CORPUS or not os.path.exists(TSV):
        print("SKIP: no corpus (configure --with-corpus=DIR)")
        return 77
    # A sanitizer build checks memory, not accuracy: the gated families
    # exercise every correction, at a third of the cost.
    families = [f for f in FAMILIES if f[2] or not os.environ.get("VTC_SANITIZED")]
    failures, table = [], []
    with scratch() as tmp, \
            concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        with tarfile.open(os.path.join(ROOT, "sysroots.tar.gz")) as t:
            t.extractall(tmp)
        matrices = {}
        for matrix, _, _, _ in cases():
            if matrix not in matrices:
                matrices[matrix] = read_matrix(os.path.join(ROOT, matrix))
        for fam, label, gated, args in families:
            right, wrong, unknown = run_family(tmp, matrices, label, args, pool)
            total = right + wrong + unknown
            table.append(f"| {fam} | {label} | {right}/{total} | {wrong} | {unknown} |"
                         f"{' gated' if gated else ''}")
            if wrong:
                failures.append(f"{label}: {wrong} wrong")
            if gated and right < 0.95 * total:
                failures.append(f"{label}: {right}/{total} right, want >= 95%")
    print("| family | perturbation | right | wrong | UNKNOWN |")
    print("|---|---|---|---|---|")
    print("\n".join(table))
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
