#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check: provision, build, boot, run every test, print one summary
# line "N passed, N failed, N skipped" and exit non-zero on any failure.
#
# The tests, all in one boot of the patched kernel:
#   - KUnit: the watchdog's Rust KUnit suite, run at boot (console TAP);
#   - test_progs -t watchdog: our selftests;
#   - test_verifier: upstream's, as a non-regression guard;
#   - the console: any kernel splat fails the run.
. "$(dirname "$0")/lib.sh"

t0=$(date +%s)
"$REPO/scripts/toolchain.sh"
"$REPO/scripts/source.sh"
"$REPO/scripts/prepare.sh"
"$REPO/scripts/build-kernel.sh"
"$REPO/scripts/build-tests.sh"
t1=$(date +%s)

rundir=$WORK/vm/check
rm -rf "$rundir"
mkdir -p "$rundir"
vmrc=0
VM_RUNDIR=$rundir "$REPO/scripts/vm.sh" -t "${CHECK_TIMEOUT:-2400}" \
	"$REPO/scripts/guest-tests.sh $WORK/selftests/$FLAVOUR" || vmrc=$?

passed=0 failed=0 skipped=0
add() { passed=$((passed + $1)); failed=$((failed + $2)); skipped=$((skipped + $3)); }

# KUnit, from the console's KTAP: test cases are the indented lines.
console=$rundir/console.log
kp=$(sed -E 's/^\[ *[0-9]+\.[0-9]+\] //' "$console" | grep -cE '^    ok [0-9]+ ' || true)
kf=$(sed -E 's/^\[ *[0-9]+\.[0-9]+\] //' "$console" | grep -cE '^    not ok [0-9]+ ' || true)
sed -E 's/^\[ *[0-9]+\.[0-9]+\] //' "$console" | grep -E '^    (not )?ok [0-9]+ |^(not )?ok [0-9]+ bpf_watchdog' || true
if [ "$kp" = 0 ] && [ "$kf" = 0 ]; then
	echo "kunit: no bpf_watchdog results on the console"
	kf=1
fi
echo "kunit: $kp passed, $kf failed"
add "$kp" "$kf" 0

if [ -f "$rundir/results" ]; then
	while read -r suite p f s; do
		add "${p#passed=}" "${f#failed=}" "${s#skipped=}"
	done <"$rundir/results"
else
	echo "no results from the guest"
	failed=$((failed + 1))
fi
if [ "$vmrc" -ne 0 ]; then
	echo "vm: failed (exit $vmrc): splat, timeout or crash; see $console"
	failed=$((failed + 1))
fi
echo "check: build $((t1 - t0)) s, tests $(($(date +%s) - t1)) s; logs in $LOGS and $rundir"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
