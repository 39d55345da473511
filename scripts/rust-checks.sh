#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make rustfmtcheck / make clippy, run by the tree's own Kbuild targets.
. "$(dirname "$0")/lib.sh"
bdir=$WORK/build/$FLAVOUR
[ -f "$bdir/.config" ] || "$REPO/scripts/build-kernel.sh"
mk="make -s -C $WORK/linux O=$bdir LLVM=1"
case ${1:-} in
rustfmtcheck)
	in_root bash -c "$mk rustfmtcheck" && say "rustfmtcheck: clean"
	;;
clippy)
	# Rebuild the watchdog's Rust objects with clippy-driver; warnings
	# are errors here.
	in_root bash -c "touch $WORK/linux/kernel/bpf/watchdog.rs && $mk CLIPPY=1 KRUSTFLAGS=-Dwarnings kernel/bpf/watchdog.o" &&
		say "clippy: clean"
	;;
*) die "usage: $0 rustfmtcheck|clippy" ;;
esac
