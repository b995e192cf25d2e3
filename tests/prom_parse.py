#!/usr/bin/env python3
"""prom_parse.py FILE - parse a Prometheus text-format file with the
reference Python client's parser and print one line per sample:
    name<TAB>labels as sorted JSON<TAB>value (repr)
Beyond what the parser enforces, check what node_exporter's textfile
collector and Prometheus need: every family has HELP and TYPE, no label
set repeats, names and label names are legal. Exit 0 ok, 1 invalid,
77 when prometheus_client is not installed."""
import json
import re
import sys

try:
    from prometheus_client.parser import text_string_to_metric_families
except ImportError:
    sys.exit(77)

NAME = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")
LABEL = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")


def fail(msg):
    print("prom_parse: " + msg, file=sys.stderr)
    sys.exit(1)


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        text = f.read()
    if not text.endswith("\n"):
        fail("no final newline")
    helps = set(re.findall(r"^# HELP (\S+) ", text, re.M))
    types = set(re.findall(r"^# TYPE (\S+) ", text, re.M))
    seen = set()
    try:
        families = list(text_string_to_metric_families(text))
    except Exception as e:  # the parser raises ValueError and others
        fail("parser rejected the file: %r" % e)
    for fam in families:
        if fam.name not in helps or fam.name not in types:
            fail("family %s lacks HELP or TYPE" % fam.name)
        for s in fam.samples:
            if not NAME.match(s.name):
                fail("bad metric name %r" % s.name)
            for k in s.labels:
                if not LABEL.match(k) or k.startswith("__"):
                    fail("bad label name %r" % k)
            if s.timestamp is not None:
                fail("%s has a timestamp (textfile collector rejects it)" % s.name)
            key = (s.name, tuple(sorted(s.labels.items())))
            if key in seen:
                fail("duplicate sample %r" % (key,))
            seen.add(key)
            print("%s\t%s\t%r" % (s.name, json.dumps(s.labels, sort_keys=True), s.value))


main()
