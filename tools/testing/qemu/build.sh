#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build QEMU with the project's HIDMA model: Debian 12's qemu source
# package, aarch64-softmmu only, only the devices the virt machine needs
# plus a virtio console. Also builds the model's qtest.
#
#   build.sh          the virtual platform's QEMU (this machine's binary)
#   build.sh --vmm    the VMM the nested configuration runs in its host:
#                     the same source and patches, cross-built for arm64,
#                     static (against Debian's arm64 -dev packages,
#                     unpacked into a sysroot, never installed), KVM and
#                     vfio-platform, virt with the devices config vmm.mak
#                     names (the HIDMA model comes along, as virt selects
#                     it, but its hidma property stays off: the VMM
#                     passes the host's channel through instead)
#
# Prints the output directory on stdout; it holds bin/qemu-system-aarch64
# (and, without --vmm, bin/qcom-hidma-test). Everything else goes to
# stderr. The output is cached under $HIDMA_CACHE, keyed by the source
# package version and the contents of this directory (with --vmm, also
# the sysroot's package versions).

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

vmm=
case "${1:-}" in
"") ;;
--vmm) vmm=1 ;;
*) hidma_die "usage: $0 [--vmm]" ;;
esac

# The VMM's static link: the arm64 libraries QEMU's configure looks for,
# with what their static archives need in turn (pkg-config --static).
VMM_DEBS="libglib2.0-dev libglib2.0-0 libpcre2-dev libpcre2-8-0 libpcre2-16-0
	libpcre2-32-0 libpcre2-posix3 libffi-dev libffi8 zlib1g-dev zlib1g
	libpixman-1-dev libpixman-1-0 libfdt-dev libfdt1 libmount-dev libmount1
	libblkid-dev libblkid1 libselinux1-dev libselinux1 libc6-dev libc6
	linux-libc-dev libcrypt-dev libcrypt1"

# The source package apt would fetch: qemu_<version>.dsc (no epoch)
dsc=$(apt-get source --print-uris -qq qemu | awk '{ gsub("\x27", "", $2); print $2 }' |
	grep -m1 '^qemu_.*\.dsc$')
[ -n "$dsc" ] || hidma_die "apt-get source --print-uris qemu gave no .dsc"
version=${dsc#qemu_}
version=${version%.dsc}

if [ -n "$vmm" ]; then
	hidma_need_pkgs gcc-aarch64-linux-gnu
	hidma_arm64_lists
	vmm_vers=
	for d in $VMM_DEBS; do
		v=$(hidma_deb_version "$d:arm64")
		[ -n "$v" ] && [ "$v" != "(none)" ] || hidma_die "apt knows no $d:arm64"
		vmm_vers="$vmm_vers $d:arm64=$v"
	done
	key=$(cd / && hidma_key "$version" "$QEMU_DIR" vmm "$vmm_vers")
	out=$HIDMA_CACHE/vmm-$key
	link=vmm
else
	key=$(cd / && hidma_key "$version" "$QEMU_DIR")
	out=$HIDMA_CACHE/qemu-$key
	link=qemu
fi

finish() {
	ln -sfn "$(basename "$out")" "$HIDMA_CACHE/$link"
	printf '%s\n' "$out"
	exit 0
}

[ -e "$out/.done" ] && finish

if [ -n "$vmm" ]; then
	hidma_log "building the arm64 VMM from QEMU $version (key $key)"
else
	hidma_log "building QEMU $version with the HIDMA model (key $key)"
fi
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

# The VMM's sysroot: Debian's arm64 packages, unpacked.
cross=()
if [ -n "$vmm" ]; then
	sr=$out/sysroot
	mkdir -p "$out/debs" "$sr"
	# shellcheck disable=SC2086
	(cd "$out/debs" && apt-get download -qq -o APT::Sandbox::User=root $vmm_vers) >&2 ||
		hidma_die "apt-get download of the VMM's arm64 packages failed"
	for d in "$out"/debs/*.deb; do
		dpkg-deb -x "$d" "$sr"
	done
	export PKG_CONFIG=pkg-config
	export PKG_CONFIG_LIBDIR=$sr/usr/lib/aarch64-linux-gnu/pkgconfig:$sr/usr/share/pkgconfig
	export PKG_CONFIG_SYSROOT_DIR=$sr
	# --sysroot for the linker too: meson's static find_library looks
	# there, and -L alone does not reach it.
	cross=(--cross-prefix=aarch64-linux-gnu- --static --enable-kvm
		--with-devices-aarch64=vmm
		"--extra-cflags=--sysroot=$sr" "--extra-ldflags=--sysroot=$sr")
else
	cross=(--with-devices-aarch64=hidma)
fi

hidma_log "configuring"
mkdir -p "$work/build"
(
	cd "$work/build"
	../src/configure \
		--target-list=aarch64-softmmu \
		--without-default-features \
		--without-default-devices \
		"${cross[@]}" \
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
targets=(qemu-system-aarch64)
[ -n "$vmm" ] || targets+=(tests/qtest/qcom-hidma-test)
ninja -C "$work/build" -j "$HIDMA_JOBS" "${targets[@]}" >>"$log" 2>&1 ||
	{ tail -n 60 "$log" >&2; hidma_die "build failed"; }

# Our files must build without a warning.
if grep -E '(qcom_hidma|qcom-hidma|qcom-hidma-test|hw/arm/virt|sysbus-fdt)\.[ch]:[0-9]+:[0-9]+: warning' "$log" >&2; then
	hidma_die "warnings in the HIDMA files (see $log)"
fi

if [ -n "$vmm" ]; then
	# Into the host's initramfs: no symbols, no ROMs (the nested guest
	# has no NIC and boots its kernel directly).
	aarch64-linux-gnu-strip -o "$out/bin/qemu-system-aarch64" \
		"$work/build/qemu-system-aarch64"
	rm -rf "$out/debs" "$out/sysroot"
else
	cp "$work/build/qemu-system-aarch64" "$work/build/tests/qtest/qcom-hidma-test" "$out/bin/"
	# Run-time data: the binary looks in ../share/qemu beside itself.
	# Booting a kernel with -kernel needs no firmware; only the default
	# NIC wants its ROM.
	mkdir -p "$out/share/qemu"
	cp /usr/lib/ipxe/qemu/efi-virtio.rom "$out/share/qemu/"
fi
cp "$work/build/aarch64-softmmu-config-devices.mak" "$out/config-devices.mak" 2>/dev/null || true
rm -rf "$work"
touch "$out/.done"
hidma_log "QEMU ready in $out"
finish
