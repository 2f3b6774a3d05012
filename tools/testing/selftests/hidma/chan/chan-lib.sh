# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh
#
# Helpers of the channel area's tests, on top of the shared lib.sh.
# Source it:  . ./chan-lib.sh

# shellcheck source=../lib.sh
. "${HIDMA_TESTS:-/hidma/tests}/lib.sh"

CHAN_AREA=$HIDMA_TESTS/chan
HCT=/sys/kernel/debug/hidma_chan_test
CHAN_DBG=/sys/kernel/debug/hidma_chan

# chan_list: one line per channel bound to hidma_chan:
# "<dmaengine channel> <platform device> <chid>", in address order (the
# names' order: the same width of address, or of ACPI instance, in every
# name). Read from the driver's own folder, without a process per
# platform device: every test and helper calls it, under TCG a fork costs
# tens of milliseconds, and the platform bus holds some forty devices.
chan_list() {
	for _c in /sys/bus/platform/drivers/hidma_chan/*/dma/dma*chan*; do
		[ -e "$_c" ] || continue
		_p=${_c%/dma/*}
		read -r _chid <"$_p/chid"
		echo "${_c##*/} ${_p##*/} $_chid"
	done
}

# chan_of_dev DEV: the dmaengine channel name of a bound platform device.
chan_of_dev() {
	for _c in /sys/bus/platform/devices/"$1"/dma/dma*chan*; do
		[ -e "$_c" ] && echo "${_c##*/}"
	done
}

# chan_pick_msi_wired: "<channel> <device> <chid>" of the first bound
# channel on MSIs and of the first on its wired line (host: one of each;
# guest: the only one), for tests that break one channel of each kind.
chan_pick_msi_wired() {
	chan_list >/tmp/pick.chans
	for _mode in msi wired; do
		while read -r _ch _dev _chid; do
			[ "$(chan_state "$_dev" interrupts)" = $_mode ] || continue
			echo "$_ch $_dev $_chid"
			break
		done </tmp/pick.chans
	done
}

# chan_counter DEV NAME / chan_state DEV NAME: a field of the driver's
# debugfs "counters" / "state" file.
chan_counter() { awk -v k="$2" '$1 == k { print $2 }' "$CHAN_DBG/$1/counters"; }
chan_state() { awk -v k="$2" '$1 == k { print $2 }' "$CHAN_DBG/$1/state"; }

# The client test module (hidma_chan_test.ko, built from this area's Kbuild).
hct_load() {
	grep -q '^hidma_chan_test ' /proc/modules ||
		insmod "$CHAN_AREA/hidma_chan_test.ko"
}
hct_unload() { rmmod hidma_chan_test 2>/dev/null; true; }

# hct_run CHANNEL TEST: run one client test; its log becomes diagnostics.
hct_run() {
	echo "$1" >"$HCT/channel"
	if echo "$2" >"$HCT/run" 2>/tmp/hct.err; then
		_rc=0
	else
		_rc=1
		sed 's/^/#   /' /tmp/hct.err
	fi
	sed 's/^/#   /' "$HCT/log"
	return $_rc
}

# t_hct DESC CHANNEL TEST: one TAP line for one client test.
t_hct() {
	if hct_run "$2" "$3" >/tmp/t_hct.out 2>&1; then
		t_ok "$1"
	else
		t_fail "$1"
	fi
	cat /tmp/t_hct.out
}


# irq_kind DEV: how DEV's interrupts are delivered, from /proc/interrupts
# (not from the driver): "msi" if every line naming DEV is on an MSI
# chip, "wired" if there is one line and it is on the GIC's own chip,
# "none" or "mixed" otherwise.
irq_kind() {
	grep " $1\$" /proc/interrupts >/tmp/irq_kind.$$
	_n=$(grep -c . /tmp/irq_kind.$$)
	_m=$(grep -c 'MSI' /tmp/irq_kind.$$)
	_g=$(grep -v 'MSI' /tmp/irq_kind.$$ | grep -c 'GIC')
	rm -f /tmp/irq_kind.$$
	if [ "$_n" -eq 0 ]; then
		echo none
	elif [ "$_m" -eq "$_n" ]; then
		echo msi
	elif [ "$_n" -eq 1 ] && [ "$_g" -eq 1 ]; then
		echo wired
	else
		echo mixed
	fi
}

# irq_count DEV: the interrupts of DEV's lines, summed over the CPUs.
irq_count() {
	grep " $1\$" /proc/interrupts |
		awk '{ for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) s += $i } END { print s + 0 }'
}
