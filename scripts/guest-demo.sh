#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs inside the VM for 'make demo' (scripts/demo.sh).
#   guest-demo.sh SELFTESTS DEMO_DIR
set -u
st=$1
demo=$2
tr=/sys/kernel/tracing
sys=/proc/sys/kernel/bpf_watchdog

echo "### kernel $(uname -r), $(nproc) CPUs"
if [ ! -d $sys ]; then
	echo "### no BPF watchdog in this kernel: the proposal's program will hang it"
	exec "$demo/watchdog_demo" -s 20
fi
echo "### the watchdog is built in, and its Rust KUnit suite passed at boot:"
zcat /proc/config.gz | grep -E '^CONFIG_BPF_WATCHDOG' | sed 's/^/    /'
dmesg | sed -E 's/^\[ *[0-9]+\.[0-9]+\] //' | grep -E '^(not )?ok [0-9]+ bpf_watchdog|bpf_watchdog: ' | sed 's/^/    /'
echo "### its sysctls (defaults):"
for f in $sys/*; do [ -r "$f" ] && printf '    %-22s %s\n' "${f##*/}" "$(cat "$f")"; done

# Every kill and every released resource also goes to two tracepoints.
echo 1 >$tr/events/bpf_watchdog/enable
echo
"$demo/watchdog_demo" -s 10 -b "$st/tools/sbin/bpftool"
echo 0 >$tr/events/bpf_watchdog/enable

echo
echo "== 3. The tracepoints: bpf_watchdog_abort for every kill, bpf_watchdog_release"
echo "==    for every resource a kill gave back (kind and address, root only)"
grep -E 'bpf_watchdog_(abort|release):' $tr/trace | grep -B3 -A0 hold_and_spin | tail -4 |
	sed -E 's/^ *//; s/^/    /'

echo
echo "== 4. The kernel log (rate limited: 10 reports per program per 5 s)"
dmesg | grep -E 'bpf_watchdog: prog' | sed -E 's/^\[ *[0-9]+\.[0-9]+\] /    /' | head -4
echo "    ... $(dmesg | grep -c 'bpf_watchdog: prog') lines"
