#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Debian 12's own arm64 kernels, unpacked from their packages (never
# installed: installing arm64 packages would replace the host's): the
# header packages check-builds.sh builds against, and the image packages
# of the same version that the virtual platform boots unmodified
# (configurations with KERNEL=debian-<series>, lib/vp.sh). Needs
# lib/common.sh. Sourced, never run.

# Debian's newest header package for a kernel series and architecture.
headers_pkg() {
	local series=$1 arch=$2
	case "$series" in
	6.1) apt-cache depends "linux-headers-$arch" 2>/dev/null |
		awk '/Depends: linux-headers-6\.1\./ { sub(":.*", "", $2); print $2; exit }' ;;
	6.12) apt-cache pkgnames linux-headers-6.12 |
		grep -E "^linux-headers-6\.12\.[0-9]+\+deb12-$arch\$" | sort -V | tail -n 1 ;;
	esac
}

# unpack_headers SERIES ARCH: prints the KDIR of the unpacked headers.
# Which packages those are is remembered per state of apt's lists (a dozen
# apt-cache runs, half a minute, otherwise).
unpack_headers() {
	local series=$1 arch=$2 pkg common kbuild dir dl memo
	memo=$HIDMA_CACHE/headers/.resolved-$series-$arch-$(stat -c '%n %Y %s' \
		/var/lib/apt/lists/*Packages* 2>/dev/null | sha256sum | cut -c1-16)
	if [ -f "$memo" ] && [ -f "$(cat "$memo")/../../../.done" ]; then
		cat "$memo"
		return 0
	fi
	pkg=$(headers_pkg "$series" "$arch")
	[ -n "$pkg" ] || return 1
	common=$(apt-cache depends "$pkg:$arch" | awk '/Depends: <?linux-headers-.*-common(:[a-z0-9]+)?>?$/ { gsub("[<>]", "", $2); sub(":.*", "", $2); print $2; exit }')
	kbuild=$(apt-cache depends "$pkg:$arch" | awk '/Depends: linux-kbuild-/ { sub(":.*", "", $2); print $2; exit }')
	[ -n "$common" ] && [ -n "$kbuild" ] || return 1
	dir=$HIDMA_CACHE/headers/$pkg-$(hidma_key "$(hidma_deb_version "$pkg:$arch")")
	if [ ! -f "$dir/.done" ]; then
		rm -rf "$dir"
		dl=$dir.dl
		mkdir -p "$dl" "$dir"
		# The kbuild tools are the host's (amd64); the headers the target's.
		(cd "$dl" && apt-get download -qq -o APT::Sandbox::User=root "$pkg:$arch" "$common" "$kbuild:amd64") >&2 || return 1
		for d in "$dl"/*.deb; do dpkg-deb -x "$d" "$dir"; done
		# The flavour's Makefile includes the common one by absolute path.
		sed -i "s|/usr/src/|$dir/usr/src/|" "$dir/usr/src/$pkg/Makefile"
		rm -rf "$dl"
		touch "$dir/.done"
	fi
	echo "$dir/usr/src/$pkg" | tee "$memo"
}

# The modules of a Debian kernel the guest loads (with what they depend
# on): the virtio transport and console the guest's init needs for its
# ports (/dev/hvc0, /dev/hvc1), and the kernel's own HIDMA drivers, which
# the tests show kept away by the project's modprobe.d file.
DEBIAN_GUEST_MODULES="virtio_mmio virtio_console hdma hdma_mgmt"

# debian_image SERIES: Debian's arm64 kernel image package of the same
# version as the headers of unpack_headers SERIES arm64, unpacked and
# cached by version; prints its directory: Image (the package's vmlinuz,
# byte for byte), config, release, guest-modules (those of
# DEBIAN_GUEST_MODULES that are modules, not built in) and
# modroot/lib/modules/<release> with the package's modules.builtin*,
# modules.order and only the guest's modules and their dependencies
# (decompressed: busybox's modprobe reads plain ELF; the kernel loads
# either).
debian_image() {
	local series=$1 kdir hpkg img ver hver dir root rel md todo m f dep
	kdir=$(unpack_headers "$series" arm64) || return 1
	hpkg=$(basename "$kdir")
	img=linux-image-${hpkg#linux-headers-}
	hver=$(hidma_deb_version "$hpkg:arm64")
	ver=$(hidma_deb_version "$img:arm64")
	# The signed image is built from the unsigned one and reaches the
	# archive later (days, after a security update): until it does, the
	# unsigned package of the same version carries the same kernel.
	if [ "$ver" != "$hver" ] &&
	   [ "$(hidma_deb_version "$img-unsigned:arm64")" = "$hver" ]; then
		img=$img-unsigned
		ver=$hver
	fi
	if [ -z "$ver" ] || [ "$ver" = "(none)" ] || [ "$ver" != "$hver" ]; then
		hidma_log "$img:arm64 ($ver) is not the version of $hpkg:arm64 ($hver)"
		return 1
	fi
	dir=$HIDMA_CACHE/debian-kernel/$img-$(hidma_key "$ver")
	if [ ! -f "$dir/.done" ]; then
		rm -rf "$dir" "$dir.dl"
		mkdir -p "$dir.dl" "$dir"
		(cd "$dir.dl" && apt-get download -qq -o APT::Sandbox::User=root "$img:arm64=$ver") >&2 ||
			return 1
		root=$dir.dl/root
		dpkg-deb -x "$dir.dl"/*.deb "$root" || return 1
		rel=$(ls "$root/lib/modules")
		[ -f "$root/boot/vmlinuz-$rel" ] || return 1
		cp "$root/boot/vmlinuz-$rel" "$dir/Image"
		cp "$root/boot/config-$rel" "$dir/config"
		echo "$rel" >"$dir/release"
		md=$dir/modroot/lib/modules/$rel
		mkdir -p "$md"
		cp "$root/lib/modules/$rel"/modules.{builtin,builtin.modinfo,order} "$md/"
		: >"$dir/guest-modules"
		todo=" $DEBIAN_GUEST_MODULES "
		while [ -n "${todo// /}" ]; do
			# shellcheck disable=SC2086
			set -- $todo
			m=$1
			shift
			todo=" $* "
			f=$(cd "$root/lib/modules/$rel" &&
				find kernel \( -name "$m.ko*" -o -name "${m//_/-}.ko*" \) | head -n 1)
			if [ -z "$f" ]; then
				grep -Eq "/($m|${m//_/-})\.ko\$" "$md/modules.builtin" && continue
				hidma_log "$img: no module $m, and it is not built in"
				return 1
			fi
			[ -f "$md/${f%.xz}" ] && continue
			mkdir -p "$md/$(dirname "$f")"
			case "$f" in
			*.ko.xz) xz -dc "$root/lib/modules/$rel/$f" >"$md/${f%.xz}" || return 1 ;;
			*.ko) cp "$root/lib/modules/$rel/$f" "$md/$f" ;;
			*) hidma_log "$img: $f: unknown compression"; return 1 ;;
			esac
			echo "$m" >>"$dir/guest-modules"
			for dep in $(modinfo -F depends "$md/${f%.xz}" | tr ',' ' '); do
				todo="$todo$dep "
			done
		done
		rm -rf "$dir.dl"
		touch "$dir/.done"
	fi
	echo "$dir"
}
