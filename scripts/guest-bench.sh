#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs inside the VM for 'make bench' (scripts/bench.sh): the upstream
# bench tool's cases and ours (benchs/bench_watchdog.c), in one boot.
#
#   guest-bench.sh SELFTESTS LABELS
#
# LABELS: "vanilla" on a kernel without the watchdog; on the patched one
# the modes to measure, "off" and/or "enforce", alternated within each
# round so that the host's noise hits both alike, and "framed": enforce
# with a program whose runs get a frame loaded alongside (the trigger
# benchmarks only; their own programs get none, and what they cost then
# depends on whether any program with a frame is loaded: see
# bpf_wd_framed_progs in watchdog.rst).  Writes, in the current
# directory (the run directory the host reads):
#   cost.txt         LABEL BENCH ROUND M-OPS-PER-S, one line per run
#   lat-irqon.txt    wd-abort-latency samples, ns (patched kernel only)
#   lat-irqoff.txt   wd-abort-latency-irqoff samples, ns
#   latency.txt      the two latency benches' summary lines
#   wakeups.txt      SCENARIO SECONDS WAKEUPS of the watchdog timer
# ROUNDS (default 3), DURATION (seconds per run, default 2), BENCHES.
set -u
st=$1
labels=$2
out=$PWD
rounds=${ROUNDS:-3}
dur=${DURATION:-2}
benches=${BENCHES:-trig-fentry trig-fexit trig-kprobe trig-kprobe-multi trig-tp trig-rawtp trig-fmodret wd-test-run bpf-for wd-iter-body bpf-loop wd-may-goto wd-task-pair wd-task-held wd-spin-pair wd-rcu-pair}
sys=/proc/sys/kernel/bpf_watchdog
cd "$st" || exit 1

mode_of() { case $1 in off) echo 0 ;; report) echo 1 ;; enforce | framed) echo 2 ;; esac; }

# The bystander for "framed": watchdog_elide's programs (bpf_for loops,
# tracked kfuncs), pinned so that they stay loaded while a benchmark runs.
pin=/sys/fs/bpf/wd_bench_framed
mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf

echo "### $(uname -r), $(nproc) CPUs, labels: $labels, $rounds rounds of ${dur} s"
: >"$out/cost.txt"
for r in $(seq "$rounds"); do
	for b in $benches; do
		for l in $labels; do
			if [ "$l" = framed ]; then
				case $b in trig-*) ;; *) continue ;; esac
				tools/sbin/bpftool prog loadall watchdog_elide.bpf.o $pin ||
					{ echo "framed: bpftool loadall failed" >&2; continue; }
			fi
			[ "$l" = vanilla ] || echo "$(mode_of "$l")" >$sys/mode
			# "Summary: hits    1.234 ± 0.001M/s ..." (trig-*) or
			# "Summary: throughput    1.234 ± 0.000 M ops/s ..." (the others)
			v=$(./bench -q -w1 -d"$dur" -a "$b" 2>&1 |
				awk '/^Summary: (hits|throughput)/ { v = $3; sub(/M.*/, "", v); print v }')
			[ "$l" = framed ] && rm -rf $pin
			echo "$l $b $r ${v:-nan}" | tee -a "$out/cost.txt"
		done
	done
done
[ -d $sys ] || exit 0
echo 2 >$sys/mode

# Abort latency: kills one after another; quarantine off for as long.
q=$(cat $sys/quarantine_after)
echo 0 >$sys/quarantine_after
: >"$out/latency.txt"
for v in "" -irqoff; do
	f=lat-irqon.txt
	[ -n "$v" ] && f=lat-irqoff.txt
	./bench -w1 -d"${LAT_DURATION:-5}" -a "wd-abort-latency$v" \
		--wd-budget-us "${LAT_BUDGET_US:-1000}" --wd-samples "$out/$f" 2>&1 |
		grep '^Summary' | sed "s/^/wd-abort-latency$v: /" | tee -a "$out/latency.txt"
done
echo "$q" >$sys/quarantine_after

# Watchdog timer wake-ups: the hrtimer_expire_entry events of its
# callback (<kernel::time::hrtimer::HrTimerCallback for watchdog::cancel::Watch>::run,
# mangled), on every CPU, while the machine idles, while a CPU runs many
# short programs, and while a CPU runs long ones.
tr=/sys/kernel/tracing
secs=${WAKEUP_SECONDS:-5}
count_wakeups() {
	local name=$1
	shift
	echo 0 >$tr/tracing_on
	: >$tr/trace
	echo 1 >$tr/events/timer/hrtimer_expire_entry/enable
	echo 1 >$tr/tracing_on
	"$@"
	echo 0 >$tr/tracing_on
	echo 0 >$tr/events/timer/hrtimer_expire_entry/enable
	n=$(grep -c '8watchdog6cancel5Watch' $tr/trace)
	echo "$name $secs $n" | tee -a "$out/wakeups.txt"
}
echo 8192 >$tr/buffer_size_kb
: >"$out/wakeups.txt"
count_wakeups idle sleep "$secs"
count_wakeups short-runs ./bench -q -w1 -d$((secs - 1)) -a trig-rawtp
count_wakeups long-runs ./bench -q -w1 -d$((secs - 1)) -a wd-iter-body --wd-loops 2000000
echo "syscall_budget_us $(cat $sys/syscall_budget_us)" >>"$out/wakeups.txt"
