#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs inside the VM for 'make demo'.
set -eu
st=$1
echo "### kernel: $(uname -r), $(nproc) CPUs"
echo "### the watchdog is built in:"
zcat /proc/config.gz | grep -E '^CONFIG_BPF_WATCHDOG'
echo "### ... and alive (boot log):"
dmesg | grep -E 'bpf_watchdog' | sed -E 's/^\[ *[0-9]+\.[0-9]+\] /    /'
echo "### its Rust KUnit suite ran at boot:"
dmesg | sed -E 's/^\[ *[0-9]+\.[0-9]+\] //' | grep -E '^    (not )?ok [0-9]+ |^(not )?ok [0-9]+ bpf_watchdog' | sed 's/^ */    /'
echo "### a small BPF program: nested bpf_for loops (100 x 100), run with BPF_PROG_TEST_RUN"
bpftool prog loadall "$st/watchdog.bpf.o" /sys/fs/bpf/demo
bpftool prog show pinned /sys/fs/bpf/demo/watchdog_short_nested_iters
rm -rf /sys/fs/bpf/demo
# bpftool's "prog run" always passes repeat, which syscall programs refuse;
# test_progs runs it through BPF_PROG_TEST_RUN and checks its __retval.
cd "$st"
./test_progs -v -t watchdog/watchdog_short_nested_iters | grep -E "retval|OK|FAIL"

echo
echo "### the proposal's program (nested bpf_iter_num loops of 100000 with bpf_printk),"
echo "### verbatim, on raw_tp/sched_switch on every CPU, 5 ms budget: killed, then quarantined"
./test_progs -v -t watchdog/seed_sched_switch | grep -E "^seed:|killed|quarantined|OK|FAIL" || true
echo "### kernel log:"
dmesg | grep -E 'bpf_watchdog: .*on_switch' | sed -E 's/^\[ *[0-9]+\.[0-9]+\] /    /' | head -20
echo
echo "### runaway programs holding resources, 20 ms budget: killed, everything given back"
./test_progs -v -t watchdog/kill_holding_everything,watchdog/kill_in_task_vma_iter |
	grep -E "killed after|references back|state back|lock free again|OK|FAIL" || true
dmesg | grep -E 'bpf_watchdog: prog [0-9]+ \((kill_holding_ev|kill_in_task_vm)' |
	sed -E 's/^\[ *[0-9]+\.[0-9]+\] /    /'

echo
echo "### an operator's session: a 5 ms tracing budget, the proposal's program"
echo "### attached with bpftool, the watchdog's report read back with bpftool"
# The tree's bpftool, built with the selftests: it prints the watchdog's
# counters (prog show) and reads the program's stderr stream (tracelog).
bt=./tools/sbin/bpftool
sys=/proc/sys/kernel/bpf_watchdog
old=$(cat $sys/tracing_budget_us)
set -x
echo 5000 >$sys/tracing_budget_us
$bt prog loadall watchdog_seed.bpf.o /sys/fs/bpf/seed autoattach
sleep 3
$bt prog show name on_switch
$bt prog tracelog stderr name on_switch 2>&1 | head -14
rm -rf /sys/fs/bpf/seed
echo "$old" >$sys/tracing_budget_us
{ set +x; } 2>/dev/null
