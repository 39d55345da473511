# SPDX-License-Identifier: GPL-2.0
# Common settings for the workbench scripts.  Sourced, never run.
#
# Everything big lives outside the clone, under $BPFWD_CACHE, so that it
# survives between runs and clones:
#   $BPFWD_CACHE/root        Debian 13 toolchain root (chroot, also the VM's /)
#   $BPFWD_CACHE/work/dl     downloaded source package files
#   $BPFWD_CACHE/work/linux  kernel work tree (git; first commit = pristine)
#   $BPFWD_CACHE/work/stage  git worktree where quilt + overlay are applied
#   $BPFWD_CACHE/work/build/<flavour>  out-of-tree kernel build (O=)
#   $BPFWD_CACHE/work/ccache
#   $BPFWD_CACHE/work/logs   full logs of every step

set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BPFWD_CACHE=${BPFWD_CACHE:-/var/cache/bpf-watchdog}
ROOT=$BPFWD_CACHE/root
WORK=$BPFWD_CACHE/work
LOGS=$WORK/logs
FLAVOUR=${FLAVOUR:-default}

# Splats: any of these on the console fails a VM run (vm.sh); stress.sh counts them.
# (Not a bare "lockdep": "RCU lockdep checking is enabled." is a boot line.)
SPLAT_RE='Oops|BUG:|WARNING:|Kernel panic|kernel BUG|general protection fault|possible circular locking|possible recursive locking|inconsistent lock state|DEBUG_LOCKS_WARN_ON|lockdep is turned off|bad unlock balance|held lock freed|lock held when returning|KASAN|UBSAN|kmemleak:.*(unreferenced|suspected)|rcu: INFO|detected stalls|soft lockup|hard LOCKUP|blocked for more than|Unable to handle'
DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

# The pinned kernel: Debian's linux source package in trixie-backports.
KVER=7.3.4
KDEBVER=7.3.4-1~bpo13+1
KSUITE=trixie-backports

# The clang used for BPF programs (selftests); the kernel itself is built
# with the trixie toolchain (clang 19, the LLVM rustc 1.85 uses).
BPF_LLVM_SUFFIX=-21

mkdir -p "$LOGS"

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# run_logged NAME CMD...: run CMD with all output in $LOGS/NAME.log; on
# failure print the tail and the log's path.
run_logged() {
	local name=$1 log=$LOGS/$1.log rc=0
	shift
	"$@" >"$log" 2>&1 || rc=$?
	if [ "$rc" -ne 0 ]; then
		tail -n 40 "$log" >&2
		printf 'error: %s failed (exit %d); full log: %s\n' "$name" "$rc" "$log" >&2
		return "$rc"
	fi
}

# in_root CMD...: run CMD inside the toolchain root.  A private mount
# namespace holds the /proc, /sys, /dev, work and repository mounts, so
# they vanish when the command ends, however it ends (error, Ctrl-C,
# SIGKILL), and concurrent invocations do not unmount each other.
in_root() {
	[ -x "$ROOT/usr/bin/rustc" ] || die "toolchain root missing: run 'make toolchain'"
	local q v envs=()
	q=$(printf '%q ' "$@")
	for v in BPFWD_CACHE FLAVOUR PATCH_AUTHOR_NAME PATCH_AUTHOR_EMAIL V JOBS; do
		[ -n "${!v+x}" ] && envs+=("$v=${!v}")
	done
	unshare --mount --propagation private -- /bin/bash -euc '
		root=$1 work=$2 repo=$3 cwd=$4 cmd=$5
		shift 5
		mount --rbind /proc "$root/proc"
		mount --rbind /sys "$root/sys"
		mount --rbind /dev "$root/dev"
		mkdir -p "$root$work" "$root$repo"
		mount --bind "$work" "$root$work"
		mount --bind "$repo" "$root$repo"
		exec chroot "$root" /usr/bin/env -i \
			HOME=/root TERM="${TERM:-dumb}" LANG=C.UTF-8 \
			PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
			CCACHE_DIR="$work/ccache" CCACHE_MAXSIZE=8G \
			LIBCLANG_PATH=/usr/lib/llvm-19/lib "$@" \
			/bin/bash -euc "cd \"\$1\" && eval \"\$2\"" _ "$cwd" "$cmd"
	' _ "$ROOT" "$WORK" "$REPO" "$PWD" "$q" "${envs[@]}"
}

# Author of the outgoing series (also the Signed-off-by of every patch).
PATCH_AUTHOR_NAME=${PATCH_AUTHOR_NAME:-BPF Watchdog Developers}
PATCH_AUTHOR_EMAIL=${PATCH_AUTHOR_EMAIL:-bpf-watchdog@example.org}
export PATCH_AUTHOR_NAME PATCH_AUTHOR_EMAIL

# provision: what every target that boots the patched kernel starts with:
# the toolchain, the source, the patched tree, the kernel and the selftests
# (TEST_TARGETS, if set).  Each step is a no-op when up to date.
provision() {
	"$REPO/scripts/toolchain.sh"
	"$REPO/scripts/source.sh"
	"$REPO/scripts/prepare.sh"
	"$REPO/scripts/build-kernel.sh"
	"$REPO/scripts/build-tests.sh"
}
