#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs inside the test VM (see scripts/check.sh): the BPF selftests that
# make up 'make check'.  Each suite's counts go to /run/bpfwd/results as
#   SUITE passed=N failed=N skipped=N
# and its full output to /run/bpfwd/SUITE.log.
set -u
st=$1
res=/run/bpfwd/results
: >"$res"
cd "$st" || exit 1

# summary SUITE LOG: turn a test_progs/test_verifier "Summary:" line into
# counts.  test_progs: "Summary: T/S PASSED, K SKIPPED, F FAILED" (T tests,
# S subtests): subtests are what we count.
summary() {
	local line
	line=$(grep -E '^Summary: ' "$2" | tail -1)
	if [ -z "$line" ]; then
		echo "$1 passed=0 failed=1 skipped=0" >>"$res"
		echo "$1: no summary line (crashed?)"
		return
	fi
	echo "$line" | sed -E 's#^Summary: ([0-9]+/)?([0-9]+) PASSED, ([0-9]+) SKIPPED, ([0-9]+) FAILED.*#'"$1"' passed=\2 skipped=\3 failed=\4#' >>"$res"
	echo "$1: $line"
}

echo "--- test_progs -t ${TEST_PROGS_FILTER:-watchdog}"
./test_progs -t "${TEST_PROGS_FILTER:-watchdog}" >/run/bpfwd/test_progs.log 2>&1
grep -E '^#[0-9]+(/[0-9]+)? ' /run/bpfwd/test_progs.log
summary test_progs /run/bpfwd/test_progs.log
# A filter that matched nothing is a failure, not a pass.
if grep -q ' passed=0 ' <(grep '^test_progs ' "$res"); then
	echo "test_progs: no test ran"
	sed -i 's/^test_progs passed=0 skipped=\([0-9]*\) failed=\([0-9]*\)/test_progs passed=0 skipped=\1 failed=1/' "$res"
fi

if [ "${SKIP_VERIFIER:-0}" != 1 ]; then
	echo "--- test_verifier"
	./test_verifier >/run/bpfwd/test_verifier.log 2>&1
	grep -E 'FAIL' /run/bpfwd/test_verifier.log | head -20
	summary test_verifier /run/bpfwd/test_verifier.log
fi
exit 0
