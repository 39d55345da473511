#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make series: write the outgoing git format-patch series, with a cover
# letter, to outgoing/.  The commits are the ones scripts/prepare.sh makes:
# one per quilt patch, each with the new files patches/overlay assigns it.
. "$(dirname "$0")/lib.sh"
"$REPO/scripts/prepare.sh"
out=$REPO/outgoing
rm -rf "$out"
mkdir -p "$out"
cover=$REPO/patches/cover-letter
in_root bash -c '
	set -e
	git -C "$1" -c user.name="$PATCH_AUTHOR_NAME" -c user.email="$PATCH_AUTHOR_EMAIL" format-patch -q --cover-letter --thread --base=pristine \
		--subject-prefix="PATCH bpf-next" -o "$2" pristine..watchdog
	subject=$(head -1 "$3")
	body=$(tail -n +3 "$3")
	c=$(ls "$2"/0000-cover-letter.patch)
	python3 - "$c" "$subject" "$body" <<PY
import sys
p, subj, body = sys.argv[1:4]
s = open(p).read()
s = s.replace("*** SUBJECT HERE ***", subj).replace("*** BLURB HERE ***", body)
open(p, "w").write(s)
PY
' _ "$WORK/linux" "$out" "$cover"
say "series: $(ls "$out" | wc -l) files in $out"
ls "$out"
