# schema_check.py - validate reports against docs/report.schema.json
# (JSON Schema draft 2020-12) with python3-jsonschema; shared by the tests
# that write reports. Without the module, validate() returns None and the
# callers say the check was skipped.
# SPDX-License-Identifier: GPL-2.0-or-later
import json
import os

SRCDIR = os.environ.get("VTC_SRCDIR", ".")
SCHEMA_PATH = os.path.join(SRCDIR, "docs", "report.schema.json")

try:
    import jsonschema
    _SCHEMA = json.load(open(SCHEMA_PATH))
    jsonschema.Draft202012Validator.check_schema(_SCHEMA)
    _VALIDATOR = jsonschema.Draft202012Validator(_SCHEMA)
except ImportError:
    _VALIDATOR = None


def available():
    return _VALIDATOR is not None


def validate(doc):
    """'' when @doc is a valid vtopocheck.report/1, else the first errors
    (path: message); None when python3-jsonschema is not installed."""
    if _VALIDATOR is None:
        return None
    errors = sorted(_VALIDATOR.iter_errors(doc), key=lambda e: list(e.absolute_path))
    return "; ".join(f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
                     for e in errors[:3])
