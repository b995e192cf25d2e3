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
    notes = re.findall(r"\.\./shared\S*|development VM|this (?:2-vCPU )?VM|device was lent|corpus", readme)
    check(not notes, f"README.md holds no development notes ({notes})")


test_readme_for_users()


def doc_row(field):
    """The text of docs/report.md's table row for `field`."""
    m = re.search(r"^\| `" + re.escape(field) + r"(?:\[\])?`[^\n]*", DOC, re.M)
    return m.group(0) if m else ""


def test_doc_matches_output():
    """What docs/report.md says of particular values is what reports hold."""
    live = json.loads(subprocess.run([BIN, "--advertised", "--json", "-"], capture_output=True,
                                     text=True, timeout=60).stdout)
    for name, doc in (("live --advertised report", live), ("re-judged example", again)):
        empty = [k for k, v in doc["platform"].items() if v == ""]
        check(not empty, f"{name}: platform strings the machine lacks are null, not \"\" ({empty})")
    # watch_samples: [] without a window, as documented.
    m = again["measurements"]
    check(m["watch_samples"] == [] and m["watch"]["from_s"] == m["watch"]["to_s"] == 0,
          "a report without a window has watch_samples [] and a zero-length window")
    check("`[]` when the run did not watch" in doc_row("watch_samples"),
          "docs/report.md: watch_samples is [] without a window")
    # far_pair: 1.0, assumed, where no pair can be told apart from siblings.
    inf = again["inferred"]
    if len(inf["tiers"]) == 1 and inf["have_contention"]:
        check(inf["contention_controls"]["far_pair"] == 1.0,
              f"one tier: far_pair is the assumed 1.0 ({inf['contention_controls']})")
        row = doc_row("contention_controls")
        check("`1.0`" in row and "assumed" in row and "2 vCPUs" in row,
              "docs/report.md: far_pair is 1.0, assumed, with one tier (2 vCPUs)")


def test_version_history():
    """The version history agrees with the version and the git history."""
    version = re.search(r"AC_INIT\(\[vtopocheck\], \[([^]]+)\]",
                        open(os.path.join(SRCDIR, "configure.ac")).read()).group(1)
    check(not re.search(r"(?:[Rr]eports of|written by) vtopocheck " + re.escape(version), DOC),
          f"docs/report.md names no earlier report by the current version {version}")
    check(f'"version": "{version}"' in DOC, f"the version history names the version {version}")
    rows = re.findall(r"^\| (\d{4}-\d\d-\d\d) \|([^\n]*)", DOC, re.M)
    check(len(rows) >= 5 and [r[0] for r in rows] == sorted(r[0] for r in rows),
          f"the version history has dated rows in order ({len(rows)})")
    p = subprocess.run(["git", "-C", SRCDIR, "rev-parse", "--is-shallow-repository"],
                       capture_output=True, text=True)
    if p.returncode != 0 or p.stdout.strip() != "false" or not os.path.exists(
            os.path.join(SRCDIR, ".git")):
        print("skip version history against git (not a full git checkout)")
        return
    for date, text in rows:
        for commit in re.findall(r"`([0-9a-f]{7,40})`", text):
            p = subprocess.run(["git", "-C", SRCDIR, "log", "-1", "--format=%ad", "--date=short",
                                commit], capture_output=True, text=True)
            check(p.returncode == 0 and p.stdout.strip() == date,
                  f"version history: {commit} is a commit of {date} ({p.stdout.strip() or p.stderr.strip()})")


test_doc_matches_output()
test_version_history()
sys.exit(1 if failures else 0)
