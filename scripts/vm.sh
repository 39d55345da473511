#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot the test kernel under QEMU and run one command in it.
#
#   scripts/vm.sh [-k BZIMAGE] [-t TIMEOUT_S] [-a KERNEL_ARGS] [CMD]
#
# Without CMD: an interactive shell on the serial console.  With CMD: runs
# it (bash -c) in the guest, in a scratch directory shared with the host
# ($VM_RUNDIR, default under $WORK/vm), and exits with its status.  The
# guest's console log is kept; any kernel splat in it (Oops, BUG, WARNING,
# lockdep, KASAN, RCU stall, lockups, hung tasks, panics) fails the run.
# A run that outlives TIMEOUT_S (default 1800) is killed and fails.
#
# Acceleration: KVM where a quick probe boots, TCG otherwise; ACCEL=tcg|kvm
# forces one.  VM_ICOUNT=1: TCG with -icount shift=0,sleep=off, the guest
# clock advancing 1 ns per guest instruction (single-threaded TCG: icount
# and multi-threaded TCG exclude each other), for figures that repeat.
# VM_CPUS (default 2), VM_MEM (default 2G), VM_QEMU_EXTRA.
. "$(dirname "$0")/lib.sh"

kernel=$WORK/build/$FLAVOUR/arch/x86/boot/bzImage
[ "${VANILLA:-0}" = 1 ] && kernel=$WORK/build/$FLAVOUR-vanilla/arch/x86/boot/bzImage
timeout=1800 extra_args=""
while getopts "k:t:a:" o; do
	case $o in
	k) kernel=$OPTARG ;;
	t) timeout=$OPTARG ;;
	a) extra_args=$OPTARG ;;
	*) die "usage: $0 [-k bzImage] [-t timeout_s] [-a kernel_args] [cmd]" ;;
	esac
done
shift $((OPTIND - 1))
cmd=${*:-}
[ -f "$kernel" ] || die "no kernel at $kernel: run 'make kernel'"


qemu_base() {
	echo "qemu-system-x86_64 -nodefaults -no-reboot -display none" \
		"-machine q35 -smp ${VM_CPUS:-2} -m ${VM_MEM:-2G}" \
		"-kernel $kernel" \
		"-virtfs local,path=/,mount_tag=rootfs,security_model=none,readonly=on,multidevs=remap" \
		"-device virtio-rng-pci"
}
kargs="console=ttyS0 root=rootfs rootfstype=9p rootflags=trans=virtio,version=9p2000.L,msize=262144 ro"
kargs="$kargs init=$REPO/scripts/guest-init.sh panic=-1 oops=panic softlockup_panic=0 nokaslr"
kargs="$kargs kunit.filter_glob=bpf_watchdog* $extra_args"
# KASAN under TCG with 5-level paging reports a wild access in the first
# interrupt of the boot (handle_edge_irq during identify_cpu, before any
# BPF runs); with 4-level paging it does not.  Debug kernels boot 4-level.
[ "$FLAVOUR" = debug ] && kargs="$kargs no5lvl"

mkdir -p "$WORK/vm"
accel_file=$WORK/vm/accel
pick_accel() {
	if [ -n "${ACCEL:-}" ]; then echo "$ACCEL"; return; fi
	if [ -f "$accel_file" ]; then cat "$accel_file"; return; fi
	local a=tcg
	if [ -w /dev/kvm ] && grep -qwE 'vmx|svm' /proc/cpuinfo; then
		# A quick probe: boot and power off within 60 s under KVM.
		local d
		d=$(mktemp -d "$WORK/vm/probe.XXXX")
		echo true >"$d/cmd"
		if in_root timeout -k 5 60 $(qemu_base) -accel kvm -cpu host \
			-serial file:"$d/console" \
			-virtfs local,path="$d",mount_tag=run,security_model=none,multidevs=remap \
			-append "$kargs" >/dev/null 2>&1 && [ -f "$d/rc" ]; then
			a=kvm
		fi
		rm -rf "$d"
	fi
	echo "$a" >"$accel_file"
	echo "$a"
}
accel=$(pick_accel)
case $accel in
kvm) accel_args="-accel kvm -cpu host" ;;
tcg) accel_args="-accel tcg,thread=multi -cpu max" ;;
*) die "unknown ACCEL=$accel" ;;
esac
if [ "${VM_ICOUNT:-0}" = 1 ]; then
	accel=tcg-icount
	accel_args="-accel tcg,thread=single -cpu max -icount shift=0,sleep=off"
fi

if [ -z "$cmd" ]; then
	rundir=$(mktemp -d "$WORK/vm/shell.XXXX")
	say "interactive VM ($accel); 'exit' in the guest powers it off"
	in_root $(qemu_base) $accel_args ${VM_QEMU_EXTRA:-} -serial mon:stdio \
		-virtfs local,path="$rundir",mount_tag=run,security_model=none,multidevs=remap \
		-append "$kargs"
	rm -rf "$rundir"
	exit 0
fi

rundir=${VM_RUNDIR:-$(mktemp -d "$WORK/vm/run.XXXX")}
mkdir -p "$rundir"
rm -f "$rundir/rc" "$rundir/console.log"
printf '%s\n' "$cmd" >"$rundir/cmd"
console=$rundir/console.log
say "VM ($accel, ${VM_CPUS:-2} CPUs): $cmd"
start=$(date +%s.%N)
# Stream the console: command output is shown, kernel messages (they carry
# a printk timestamp) only go to the log.
set +e
in_root timeout -k 10 "$timeout" $(qemu_base) $accel_args ${VM_QEMU_EXTRA:-} \
	-serial stdio \
	-virtfs local,path="$rundir",mount_tag=run,security_model=none,multidevs=remap \
	-append "$kargs" </dev/null 2>&1 | tee "$console" |
	grep --line-buffered -vE '^\[ *[0-9]+\.[0-9]+\]'
qrc=${PIPESTATUS[0]}
set -e
elapsed=$(awk "BEGIN { print $(date +%s.%N) - $start }")
rc=0
if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
	echo "vm: TIMEOUT after ${timeout}s (console log: $console)" >&2
	rc=124
elif [ ! -f "$rundir/rc" ]; then
	echo "vm: the guest died before the command finished (console log: $console)" >&2
	rc=125
else
	rc=$(cat "$rundir/rc")
fi
splats=$(grep -nE "$SPLAT_RE" "$console" | head -20 || true)
if [ -n "$splats" ]; then
	echo "vm: KERNEL SPLAT on the console (full log: $console):" >&2
	echo "$splats" >&2
	[ "$rc" = 0 ] && rc=126
fi
printf 'vm: exit %s after %.1f s (%s)\n' "$rc" "$elapsed" "$accel" >&2
exit "$rc"
