#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs inside the VM: what the watchdog's mode costs, with the upstream
# bench tool, in one boot.  Each benchmark runs ROUNDS times in each mode,
# the modes alternating so that a noisy host hits both alike; it prints
# each round's throughput and the median per mode.
#   make tests TEST_TARGETS=bench   (once)
#   make vm RUN="$PWD/scripts/guest-bench-mode.sh $BPFWD_CACHE/work/selftests/default"
set -u
st=$1
rounds=${ROUNDS:-5}
benches=${BENCHES:-trig-rawtp trig-tp trig-fentry}
sys=/proc/sys/kernel/bpf_watchdog
cd "$st" || exit 1
old=$(cat $sys/mode)

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

for b in $benches; do
	for mode in 0 2; do : >"/tmp/bench.$b.$mode"; done
	for r in $(seq "$rounds"); do
		for mode in 0 2; do
			echo $mode >$sys/mode
			# "Summary: hits    1.234 ± 0.001M/s ..."
			v=$(./bench -q -w1 -d3 -a "$b" 2>/dev/null |
				awk '/^Summary: hits/ { print $3 }')
			echo "$b mode=$mode round=$r: ${v:-?} M/s"
			[ -n "$v" ] && echo "$v" >>"/tmp/bench.$b.$mode"
		done
	done
	m0=$(median <"/tmp/bench.$b.0")
	m2=$(median <"/tmp/bench.$b.2")
	echo "$b: median mode 0 (off) $m0 M/s, mode 2 (enforce) $m2 M/s, enforce/off $(awk -v a="$m2" -v b="$m0" 'BEGIN { printf "%.3f", a / b }')"
done
echo "$old" >$sys/mode
