# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh disable=SC2034 # the variables are for the tests
#
# Helpers of the ACPI area's tests, on top of the shared lib.sh. Source it
# from the area directory:  . ./acpi-lib.sh

# shellcheck source=../lib.sh
. "${HIDMA_TESTS:-/hidma/tests}/lib.sh"

PLAT=/sys/bus/platform/devices
MGMT_DRV=/sys/bus/platform/drivers/hidma_mgmt

# acpi_mgmt: the management block's platform device (QCOM8060), if any.
acpi_mgmt() {
	for _d in "$PLAT"/QCOM8060:*; do
		[ -e "$_d" ] && echo "${_d##*/}"
	done
}

# acpi_chans: "uid device hid" per channel device (QCOM8061..3), by _UID.
acpi_chans() {
	for _d in "$PLAT"/QCOM806[123]:*; do
		[ -e "$_d" ] || continue
		echo "$(cat "$_d/firmware_node/uid") ${_d##*/} $(cat "$_d/firmware_node/hid")"
	done | sort -n
}

# driver_of DEV: the driver DEV is bound to, empty if none.
driver_of() {
	_l=$(readlink "$PLAT/$1/driver" 2>/dev/null) || return 0
	echo "${_l##*/}"
}

# dev_regions DEV: the start addresses of DEV's MMIO regions (TRCA, EVCA
# for a channel), as the kernel took them from _CRS (/proc/iomem).
# A region and the driver's request of it may both carry the name: once.
dev_regions() {
	sed -n "s/^ *\([0-9a-f]*\)-[0-9a-f]* : $1\$/\1/p" /proc/iomem | sort -u |
		while read -r _a; do printf '0x%x\n' "0x$_a"; done
}
