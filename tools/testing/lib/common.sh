#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Shared helpers for the virtual-platform scripts: where the cache lives,
# how cache keys are made, the host packages each step needs, and the lock
# that keeps heavy builds from running two at a time on a small machine.
# Sourced, never run.

HIDMA_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
HIDMA_CACHE=${HIDMA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hidma-vp}
HIDMA_JOBS=${HIDMA_JOBS:-$(nproc)}
mkdir -p "$HIDMA_CACHE"

hidma_log() { printf '[hidma] %s\n' "$*" >&2; }
hidma_die() { printf '[hidma] error: %s\n' "$*" >&2; exit 1; }

# Run a command as root (the CI and the developers' machines are root;
# elsewhere sudo).
hidma_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# hidma_key FILE|DIR|STRING...: a short digest of the named inputs. Files
# and directories (recursively, sorted, names included) contribute their
# contents; anything else contributes itself as a string.
hidma_key() {
	local x
	for x in "$@"; do
		if [ -d "$x" ]; then
			(cd "$x" && find . -type f ! -name '*.pyc' -print0 | LC_ALL=C sort -z |
				xargs -0 sha256sum)
		elif [ -f "$x" ]; then
			printf '%s\n' "$(basename "$x")"; cat "$x"
		else
			printf 'str:%s\n' "$x"
		fi
	done | sha256sum | cut -c1-16
}

# Heavy builds (QEMU, kernel) take this lock so that two of them never
# share the machine's two cores.
hidma_heavy_lock() {
	exec 9>"$HIDMA_CACHE/heavy.lock"
	flock 9
}

hidma_apt_updated=
hidma_apt_update() {
	[ -n "$hidma_apt_updated" ] && return 0
	# Another run on the machine may be updating: wait for its lock.
	hidma_root apt-get -o DPkg::Lock::Timeout=600 update -qq ||
		hidma_die "apt-get update failed"
	hidma_apt_updated=1
}

# hidma_arm64_lists: apt knows Debian's arm64 packages (Debian's kernel
# headers and images, busybox-static), which are downloaded and unpacked,
# never installed. Adding the architecture needs a fresh update, even when
# this run updated before it.
hidma_arm64_lists() {
	if ! grep -qx arm64 < <(dpkg --print-foreign-architectures); then
		hidma_root dpkg --add-architecture arm64
		hidma_apt_updated=
	fi
	hidma_apt_update
}

# hidma_need_pkgs PKG...: install the Debian packages that are missing.
hidma_need_pkgs() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	hidma_log "installing ${missing[*]}"
	hidma_apt_update
	hidma_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		-o DPkg::Lock::Timeout=600 \
		--no-install-recommends "${missing[@]}" >/dev/null ||
		hidma_die "apt-get install ${missing[*]} failed"
}

# Source packages (QEMU) need deb-src entries. A fresh Debian 12 install
# has binary entries only: derive source entries from them, same mirrors.
hidma_need_deb_src() {
	if apt-get source --print-uris -qq qemu >/dev/null 2>&1; then
		return 0
	fi
	local out=/etc/apt/sources.list.d/hidma-deb-src.sources tmp
	tmp=$(mktemp)
	local f
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		[ "$f" = "$out" ] && continue
		sed -n '/^Types:/s/.*/Types: deb-src/;p' "$f" | grep -qi '^URIs:.*debian' &&
			sed '/^Types:/s/.*/Types: deb-src/' "$f" >>"$tmp" && echo >>"$tmp"
	done
	if [ -f /etc/apt/sources.list ]; then
		grep -E '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' >"$tmp.list" || true
		[ -s "$tmp.list" ] && hidma_root cp "$tmp.list" /etc/apt/sources.list.d/hidma-deb-src.list
		rm -f "$tmp.list"
	fi
	[ -s "$tmp" ] && hidma_root cp "$tmp" "$out"
	rm -f "$tmp"
	hidma_apt_updated=
	hidma_apt_update
	apt-get source --print-uris -qq qemu >/dev/null 2>&1 ||
		hidma_die "no deb-src entries for qemu could be set up"
}

# hidma_deb_version PKG: the candidate version apt would fetch.
hidma_deb_version() {
	apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ { print $2 }'
}
