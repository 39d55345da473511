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

