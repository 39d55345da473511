#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Turn the pristine tree into the patched tree:
#   pristine + quilt series (patches/) + overlay files (new files kept in
#   this repository at their kernel-tree paths).
#
# The work is done in $WORK/stage, a git worktree of $WORK/linux: every
# quilt patch becomes one commit there, together with the overlay files
# that patches/overlay assigns to it.  $WORK/linux is then checked out at
# the last commit.  Git rewrites only the files whose content changed, so
# an unchanged file keeps its mtime and the kernel build stays warm.
# Re-running with nothing changed does nothing.
. "$(dirname "$0")/lib.sh"

tree=$WORK/linux
stage=$WORK/stage
map=$REPO/patches/overlay

git -C "$tree" rev-parse -q --verify pristine >/dev/null || die "no pristine tree: run scripts/source.sh"

# Overlay files: every regular file of the repo below a kernel top-level
# directory.
overlay_files() {
	(cd "$REPO" && git ls-files --cached --others --exclude-standard -- \
		Documentation arch include kernel lib mm net rust samples scripts/bpf tools \
		2>/dev/null | while read -r f; do [ -f "$f" ] && echo "$f"; done | sort)
}

inputs=$({
	cat "$REPO/patches/series" "$map"
	for p in $(grep -v '^#' "$REPO/patches/series"); do sha256sum "$REPO/patches/$p"; done
	overlay_files | while read -r f; do sha256sum "$REPO/$f"; done
} | sha256sum | cut -d' ' -f1)
stamp=$WORK/prepared.stamp
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$inputs" ] &&
   [ "$(git -C "$tree" rev-parse HEAD)" = "$(git -C "$tree" rev-parse -q --verify watchdog 2>/dev/null)" ] &&
   [ -z "$(git -C "$tree" status --porcelain --untracked-files=no)" ]; then
	exit 0
fi

# Every overlay file must belong to exactly one patch.
all=$(overlay_files)
mapped=$(grep -v '^#' "$map" | sed 's/^[^:]*://' | tr ' ' '\n' | grep -v '^$' | sort)
missing=$(comm -23 <(echo "$all") <(echo "$mapped") | grep -v '^$' || true)
[ -z "$missing" ] || die "overlay files not assigned to a patch in patches/overlay: $missing"
stale=$(comm -13 <(echo "$all") <(echo "$mapped") | grep -v '^$' || true)
[ -z "$stale" ] || die "patches/overlay names files that do not exist: $stale"

say "preparing the patched tree"
in_root bash -c '
	set -e
	tree=$1 stage=$2 repo=$3 map=$4
	if [ ! -d "$stage/.git" ] && [ ! -f "$stage/.git" ]; then
		rm -rf "$stage"
		git -C "$tree" worktree prune
		git -C "$tree" worktree add -q --detach "$stage" pristine
	fi
	cd "$stage"
	grep -qx ".pc" "$(git rev-parse --git-common-dir)/info/exclude" 2>/dev/null ||
		echo ".pc" >>"$(git rev-parse --git-common-dir)/info/exclude"
	git checkout -q --detach -f pristine
	git clean -fdxq
	export QUILT_PATCHES=$repo/patches QUILT_PC=.pc QUILT_NO_DIFF_TIMESTAMPS=1
	export GIT_AUTHOR_DATE="2026-01-01T00:00:00Z" GIT_COMMITTER_DATE="2026-01-01T00:00:00Z"
	export GIT_AUTHOR_NAME="$PATCH_AUTHOR_NAME" GIT_AUTHOR_EMAIL="$PATCH_AUTHOR_EMAIL"
	for p in $(grep -v "^#" "$repo/patches/series"); do
		quilt push -q "$p" >/dev/null || { quilt push "$p" || true; echo "patch $p does not apply" >&2; exit 1; }
		for f in $(sed -n "s|^$p:||p" "$map"); do
			mkdir -p "$(dirname "$f")"
			cp --remove-destination "$repo/$f" "$f"
		done
		# Commit message: the patch header up to the first "---".
		awk "/^---\$|^diff |^Index: |^--- /{exit} {print}" "$repo/patches/$p" >"$stage/.pc/msg"
		git add -f -A -- . ":(exclude).pc"
		git commit -q --allow-empty -F "$stage/.pc/msg"
	done
	git tag -f watchdog >/dev/null
	cd "$tree"
	git checkout -q --detach -f watchdog
' _ "$tree" "$stage" "$REPO" "$map"
echo "$inputs" >"$stamp"
say "patched tree: $tree at $(git -C "$tree" log --oneline -1 | cut -c1-60) ($(git -C "$tree" rev-list --count pristine..watchdog) patches)"
