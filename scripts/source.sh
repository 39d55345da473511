#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fetch Linux $KVER from Debian's linux source package, verify it and
# unpack it into $WORK/linux, a git repository whose first commit (tag
# "pristine") is the untouched upstream source.
#
# KERNEL_TARBALL=/path/linux-X.Y.Z.tar.xz skips the download.
. "$(dirname "$0")/lib.sh"

tree=$WORK/linux
if git -C "$tree" rev-parse -q --verify pristine >/dev/null 2>&1; then
	exit 0
fi

dl=$WORK/dl
mkdir -p "$dl"
if [ -n "${KERNEL_TARBALL:-}" ]; then
	tarball=$KERNEL_TARBALL
	say "using KERNEL_TARBALL=$tarball (not verified)"
else
	tarball=$(ls "$dl"/linux_*.orig.tar.xz "$dl"/linux-source-*.tar.xz 2>/dev/null | head -1 || true)
fi
if [ -z "$tarball" ]; then
	say "fetching Debian's linux $KDEBVER ($KSUITE)"
	# Preferred: the source package's .orig.tar.xz; apt checks the .dsc
	# against the signed Sources index and we check the tarball against
	# the .dsc.  Fallback, where the mirror does not serve source
	# packages: the linux-source-X.Y binary package of the same version
	# (upstream plus Debian's few patches), checked by apt against the
	# signed Packages index.
	in_root bash -c '
		dl=$1 ver=$2 suite=$3 major=$4
		echo "deb-src http://deb.debian.org/debian $suite main" >/etc/apt/sources.list.d/bpfwd-src.list
		apt-get update -qq
		pick() { # newest published $major.y if $ver is gone
			if ! apt-cache $1 "$2" | grep -qx "Version: $ver"; then
				newest=$(apt-cache $1 "$2" | sed -n "s/^Version: \($major\.[0-9]*-.*\)/\1/p" | sort -V | tail -1)
				[ -n "$newest" ] || { echo "no $major.y $2 in $suite" >&2; exit 1; }
				echo "################################################################" >&2
				echo "WARNING: $2 $ver is no longer published; using $newest" >&2
				echo "################################################################" >&2
				ver=$newest
			fi
		}
		cd "$dl"
		chown _apt "$dl" 2>/dev/null || true
		pick showsrc linux
		if apt-get source --download-only -qq "linux=$ver"; then
			exit 0
		fi
		rm -f linux_*
		echo "################################################################" >&2
		echo "NOTE: the mirror does not serve the linux source package;" >&2
		echo "      using the linux-source-$major binary package $ver instead" >&2
		echo "################################################################" >&2
		pick show "linux-source-$major"
		apt-get download -qq "linux-source-$major=$ver"
		dpkg-deb --fsys-tarfile linux-source-"$major"_*.deb |
			tar -xO --wildcards "./usr/src/linux-source-$major.tar.xz" >"linux-source-$major.tar.xz.tmp"
		mv "linux-source-$major.tar.xz.tmp" "linux-source-$major.tar.xz"
		rm -f linux-source-"$major"_*.deb
	' _ "$dl" "$KDEBVER" "$KSUITE" "${KVER%.*}" 2>&1 | tee "$LOGS/source-fetch.log" >&2
	if dsc=$(ls "$dl"/linux_*.dsc 2>/dev/null | head -1) && [ -n "$dsc" ]; then
		orig=$(sed -n 's/^ \([0-9a-f]\{64\}\) [0-9]* \(linux_.*\.orig\.tar\.xz\)$/\1 \2/p' "$dsc" | head -1)
		[ -n "$orig" ] || die "no orig tarball in $dsc"
		say "verifying ${orig#* } against $(basename "$dsc")"
		(cd "$dl" && echo "$orig" | sed 's/ /  /' | sha256sum -c --quiet) || die "checksum mismatch"
		tarball=$dl/${orig#* }
	else
		tarball=$(ls "$dl"/linux-source-*.tar.xz | head -1)
	fi
fi

say "unpacking into $tree"
rm -rf "$tree" "$tree.tmp"
mkdir -p "$tree.tmp"
tar -xf "$tarball" -C "$tree.tmp" --strip-components=1
mv "$tree.tmp" "$tree"
v=$(make -s -C "$tree" kernelversion 2>/dev/null || true)
[ "$v" = "$KVER" ] || say "WARNING: kernel version is $v, not the pinned $KVER"
in_root bash -c '
	cd "$1"
	git init -q -b pristine-base .
	git config user.name "BPF watchdog workbench"
	git config user.email "bpf-watchdog@localhost"
	git config gc.auto 0
	git add -f -A -- . ":(exclude).pc"
	git commit -q -m "Linux $2 (pristine, Debian source package)"
	git tag pristine
' _ "$tree" "$v"
say "pristine tree ready: $tree ($v)"
