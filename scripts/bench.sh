#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: what the watchdog costs and how fast it stops a runaway, with
# the upstream bench tool and our bench cases (benchs/bench_watchdog.c).
#
# Four guest boots, each running scripts/guest-bench.sh:
#   icount  patched (mode off, enforce, and enforce with a program with a
#           frame loaded, alternating; see guest-bench.sh) and vanilla, side by
#           side (single-threaded TCG each): -icount shift=0,sleep=off, so
#           the guest clock is its instruction count (1 ns per instruction)
#           and every figure repeats from run to run whatever the host does;
#   wall    the same under plain multi-threaded TCG, one after the other:
#           real time, as noisy as the shared host.
# The same bench binary (built from the patched tree) runs on both kernels.
# bench/report.py turns the raw data into bench/results.md and the charts.
#
#   ROUNDS (3), DURATION (2 s per run), BENCHES, ONLY=icount|wall
. "$(dirname "$0")/lib.sh"

TEST_TARGETS=bench provision
VANILLA=1 "$REPO/scripts/build-kernel.sh"

st=$WORK/selftests/$FLAVOUR
patched=$WORK/build/$FLAVOUR/arch/x86/boot/bzImage
vanilla=$WORK/build/$FLAVOUR-vanilla/arch/x86/boot/bzImage
data=$WORK/bench
guest=$REPO/scripts/guest-bench.sh
mkdir -p "$data"
t0=$(date +%s)

# run NAME KERNEL LABELS [env...]: one boot, its data in $data/NAME.
run() {
	local name=$1 kernel=$2 labels=$3
	shift 3
	rm -rf "${data:?}/$name"
	mkdir -p "$data/$name"
	env VM_RUNDIR="$data/$name" "$@" "$REPO/scripts/vm.sh" -k "$kernel" \
		-t "${BENCH_TIMEOUT:-5400}" \
		"ROUNDS=${ROUNDS:-3} DURATION=${DURATION:-2} ${BENCHES:+BENCHES='$BENCHES'} $guest $st '$labels'" \
		>"$data/$name.log" 2>&1
}

want() { [ -z "${ONLY:-}" ] || [ "$ONLY" = "$1" ]; }
if want icount; then
	say "icount boots, patched and vanilla side by side (logs: $data/icount-*.log)"
	run icount-patched "$patched" "off enforce framed" VM_ICOUNT=1 & p1=$!
	run icount-vanilla "$vanilla" vanilla VM_ICOUNT=1 & p2=$!
	rc=0
	wait $p1 || rc=$?
	wait $p2 || rc=$?
	[ "$rc" = 0 ] || die "an icount boot failed; see $data/icount-*.log"
fi
if want wall; then
	say "wall-clock boots, patched then vanilla (logs: $data/wall-*.log)"
	run wall-patched "$patched" "off enforce framed" || die "see $data/wall-patched.log"
	run wall-vanilla "$vanilla" vanilla || die "see $data/wall-vanilla.log"
fi

say "writing bench/results.md and the charts"
{
	echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ { printf "%d GiB", $2 / 1048576 }' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(. /etc/os-release; echo "$PRETTY_NAME")"
	echo "qemu: $(in_root qemu-system-x86_64 --version | head -1)"
	echo "kernel: $(git -C "$WORK/linux" describe --tags --always 2>/dev/null) (patched: $(git -C "$WORK/linux" log --oneline -1 | cut -c1-70)), vanilla: pristine $(git -C "$WORK/linux" rev-parse --short pristine)"
	echo "config: config/base.config + config/inline-helpers.config, LLVM=1; guests: ${VM_CPUS:-2} vCPUs, ${VM_MEM:-2G}"
	echo "command: make bench ROUNDS=${ROUNDS:-3} DURATION=${DURATION:-2}, $(($(date +%s) - t0)) s"
} >"$data/meta.txt"
# The raw data goes into the repository with the results, so that
# bench/report.py can be re-run on it.
for d in "$data"/icount-* "$data"/wall-*; do
	[ -d "$d" ] || continue
	mkdir -p "$REPO/bench/data/${d##*/}"
	cp "$d"/*.txt "$REPO/bench/data/${d##*/}/" 2>/dev/null || true
done
cp "$data/meta.txt" "$REPO/bench/data/"
in_root python3 "$REPO/bench/report.py" "$REPO/bench/data" "$REPO/bench"
say "bench/results.md and bench/*.png written"
