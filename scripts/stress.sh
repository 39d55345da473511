#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make stress: the watchdog soak (prog_tests/watchdog_stress.c) for
# STRESS_SECONDS (default 600) in one boot of the patched kernel, with the
# console scanned for splats and, with FLAVOUR=debug, a kmemleak scan at the
# end.  'make check' runs the same soak for 60 s.
. "$(dirname "$0")/lib.sh"

provision

secs=${STRESS_SECONDS:-600}
rundir=$WORK/vm/stress-$FLAVOUR
rm -rf "$rundir"
mkdir -p "$rundir"
vmrc=0
VM_RUNDIR=$rundir "$REPO/scripts/vm.sh" -t $((secs * 3 + 900)) \
	"TEST_PROGS_FILTER=watchdog_stress SKIP_VERIFIER=1 TEST_PROGS_VERBOSE=1 TEST_PROGS_WATCHDOG=$((secs + 600)) WATCHDOG_STRESS_SECONDS=$secs $REPO/scripts/guest-tests.sh $WORK/selftests/$FLAVOUR" ||
	vmrc=$?
echo
grep -E '^stress:' "$rundir/test_progs.log" || true
grep -E ':FAIL' "$rundir/test_progs.log" | head -20 || true
splats=$(grep -cE "$SPLAT_RE" "$rundir/console.log" || true)
echo "stress: $FLAVOUR kernel, $secs s; console splats: $splats; vm exit $vmrc"
cat "$rundir/results" 2>/dev/null
[ "$vmrc" = 0 ] && ! grep -q 'failed=[1-9]' "$rundir/results"
