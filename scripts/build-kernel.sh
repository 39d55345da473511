#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Configure and build the test kernel out of tree with LLVM=1.
#
#   FLAVOUR=default|debug   config/base.config (+ config/debug.config)
#   VANILLA=1               build the pristine tree instead of the series
#
# Output: $WORK/build/<flavour>[-vanilla]/arch/x86/boot/bzImage.
. "$(dirname "$0")/lib.sh"

if [ "${VANILLA:-0}" = 1 ]; then
	src=$WORK/vanilla
	bdir=$WORK/build/$FLAVOUR-vanilla
	if [ ! -e "$src/.git" ]; then
		say "checking out the pristine tree for vanilla builds"
		in_root git -C "$WORK/linux" worktree add -q --detach "$src" pristine
	fi
else
	src=$WORK/linux
	bdir=$WORK/build/$FLAVOUR
fi
mkdir -p "$bdir"

frags=("$REPO/config/base.config" "$REPO/config/inline-helpers.config")
[ "$FLAVOUR" = debug ] && frags+=("$REPO/config/debug.config")
[ "$FLAVOUR" = default ] || [ "$FLAVOUR" = debug ] || die "unknown FLAVOUR=$FLAVOUR"
frag=$bdir/fragment.config
cat "${frags[@]}" >"$frag.new"
if [ "${VANILLA:-0}" = 1 ]; then
	# The pristine tree has no watchdog options.
	sed -i '/BPF_WATCHDOG/d' "$frag.new"
fi

jobs=${JOBS:-$(($(nproc) + 1))}
# ccache through Debian's masquerade directory: CC='ccache clang' would
# also become rustc's -Clinker and break it.
mk="PATH=/usr/lib/ccache:\$PATH make -C $src O=$bdir LLVM=1 -j$jobs"

if [ ! -f "$bdir/.config" ] || ! cmp -s "$frag.new" "$frag"; then
	say "configuring $bdir (allnoconfig + ${frags[*]##*/})"
	mv "$frag.new" "$frag"
	run_logged "config-$(basename "$bdir")" in_root bash -c "$mk KCONFIG_ALLCONFIG=$frag allnoconfig"
	# Every line of the fragment must have survived: a silently dropped
	# option (an unmet dependency) would test a different kernel.
	bad=0
	while IFS= read -r line; do
		case "$line" in CONFIG_*=*) ;; *) continue ;; esac
		sym=${line%%=*} val=${line#*=}
		if [ "$val" = n ]; then
			grep -q "^$sym=" "$bdir/.config" && { echo "  $sym: wanted n, got $(grep "^$sym=" "$bdir/.config")"; bad=1; }
		else
			grep -qx "$sym=$val" "$bdir/.config" || { echo "  $sym: wanted $val, got $(grep "^$sym=\|^# $sym " "$bdir/.config" || echo unset)"; bad=1; }
		fi
	done <"$frag" >&2
	if [ "$bad" = 1 ]; then
		rm -f "$frag"
		die "config fragment not honoured (see above)"
	fi
else
	rm -f "$frag.new"
fi

log=build-$(basename "$bdir")
say "building $(basename "$bdir") kernel (log: $LOGS/$log.log)"
start=$(date +%s)
in_root bash -c "$mk bzImage modules" >"$LOGS/$log.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null' INT TERM
while kill -0 "$pid" 2>/dev/null; do
	sleep 30
	kill -0 "$pid" 2>/dev/null || break
	printf '    [%3d min] %d steps\n' $((($(date +%s) - start) / 60)) \
		"$(grep -c '^  [A-Z]' "$LOGS/$log.log" || true)" >&2
done
rc=0
wait "$pid" || rc=$?
if [ "$rc" -ne 0 ]; then
	grep -E 'error|Error|ERROR' "$LOGS/$log.log" | head -40 >&2
	die "kernel build failed (exit $rc); full log: $LOGS/$log.log"
fi
say "built $bdir/arch/x86/boot/bzImage in $(($(date +%s) - start)) s"
