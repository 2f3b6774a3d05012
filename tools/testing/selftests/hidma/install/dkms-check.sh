#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Host-side check of dkms.conf: Debian's dkms adds the source tree and
# builds it for Debian 12's 6.12 arm64 headers (as check-builds.sh unpacks
# them) and for the test kernel, into private dkms trees (nothing under
# /usr/src or /var/lib/dkms), and the modules dkms collects are the ones
# the kernel's configuration calls for. `dkms install` is not tried: it
# ends with depmod on /lib/modules/<release>, which a foreign kernel does
# not have here. TAP on stdout; exit status non-zero on any failure.
#
#   tools/testing/selftests/hidma/install/dkms-check.sh [--out DIR]
set -uo pipefail
# shellcheck source=../../../lib/common.sh
. "$(dirname "$0")/../../../lib/common.sh"

out=$HIDMA_TOP/out/dkms
[ "${1:-}" = --out ] && out=$2
rm -rf "$out"
mkdir -p "$out"
hidma_need_pkgs dkms gcc-aarch64-linux-gnu make

failed=0
n=0
ok() { n=$((n + 1)); echo "ok $n dkms: $*"; }
notok() { n=$((n + 1)); echo "not ok $n dkms: $*"; failed=1; }

version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$HIDMA_TOP/dkms.conf")
[ -n "$version" ] || { notok "dkms.conf has a PACKAGE_VERSION"; exit 1; }

# The kernels: "release build-dir" per line.
kernels() {
	local d
	for d in "$HIDMA_CACHE"/headers/linux-headers-6.12.*-arm64-*/usr/src/linux-headers-*-arm64; do
		[ -f "$d/include/config/kernel.release" ] && echo "$(cat "$d/include/config/kernel.release") $d"
	done | tail -n 1
	d=$(readlink -f "$HIDMA_CACHE/kernel-test/build")
	[ -f "$d/include/config/kernel.release" ] && echo "$(cat "$d/include/config/kernel.release") $d"
}

mapfile -t ks < <(kernels)
[ ${#ks[@]} -ge 2 ] ||
	notok "Debian 6.12 arm64 headers and the test kernel are there (run check-builds.sh and run-tests.sh first)"

src=$out/src/hidma-$version
mkdir -p "$src" "$out/tree" "$out/install"
(cd "$HIDMA_TOP" && git ls-files -co --exclude-standard -z -- Kbuild Makefile dkms.conf \
	include hidma_mgmt hidma_chan tools/modprobe.d |
	rsync -a --from0 --files-from=- ./ "$src"/)
dk=(dkms --dkmstree "$out/tree" --sourcetree "$out/src" --installtree "$out/install")

if "${dk[@]}" add -m hidma -v "$version" >"$out/add.log" 2>&1; then
	ok "dkms add accepts dkms.conf (hidma/$version)"
else
	notok "dkms add accepts dkms.conf (hidma/$version)"
	sed 's/^/#   /' "$out/add.log"
	exit 1
fi

for k in "${ks[@]}"; do
	rel=${k%% *}
	kdir=${k#* }
	want="hidma_chan.ko hidma_mgmt.ko"
	grep -q '^CONFIG_VFIO_PLATFORM=m' "$kdir/.config" && want="$want hidma_vfio_reset.ko"
	log=$out/build-$rel.log
	if ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- "${dk[@]}" build -m hidma -v "$version" \
		-k "$rel" -a arm64 --kernelsourcedir "$kdir" >"$log" 2>&1; then
		got=$(find "$out/tree/hidma/$version/$rel/arm64/module" -name '*.ko*' -printf '%f\n' 2>/dev/null |
			sort | tr '\n' ' ')
		if [ "${got% }" = "$want" ]; then
			ok "dkms build for $rel: $want"
		else
			notok "dkms build for $rel: $want"
			echo "#   dkms collected: ${got:-nothing}"
		fi
	else
		notok "dkms build for $rel"
		grep -v '^$' "$log" | tail -n 20 | sed 's/^/#   /'
		tail -n 20 "$out/tree/hidma/$version/build/make.log" 2>/dev/null | sed 's/^/#   /'
	fi
done
exit $failed
