# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh
#
# Helpers of the install area's tests, on top of the shared lib.sh. Source
# it from the area directory:  . ./install-lib.sh
#
# The host ran `make install INSTALL_MOD_PATH=root` into this directory
# (host-stage). The tests deploy that staging root as the guest's module
# tree, the way a package or an image would put it on a machine: a copy of
# the kernel's own modules with the staged updates/ next to them, mounted
# over /lib/modules/<release>, depmod run there, the staged modprobe.d file
# in /etc/modprobe.d. Then they load drivers the way a booting system does:
# modprobe with every platform device's modalias (udev's coldplug).
#
# The guest's modprobe and depmod are busybox's: aliases from
# modules.alias, "blacklist" for modules found through an alias (as kmod's
# modprobe does), /etc/modprobe.d read. One difference from kmod: busybox
# cuts names and alias patterns at the first '.', so it cannot tell
# qcom,hidma-1.0 from qcom,hidma-1.2. The tests therefore also match each
# modalias against modules.alias exactly, with kmod's rules (fnmatch on the
# whole string), before they trust a load.

# shellcheck source=../lib.sh
. "${HIDMA_TESTS:-/hidma/tests}/lib.sh"

INSTALL_AREA=$HIDMA_TESTS/install
STAGED=$INSTALL_AREA/root
REL=$(uname -r)
MODDIR=/lib/modules/$REL
STAGED_MODDIR=$STAGED/lib/modules/$REL
DEPLOY=/tmp/install-deploy
CONF=/etc/modprobe.d/hidma.conf
# Every module that may claim a HIDMA device: ours and the kernel's names.
HIDMA_MODULES="hidma_vfio_reset hidma_chan hidma_mgmt hdma hdma_mgmt"

loaded() { grep -q "^$1 " /proc/modules; }

# loaded_set: the HIDMA modules loaded, sorted, space-separated.
loaded_set() {
	for _m in $HIDMA_MODULES; do
		loaded "$_m" && echo "$_m"
	done | sort | tr '\n' ' ' | sed 's/ $//'
}

# tree_has_mgmt: the firmware describes a management block (host view):
# a device tree node, or an ACPI device QCOM8060.
tree_has_mgmt() {
	grep -qs 'qcom,hidma-mgmt-1.0' /sys/firmware/devicetree/base/*/compatible ||
		[ -e /sys/bus/acpi/devices/QCOM8060:00 ]
}

# driver_of DEV: the bound driver's name, empty if unbound.
driver_of() {
	_l=$(readlink "/sys/bus/platform/devices/$1/driver" 2>/dev/null) || return 0
	echo "${_l##*/}"
}

# unload_all: no HIDMA module loaded (dmatest released first).
unload_all() {
	dmatest_unload 2>/dev/null
	for _m in $HIDMA_MODULES; do
		loaded "$_m" && rmmod "$_m"
	done
	[ -z "$(loaded_set)" ]
}

# deploy [FAKES]: the staged root as the module tree; FAKES=fakes also puts
# the stand-ins for the kernel's hdma and hdma_mgmt where the kernel keeps
# its own (kernel/drivers/dma/qcom). Without the modprobe.d file: the
# callers add it (with_conf).
deploy() {
	undeploy
	mkdir -p "$DEPLOY/$REL"
	cp -a "$MODDIR/kernel" "$DEPLOY/$REL/" || return 1
	for _f in "$MODDIR"/modules.builtin* "$MODDIR"/modules.order; do
		[ -e "$_f" ] && cp "$_f" "$DEPLOY/$REL/"
	done
	cp -a "$STAGED_MODDIR/updates" "$DEPLOY/$REL/" || return 1
	if [ "${1:-}" = fakes ]; then
		mkdir -p "$DEPLOY/$REL/kernel/drivers/dma/qcom"
		cp "$INSTALL_AREA/hdma.ko" "$INSTALL_AREA/hdma_mgmt.ko" \
			"$DEPLOY/$REL/kernel/drivers/dma/qcom/" || return 1
	fi
	mount --bind "$DEPLOY/$REL" "$MODDIR" || return 1
	depmod
}

# with_conf: the staged modprobe.d file in /etc/modprobe.d.
with_conf() {
	mkdir -p /etc/modprobe.d
	cp "$STAGED/etc/modprobe.d/hidma.conf" "$CONF"
}

# undeploy: back to the suite's own module tree, nothing of ours loaded
# that a stand-in could have taken over.
undeploy() {
	for _m in hdma hdma_mgmt; do
		loaded "$_m" && rmmod "$_m"
	done
	rm -f "$CONF"
	while grep -q " $MODDIR " /proc/mounts; do
		umount "$MODDIR" || break
	done
	rm -rf "$DEPLOY"
}

# coldplug: modprobe every platform device's modalias, as udev does at
# boot; then, while loading created new devices (hidma_mgmt creates its
# channels), the modalias of each new one, as udev does on its "add"
# event. Each modprobe call goes to $COLDPLUG_LOG. (Every device again on
# each pass, as before, only asked busybox's modprobe about forty times
# more for aliases it had already resolved.) Remembers the HIDMA devices
# for hd_mgmt/hd_chans once done.
#
# With COLDPLUG_RULES set to a udev rules directory, each device's add
# event first goes through those rules (udev_rules_add), as udev applies
# the rules before the modprobe of 80-drivers.rules.
COLDPLUG_LOG=/tmp/install-coldplug.log
coldplug() {
	: >"$COLDPLUG_LOG"
	_seen=" "
	for _pass in 1 2 3 4; do
		_new=
		for _d in /sys/bus/platform/devices/*; do
			case "$_seen" in *" ${_d##*/} "*) continue ;; esac
			_seen="$_seen${_d##*/} "
			_new=1
			[ -r "$_d/modalias" ] || continue
			read -r _a <"$_d/modalias"
			[ -z "${COLDPLUG_RULES:-}" ] || udev_rules_add "${_d##*/}"
			echo "pass $_pass: ${_d##*/}: modprobe $_a" >>"$COLDPLUG_LOG"
			modprobe -q "$_a" >>"$COLDPLUG_LOG" 2>&1
		done
		[ -n "$_new" ] || break
		sleep 0.5
	done
	hd_remember
}

# udev_rules_add DEV: what udev does with the platform device DEV's add
# event under the rules in $COLDPLUG_RULES. The guest has no udev (busybox,
# no mdev either), so this stands in for it, for the one form of rule the
# suite needs, hidma-handoff persist's: a line matching SUBSYSTEM=="platform",
# ACTION=="add" and KERNEL=="DEV" exactly (no globs, no other keys), with
# ATTR{name}="value" assignments, written while the rules are applied,
# then its RUN+="..." programs, run after them (udev runs all RUN programs
# once every rule is applied, in rule order; the modprobe of the device's
# modalias, which the caller does next, is 80-drivers.rules' RUN, after a
# 70- rule's).
udev_rules_add() {
	_run=
	for _r in "$COLDPLUG_RULES"/*.rules; do
		[ -f "$_r" ] || continue
		while read -r _l; do
			case "$_l" in
			"#"*|"") continue ;;
			esac
			case "$_l" in
			*'SUBSYSTEM=="platform"'*) ;;
			*) continue ;;
			esac
			case "$_l" in
			*'ACTION=="add"'*) ;;
			*) continue ;;
			esac
			case "$_l" in
			*"KERNEL==\"$1\""*) ;;
			*) continue ;;
			esac
			echo "udev: $1: $_r" >>"$COLDPLUG_LOG"
			echo "$_l" | tr ',' '\n' |
				sed -n 's/^ *ATTR{\([^}]*\)}="\(.*\)" *$/\1 \2/p' |
				while read -r _k _v; do
					echo "udev: $1: ATTR{$_k}=$_v" >>"$COLDPLUG_LOG"
					echo "$_v" >"/sys/bus/platform/devices/$1/$_k"
				done
			_run="$_run$(echo "$_l" | tr ',' '\n' |
				sed -n 's/^ *RUN+="\(.*\)" *$/\1/p')
"
		done <"$_r"
	done
	echo "$_run" | while read -r _c; do
		[ -n "$_c" ] || continue
		echo "udev: $1: RUN $_c" >>"$COLDPLUG_LOG"
		sh -c "$_c" >>"$COLDPLUG_LOG" 2>&1
	done
}

# hd_mgmt / hd_chans: the names of the HIDMA management / channel
# devices (lib.sh's hidma_devices), remembered for as long as the set of
# platform devices stays the same: hidma_devices costs a process per
# platform device, and the checks ask for the lists again and again from
# subshells, which cannot remember for their parent (coldplug, run in the
# test's shell, does).
hd_remember() {
	set -- /sys/bus/platform/devices/*
	_HD_KEY="$*"
	_HD_MGMT=$(hidma_devices 'qcom,hidma-mgmt-1.0')
	_HD_CHAN=$(hidma_channel_devices)
}
_hd_current() {
	set -- /sys/bus/platform/devices/*
	[ "$*" = "${_HD_KEY:-}" ] || hd_remember
}
hd_mgmt() { _hd_current; [ -z "$_HD_MGMT" ] || echo "$_HD_MGMT"; }
hd_chans() { _hd_current; [ -z "$_HD_CHAN" ] || echo "$_HD_CHAN"; }

# alias_owners MODALIAS [MODULES.ALIAS]: the modules whose alias patterns
# match MODALIAS as a whole (kmod's fnmatch), sorted, space-separated.
alias_owners() {
	while read -r _kw _pat _mod; do
		[ "$_kw" = alias ] || continue
		# shellcheck disable=SC2254
		case "$1" in
		$_pat) echo "$_mod" ;;
		esac
	done <"${2:-$MODDIR/modules.alias}" | sort -u | tr '\n' ' ' | sed 's/ $//'
}

# hidma_device_drivers: "device:driver" of every HIDMA device, sorted.
hidma_device_drivers() {
	for _d in $(hd_mgmt) $(hd_chans); do
		echo "$_d:$(driver_of "$_d")"
	done | sort | tr '\n' ' ' | sed 's/ $//'
}

# expected_drivers: what hidma_device_drivers must say with our drivers.
expected_drivers() {
	{
		for _d in $(hd_mgmt); do
			echo "$_d:hidma_mgmt"
		done
		for _d in $(hd_chans); do
			echo "$_d:hidma_chan"
		done
	} | sort | tr '\n' ' ' | sed 's/ $//'
}
