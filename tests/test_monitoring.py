#!/usr/bin/env python3
# test_monitoring.py - the fleet integration in contrib/ works with what the
# program writes: the alert rules pass their promtool unit tests
# (promtool from Debian's prometheus package; skipped without it), and every
# metric the rules and the Grafana dashboard query is one vtopocheck
# --prometheus really writes.
# SPDX-License-Identifier: GPL-2.0-or-later
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

BIN = os.environ.get("VTC_BIN", "./vtopocheck")
SRCDIR = os.environ.get("VTC_SRCDIR", ".")
CONTRIB = os.path.join(SRCDIR, "contrib")
RULES = os.path.join(CONTRIB, "prometheus", "vtopocheck.rules.yml")
RULES_TEST = os.path.join(CONTRIB, "prometheus", "vtopocheck.rules.test.yml")
DASHBOARD = os.path.join(CONTRIB, "grafana", "vtopocheck.json")
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def exported_metrics():
    with tempfile.TemporaryDirectory() as tmp:
        prom = os.path.join(tmp, "v.prom")
        report = os.path.join(SRCDIR, "tests", "data", "report-example.json")
        subprocess.run([BIN, "--analyze", report, "--prometheus", prom, "-q"],
                       capture_output=True, timeout=60)
        text = open(prom).read()
    return set(re.findall(r"^# TYPE (\S+) ", text, re.M))


def queried_metrics(text):
    return set(re.findall(r"\b(vtopocheck_[a-z_]+)\b", text))


def main():
    metrics = exported_metrics()
    check("vtopocheck_verdict" in metrics, f"--prometheus writes the metrics ({len(metrics)})")
    rules = open(RULES).read()
    unknown = queried_metrics(rules) - metrics
    check(not unknown, f"alert rules query only exported metrics (unknown {sorted(unknown)})")
    dash = json.load(open(DASHBOARD))
    exprs = [t["expr"] for p in dash["panels"] for t in p.get("targets", [])]
    exprs += [v.get("query", "") for v in dash["templating"]["list"]]
    unknown = queried_metrics(" ".join(exprs)) - metrics
    check(exprs and not unknown,
          f"Grafana dashboard queries only exported metrics (unknown {sorted(unknown)})")
    check(all(set(p["gridPos"]) == {"x", "y", "w", "h"} for p in dash["panels"]),
          "every dashboard panel has a grid position")
    promtool = shutil.which("promtool")
    if not promtool:
        print("skip promtool check/test rules (promtool not installed: apt install prometheus)")
    else:
        p = subprocess.run([promtool, "check", "rules", RULES], capture_output=True, text=True)
        check(p.returncode == 0, f"promtool check rules ({p.stdout.strip()} {p.stderr.strip()})")
        # promtool resolves rule_files relative to the test file's directory
        p = subprocess.run([promtool, "test", "rules", os.path.basename(RULES_TEST)],
                           capture_output=True, text=True, cwd=os.path.dirname(RULES_TEST))
        check(p.returncode == 0, "promtool test rules: the alert rules' unit tests pass"
              + ("" if p.returncode == 0 else f"\n{p.stdout}{p.stderr}"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
