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
check(example["schema"] == "vtopocheck.report/2", "example has the current schema")
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

# The same run as schema 1 wrote it (the example before pairs were written
# positionally): --analyze reads it to the same verdict and pair values.
v1_path = os.path.join(SRCDIR, "tests", "data", "report-v1.json")
v1 = json.load(open(v1_path))
p = subprocess.run([BIN, "--analyze", v1_path, "--json", "-"], capture_output=True, text=True,
                   timeout=60)
from_v1 = json.loads(p.stdout)
check(v1["schema"] == "vtopocheck.report/1" and from_v1["schema"] == "vtopocheck.report/2"
      and from_v1["verdict"] == again["verdict"]
      and from_v1["measurements"]["pairs"] == again["measurements"]["pairs"],
      "a schema 1 report is read to the same verdict and pairs as its schema 2 rewrite")
check(all(isinstance(pr, list) and len(pr) == 2 + again["measurements"]["n_passes"]
          for pr in again["measurements"]["pairs"]),
      "schema 2 writes each pair as [a, b, pass...]")

p = subprocess.run([BIN, "--advertised", "--json", "-"], capture_output=True, text=True, timeout=60)
check_documented(json.loads(p.stdout), "live --advertised report")
sys.exit(1 if failures else 0)
