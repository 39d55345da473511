#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the BPF selftests (test_progs, test_verifier, bpf_testmod.ko)
# from the patched tree against the kernel build, into
# $WORK/selftests/<flavour>.
#
# The whole test_progs is built (~1000 BPF objects, a few minutes) with
# BPF_STRICT_BUILD=0: some upstream programs need kfuncs that the small
# test config does not have, and they must not stop the build.  Our own
# objects must build: this script fails if they do not.
# BPF programs are compiled with clang 21 (trixie-backports): clang 19
# crashes on some upstream selftests.
. "$(dirname "$0")/lib.sh"

src=$WORK/linux
bdir=$WORK/build/$FLAVOUR
out=$WORK/selftests/$FLAVOUR
[ "${VANILLA:-0}" = 1 ] && { src=$WORK/vanilla; bdir=$WORK/build/$FLAVOUR-vanilla; out=$WORK/selftests/$FLAVOUR-vanilla; }
[ -f "$bdir/vmlinux" ] || die "no kernel build in $bdir: run 'make kernel'"
mkdir -p "$out"
jobs=${JOBS:-$(($(nproc) + 1))}
targets=${TEST_TARGETS:-test_progs test_verifier}

# The test modules (bpf_testmod.ko, ...) are built in the source tree,
# whatever OUTPUT says, and depend only on their sources and vmlinux's BTF:
# after a build for another kernel (FLAVOUR=debug, VANILLA=1) they look up
# to date and would be copied here, built for the wrong kernel (the guest
# refuses them: "struct module size must match").  Rebuild them, objects
# included, when the kernel they were built for changes: another build
# directory, or the same one rebuilt (a config change such as
# CONFIG_JUMP_LABEL changes struct layouts, and a module object built
# before it gives the module BTF of its own for struct sock: "expected
# pointer to STRUCT sock but R1 has a pointer to STRUCT sock").
kmods=$src/tools/testing/selftests/bpf/test_kmods
kstamp=$WORK/selftests/.test_kmods-built-for
kfor="$bdir $(stat -c %Y "$bdir/vmlinux" 2>/dev/null)"
if [ "$(cat "$kstamp" 2>/dev/null)" != "$kfor" ]; then
	rm -f "$kmods"/*.ko "$kmods"/*.o "$kmods"/*.mod "$kmods"/*.mod.c "$kmods"/.*.cmd \
		"$out"/bpf_test*.ko
fi

log=selftests-$(basename "$out")
say "building BPF selftests: $targets (log: $LOGS/$log.log)"
start=$(date +%s)
run_logged "$log" in_root bash -c "PATH=/usr/lib/ccache:\$PATH make -C $src/tools/testing/selftests/bpf \
	-j$jobs O=$bdir OUTPUT=$out VMLINUX_BTF=$bdir/vmlinux \
	LLVM=$BPF_LLVM_SUFFIX CLANG=clang$BPF_LLVM_SUFFIX LLC=llc$BPF_LLVM_SUFFIX \
	LLVM_STRIP=llvm-strip$BPF_LLVM_SUFFIX BPF_STRICT_BUILD=0 $targets"
if [ "${VANILLA:-0}" != 1 ]; then
	# BPF_STRICT_BUILD=0 tolerates objects that fail to build; ours must
	# not be among them, and must be newer than their sources.
	for f in watchdog.bpf.o watchdog_kill.bpf.o watchdog_seed.bpf.o watchdog_record.bpf.o watchdog_tune.bpf.o watchdog_stress.bpf.o watchdog_testmod.bpf.o watchdog.test.o watchdog_stress.test.o; do
		s=$src/tools/testing/selftests/bpf/progs/${f%%.*}.c
		[ -f "$s" ] || s=$src/tools/testing/selftests/bpf/prog_tests/${f%%.*}.c
		[ -n "$(find "$out" -name "$f" -newer "$s" | head -1)" ] ||
			die "our selftest object $f was not built; see $LOGS/$log.log"
	done
fi
echo "$kfor" >"$kstamp"
say "selftests built in $(($(date +%s) - start)) s: $out"
