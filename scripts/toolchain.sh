#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Provision the Debian 13 toolchain root with debootstrap.  Re-run is a
# no-op unless scripts/toolchain.packages changed.
. "$(dirname "$0")/lib.sh"

pkgs_file=$REPO/scripts/toolchain.packages
want=$(sha256sum "$pkgs_file" | cut -d' ' -f1)
stamp=$ROOT/.bpfwd-packages
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
	exit 0
fi

if ! command -v debootstrap >/dev/null; then
	say "installing debootstrap on the host"
	run_logged host-apt sh -c 'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends debootstrap'
fi

if [ ! -x "$ROOT/usr/bin/apt-get" ] || [ ! -f "$ROOT/.bpfwd-debootstrap" ]; then
	say "debootstrap trixie into $ROOT"
	rm -rf "$ROOT"
	mkdir -p "$ROOT"
	run_logged debootstrap debootstrap --variant=minbase --components=main \
		trixie "$ROOT" "$DEBIAN_MIRROR"
	touch "$ROOT/.bpfwd-debootstrap"
fi

cat >"$ROOT/etc/apt/sources.list" <<SRC
deb $DEBIAN_MIRROR trixie main
deb $DEBIAN_MIRROR trixie-updates main
deb http://deb.debian.org/debian-security trixie-security main
deb $DEBIAN_MIRROR trixie-backports main
SRC
cp /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true
# No daemons inside the root.
printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d"
chmod +x "$ROOT/usr/sbin/policy-rc.d"

list=$(grep -v '^#' "$pkgs_file" | grep -v '^$' | tr '\n' ' ')
say "installing the toolchain into the root (log: $LOGS/toolchain-apt.log)"
# shellcheck disable=SC2016
run_logged toolchain-apt unshare --mount --propagation private -- chroot "$ROOT" /usr/bin/env -i \
	PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 \
	/bin/sh -c "mount -t proc proc /proc && apt-get update && apt-get install -y --no-install-recommends $list && apt-get clean"
echo "$want" >"$stamp"
say "toolchain: $(chroot "$ROOT" rustc --version), $(chroot "$ROOT" clang --version | head -1), $(chroot "$ROOT" clang-21 --version | head -1)"
