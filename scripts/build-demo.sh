#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the demo's loader (demo/watchdog_demo.c) and its BPF program with
# what the selftests build made: the tree's bpftool (skeleton), libbpf.a,
# vmlinux.h and libbpf's headers.  Output: $WORK/demo/<flavour>/watchdog_demo.
. "$(dirname "$0")/lib.sh"

src=$WORK/linux
st=$WORK/selftests/$FLAVOUR
out=$WORK/demo/$FLAVOUR
[ -x "$st/tools/sbin/bpftool" ] && [ -f "$st/tools/build/libbpf/libbpf.a" ] ||
	die "no selftests build in $st: run 'make tests'"
mkdir -p "$out"
in_root bash -c "set -e
	cd $REPO/demo
	clang$BPF_LLVM_SUFFIX -g -O2 -Wall -Wno-missing-declarations -target bpf -D__TARGET_ARCH_x86 \
		-I$st/tools/include -I$src/tools/include/uapi \
		-c watchdog_demo.bpf.c -o $out/watchdog_demo.bpf.o
	$st/tools/sbin/bpftool gen skeleton $out/watchdog_demo.bpf.o name watchdog_demo >$out/watchdog_demo.skel.h
	clang -g -O2 -Wall -Wextra -Wno-unused-parameter \
		-I$out -I$st/tools/include -I$src/tools/include/uapi \
		watchdog_demo.c $st/tools/build/libbpf/libbpf.a -lelf -lz -lpthread \
		-o $out/watchdog_demo"
say "demo built: $out/watchdog_demo"
