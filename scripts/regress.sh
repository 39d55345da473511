#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make regress: upstream's whole test_progs and test_verifier on the
# vanilla kernel and on the patched one (mode enforce, the default), each
# suite built from its own tree, in the same harness (scripts/guest-
# regress.sh).  Our own tests (watchdog*) are left out on the patched
# kernel, so both runs have the same tests; scripts/regress-compare.py
# lists every test whose result differs.  Exits non-zero on a difference.
. "$(dirname "$0")/lib.sh"

"$REPO/scripts/toolchain.sh"
"$REPO/scripts/source.sh"
"$REPO/scripts/prepare.sh"
"$REPO/scripts/build-kernel.sh"
"$REPO/scripts/build-tests.sh"
VANILLA=1 "$REPO/scripts/build-kernel.sh"
VANILLA=1 "$REPO/scripts/build-tests.sh"

out=$WORK/regress
mkdir -p "$out"
limit=${REGRESS_TIMEOUT:-10800}
for k in vanilla patched; do
	d=$out/$k
	rm -rf "$d"
	mkdir -p "$d"
	if [ $k = vanilla ]; then
		say "vanilla kernel (log: $d/vm.log)"
		VANILLA=1 VM_RUNDIR=$d "$REPO/scripts/vm.sh" -t "$limit" \
			"$REPO/scripts/guest-regress.sh $WORK/selftests/$FLAVOUR-vanilla" >"$d/vm.log" 2>&1 || true
	else
		say "patched kernel (log: $d/vm.log)"
		VM_RUNDIR=$d "$REPO/scripts/vm.sh" -t "$limit" \
			"DENY=watchdog,watchdog_stress $REPO/scripts/guest-regress.sh $WORK/selftests/$FLAVOUR" >"$d/vm.log" 2>&1 || true
	fi
	grep -E '^(###|Summary|vm:)' "$d/vm.log"
done
in_root python3 "$REPO/scripts/regress-compare.py" "$out/vanilla" "$out/patched"
