#!/usr/bin/env python3
# test_report_doc.py - the documented JSON schema, its example, and a live
# report agree: every field name that appears in a report is documented in
# docs/report.md, and the example re-judges to its stored verdict.
# SPDX-License-Identifier: GPL-2.0-or-later
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import schema_check  # noqa: E402

BIN = os.environ.get("VTC_BIN", "./vtopocheck")
SRCDIR = os.environ.get("VTC_SRCDIR", ".")
DOC = open(os.path.join(SRCDIR, "docs", "report.md")).read()
DOCUMENTED = set(re.findall(r"`([a-z0-9_]+)(?:\[\])?`", DOC))
failures = []


def keys(o, out):
    if isinstance(o, dict):
        for k, v in o.items():
            # per-CPU maps are keyed by CPU number
            if not k.isdigit():
                out.add(k)
            keys(v, out)
    elif isinstance(o, list):
        for v in o:
            keys(v, out)
    return out


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def check_documented(doc, name):
    missing = sorted(keys(doc, set()) - DOCUMENTED)
    check(not missing, f"{name}: every field is documented in docs/report.md (missing {missing})")
    err = schema_check.validate(doc)
    if err is None:
        print(f"skip {name}: schema validation (python3-jsonschema not installed)")
    else:
        check(err == "", f"{name}: valid against docs/report.schema.json ({err})")


example_path = os.path.join(SRCDIR, "tests", "data", "report-example.json")
example = json.load(open(example_path))
check(example["schema"] == "vtopocheck.report/1", "example has the current schema")
check_documented(example, "example")
p = subprocess.run([BIN, "--analyze", example_path, "--json", "-"], capture_output=True,
                   text=True, timeout=60)
again = json.loads(p.stdout)
check(p.returncode == example["verdict"]["exit_code"]
      and again["verdict"]["status"] == example["verdict"]["status"],
      f"example re-judges to its stored verdict {example['verdict']['status']} (got {p.returncode})")
check(sorted(f["kind"] for f in again["findings"]) == sorted(f["kind"] for f in example["findings"]),
      "example re-judges to its stored findings")
check_documented(again, "re-judged example")

p = subprocess.run([BIN, "--advertised", "--json", "-"], capture_output=True, text=True, timeout=60)
check_documented(json.loads(p.stdout), "live --advertised report")


def perf_labels(line):
    return [w.split("=")[0] for w in line.split("|", 1)[1].split()]


def test_plugin_line_docs():
    """The -q examples of README.md are what the tool prints: the
    performance data's labels (tiers by letter, as everywhere else), and
    the UNKNOWN line word for word; the man page names the labels."""
    readme = open(os.path.join(SRCDIR, "README.md")).read()
    shown = re.findall(r"^    \$ vtopocheck (-q[^\n]*)\n    ([^\n]*)$", readme, re.M)
    check(len(shown) == 2, f"README shows two -q examples ({len(shown)})")
    p = subprocess.run([BIN, "--analyze", example_path, "-q"], capture_output=True,
                       text=True, timeout=60)
    labels = perf_labels(p.stdout)
    check("tier_a_latency" in labels and not any(re.match(r"tier\d", w) for w in labels),
          f"-q: tiers by letter, tier_a_latency the fastest ({labels})")
    for args, line in shown:
        if line.startswith("OK"):
            check(perf_labels(line) == labels,
                  f"README's -q example has the labels the tool prints ({perf_labels(line)})")
            check(line.startswith(p.stdout.split(" |")[0]),
                  f"README's -q example starts as the tool's OK line ({p.stdout.split(' |')[0]!r})")
        else:
            argv = args.replace(" 2>/dev/null", "").split()
            q = subprocess.run([BIN] + argv, capture_output=True, text=True, timeout=60)
            check(q.stdout.strip() == line,
                  f"README's '{args}' example is what the tool prints ({q.stdout.strip()!r})")
    man = open(os.path.join(SRCDIR, "vtopocheck.1")).read().replace("\\fI", "").replace("\\fR", "")
    check("tier_a_latency" in man and "tier_X_latency" in man,
          "the man page names the tier labels tier_X_latency, tier_a_latency")


test_plugin_line_docs()


def test_readme_for_users():
    """README.md is for the user: development notes (the corpus beside the
    checkout, which machines were available, the development VM's
    figures) live in tests/README.md and probes/README.md."""
    readme = open(os.path.join(SRCDIR, "README.md")).read()
    notes = re.findall(r"\.\./shared\S*|development VM|this (?:2-vCPU )?VM|device was lent", readme)
    check(not notes, f"README.md holds no development notes ({notes})")


test_readme_for_users()
sys.exit(1 if failures else 0)
