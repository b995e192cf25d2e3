#!/usr/bin/env python3
# test_install.py - what `make install` puts on a machine works from where it
# is installed:
#  - the systemd unit and the cloud-init script run the installed program
#    (the configured bindir, not the Debian package's /usr/bin), and
#    `systemd-analyze verify` accepts the installed unit;
#  - every path the installed man page, documents and examples name below
#    an installation directory exists in the installed tree;
#  - every link of the installed documents resolves (relative links, and
#    absolute paths, inside the installed tree; source-only files by URL);
#  - the man page names no source-tree path (docs/..., src/...);
#  - in the source tree, every relative link of a README or docs/ resolves.
# Usage: test_install.py [--root DIR]: with --root, check the tree installed
# in DIR (the Debian package unpacked, tests/test_build_deb.sh) instead.
# SPDX-License-Identifier: GPL-2.0-or-later
import gzip
import os
import re
import shutil
import subprocess
import sys
import tempfile

SRCDIR = os.environ.get("VTC_SRCDIR", ".")
BUILDDIR = os.path.dirname(os.path.abspath(os.environ.get("VTC_BIN", "./vtopocheck")))
failures = []
LINK = re.compile(r"\]\(([^)\s]+)\)")
# A path below an installation directory of vtopocheck's.
INSTALLED_PATH = re.compile(
    r"/[A-Za-z0-9_./-]*?/(?:bin/vtopocheck|share/doc/vtopocheck|share/vtopocheck|share/man/)"
    r"[A-Za-z0-9_./-]*")


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def link_target(target):
    """The file a markdown link names, or None for a URL or an anchor."""
    if re.match(r"^[a-z]+:", target) or target.startswith("#"):
        return None
    return target.split("#")[0]


def broken_links(path, root):
    """Links of the markdown file at path that do not resolve; absolute
    links are taken below root (the installed tree), relative ones from the
    file's directory."""
    bad = []
    for target in LINK.findall(read(path)):
        t = link_target(target)
        if t is None:
            continue
        full = root + t if t.startswith("/") else os.path.join(os.path.dirname(path), t)
        if not os.path.exists(full):
            bad.append(target)
    return bad


def test_source_links():
    docs = []
    for top, dirs, files in os.walk(SRCDIR):
        dirs[:] = [d for d in dirs if not d.startswith((".", "build", "autom4te"))
                   and d != "installed"]
        docs += [os.path.join(top, f) for f in files
                 if f.endswith(".md") and (f == "README.md" or top.endswith("docs"))]
    check(len(docs) >= 4, f"source tree: {len(docs)} documents found")
    for d in sorted(docs):
        bad = broken_links(d, "/nonexistent")
        check(not bad, f"source tree: {os.path.relpath(d, SRCDIR)}: every link resolves "
                       f"(broken: {bad})")


def install(dest):
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    p = subprocess.run(["make", "-C", BUILDDIR, "install", "DESTDIR=" + dest],
                       capture_output=True, text=True, env=env, timeout=300)
    check(p.returncode == 0, f"make install DESTDIR=... (rc {p.returncode}: {p.stderr[-500:]})")
    return p.returncode == 0


def read(path):
    """A text file, gzip-compressed ones (a Debian package's) uncompressed."""
    if path.endswith(".gz"):
        with gzip.open(path, "rt") as f:
            return f.read()
    return open(path).read()


def installed_files(dest):
    out = []
    for top, _, files in os.walk(dest):
        out += [os.path.join(top, f) for f in files]
    return out


def test_installed(dest):
    files = installed_files(dest)
    progs = [f for f in files if re.search(r"/bin/vtopocheck$", f)]
    check(len(progs) == 1, f"one program installed ({progs})")
    if len(progs) != 1:
        return
    program = progs[0][len(dest):]
    by_name = {os.path.relpath(f, dest): f for f in files}
    unit = [f for n, f in by_name.items() if n.endswith("examples/vtopocheck.service")]
    cloud = [f for n, f in by_name.items() if n.endswith("examples/cloud-init.yaml")]
    check(len(unit) == 1 and len(cloud) == 1, "the unit and the cloud-init example are installed")
    if len(unit) != 1 or len(cloud) != 1:
        return
    text = open(unit[0]).read()
    m = re.search(r"^ExecStart=(\S+)", text, re.M)
    check(m and m.group(1) == program,
          f"installed unit: ExecStart= runs the installed {program} (got {m and m.group(1)})")
    m = re.search(r"VTC=\$\{VTC:-(\S+)\}", open(cloud[0]).read())
    check(m and m.group(1) == program,
          f"installed cloud-init script runs the installed {program} (got {m and m.group(1)})")

    texts = [f for f in files if re.search(r"\.(md|yaml|service|timer|1)(\.gz)?$", f)]
    missing = set()
    for f in texts:
        for p in INSTALLED_PATH.findall(read(f)):
            p = p.rstrip(".,;:")
            if not os.path.exists(dest + p):
                missing.add(f"{os.path.basename(f)}: {p}")
    check(texts and not missing,
          f"every installed path the installed documents name exists ({sorted(missing)})")
    for f in texts:
        if re.search(r"\.md(\.gz)?$", f):
            bad = broken_links(f, dest)
            check(not bad, f"installed {os.path.relpath(f, dest)}: every link resolves ({bad})")
    man = [f for f in texts if re.search(r"/man1/vtopocheck\.1(\.gz)?$", f)]
    check(len(man) == 1, "the man page is installed")
    if man:
        # absolute paths (the installed ones) aside
        page = re.sub(r"(?<![\w.-])/[\w./-]+", " ", read(man[0]))
        src = re.findall(r"(?<![\w.-])(?:docs|src|probes|tests)/[\w./]+", page)
        check(not src, f"installed man page names no source-tree path ({src})")

    if shutil.which("systemd-analyze") is None:
        print("skip installed unit: systemd-analyze verify (not installed)")
        return
    units = tempfile.mkdtemp(dir=dest)
    # verify checks that ExecStart's program exists: the installed one is
    # below DESTDIR here.
    open(os.path.join(units, "vtopocheck.service"), "w").write(
        text.replace("=" + program + " ", "=" + dest + program + " "))
    shutil.copy(os.path.join(os.path.dirname(unit[0]), "vtopocheck.timer"), units)
    p = subprocess.run(["systemd-analyze", "verify", "--man=no", "vtopocheck.service",
                        "vtopocheck.timer"], cwd=units, capture_output=True, text=True,
                       timeout=120)
    out = (p.stdout + p.stderr).strip()
    check(p.returncode == 0 and not out,
          f"installed unit and timer pass systemd-analyze verify ({out})")


test_source_links()
if len(sys.argv) == 3 and sys.argv[1] == "--root":
    test_installed(os.path.abspath(sys.argv[2]))
else:
    with tempfile.TemporaryDirectory() as tmp:
        dest = os.path.join(tmp, "root")
        if install(dest):
            test_installed(dest)
sys.exit(1 if failures else 0)
