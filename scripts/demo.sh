#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make demo: build what is missing, boot the patched kernel and show the
# watchdog at work.
. "$(dirname "$0")/lib.sh"
"$REPO/scripts/toolchain.sh"
"$REPO/scripts/source.sh"
"$REPO/scripts/prepare.sh"
"$REPO/scripts/build-kernel.sh"
"$REPO/scripts/build-tests.sh"
exec "$REPO/scripts/vm.sh" -t 600 "$REPO/scripts/guest-demo.sh $WORK/selftests/$FLAVOUR"
