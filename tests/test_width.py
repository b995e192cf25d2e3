#!/usr/bin/env python3
# test_width.py - the text report fits the output: no line over 80 columns
# when stdout is a pipe (a live run, --advertised on recorded machines of 64
# to 256 CPUs, --analyze of real matrices with 96 and 256 vCPUs, the example
# report), and the terminal's width on a pseudo-terminal ($COLUMNS when the
# terminal has no size, its own size when it has one). Machine formats (-q,
# --matrix, JSON, Prometheus) are exempt and not checked here, and so is the
# first line, the verdict: one line whatever its length, so that `| head -1`
# gets all of it (tests/test_cli.py checks that).
# Run by `make check` (VTC_BIN, VTC_SRCDIR, VTC_CORPUS set); recorded
# machines are skipped without the corpus.
# SPDX-License-Identifier: GPL-2.0-or-later
import fcntl
import os
import pty
import struct
import subprocess
import sys
import tarfile
import tempfile
import termios

BIN = os.environ.get("VTC_BIN", "./vtopocheck")
SRCDIR = os.environ.get("VTC_SRCDIR", ".")
CORPUS = os.environ.get("VTC_CORPUS", "")
EXAMPLE = os.path.join(SRCDIR, "tests", "data", "report-example.json")
# Recorded machines with long group lists and cpulists.
HWLOC = ["64amd64-4s2n4ca2co", "96em64t-4no4pa3ca2co", "128arm-2pa2n8cluster4co",
         "256ppc-8n8s4t"]
LSCPU = ["x86_64-epyc_7451", "ppc64-POWER7-64cpu", "loongarch-kvm_on_loongson_3c6000"]
# real-matrices: (matrix, sysroot) with 96 and 256 vCPUs, plus 16 (two blocks).
MATRICES = [("Intel_R_Xeon_R_Platinum_8275CL_CPU_3_00GHz.csv", "Platinum_8275CL/siblings-hidden"),
            ("Dual_AMD_EPYC_7742_64_Core_Processor.csv",
             "Dual_AMD_EPYC_7742_64_Core_Processor/siblings-hidden"),
            ("Intel_Core_i9_9900K_CPU_3_60_GHz.csv", "Intel_Core_i9_9900K/rotated-siblings")]
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def widest(text):
    lines = text.replace("\r\n", "\n").split("\n")[1:] or [""]
    n = max(range(len(lines)), key=lambda i: len(lines[i]))
    return len(lines[n]), lines[n]


def fits(args, limit=80, what=None, env=None, rcs=(0, 1, 2, 3)):
    e = dict(os.environ, **(env or {}))
    p = subprocess.run([BIN] + args, capture_output=True, text=True, env=e, timeout=300)
    w, line = widest(p.stdout)
    check(p.returncode in rcs and p.stdout and w <= limit,
          f"{what or ' '.join(args)}: rc {p.returncode}, widest line {w} <= {limit}"
          + ("" if w <= limit else f": {line[:100]!r}..."))
    return p.stdout


def on_pty(args, env, cols=0):
    """Output of vtopocheck on a pseudo-terminal of @cols columns (0: unsized)."""
    master, slave = pty.openpty()
    if cols:
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, cols, 0, 0))
    e = dict(os.environ, NO_COLOR="1", **env)
    p = subprocess.Popen([BIN] + args, stdout=slave, stderr=subprocess.DEVNULL, env=e)
    os.close(slave)
    out = bytearray()
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the terminal's last writer closed it
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    p.wait(timeout=300)
    return out.decode(errors="replace")


def recorded(tmp):
    """(name, sysroot) of the recorded machines in the corpus."""
    for name in HWLOC:
        path = os.path.join(CORPUS, "hwloc-linux", name + ".tar.bz2")
        if os.path.exists(path):
            with tarfile.open(path) as t:
                top = t.getnames()[0].split("/")[0]  # not always the file's name
                t.extractall(tmp)
            yield name, os.path.join(tmp, top)
    for name in LSCPU:
        path = os.path.join(CORPUS, "util-linux-lscpu", name + ".tar.gz")
        if os.path.exists(path):
            d = os.path.join(tmp, "lscpu")
            with tarfile.open(path) as t:
                t.extractall(d)
            yield name, os.path.join(d, name)


def test_corpus(tmp):
    machines = list(recorded(tmp))
    check(len(machines) == len(HWLOC) + len(LSCPU), f"{len(machines)} recorded machines found")
    for name, root in machines:
        fits(["--advertised", "--sysroot", root], what=f"--advertised on {name}", rcs=(0, 1, 2))
    rm = os.path.join(CORPUS, "real-matrices")
    with tarfile.open(os.path.join(rm, "sysroots.tar.gz")) as t:
        t.extractall(os.path.join(tmp, "rm"))
    for matrix, sysroot in MATRICES:
        args = ["--analyze", "--matrix", os.path.join(rm, "matrices", matrix),
                "--sysroot", os.path.join(tmp, "rm", sysroot)]
        fits(args, what=f"--analyze of {matrix} ({sysroot})", rcs=(0, 1, 2))
        fits(args + ["--full"], what=f"--analyze --full of {matrix} ({sysroot})", rcs=(0, 1, 2))
    # On a terminal: $COLUMNS when it has no size, else its own size.
    big = ["--analyze", "--matrix", os.path.join(rm, "matrices", MATRICES[1][0]),
           "--sysroot", os.path.join(tmp, "rm", MATRICES[1][1]), "--full"]
    w, _ = widest(on_pty(big, {"COLUMNS": "120"}))
    check(80 < w <= 120, f"unsized terminal, COLUMNS=120: widest line {w} in 81..120")
    w, _ = widest(on_pty(big, {"COLUMNS": "120"}, cols=100))
    check(80 < w <= 100, f"100-column terminal, COLUMNS=120: widest line {w} in 81..100")


def main():
    fits(["--analyze", EXAMPLE])
    fits(["--analyze", EXAMPLE, "--full"])
    # A pipe is no terminal: $COLUMNS does not widen it.
    fits(["--analyze", EXAMPLE], env={"COLUMNS": "200"}, what="--analyze with COLUMNS=200")
    fits(["--advertised"], what="--advertised on this machine")
    fits(["--budget", "2"], what="a live run")
    if CORPUS and os.path.isdir(os.path.join(CORPUS, "real-matrices")):
        with tempfile.TemporaryDirectory() as tmp:
            test_corpus(tmp)
    else:
        print("skip recorded machines: no corpus (configure --with-corpus=DIR)")
    if failures:
        print(f"{len(failures)} failure(s)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
