#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make checkpatch: scripts/checkpatch.pl --strict over the outgoing series
# (the cover letter excluded).
. "$(dirname "$0")/lib.sh"
"$REPO/scripts/series.sh" >/dev/null
# FILE_PATH_CHANGES ("does MAINTAINERS need updating?") is ignored: the
# first patch adds the series' MAINTAINERS entry, which covers the files
# the later patches add, and checkpatch only sees one patch at a time.
in_root bash -c 'cd "$1" && ./scripts/checkpatch.pl --strict --ignore FILE_PATH_CHANGES $(ls "$2"/*.patch | grep -v /0000-cover-letter)' \
	_ "$WORK/linux" "$REPO/outgoing"
