#!/usr/bin/env python3
# test_real_matrices.py - every row of ../shared/corpus/real-matrices/
# expected.tsv: a bare-metal core-to-core-latency matrix judged against an
# honest or a lying recorded sysfs must get its verdict class (ok: exit 0,
# critical: exit 2, flagged: exit 1 or 2). Also checks what every finding
# must be consistent with: a fix that changes something and evidence that
# never prints a missing value. Skips (77) without the corpus.
# SPDX-License-Identifier: GPL-2.0-or-later
import json
import os
import subprocess
import sys
import tarfile
import tempfile

BIN = os.environ.get("VTC_BIN", "./vtopocheck")
CORPUS = os.environ.get("VTC_CORPUS", "")
ROOT = os.path.join(CORPUS, "real-matrices")
TSV = os.path.join(ROOT, "expected.tsv")
WANT = {"ok": {0}, "critical": {2}, "flagged": {1, 2}}


def scratch():
    """A scratch directory for the unpacked sysroots (69,000 small files):
    on tmpfs when there is one, where unpacking takes 0.5 s instead of 20 s
    on a VM's disk."""
    shm = "/dev/shm"
    if os.path.isdir(shm) and os.access(shm, os.W_OK):
        return tempfile.TemporaryDirectory(dir=shm)
    return tempfile.TemporaryDirectory()


def rows():
    with open(TSV) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            matrix, sysroot, expect, case = line.rstrip("\n").split("\t")
            yield matrix, sysroot, expect, case


def consistency(case, report):
    bad = []
    for f in report["findings"]:
        text = " ".join(str(f.get(k) or "") for k in ("evidence", "cost", "fix"))
        for word in ("nan", "-1 ns", "inf ns"):
            if word in text.split(" ") or f" {word}" in text:
                bad.append(f"{case}: {f['kind']} prints '{word}': {text[:160]}")
        if not f.get("fix"):
            bad.append(f"{case}: {f['kind']} has no fix")
    return bad


def main():
    if not CORPUS or not os.path.exists(TSV):
        print("SKIP: no corpus (configure --with-corpus=DIR)")
        return 77
    failures, table = [], []
    with scratch() as tmp:
        with tarfile.open(os.path.join(ROOT, "sysroots.tar.gz")) as t:
            t.extractall(tmp)
        for matrix, sysroot, expect, case in rows():
            cmd = [BIN, "--analyze", "--matrix", os.path.join(ROOT, matrix),
                   "--sysroot", os.path.join(tmp, sysroot), "--json", "-", "-q"]
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
            ok = p.returncode in WANT[expect]
            verdict = ""
            try:
                report = json.loads(p.stdout[p.stdout.index("{"):])
                verdict = report["verdict"]["reason"]
                kinds = sorted({f["kind"] for f in report["findings"]})
                failures += consistency(case, report)
            except (ValueError, KeyError) as e:
                kinds = [f"(no report: {e})"]
                ok = False
            table.append(f"{'PASS' if ok else 'FAIL'} {p.returncode} {expect:8} {case}: "
                         f"{','.join(kinds) or '-'}")
            if not ok:
                failures.append(f"{case}: exit {p.returncode}, want {expect}: {verdict}")
    print("\n".join(table))
    print(f"{len(table) - sum(1 for t in table if t.startswith('FAIL'))}/{len(table)} cases "
          "get their verdict class")
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
