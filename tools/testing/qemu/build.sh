#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build QEMU with the project's HIDMA model: Debian 12's qemu source
# package, aarch64-softmmu only, only the devices the virt machine needs
# plus a virtio console. Also builds the model's qtest.
#
# Prints the output directory on stdout; it holds bin/qemu-system-aarch64
# and bin/qcom-hidma-test. Everything else goes to stderr. The output is
# cached under $HIDMA_CACHE, keyed by the source package version and the
# contents of this directory.

set -euo pipefail

QEMU_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib/common.sh
. "$QEMU_DIR/../lib/common.sh"

# Debian's python3 and meson, whatever else the caller's PATH puts first:
# QEMU 7.2's configure takes meson and python from PATH.
export PATH=/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH

# ipxe-qemu: the option ROM of virtio-net-pci, the NIC virt creates by
# default (QEMU refuses to start without it unless given -nic none).
hidma_need_pkgs dpkg-dev gcc make ninja-build meson python3 pkg-config \
	libglib2.0-dev libpixman-1-dev libfdt-dev zlib1g-dev xz-utils ipxe-qemu
hidma_need_deb_src

# The source package apt would fetch: qemu_<version>.dsc (no epoch)
dsc=$(apt-get source --print-uris -qq qemu | awk '{ gsub("\x27", "", $2); print $2 }' |
	grep -m1 '^qemu_.*\.dsc$')
[ -n "$dsc" ] || hidma_die "apt-get source --print-uris qemu gave no .dsc"
version=${dsc#qemu_}
version=${version%.dsc}

key=$(cd / && hidma_key "$version" "$QEMU_DIR")
out=$HIDMA_CACHE/qemu-$key

finish() {
	ln -sfn "$(basename "$out")" "$HIDMA_CACHE/qemu"
	printf '%s\n' "$out"
	exit 0
}

[ -e "$out/.done" ] && finish

hidma_log "building QEMU $version with the HIDMA model (key $key)"
hidma_heavy_lock
# Someone may have built it while we waited for the lock.
[ -e "$out/.done" ] && finish

# Unpacked source, kept pristine and shared: reuse it if it is this version.
upstream=${version%-*}
src=$HIDMA_CACHE/src/qemu-$upstream
have=
if [ -f "$src/debian/changelog" ]; then
	have=$(dpkg-parsechangelog -l "$src/debian/changelog" -S Version)
	have=${have#*:}
fi
if [ "$have" != "$version" ]; then
	hidma_log "fetching qemu $version source"
	mkdir -p "$HIDMA_CACHE/src"
	tmp=$(mktemp -d "$HIDMA_CACHE/src/.qemu-unpack.XXXXXX")
	(cd "$tmp" && apt-get source -qq qemu >&2) ||
		{ rm -rf "$tmp"; hidma_die "apt-get source qemu failed"; }
	[ -d "$tmp/qemu-$upstream" ] ||
		{ rm -rf "$tmp"; hidma_die "qemu source not unpacked as qemu-$upstream"; }
	rm -rf "$src"
	mv "$tmp/qemu-$upstream" "$src"
	mv "$tmp"/qemu_* "$HIDMA_CACHE/src/" 2>/dev/null || true
	rm -rf "$tmp"
fi

# Build in a fresh copy: our files and patches go there, never into $src.
rm -rf "$out"
work=$out/work
mkdir -p "$work" "$out/bin"
log=$out/build.log
hidma_log "copying the source (log: $log)"
cp -a "$src" "$work/src"

(cd "$QEMU_DIR" && find hw include tests configs -type f ! -name trace-events) |
	while read -r f; do
		mkdir -p "$work/src/$(dirname "$f")"
		cp "$QEMU_DIR/$f" "$work/src/$f"
	done
find "$QEMU_DIR/hw" -name trace-events | while read -r f; do
	rel=${f#"$QEMU_DIR"/}
	cat "$f" >>"$work/src/$rel"
done
for p in "$QEMU_DIR"/patches/*.patch; do
	hidma_log "applying $(basename "$p")"
	patch -d "$work/src" -p1 --forward --batch --quiet <"$p" >&2 ||
		hidma_die "patch $(basename "$p") does not apply"
done

hidma_log "configuring"
mkdir -p "$work/build"
(
	cd "$work/build"
	../src/configure \
		--target-list=aarch64-softmmu \
		--without-default-features \
		--without-default-devices \
		--with-devices-aarch64=hidma \
		--enable-tcg \
		--enable-fdt=system \
		--disable-docs \
		--disable-tools \
		--disable-guest-agent \
		--disable-user \
		--disable-install-blobs \
		--disable-debug-info \
		--prefix="$out"
) >>"$log" 2>&1 || { tail -n 40 "$log" >&2; hidma_die "configure failed"; }

hidma_log "building with -j$HIDMA_JOBS"
ninja -C "$work/build" -j "$HIDMA_JOBS" \
	qemu-system-aarch64 tests/qtest/qcom-hidma-test >>"$log" 2>&1 ||
	{ tail -n 60 "$log" >&2; hidma_die "build failed"; }

# Our files must build without a warning.
if grep -E '(qcom_hidma|qcom-hidma-test|hw/arm/virt)\.[ch]:[0-9]+:[0-9]+: warning' "$log" >&2; then
	hidma_die "warnings in the HIDMA files (see $log)"
fi

cp "$work/build/qemu-system-aarch64" "$work/build/tests/qtest/qcom-hidma-test" "$out/bin/"
# Run-time data: the binary looks in ../share/qemu beside itself. Booting a
# kernel with -kernel needs no firmware; only the default NIC wants its ROM.
mkdir -p "$out/share/qemu"
cp /usr/lib/ipxe/qemu/efi-virtio.rom "$out/share/qemu/"
cp "$work/build/aarch64-softmmu-config-devices.mak" "$out/config-devices.mak" 2>/dev/null || true
rm -rf "$work"
touch "$out/.done"
hidma_log "QEMU ready in $out"
finish
