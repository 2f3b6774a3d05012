# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh disable=SC2034 # the variables are for the tests
#
# Helpers of the hidma_mgmt tests (busybox sh). Source after lib.sh:
#   . "$HIDMA_TESTS/lib.sh"; . "$HIDMA_TESTS/mgmt/mgmt-lib.sh"

MGMT_NAME=b000000.hidma-mgmt
MGMT=/sys/bus/platform/devices/$MGMT_NAME
MGMT_DT=/proc/device-tree/hidma-mgmt@b000000
MGMT_DRV=/sys/bus/platform/drivers/hidma_mgmt
CHAN_DRV=/sys/bus/platform/drivers/hidma_chan
VARIANT_NAME=b000000.hidma-mgmt-variant
VARIANT=/sys/bus/platform/devices/$VARIANT_NAME
VARIANT_DT=/proc/device-tree/hidma-mgmt-variant@b000000
OVL=/sys/kernel/debug/hidma_mgmt_overlay
MGMT_DEBUGFS=/sys/kernel/debug/hidma_mgmt
MGMT_AREA=$HIDMA_TESTS/mgmt

# The six settings: sysfs file, firmware property, model register, shift,
# width.
MGMT_SETTINGS="
dma_channels dma-channels - 0 0
max_write_request max-write-burst-bytes mgmt-max-bus-req-len 16 16
max_read_request max-read-burst-bytes mgmt-max-bus-req-len 0 16
max_wr_xactions max-write-transactions mgmt-max-xactions 16 5
max_rd_xactions max-read-transactions mgmt-max-xactions 0 5
chreset_timeout_cycles channel-reset-timeout-cycles mgmt-chreset-timeout 0 20
"

# dt_cells PROPERTY-FILE: every 32-bit cell, decimal, one per line.
dt_cells() {
	od -An -tu1 -v "$1" | awk '{
		for (i = 1; i <= NF; i++) {
			v = v * 256 + $i
			if (++n % 4 == 0) { printf "%.0f\n", v; v = 0 }
		}
	}'
}

# dt_u32 PROPERTY-FILE: its first cell.
dt_u32() { dt_cells "$1" | head -n 1; }

# field VALUE SHIFT WIDTH
field() { echo $((($1 >> $2) & ((1 << $3) - 1))); }

# qos_expected DTNODE N: "priority weight" firmware gives channel N.
qos_expected() {
	if [ -e "$1/qcom,channel-qos" ]; then
		_q=$(dt_cells "$1/qcom,channel-qos" | sed -n "$((2 * $2 + 1)),$((2 * $2 + 2))p" | tr '\n' ' ')
		[ -n "$_q" ] && { echo "$_q" | awk '{ print $1, $2 }'; return; }
	fi
	echo "0 1"
}

# qos_pair "CELLS" N: "priority weight" of channel N from the cells of a
# qcom,channel-qos property (space-separated; empty if there is none),
# the reset value "0 1" past its end. qos_expected without processes.
qos_pair() {
	_n=$2
	# shellcheck disable=SC2086
	set -- $1
	if [ $# -ge $((2 * _n + 2)) ]; then
		shift $((2 * _n))
		echo "$1 $2"
	else
		echo "0 1"
	fi
}

# model_snap PROP...: the model's PROPs in one request to the bridge,
# remembered for snap (one vmctl, not one per register).
model_snap() {
	_MS_PROPS="$*"
	_MS_VALS=$(vmctl qom-get "$HIDMA_QOM" "$@") || _MS_VALS=
}

# snap PROP: its value in the last model_snap.
snap() {
	_want=$1
	# shellcheck disable=SC2086
	set -- $_MS_VALS
	for _p in $_MS_PROPS; do
		[ "$_p" = "$_want" ] && { echo "$1"; return 0; }
		[ $# -eq 0 ] || shift
	done
	return 1
}

# mark: writes a unique line to the kernel log and prints it; log_since
# MARK prints what came after it. Called as m=$(mark), in a subshell, so
# the count lives in a file.
mark() {
	_mark_n=0
	[ -e /tmp/hidma_mgmt-mark ] && read -r _mark_n </tmp/hidma_mgmt-mark
	_mark_n=$((_mark_n + 1))
	echo $_mark_n >/tmp/hidma_mgmt-mark
	_mark="hidma_mgmt-test-mark-$_mark_n"
	echo "$_mark" >/dev/kmsg
	echo "$_mark"
}
log_since() { dmesg | awk -v m="$1" 'f; $0 ~ m "$" { f = 1 }'; }

# no_splats_since MARK: the lines after MARK that fail the suite (the runner's
# patterns), plus OF node refcount complaints; succeeds if there are none.
# (The patterns are gathered once per test; the loops over firmware
# variants call this once per variant.)
SPLAT_PAT=/tmp/hidma_mgmt-splat-patterns.$$
no_splats_since() {
	[ -s "$SPLAT_PAT" ] ||
		{ grep -v -e '^#' -e '^$' /hidma/splat-patterns 2>/dev/null; echo 'OF: ERROR'; } >"$SPLAT_PAT"
	! dmesg | awk -v m="$1" 'f && !/\[hidma-test\]/; $0 ~ m "$" { f = 1 }' |
		grep -E -f "$SPLAT_PAT"
}

# mgmt_cfg_clear: CFG.ENABLE = 0 through the bus (busybox devmem), while
# no driver is bound to the management block: only a driver's probe may
# set it again, so a test can see whether one did.
mgmt_cfg_clear() { devmem 0x0b000400 32 0; }

# The same registers read through the bus (busybox devmem, no driver), one
# process each instead of a round trip to the host each: for the loops over
# many firmware variants, while no driver is bound to the block.
regs_bus_snapshot() {
	_s=""
	for _o in 0x400 0x41c 0x420 0x418; do
		_s="$_s $_o=$(devmem $((0x0b000000 + _o)) 32)"
	done
	_i=0
	while [ $_i -lt "${1:-6}" ]; do
		_s="$_s qos$_i=$(devmem $((0x0b000700 + 4 * _i)) 32)"
		_i=$((_i + 1))
	done
	echo "$_s"
}

# Model registers: every management register and QOS(0..N-1) as one line,
# read in one request to the bridge.
regs_snapshot() {
	_props="mgmt-cfg mgmt-max-bus-req-len mgmt-max-xactions mgmt-chreset-timeout"
	_i=0
	while [ $_i -lt "${1:-6}" ]; do
		_props="$_props chan$_i-qos"
		_i=$((_i + 1))
	done
	# shellcheck disable=SC2046,SC2086
	set -- $(vmctl qom-get "$HIDMA_QOM" $_props)
	_s=""
	for _p in $_props; do
		_s="$_s $_p=$1"
		[ $# -eq 0 ] || shift
	done
	echo "$_s"
}

# is_bound DEVICE-NAME [DRIVER]: no forks, the loops call it a lot.
is_bound() {
	if [ -n "$2" ]; then
		[ -e "/sys/bus/platform/drivers/$2/$1" ]
	else
		[ -e "/sys/bus/platform/devices/$1/driver" ]
	fi
}

# Platform devices whose parent is DEVICE-NAME (no forks either).
children_of() {
	for _d in /sys/bus/platform/devices/"$1"/*/modalias; do
		[ -e "$_d" ] || continue
		_d=${_d%/modalias}
		echo "${_d##*/}"
	done
}

# Channel nodes below the management node that the OS may use.
dt_channel_nodes() {
	for _n in "$1"/dma-controller@*; do
		[ -d "$_n" ] || continue
		if [ -e "$_n/status" ]; then
			case "$(tr -d '\0' <"$_n/status")" in okay|ok) ;; *) continue ;; esac
		fi
		echo "${_n##*/}"
	done
}

mgmt_load() {
	grep -q '^hidma_mgmt ' /proc/modules || modprobe hidma_mgmt || return 1
	is_bound $MGMT_NAME hidma_mgmt || echo $MGMT_NAME >$MGMT_DRV/bind 2>/dev/null
	is_bound $MGMT_NAME hidma_mgmt
}

chan_driver_loaded() { grep -q '^hidma_chan ' /proc/modules; }

# bind_chans: bind every unbound channel device to hidma_chan.
bind_chans() {
	for _c in $(children_of $MGMT_NAME); do
		is_bound "$_c" || echo "$_c" >$CHAN_DRV/bind 2>/dev/null
	done
}

ovl_load() {
	[ -d $OVL ] || insmod "$MGMT_AREA/hidma_mgmt_overlay.ko"
}

ovl_unload() {
	grep -q '^hidma_mgmt_overlay ' /proc/modules && rmmod hidma_mgmt_overlay
	return 0
}

# kmemleak_check: scan, print the new reports; fails if there are any,
# and fails if kmemleak is missing or turned itself off (kmemleak_scan):
# a check that cannot look must not pass.
kmemleak_check() {
	kmemleak_scan || return 1
	cat /sys/kernel/debug/kmemleak >/tmp/kmemleak.$$
	if [ -s /tmp/kmemleak.$$ ]; then
		head -n 40 /tmp/kmemleak.$$
		rm -f /tmp/kmemleak.$$
		return 1
	fi
	rm -f /tmp/kmemleak.$$
}

# QoS measurements -------------------------------------------------------

# dma_chan_of CHID: the dmaengine channel (dmaXchanY) of hardware channel
# CHID, paired through the channel device's chid attribute (or, if the
# channel driver has none, its TRCA address: 0x0b100000 + CHID * 0x1000).
dma_chan_of() {
	for _c in /sys/class/dma/dma*chan*; do
		[ -e "$_c/device" ] || continue
		_dev=$(readlink -f "$_c/device")
		_chid=$(cat "$_dev/chid" 2>/dev/null)
		if [ -z "$_chid" ]; then
			_a=${_dev##*/}
			_a=${_a%%.*}
			_chid=$(((0x$_a - 0xb100000) / 0x1000))
		fi
		[ "$_chid" = "$1" ] && { echo "${_c##*/}"; return 0; }
	done
	return 1
}

# qos_set CHID PRIORITY WEIGHT
qos_set() {
	echo "$2" >$MGMT/chanops/chan$1/priority && echo "$3" >$MGMT/chanops/chan$1/weight
}

# bytes_moved CHID...: the model's byte counters, space-separated, read
# in one request to the bridge: one snapshot of all of them, not one
# vmctl (a third of a second under TCG) per channel apart.
bytes_moved() {
	_props=
	for _i; do _props="$_props chan$_i-bytes"; done
	# shellcheck disable=SC2086
	vmctl qom-get "$HIDMA_QOM" $_props
}

# window SECONDS CHID...: bytes each channel moved in a window of SECONDS,
# space separated.
window() {
	_s=$1
	shift
	_before=$(bytes_moved "$@")
	sleep "$_s"
	_after=$(bytes_moved "$@")
	set -- $_before $_after
	_n=$(($# / 2))
	_out=""
	_k=1
	while [ $_k -le $_n ]; do
		_b='' _a=''
		eval "_b=\${$_k} _a=\${$((_k + _n))}"
		_out="$_out $((_a - _b))"
		_k=$((_k + 1))
	done
	echo $_out
}

# within X Y PERCENT-LOW PERCENT-HIGH: LOW <= 100 * X / Y <= HIGH.
within() {
	[ "$2" -gt 0 ] || return 1
	_r=$((100 * $1 / $2))
	[ "$_r" -ge "$3" ] && [ "$_r" -le "$4" ]
}

# qos_prepare: the two channels the QoS tests load, QA and QB (hardware
# channels 0 and 1), and their dmaengine channels DA and DB; their QoS is
# restored on exit. Exits 4 (skip, reason on the last line) when the
# platform cannot measure QoS.
qos_prepare() {
	_bw=$(model_get bandwidth 2>/dev/null)
	if [ -z "$_bw" ] || [ "$_bw" -eq 0 ] 2>/dev/null; then
		echo "needs the model's bandwidth limit: QEMU -global qcom-hidma.bandwidth=N, N > 0 (got '$_bw')"
		exit 4
	fi
	t_diag "model bandwidth $_bw bytes/s"
	mgmt_load || { t_fail "hidma_mgmt bound"; t_done; }
	if ! modprobe hidma_chan 2>/dev/null; then
		echo "no hidma_chan module"
		exit 4
	fi
	bind_chans
	QA=0
	QB=1
	DA=$(dma_chan_of $QA) && DB=$(dma_chan_of $QB) || {
		echo "no dmaengine channels for hardware channels $QA and $QB"
		exit 4
	}
	t_diag "channel $QA is $DA, channel $QB is $DB"
	_qos_saved="$(cat $MGMT/chanops/chan$QA/priority $MGMT/chanops/chan$QA/weight \
		$MGMT/chanops/chan$QB/priority $MGMT/chanops/chan$QB/weight | tr '\n' ' ')"
	trap qos_cleanup EXIT
}

qos_cleanup() {
	dmatest_stop
	set -- $_qos_saved
	qos_set $QA "$1" "$2"
	qos_set $QB "$3" "$4"
}

# variants_cleanup: for a trap on EXIT of the overlay tests: no overlay
# left, test module unloaded, the real management device bound.
variants_cleanup() {
	[ -w $OVL/remove ] && echo 1 >$OVL/remove 2>/dev/null
	ovl_unload
	is_bound $MGMT_NAME || echo $MGMT_NAME >$MGMT_DRV/bind 2>/dev/null
	return 0
}

# Unbind/rebind loops ---------------------------------------------------

# whole [CHANS]: the management device is bound and complete; with CHANS,
# every channel device is bound to hidma_chan too. Set NCHILDREN first.
whole() {
	is_bound $MGMT_NAME hidma_mgmt || { echo "management not bound"; return 1; }
	[ -d $MGMT/chanops/chan0 ] || { echo "no chanops"; return 1; }
	_n=0
	for _c in $(children_of $MGMT_NAME); do
		_n=$((_n + 1))
		[ -z "$1" ] || is_bound "$_c" hidma_chan || { echo "$_c not bound to hidma_chan"; return 1; }
	done
	[ "$_n" = "$NCHILDREN" ] || { echo "$_n channel devices, want $NCHILDREN"; return 1; }
}

# count GLOB-RESULT...: how many paths a glob matched.
count() { if [ -e "$1" ]; then echo $#; else echo 0; fi; }

# footprint: what rounds of a loop must not accumulate: IRQ descriptors,
# requested interrupts, platform devices, dmaengine channels, MSI vectors,
# the modules' reference counts.
footprint() {
	echo "irqs=$(count /sys/kernel/irq/*)" \
		"requested=$(grep -c : /proc/interrupts)" \
		"platform=$(count /sys/bus/platform/devices/*)" \
		"dma=$(count /sys/class/dma/*)" \
		"msi=$(count /sys/bus/platform/devices/*/msi_irqs/[0-9]*)" \
		"mgmt-refs=$(cat /sys/module/hidma_mgmt/refcnt 2>/dev/null)" \
		"chan-refs=$(cat /sys/module/hidma_chan/refcnt 2>/dev/null)"
}

# loop DESC WITH-CHANS CMD...: LOOPS (at least 2) rounds of CMD, each
# followed by whole; then the engine must be enabled, and nothing may have
# accumulated between the end of the first round and the end of the last
# (footprint; leaked memory is kmemleak's, at the end of each test). The
# rounds are identical, so all that more rounds could show is something
# that builds up until a round fails; where it is something the footprint
# counts, it shows after two rounds instead of after as many as it takes
# to run out.
loop() {
	_d=$1 _w=$2
	shift 2
	_i=0
	while [ $_i -lt "$LOOPS" ]; do
		"$@" >/tmp/loop.$$ 2>&1 || { t_fail "$_d: round $_i: $*"; sed 's/^/#   /' /tmp/loop.$$; return; }
		whole "$_w" >/tmp/loop.$$ 2>&1 || { t_fail "$_d: round $_i"; sed 's/^/#   /' /tmp/loop.$$; return; }
		[ $_i -eq 0 ] && _fp=$(footprint)
		_i=$((_i + 1))
	done
	if [ "$(model_get mgmt-cfg)" != 1 ]; then
		t_fail "$_d: engine enabled after $LOOPS rounds"
		return
	fi
	t_ok "$_d: $LOOPS rounds"
	t_eq "$_d: nothing accumulates over rounds 2..$LOOPS" "$_fp" "$(footprint)"
}

unbind_bind() {
	echo $MGMT_NAME >$MGMT_DRV/unbind && echo $MGMT_NAME >$MGMT_DRV/bind
}
