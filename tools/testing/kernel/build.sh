#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build the arm64 test kernel from Debian's linux-source-6.12 package and
# the config fragment beside this script. The result is cached outside the
# work tree under a key made of the source package version, the fragment(s)
# and this script, so a warm run builds nothing.
#
#   build.sh [--variant NAME]   prints the output directory on stdout
#
# Variants: "test" (default: test.config, every debug option the suite
# relies on) and "bench" (test.config then bench.config: no KASAN,
# lockdep, kmemleak or DMA-API debugging, which distort speed).
#
# Output directory layout:
#   Image          the kernel
#   build/         the O= build tree: build out-of-tree modules with
#                  make -C <out>/build M=...
#   modroot/       the kernel's own modules (dmatest, vfio, ...) installed
#   release        the kernel release string
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"

variant=test
while [ $# -gt 0 ]; do
	case "$1" in
	--variant) variant=$2; shift 2 ;;
	*) hidma_die "usage: $0 [--variant test|bench]" ;;
	esac
done
here=$HIDMA_TOP/tools/testing/kernel
frags=("$here/test.config")
case "$variant" in
test) ;;
bench) frags+=("$here/bench.config") ;;
*) hidma_die "unknown variant $variant" ;;
esac

hidma_need_pkgs gcc-aarch64-linux-gnu make bc bison flex libssl-dev libelf-dev \
	cpio xz-utils python3 kmod
pkg=linux-source-6.12
hidma_apt_update
ver=$(hidma_deb_version $pkg)
[ -n "$ver" ] && [ "$ver" != "(none)" ] || hidma_die "apt knows no $pkg"

key=$(hidma_key "$ver" "$variant" "${frags[@]}" "$0")
out=$HIDMA_CACHE/kernel-$variant-$key
if [ -f "$out/.done" ]; then
	echo "$out"
	exit 0
fi

hidma_heavy_lock
[ -f "$out/.done" ] && { echo "$out"; exit 0; }

src=$HIDMA_CACHE/src/linux-$ver
if [ ! -f "$src/.unpacked" ]; then
	hidma_log "fetching $pkg $ver"
	dl=$HIDMA_CACHE/src/dl-$ver
	rm -rf "$dl" "$src"
	mkdir -p "$dl" "$src"
	(cd "$dl" && apt-get download -qq -o APT::Sandbox::User=root "$pkg=$ver") || hidma_die "apt-get download $pkg failed"
	dpkg-deb --fsys-tarfile "$dl"/*.deb | tar -x -C "$dl"
	tar -xf "$dl"/usr/src/linux-source-6.12.tar.xz -C "$src" --strip-components=1
	rm -rf "$dl"
	touch "$src/.unpacked"
fi

rm -rf "$out"
mkdir -p "$out/build"
frag=$out/fragment.config
cat "${frags[@]}" >"$frag"
mk=(make -s -C "$src" O="$out/build" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-)

hidma_log "configuring the $variant kernel (allnoconfig + fragment)"
"${mk[@]}" KCONFIG_ALLCONFIG="$frag" allnoconfig
# Every option the fragment asks for must have landed: a typo or a
# missing dependency would otherwise silently drop a debug aid.
bad=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=n) opt=${line%%=*}
		grep -q "^$opt=" "$out/build/.config" && { hidma_log "not off: $opt"; bad=1; } ;;
	CONFIG_*=*) grep -qx "$line" "$out/build/.config" || { hidma_log "not set: $line"; bad=1; } ;;
	esac
done < <(awk -F= '/^CONFIG_/ { v[$1] = $0 } END { for (k in v) print v[k] }' "$frag")
[ $bad -eq 0 ] || hidma_die "the config fragment did not apply"

hidma_log "building the $variant kernel with $HIDMA_JOBS jobs"
"${mk[@]}" -j"$HIDMA_JOBS" Image modules
"${mk[@]}" INSTALL_MOD_PATH="$out/modroot" modules_install
cp "$out/build/arch/arm64/boot/Image" "$out/Image"
"${mk[@]}" -s kernelrelease >"$out/release"
ln -sfn "$src" "$out/source"
touch "$out/.done"
ln -sfn "$out" "$HIDMA_CACHE/kernel-$variant"
echo "$out"
