#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The virtual platform: build what is missing (QEMU with the model, the test
# kernel, the project's modules and tests, the initramfs, the device tree)
# and boot a guest configuration. Sourced by run-tests.sh and demo.sh.

. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
. "$(dirname "${BASH_SOURCE[0]}")/debian.sh"

VP_TESTING=$HIDMA_TOP/tools/testing
VP_CROSS=aarch64-linux-gnu-

# vp_host_deps: the host packages the platform needs beyond the builds'
# own (those install theirs). The in-guest C tests are static arm64
# programs: they need the cross C library, which gcc-aarch64-linux-gnu
# only recommends.
vp_host_deps() {
	hidma_need_pkgs device-tree-compiler cpp cpio gzip python3 kmod \
		gcc-aarch64-linux-gnu libc6-dev-arm64-cross make rsync xz-utils
}

# vp_busybox: path of a static arm64 busybox from Debian's busybox-static,
# cached by version.
vp_busybox() {
	hidma_arm64_lists
	local ver dir
	ver=$(hidma_deb_version busybox-static:arm64)
	[ -n "$ver" ] && [ "$ver" != "(none)" ] || hidma_die "apt knows no busybox-static:arm64"
	dir=$HIDMA_CACHE/busybox-$(hidma_key "$ver")
	if [ ! -x "$dir/busybox" ]; then
		rm -rf "$dir.tmp"
		mkdir -p "$dir.tmp"
		(cd "$dir.tmp" && apt-get download -qq -o APT::Sandbox::User=root "busybox-static:arm64=$ver") >&2 ||
			hidma_die "apt-get download busybox-static:arm64 failed"
		dpkg-deb -x "$dir.tmp"/busybox-static_*.deb "$dir.tmp/root"
		mkdir -p "$dir"
		cp "$dir.tmp/root/bin/busybox" "$dir/busybox"
		rm -rf "$dir.tmp"
	fi
	echo "$dir/busybox"
}

# vp_uefi: directory holding AAVMF_CODE.fd and AAVMF_VARS.fd, the UEFI
# firmware of Debian's qemu-efi-aarch64 (unpacked, not installed), cached
# by version. The ACPI configurations boot through it.
vp_uefi() {
	hidma_apt_update
	local ver dir
	ver=$(hidma_deb_version qemu-efi-aarch64)
	[ -n "$ver" ] && [ "$ver" != "(none)" ] || hidma_die "apt knows no qemu-efi-aarch64"
	dir=$HIDMA_CACHE/uefi-$(hidma_key "$ver")
	if [ ! -f "$dir/AAVMF_CODE.fd" ]; then
		rm -rf "$dir.tmp"
		mkdir -p "$dir.tmp"
		(cd "$dir.tmp" && apt-get download -qq -o APT::Sandbox::User=root "qemu-efi-aarch64=$ver") >&2 ||
			hidma_die "apt-get download qemu-efi-aarch64 failed"
		dpkg-deb -x "$dir.tmp"/qemu-efi-aarch64_*.deb "$dir.tmp/root"
		mkdir -p "$dir"
		cp "$dir.tmp/root/usr/share/AAVMF/AAVMF_VARS.fd" "$dir/"
		cp "$dir.tmp/root/usr/share/AAVMF/AAVMF_CODE.fd" "$dir/"
		rm -rf "$dir.tmp"
	fi
	echo "$dir"
}

# vp_build VARIANT OUT: build QEMU, the kernel (test or bench), the
# project's modules and tests into OUT. Sets VP_QEMU, VP_QTEST, VP_KERNEL
# (the kernel output dir), VP_STAGE (built tree copy), VP_BUSYBOX, and
# what vp_kernel sets for that kernel.
vp_build() {
	local variant=$1 out=$2 q
	vp_host_deps
	q=$("$VP_TESTING/qemu/build.sh") || hidma_die "QEMU build failed"
	VP_QEMU=$q/bin/qemu-system-aarch64
	VP_QTEST=$q/bin/qcom-hidma-test
	VP_KERNEL=$("$VP_TESTING/kernel/build.sh" --variant "$variant") ||
		hidma_die "kernel build failed"
	VP_VARIANT=$variant
	VP_BUSYBOX=$(vp_busybox)
	VP_UEFI=$(vp_uefi)
	vp_stage "$out" || return 1
	# What the guests boot unless their configuration names a kernel.
	KERNEL= vp_kernel "$out"
}

# vp_stage OUT: copy the work tree (tracked and untracked, not ignored
# files) to OUT/stage and build the modules and tests there, so the work
# tree stays clean and a run sees exactly the files it tests.
vp_stage() {
	local out=$1 kb ksrc area
	VP_STAGE=$out/stage
	kb=$VP_KERNEL/build
	ksrc=$(readlink -f "$VP_KERNEL/source")
	rm -rf "$VP_STAGE"
	mkdir -p "$VP_STAGE"
	(cd "$HIDMA_TOP" && git ls-files -co --exclude-standard -z |
		rsync -a --from0 --ignore-missing-args --files-from=- ./ "$VP_STAGE"/) ||
		hidma_die "could not copy the work tree"
	local kmake=(make -C "$kb" ARCH=arm64 CROSS_COMPILE=$VP_CROSS)
	VP_MODULES=()
	if [ -f "$VP_STAGE/hidma_mgmt/Kbuild" ] && [ -f "$VP_STAGE/hidma_chan/Kbuild" ]; then
		hidma_log "building the project's modules (W=1)"
		"${kmake[@]}" M="$VP_STAGE" W=1 -j"$HIDMA_JOBS" modules >"$out/modules.log" 2>&1 ||
			{ cat "$out/modules.log" >&2; return 1; }
		if grep -E 'warning:|error:' "$out/modules.log" >&2; then
			hidma_log "the modules build printed warnings"
			return 1
		fi
		mapfile -t VP_MODULES < <(find "$VP_STAGE/hidma_mgmt" "$VP_STAGE/hidma_chan" -name '*.ko')
	else
		hidma_log "no driver sources yet: booting without the project's modules"
	fi
	for area in "$VP_STAGE"/tools/testing/selftests/hidma/*/; do
		area=${area%/}
		if [ -f "$area/Makefile" ]; then
			make -C "$area" -j"$HIDMA_JOBS" CC=${VP_CROSS}gcc KSRC="$ksrc" >"$out/tests-$(basename "$area").log" 2>&1 ||
				{ cat "$out/tests-$(basename "$area").log" >&2; return 1; }
		fi
		if [ -f "$area/Kbuild" ]; then
			"${kmake[@]}" M="$area" W=1 -j"$HIDMA_JOBS" modules >"$out/kbuild-$(basename "$area").log" 2>&1 ||
				{ cat "$out/kbuild-$(basename "$area").log" >&2; return 1; }
		fi
		local dtso
		for dtso in $(find "$area" -name '*.dtso'); do
			dtc -q -@ -I dts -O dtb -o "${dtso%.dtso}.dtbo" "$dtso" ||
				hidma_die "dtc failed on $dtso"
		done
		# An area's host-stage script prepares more on the host, with
		# the kernel build tree (install: `make install` to a staging
		# root that its guest tests deploy).
		if [ -x "$area/host-stage" ]; then
			KDIR=$kb ARCH=arm64 CROSS_COMPILE=$VP_CROSS "$area/host-stage" "$VP_STAGE" \
				>"$out/host-stage-$(basename "$area").log" 2>&1 ||
				{ cat "$out/host-stage-$(basename "$area").log" >&2; return 1; }
		fi
	done
}

# vp_qemu_base EXTRA: the QEMU arguments shared by the DT dump and the
# boot; the configuration's MACHINE, then EXTRA, go into -machine.
vp_qemu_base() {
	# shellcheck disable=SC2086
	echo -machine "virt,gic-version=3,hidma=on$MACHINE$1" -cpu cortex-a57 -smp 2 -m 2048 \
		-accel tcg,thread=multi -nodefaults -display none -no-reboot $QEMU_GLOBALS
}

# vp_load_conf NAME: read guest/configs/NAME.conf (DTS, QEMU_GLOBALS,
# GUEST_TIMEOUT, FIRMWARE, MACHINE, KERNEL). FIRMWARE=uefi boots through
# UEFI with ACPI and no device tree of ours (no DTS); MACHINE: more
# -machine options, each starting with a comma; KERNEL: the kernel it
# boots, the test kernel if empty, else debian-6.1 or debian-6.12 (Debian
# 12's own, see vp_kernel); KERNEL_ARGS: more kernel command line;
# NESTED=1: the guest is a host that runs a nested guest (vp_nested).
vp_load_conf() {
	local f=$VP_TESTING/guest/configs/$1.conf
	[ -f "$f" ] || hidma_die "no configuration $1"
	DTS= QEMU_GLOBALS= GUEST_TIMEOUT=1800 FIRMWARE= MACHINE= KERNEL= KERNEL_ARGS=
	NESTED=
	# shellcheck disable=SC1090
	. "$f"
}

# vp_kernel OUT: the kernel the loaded configuration boots (KERNEL), with
# the project's modules and tests built for it. Sets VP_BOOT_IMAGE,
# VP_BOOT_REL (its release), VP_BOOT_MODTREE (its /lib/modules/<release>),
# VP_BOOT_OURS (the project's .ko files), VP_BOOT_TESTS (the tests tree),
# VP_BOOT_EARLY (modules the guest's init loads first), VP_BOOT_NOKML
# (no kmemleak in that kernel). The test kernel and vp_stage's build by
# default; for KERNEL=debian-<series>, Debian's image package of that
# series, unmodified (debian_image), and a stage of the work tree in
# OUT/<KERNEL>/stage built as the README tells admins: the project's
# `make` with KDIR= the headers of the same Debian version (with the
# channel area's client module and the install area's `make install`
# staging root built against them too). Built once per run and series.
vp_kernel() {
	local out=$1 series dir kdir st kmake
	VP_BOOT_EARLY= VP_BOOT_NOKML=
	if [ -z "$KERNEL" ]; then
		VP_BOOT_IMAGE=$VP_KERNEL/Image
		VP_BOOT_REL=$(cat "$VP_KERNEL/release")
		VP_BOOT_MODTREE=$VP_KERNEL/modroot/lib/modules/$VP_BOOT_REL
		VP_BOOT_OURS=("${VP_MODULES[@]}")
		VP_BOOT_TESTS=$VP_STAGE/tools/testing/selftests/hidma
		# The bench kernel has no kmemleak by design.
		[ "${VP_VARIANT:-test}" = bench ] && VP_BOOT_NOKML=1
		return 0
	fi
	case "$KERNEL" in
	debian-6.1|debian-6.12) series=${KERNEL#debian-} ;;
	*) hidma_log "unknown KERNEL=$KERNEL"; return 1 ;;
	esac
	dir=$(debian_image "$series") || { hidma_log "Debian's $series image could not be fetched"; return 1; }
	kdir=$(unpack_headers "$series" arm64) || return 1
	VP_BOOT_IMAGE=$dir/Image
	VP_BOOT_REL=$(cat "$dir/release")
	VP_BOOT_MODTREE=$dir/modroot/lib/modules/$VP_BOOT_REL
	VP_BOOT_NOKML=1
	VP_BOOT_EARLY=$(grep -xE 'virtio_mmio|virtio_console' "$dir/guest-modules" | tr '\n' ' ')
	st=$out/$KERNEL/stage
	VP_BOOT_TESTS=$st/tools/testing/selftests/hidma
	if [ ! -f "$out/$KERNEL/.built" ]; then
		hidma_log "$KERNEL: building the project's modules with make KDIR=$kdir"
		rm -rf "$st"
		mkdir -p "$st"
		(cd "$HIDMA_TOP" && git ls-files -co --exclude-standard -z |
			rsync -a --from0 --ignore-missing-args --files-from=- ./ "$st"/) || return 1
		if ! make -C "$st" KDIR="$kdir" ARCH=arm64 CROSS_COMPILE=$VP_CROSS \
			-j"$HIDMA_JOBS" >"$out/$KERNEL/modules.log" 2>&1; then
			cat "$out/$KERNEL/modules.log" >&2
			return 1
		fi
		# The modules as that make built them (host-stage's make
		# install below builds them again in the same tree).
		rm -rf "$out/$KERNEL/ko"
		mkdir -p "$out/$KERNEL/ko"
		find "$st/hidma_mgmt" "$st/hidma_chan" -name '*.ko' -exec cp {} "$out/$KERNEL/ko/" \;
		kmake=(make -C "$kdir" ARCH=arm64 CROSS_COMPILE=$VP_CROSS -j"$HIDMA_JOBS")
		"${kmake[@]}" M="$VP_BOOT_TESTS/chan" modules >"$out/$KERNEL/client.log" 2>&1 ||
			{ cat "$out/$KERNEL/client.log" >&2; return 1; }
		KDIR=$kdir ARCH=arm64 CROSS_COMPILE=$VP_CROSS "$VP_BOOT_TESTS/install/host-stage" "$st" \
			>"$out/$KERNEL/host-stage.log" 2>&1 ||
			{ cat "$out/$KERNEL/host-stage.log" >&2; return 1; }
		touch "$out/$KERNEL/.built"
	fi
	mapfile -t VP_BOOT_OURS < <(find "$out/$KERNEL/ko" -name '*.ko')
	[ ${#VP_BOOT_OURS[@]} -gt 0 ]
}

# vp_dtb CONF RUNDIR: dump the virt machine's own tree with the same
# options the guest boots with, put the project's dts/ on top, compile.
vp_dtb() {
	local run=$2
	# Under UEFI the firmware hands the kernel ACPI tables: no tree.
	if [ "$FIRMWARE" = uefi ]; then
		rm -f "$run/hidma.dtb"
		return 0
	fi
	# shellcheck disable=SC2046
	"$VP_QEMU" $(vp_qemu_base ",dumpdtb=$run/virt-base.dtb") >/dev/null 2>"$run/dumpdtb.log" ||
		{ cat "$run/dumpdtb.log" >&2; hidma_die "QEMU could not dump the virt tree"; }
	dtc -q -I dtb -O dts -o "$run/virt-base.dts" "$run/virt-base.dtb"
	cpp -nostdinc -undef -x assembler-with-cpp -P -I "$HIDMA_TOP/dts" \
		"$HIDMA_TOP/dts/$DTS" >"$run/hidma.pre.dts" || hidma_die "cpp failed on dts/$DTS"
	dtc -q -I dts -O dtb -i "$run" -o "$run/hidma.dtb" "$run/hidma.pre.dts" ||
		hidma_die "dtc failed on dts/$DTS"
}

# vp_plan CONF [AREA...] -- [TEST...]: the tests of CONF, "area name" per line.
vp_plan() {
	local conf=$1 areas=$2 tests=$3 f area name cfgs
	for f in "$VP_STAGE"/tools/testing/selftests/hidma/*/tests; do
		[ -f "$f" ] || continue
		area=$(basename "$(dirname "$f")")
		if [ -n "$areas" ] && ! echo " $areas " | grep -q " $area "; then
			continue
		fi
		while read -r name cfgs; do
			case "$name" in ""|"#"*) continue ;; esac
			echo " $cfgs " | grep -q " $conf " || continue
			if [ -n "$tests" ] && ! echo " $tests " | grep -q " $name "; then
				continue
			fi
			echo "$area $name"
		done <"$f"
	done
}

# vp_vmm: build (or find cached) the VMM a nested configuration's host
# runs: the arm64 QEMU of qemu/build.sh --vmm. Sets VP_VMM.
vp_vmm() {
	local q
	q=$("$VP_TESTING/qemu/build.sh" --vmm) || return 1
	VP_VMM=$q/bin/qemu-system-aarch64
}

# vp_nested RUNDIR DEST: what the host of a nested configuration needs
# to boot its guest, into DEST (the host initramfs' /hidma/nested): the
# VMM (VP_VMM), the kernel the host boots, and the nested guest's own
# initramfs: busybox, tools/testing/guest/nested-init as /init, the
# tests' lib.sh and the nested area's guest-job, the kernel's modules
# (dmatest) and hidma_chan; no management driver, as in any guest.
vp_nested() {
	local run=$1 dest=$2 root=$1/nested-initramfs rel=$VP_BOOT_REL m
	rm -rf "$root"
	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run} \
		"$root/hidma/tests/nested" "$root/lib/modules"
	cp "$VP_BUSYBOX" "$root/bin/busybox"
	ln -s busybox "$root/bin/sh"
	cp "$VP_TESTING/guest/nested-init" "$root/init"
	cp "$VP_BOOT_TESTS/lib.sh" "$root/hidma/tests/lib.sh"
	cp "$VP_BOOT_TESTS/nested/guest-job" "$root/hidma/tests/nested/guest-job"
	cp -a "$VP_BOOT_MODTREE" "$root/lib/modules/$rel"
	rm -f "$root/lib/modules/$rel/build" "$root/lib/modules/$rel/source"
	mkdir -p "$root/lib/modules/$rel/updates"
	for m in "${VP_BOOT_OURS[@]}"; do
		case "$(basename "$m")" in hidma_chan.ko) cp "$m" "$root/lib/modules/$rel/updates/" ;; esac
	done
	[ -f "$root/lib/modules/$rel/updates/hidma_chan.ko" ] || hidma_die "no hidma_chan.ko for the nested guest"
	depmod -b "$root" "$rel" || hidma_die "depmod failed (nested guest)"
	mkdir -p "$dest"
	(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1) >"$dest/initramfs.gz"
	cp "$VP_VMM" "$dest/qemu-system-aarch64"
	cp "$VP_BOOT_IMAGE" "$dest/Image"
}

# vp_initramfs CONF RUNDIR PLANFILE: the guest's initramfs.
vp_initramfs() {
	local conf=$1 run=$2 plan=$3 root rel
	root=$run/initramfs
	rel=$VP_BOOT_REL
	rm -rf "$root"
	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,run,hidma,lib/modules}
	cp "$VP_BUSYBOX" "$root/bin/busybox"
	ln -s busybox "$root/bin/sh"
	cp "$VP_TESTING/guest/init" "$root/init"
	cp "$VP_TESTING/guest/guest-run.sh" "$root/hidma/guest-run.sh"
	cp "$VP_TESTING/guest/demo" "$root/hidma/demo"
	cp "$VP_TESTING/guest/demo-nested" "$root/hidma/demo-nested"
	cp "$VP_TESTING/guest/vmctl" "$root/usr/bin/vmctl"
	cp "$VP_TESTING/lib/splat-patterns" "$root/hidma/splat-patterns"
	cp "$VP_TESTING/guest/allowed-skips" "$root/hidma/allowed-skips"
	cp "$VP_TESTING/guest/allowed-guest-errors" "$root/hidma/allowed-guest-errors"
	cp "$plan" "$root/hidma/plan"
	[ -n "$VP_BOOT_EARLY" ] && echo "$VP_BOOT_EARLY" >"$root/hidma/early-modules"
	cat >"$root/hidma/env" <<-EOF
	export HIDMA_CONFIG=$conf
	export HIDMA_MODE=${VP_MODE:-tests}
	export HIDMA_TESTS=/hidma/tests
	export HIDMA_TEST_TIMEOUT=${HIDMA_TEST_TIMEOUT:-900}
	EOF
	printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
	cp -a "$VP_BOOT_TESTS" "$root/hidma/tests"
	# The admin tool and its man page as an admin installs them, from
	# the same stage as the tests; the tests run /usr/local/sbin's.
	make -s -C "${VP_BOOT_TESTS%/tools/testing/selftests/hidma}" install-tools \
		DESTDIR="$root" PREFIX=/usr/local >/dev/null || hidma_die "make install-tools failed"
	cp -a "$VP_BOOT_MODTREE" "$root/lib/modules/$rel"
	rm -f "$root/lib/modules/$rel/build" "$root/lib/modules/$rel/source"
	if [ ${#VP_BOOT_OURS[@]} -gt 0 ]; then
		mkdir -p "$root/lib/modules/$rel/updates"
		cp "${VP_BOOT_OURS[@]}" "$root/lib/modules/$rel/updates/"
	fi
	depmod -b "$root" "$rel" || hidma_die "depmod failed"
	[ -z "$NESTED" ] || vp_nested "$run" "$root/hidma/nested"
	(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1) >"$run/initramfs.gz"
}

# vp_boot CONF RUNDIR: boot the guest and wait for it, at most
# GUEST_TIMEOUT seconds. Leaves console.log, results.tap, vmctl.log in
# RUNDIR, and QEMU's guest-error log (-d guest_errors) in guest-errors.log,
# each line the guest runner asked about filed under its test in
# guest-errors.log.attributed. Returns 0 if QEMU exited by itself, 124 on
# timeout.
vp_boot() {
	local run=$2 qpid bpid rc=0 waited=0
	# One guest at a time on this machine: two TCG guests on two cores
	# slow each other down until timeouts fire.
	exec 8>"$HIDMA_CACHE/guest.lock"
	if ! flock -n 8; then
		hidma_log "waiting for another guest run on this machine to finish"
		flock 8
	fi
	rm -f "$run"/{console.log,results.tap,vmctl.log,qmp.sock,ctl.sock,guest-errors.log*}
	: >"$run/results.tap"
	# The bench kernel and Debian's have no kmemleak: say so, or the
	# guest runner fails its kmemleak checks (as it must on the test
	# kernel).
	local kml=" kmemleak=on"
	[ -n "$VP_BOOT_NOKML" ] && kml=" hidma.no_kmemleak"
	# Device tree: the kernel is entered directly with our tree. UEFI:
	# the firmware (pflash: code read-only, a fresh copy of the variable
	# store) loads the kernel through its EFI stub and gives it virt's
	# ACPI tables (virt's acpi=auto: on with firmware), which describe the
	# engine.
	local fw
	if [ "$FIRMWARE" = uefi ]; then
		cp "$VP_UEFI/AAVMF_VARS.fd" "$run/uefi-vars.fd"
		fw="-drive if=pflash,format=raw,unit=0,readonly=on,file=$VP_UEFI/AAVMF_CODE.fd
			-drive if=pflash,format=raw,unit=1,file=$run/uefi-vars.fd"
	else
		fw="-dtb $run/hidma.dtb"
	fi
	# shellcheck disable=SC2046,SC2086
	"$VP_QEMU" $(vp_qemu_base "") $fw \
		-kernel "$VP_BOOT_IMAGE" -initrd "$run/initramfs.gz" \
		-append "console=ttyAMA0 ignore_loglevel no_hash_pointers panic=-1 rdinit=/init$kml${KERNEL_ARGS:+ $KERNEL_ARGS}" \
		-serial "file:$run/console.log" -monitor none \
		-d guest_errors -D "$run/guest-errors.log" \
		-qmp "unix:$run/qmp.sock,server=on,wait=off" \
		-device virtio-serial-device \
		-chardev "socket,id=ctl,path=$run/ctl.sock,server=on,wait=off" \
		-device virtconsole,chardev=ctl,nr=0 \
		-chardev "file,id=res,path=$run/results.tap" \
		-device virtconsole,chardev=res,nr=1 \
		>"$run/qemu.log" 2>&1 &
	qpid=$!
	python3 "$VP_TESTING/lib/vmbridge.py" "$run/qmp.sock" "$run/ctl.sock" "$run/vmctl.log" \
		"$run/guest-errors.log" \
		>>"$run/qemu.log" 2>&1 &
	bpid=$!
	while kill -0 $qpid 2>/dev/null; do
		if [ $waited -ge "$GUEST_TIMEOUT" ]; then
			kill $qpid 2>/dev/null
			rc=124
			break
		fi
		sleep 1
		waited=$((waited + 1))
	done
	wait $qpid 2>/dev/null
	kill $bpid 2>/dev/null
	wait $bpid 2>/dev/null
	VP_BOOT_SECONDS=$waited
	exec 8>&-
	return $rc
}

# vp_splats FILE: print the kernel log lines of FILE that fail the suite.
# A test's expected lines (lib.sh t_expect_kmsg: "[hidma-test] expect
# kmsg: PATTERN" in the log) pass from there to the next test's start.
vp_splats() {
	tr -d '\r' <"$1" | awk '
		/\[hidma-test\] start / { n = 0 }
		/\[hidma-test\] expect kmsg: / {
			p = $0; sub(/.*\[hidma-test\] expect kmsg: /, "", p); pat[++n] = p; next
		}
		/\[hidma-test\]/ { next }
		{ for (i = 1; i <= n; i++) if ($0 ~ pat[i]) next; print }' |
		grep -E -f <(grep -v -e '^#' -e '^$' "$VP_TESTING/lib/splat-patterns")
}
