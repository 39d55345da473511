#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make checkpatch: scripts/checkpatch.pl --strict over the outgoing series
# (the cover letter excluded).
. "$(dirname "$0")/lib.sh"
"$REPO/scripts/series.sh" >/dev/null
in_root bash -c 'cd "$1" && ./scripts/checkpatch.pl --strict $(ls "$2"/*.patch | grep -v /0000-cover-letter)' \
	_ "$WORK/linux" "$REPO/outgoing"
