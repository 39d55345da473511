#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make quilt: a shell in the toolchain root, in the stage tree (all patches
# applied), with quilt pointed at this repository's patches/.  quilt
# refresh writes straight into patches/; run 'make prepare' afterwards.
. "$(dirname "$0")/lib.sh"
"$REPO/scripts/prepare.sh"
say "quilt shell in $WORK/stage (QUILT_PATCHES=$REPO/patches); 'exit' leaves"
in_root bash -c "cd $WORK/stage && QUILT_PATCHES=$REPO/patches QUILT_PC=.pc \
	QUILT_REFRESH_ARGS='-p ab --no-timestamps --no-index --diffstat' PS1='quilt:\\w\\$ ' bash --norc -i"
