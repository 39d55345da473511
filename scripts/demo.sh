#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make demo: build what is missing, boot the patched kernel and show the
# watchdog at work (scripts/guest-demo.sh, demo/watchdog_demo.c).
#
# VANILLA=1 (make demo-vanilla): then boot the same config without the
# series and run the same program there: the machine hangs, the console
# shows the soft-lockup and RCU-stall reports, and the harness's timeout
# (DEMO_VANILLA_TIMEOUT, default 150 s) cuts the run off.  Ends with the
# two runs side by side.
. "$(dirname "$0")/lib.sh"

vanilla=${VANILLA:-0}
unset VANILLA
provision
"$REPO/scripts/build-demo.sh"
[ "$vanilla" = 1 ] && VANILLA=1 "$REPO/scripts/build-kernel.sh"

st=$WORK/selftests/$FLAVOUR
demo=$WORK/demo/$FLAVOUR
pdir=$WORK/vm/demo-patched
rm -rf "$pdir"
mkdir -p "$pdir"
say "the patched kernel"
set +e
VM_RUNDIR=$pdir "$REPO/scripts/vm.sh" -t 600 "$REPO/scripts/guest-demo.sh $st $demo" |
	tee "$pdir/out.txt"
prc=${PIPESTATUS[0]}
set -e
[ "$vanilla" = 1 ] || exit "$prc"

vdir=$WORK/vm/demo-vanilla
rm -rf "$vdir"
mkdir -p "$vdir"
limit=${DEMO_VANILLA_TIMEOUT:-150}
say "the same program on the vanilla kernel (the harness stops it after $limit s)"
set +e
VANILLA=1 VM_RUNDIR=$vdir "$REPO/scripts/vm.sh" -t "$limit" \
	"$REPO/scripts/guest-demo.sh $st $demo" | tee "$vdir/out.txt"
vrc=${PIPESTATUS[0]}
set -e
echo
echo "### the vanilla kernel's console after the program was attached (full log: $vdir/console.log):"
# Every CPU runs the program with IRQs off as soon as it switches tasks:
# the timer-driven soft-lockup and RCU-stall detectors cannot run either,
# and TCG has no NMI watchdog, so the console may well stay silent.
reports=$(grep -E 'soft lockup|rcu: INFO|detected stalls|blocked for more than|Kernel panic' \
	"$vdir/console.log" | head -8 || true)
if [ -n "$reports" ]; then
	echo "$reports" | sed 's/^/    /'
else
	echo "    (nothing: every CPU is inside the program with IRQs off, so even the"
	echo "    timer-driven soft-lockup and RCU-stall detectors never run again)"
fi

# The last per-second line of each run, and how each run ended.
last() { grep -E '^\s+\[ *[0-9]+s\]' "$1" | tail -1 | sed 's/^ *//'; }
echo
echo "### side by side: the proposal's program on raw_tp/sched_switch"
printf '    %-9s %s\n' patched "$(last "$pdir/out.txt")"
printf '    %-9s exit %s, %s\n' "" "$prc" "$(grep -c 'bpf_watchdog: prog' "$pdir/console.log") watchdog reports on the console, no splat"
printf '    %-9s %s\n' vanilla "$(last "$vdir/out.txt" || true)"
printf '    %-9s %s\n' "" "no per-second line ever printed: the machine froze when the program was attached"
printf '    %-9s %s\n' "" "$(grep -cE 'soft lockup|rcu: INFO' "$vdir/console.log" || true) soft-lockup/RCU-stall reports; $( [ "$vrc" = 124 ] && echo "hung: cut off by the $limit s timeout" || echo "exit $vrc")"
[ "$prc" = 0 ]
