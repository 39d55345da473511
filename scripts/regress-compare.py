#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Compares two 'make regress' runs: regress-compare.py VANILLA PATCHED [--slice].

Each directory holds test_progs.log and test_verifier.log of one kernel.
test_progs: every "#N[/M] name:RESULT" line, tests and subtests; a test
that is in both runs must have the same result.  test_verifier: the summary
counts and the set of FAIL lines (with --slice, a run of a slice of
test_progs, test_verifier may be absent from both).  Prints the counts and
every difference; exits 1 if there is one.
"""
import re
import sys

RES = re.compile(r"^#\d+(?:/\d+)?\s+(.+):(OK|FAIL|SKIP)\s*$")


def progs(path):
    out = {}
    try:
        for line in open(path, errors="replace"):
            m = RES.match(line.rstrip("\n"))
            if m:
                out[m.group(1)] = m.group(2)
    except FileNotFoundError:
        pass
    return out


def verifier(path):
    summary, fails = None, set()
    try:
        for line in open(path, errors="replace"):
            if line.startswith("Summary:"):
                summary = line.strip()
            elif line.rstrip().endswith(" FAIL") and line.startswith("#"):
                fails.add(re.sub(r"^#\d+/\S+\s+", "", line.strip()))
    except FileNotFoundError:
        pass
    return summary, fails


def counts(res):
    c = {"OK": 0, "FAIL": 0, "SKIP": 0}
    for v in res.values():
        c[v] += 1
    return c


def main():
    van, pat = sys.argv[1], sys.argv[2]
    partial = len(sys.argv) > 3 and sys.argv[3] == "--slice"
    a, b = progs(f"{van}/test_progs.log"), progs(f"{pat}/test_progs.log")
    diff = 0
    print(f"test_progs (tests + subtests): vanilla {counts(a)}, patched {counts(b)}")
    for name in sorted(set(a) | set(b)):
        x, y = a.get(name, "absent"), b.get(name, "absent")
        if x != y:
            print(f"  differs: {name}: vanilla {x}, patched {y}")
            diff += 1
    if not a or not b:
        print("  a run has no results")
        diff += 1
    sa, fa = verifier(f"{van}/test_verifier.log")
    sb, fb = verifier(f"{pat}/test_verifier.log")
    if partial and sa is None and sb is None:
        # A slice of test_progs (REGRESS_ONLY): test_verifier was not run.
        print("test_verifier: not run (a slice of test_progs)")
        print(f"regress: {diff} difference(s)")
        return 1 if diff else 0
    print(f"test_verifier: vanilla '{sa}', patched '{sb}'")
    for name in sorted(fa ^ fb):
        print(f"  differs: {name}: {'vanilla' if name in fa else 'patched'} FAIL only")
        diff += 1
    if sa is None or sb is None or sa != sb:
        if sa != sb:
            print("  the summaries differ")
        diff += 1
    print(f"regress: {diff} difference(s)")
    return 1 if diff else 0


sys.exit(main())
