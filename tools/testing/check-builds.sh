#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Builds and static analysis, as TAP lines on stdout:
#   - the modules with W=1 and sparse (C=2) against Debian 12's 6.1 and 6.12
#     kernel headers for arm64 (cross) and x86_64 (compile test), unpacked
#     from Debian's packages (never installed: installing arm64 headers
#     would replace the host compiler), with the host's kbuild tools;
#   - checkpatch.pl --strict and kernel-doc (from the kernel source package)
#     on every kernel-style source file;
#   - QEMU's checkpatch.pl on the QEMU model.
# Any warning fails its line; a tool that is missing or fails (rather than
# reporting) fails its line too, and a script that stops before its end
# says so in a last "not ok" line. Exit status: non-zero if any line
# failed. "# time" lines say how long each step took.
#
#   check-builds.sh [--out DIR]
set -uo pipefail
. "$(dirname "$0")/lib/common.sh"

out=$HIDMA_TOP/out/builds
[ "${1:-}" = --out ] && out=$2
rm -rf "$out"
mkdir -p "$out"
failed=0

ok() { echo "ok build: $*"; }
notok() { echo "not ok build: $*"; failed=1; }

# Anything that ends the script before its last line (hidma_die, a
# signal) is a failure with a line of its own.
finished=
trap '[ -n "$finished" ] || echo "not ok build: check-builds.sh stopped early (exit status $?)"' EXIT

t_step=$(date +%s)
# step_time NAME: how long since the last step_time.
step_time() {
	echo "# time $(($(date +%s) - t_step)) check-builds: $1"
	t_step=$(date +%s)
}

hidma_need_pkgs gcc gcc-aarch64-linux-gnu make bc bison flex libelf-dev libssl-dev \
	sparse perl python3 rsync dwarves

# headers_pkg, unpack_headers: Debian's header packages (lib/debian.sh).
. "$(dirname "$0")/lib/debian.sh"

hidma_arm64_lists

stage=$out/stage
mkdir -p "$stage"
(cd "$HIDMA_TOP" && git ls-files -co --exclude-standard -z |
	rsync -a --from0 --ignore-missing-args --files-from=- ./ "$stage"/)

# build_one SERIES ARCH KDIR: one build, its TAP line(s) on stdout.
build_one() {
	local series=$1 arch=$2 kdir=$3 name="$1 $2" mk log nko
	if [ "$arch" = arm64 ]; then
		mk=(make -C "$kdir" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-)
	else
		mk=(make -C "$kdir" ARCH=x86_64)
		name="$name (compile test)"
	fi
	log=$out/build-$series-$arch.log
	rm -rf "$stage/b-$series-$arch"
	mkdir -p "$stage/b-$series-$arch"
	cp -a "$stage"/{Kbuild,Makefile,include,hidma_mgmt,hidma_chan} "$stage/b-$series-$arch/"
	# Debian's kernels do not build vfio-platform, so its reset
	# module (hidma_vfio_reset) is built as if they did: its calls
	# into vfio-platform are the only symbols allowed to stay
	# unresolved.
	if "${mk[@]}" M="$stage/b-$series-$arch" W=1 C=2 CONFIG_VFIO_PLATFORM=m \
		KBUILD_MODPOST_WARN=1 -j"$HIDMA_JOBS" modules >"$log" 2>&1; then
		if grep -E 'warning|error|: note:' "$log" | grep -v '^make' |
			grep -vE '^WARNING: modpost: "(__)?vfio_platform_(un)?register_reset" \[.*/hidma_vfio_reset\.ko\] undefined!$' \
			>"$log.warn"; then
			notok "$name: W=1 and sparse clean"
			sed 's/^/#   /' "$log.warn" | head -n 30
		else
			# Every module the tree builds: hidma_mgmt, hidma_chan,
			# hidma_vfio_reset.
			nko=$(find "$stage/b-$series-$arch" -name '*.ko' | grep -c .)
			if [ "$nko" -ge 3 ]; then
				ok "$name: W=1 and sparse clean ($nko modules)"
			else
				notok "$name: builds every module (built $nko of 3)"
			fi
		fi
	else
		notok "$name: builds"
		grep -E 'error|warning' "$log" | head -n 30 | sed 's/^/#   /'
	fi
}

# The headers first, one after the other (apt); then the four builds at
# once: each build's serial phases (modpost, BTF, sparse's single file)
# leave cores idle that the others fill. Results in a fixed order.
builds=()
for series in 6.1 6.12; do
	for arch in arm64 amd64; do
		if kdir=$(unpack_headers "$series" "$arch"); then
			builds+=("$series $arch $kdir")
		else
			notok "$series $arch: headers could not be fetched"
		fi
	done
done
step_time "headers"
for b in "${builds[@]}"; do
	# shellcheck disable=SC2086
	set -- $b
	build_one "$@" >"$out/build-$1-$2.tap" &
done

# While the builds run: the style checks, their lines kept for after.
{
	# Style and documentation checks use the tools of the kernel source package
	# the test kernel is built from.
	ksrc=$(readlink -f "$HIDMA_CACHE/kernel-test/source" 2>/dev/null)
	if [ -z "$ksrc" ] || [ ! -x "$ksrc/scripts/checkpatch.pl" ]; then
		ksrc=$(readlink -f "$("$HIDMA_TOP/tools/testing/kernel/build.sh")/source")
	fi
	mapfile -t kfiles < <(cd "$HIDMA_TOP" && git ls-files -co --exclude-standard -- \
		'hidma_mgmt/*.[ch]' 'hidma_chan/*.[ch]' 'include/*.h' 'tools/testing/selftests/*.[ch]' 'tools/testing/bench/*.[ch]')
	if [ ${#kfiles[@]} -gt 0 ]; then
		cp=("$ksrc/scripts/checkpatch.pl" --strict --no-tree --terse --show-types
			--ignore FILE_PATH_CHANGES)
		# The compat header exists to test kernel versions, and its remove()
		# wrapper pastes the function's name (an identifier, never an
		# expression): the one exemption. checkpatch exits 0 on a clean
		# file and 1 with a "total:" line on a file with reports; anything
		# else (no script, perl failing) means the file was not checked.
		(cd "$HIDMA_TOP" && for f in "${kfiles[@]}"; do
			case "$f" in
			include/hidma_compat.h)
				"${cp[@]}" --ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON,MACRO_ARG_REUSE -f "$f" ;;
			*) "${cp[@]}" -f "$f" ;;
			esac >"$out/checkpatch.one" 2>&1
			rc=$?
			cat "$out/checkpatch.one"
			if [ $rc -ne 0 ] && { [ $rc -ne 1 ] || ! grep -q '^total: ' "$out/checkpatch.one"; }; then
				echo "checkpatch-failed: $f: exit status $rc"
			fi
		done) >"$out/checkpatch.log" 2>&1
		rm -f "$out/checkpatch.one"
		if [ ! -x "${cp[0]}" ] || grep -q '^checkpatch-failed: ' "$out/checkpatch.log"; then
			notok "checkpatch.pl --strict: ran on ${#kfiles[@]} files"
			grep -v -E '(ERROR|WARNING|CHECK):' "$out/checkpatch.log" | head -n 20 | sed 's/^/#   /'
		elif grep -qE '(ERROR|WARNING|CHECK):' "$out/checkpatch.log"; then
			notok "checkpatch.pl --strict: ${#kfiles[@]} files clean"
			grep -E '(ERROR|WARNING|CHECK):' "$out/checkpatch.log" | head -n 30 | sed 's/^/#   /'
		else
			ok "checkpatch.pl --strict: ${#kfiles[@]} files clean"
		fi
		(cd "$HIDMA_TOP" && "$ksrc/scripts/kernel-doc" -none -Wall "${kfiles[@]}") >"$out/kernel-doc.log" 2>&1
		krc=$?
		if [ $krc -ne 0 ] && [ ! -s "$out/kernel-doc.log" ]; then
			notok "kernel-doc: ran on ${#kfiles[@]} files (exit status $krc)"
		elif [ -s "$out/kernel-doc.log" ]; then
			notok "kernel-doc: ${#kfiles[@]} files clean"
			head -n 30 "$out/kernel-doc.log" | sed 's/^/#   /'
		else
			ok "kernel-doc: ${#kfiles[@]} files clean"
		fi
	else
		notok "checkpatch.pl, kernel-doc: kernel-style sources found"
	fi
} >"$out/style.tap"
wait
for b in "${builds[@]}"; do
	# shellcheck disable=SC2086
	set -- $b
	cat "$out/build-$1-$2.tap"
	grep -q '^not ok' "$out/build-$1-$2.tap" && failed=1
	grep -q '^ok' "$out/build-$1-$2.tap" || { grep -q '^not ok' "$out/build-$1-$2.tap" ||
		notok "$1 $2: the build reported no result"; }
done
step_time "4 builds in parallel, with checkpatch and kernel-doc"
cat "$out/style.tap"
grep -q '^not ok' "$out/style.tap" && failed=1

# The channel driver's files call only downwards (hidma_chan.h names the
# layers).
if python3 "$HIDMA_TOP/tools/testing/lib/check-layers.py" "$HIDMA_TOP/hidma_chan" \
	>"$out/layers.tap" 2>&1; then
	sed 's/^ok layers/ok build: layers/' "$out/layers.tap"
else
	sed -e 's/^not ok layers/not ok build: layers/' -e 's/^ok layers/ok build: layers/' \
		"$out/layers.tap"
	grep -q '^not ok' "$out/layers.tap" || notok "layers: check-layers.py failed"
	failed=1
fi

# Run from the model's directory, which mirrors the QEMU tree, so that
# QEMU's checkpatch applies its rules by path (tests/ differs from hw/).
qdir=$HIDMA_TOP/tools/testing/qemu
mapfile -t qfiles < <(cd "$qdir" && git ls-files -co --exclude-standard -- '*.[ch]')
qsrc=$(ls -d "$HIDMA_CACHE"/src/qemu-*/ 2>/dev/null | head -n 1)
if [ -z "$qsrc" ]; then
	# A cold machine: QEMU's source comes with its (cached) build.
	"$HIDMA_TOP/tools/testing/qemu/build.sh" >"$out/qemu-build.log" 2>&1
	qsrc=$(ls -d "$HIDMA_CACHE"/src/qemu-*/ 2>/dev/null | head -n 1)
fi
if [ ${#qfiles[@]} -gt 0 ] && { [ -z "$qsrc" ] || [ ! -f "$qsrc/scripts/checkpatch.pl" ]; }; then
	notok "QEMU checkpatch.pl: QEMU's source is there"
	tail -n 20 "$out/qemu-build.log" 2>/dev/null | sed 's/^/#   /'
elif [ ${#qfiles[@]} -gt 0 ]; then
	(cd "$qdir" && "$qsrc/scripts/checkpatch.pl" --no-tree -f "${qfiles[@]}") \
		>"$out/qemu-checkpatch.log" 2>&1
	qrc=$?
	if [ $qrc -ne 0 ] && ! grep -qE '^(ERROR|WARNING):' "$out/qemu-checkpatch.log"; then
		notok "QEMU checkpatch.pl: ran on ${#qfiles[@]} model files (exit status $qrc)"
		tail -n 10 "$out/qemu-checkpatch.log" | sed 's/^/#   /'
	elif grep -qE '^(ERROR|WARNING):' "$out/qemu-checkpatch.log"; then
		notok "QEMU checkpatch.pl: ${#qfiles[@]} model files clean"
		grep -E -A2 '^(ERROR|WARNING):' "$out/qemu-checkpatch.log" | head -n 30 | sed 's/^/#   /'
	else
		ok "QEMU checkpatch.pl: ${#qfiles[@]} model files clean"
	fi
fi

step_time "QEMU checkpatch"

# dkms.conf: dkms accepts the tree and builds it (private dkms trees).
"$HIDMA_TOP/tools/testing/selftests/hidma/install/dkms-check.sh" --out "$out/dkms" \
	>"$out/dkms.tap" 2>"$out/dkms.log"
drc=$?
sed -nE 's/^(not )?ok [0-9]+ dkms: /\1ok build: dkms: /p' "$out/dkms.tap"
grep -q '^not ok' "$out/dkms.tap" && failed=1
if [ $drc -ne 0 ] && ! grep -q '^not ok' "$out/dkms.tap"; then
	notok "dkms: dkms-check.sh exit status $drc"
	tail -n 20 "$out/dkms.log" | sed 's/^/#   /'
fi

step_time "dkms"
finished=1
exit $failed
