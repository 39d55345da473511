#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs inside the VM for 'make regress' (scripts/regress.sh): the whole of
# upstream's test_progs and test_verifier, as built from the tree of the
# kernel under test.  Writes, in the run directory:
#   test_progs.json   test_progs' per-test and per-subtest results (-J)
#   test_progs.log    its output
#   test_verifier.log its output
# DENY: tests left out (our own, on the patched kernel).
# ONLY: test numbers to run (test_progs -n, e.g. "514-9999"); test_verifier
#       is then left out.
# TESTS: test names to run (test_progs -t, e.g. "iters,verifier_*");
#        test_verifier still runs.
# TEST_PROGS_WATCHDOG: test_progs' hung-test timeout in seconds (-w).
# BUDGET_SCALE: on the patched kernel, every watchdog budget is multiplied
#       by this (default 30, capped at the 60 s maximum).  The defaults are
#       made for hardware; under TCG on a shared host a program runs 30 to
#       100 times slower (arena_htab's program, 10 ms on hardware, once ran
#       7.6 s here and was killed), and a kill of an upstream test's program
#       is a difference between the kernels by definition.  The question
#       this asks is whether the watchdog changes anything for programs that
#       do not overrun; the kill tests are ours (test_progs -t watchdog).
set -u
st=$1
cd "$st" || exit 1
ONLY=${ONLY:-}
TESTS=${TESTS:-}
sys=/proc/sys/kernel/bpf_watchdog
if [ -d $sys ]; then
	scale=${BUDGET_SCALE:-30}
	for k in default_budget_us tracing_budget_us net_budget_us lsm_budget_us \
		 struct_ops_budget_us syscall_budget_us lock_budget_us prog_budget_max_us; do
		v=$(cat $sys/$k)
		[ "$v" = 0 ] && continue
		v=$((v * scale))
		[ $v -gt 60000000 ] && v=60000000
		echo $v >$sys/$k
	done
	echo "### watchdog budgets x$scale: $(cd $sys && grep . *budget* | tr '\n' ' ')"
fi
echo "### $(uname -r): test_progs (${ONLY:-${TESTS:-all}}${DENY:+, minus $DENY})"
# Serial: parallel workers under TCG make timing-sensitive tests flaky.
# test_progs' hung-test watchdog ends the whole run (SIGSEGV) when one test
# exceeds it; slow but finite tests under TCG need more than its 120 s.
./test_progs ${DENY:+-d "$DENY"} ${ONLY:+-n "$ONLY"} ${TESTS:+-t "$TESTS"} \
	-w "${TEST_PROGS_WATCHDOG:-600}" -J /run/bpfwd/test_progs.json \
	>/run/bpfwd/test_progs.log 2>&1
grep -E '^Summary:' /run/bpfwd/test_progs.log
[ -n "$ONLY" ] && exit 0
echo "### test_verifier"
./test_verifier >/run/bpfwd/test_verifier.log 2>&1
grep -E '^Summary:' /run/bpfwd/test_verifier.log
exit 0
