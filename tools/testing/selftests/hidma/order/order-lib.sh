# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh disable=SC2034 # NCHILDREN, FI_N: read by the callers
#
# Helpers of the unload/unbind order tests (busybox sh): the drivers go
# away in some order while dmatest moves data on the channels. Source it
# from the area directory:  . ./order-lib.sh

# shellcheck source=../lib.sh
. "${HIDMA_TESTS:-/hidma/tests}/lib.sh"
# shellcheck source=../mgmt/mgmt-lib.sh
. "$HIDMA_TESTS/mgmt/mgmt-lib.sh"

ROUNDS=${ROUNDS:-1}

# chans: "<dmaengine channel> <platform device> <chid>" per bound channel.
chans() {
	for _dev in $(hidma_channel_devices); do
		is_bound "$_dev" hidma_chan || continue
		for _c in /sys/bus/platform/devices/"$_dev"/dma/dma*chan*; do
			[ -e "$_c" ] && echo "${_c##*/} $_dev $(cat "/sys/bus/platform/devices/$_dev/chid")"
		done
	done
}

# order_start: dmatest on every bound channel, two threads each, until
# stopped, with data checks; returns once every channel has moved data.
# ORDER_CHANS keeps the channel list of the run.
order_start() {
	chans >/tmp/order.chans
	ORDER_CHANS=$(awk '{ printf "%s ", $1 }' /tmp/order.chans)
	ORDER_CHIDS=$(awk '{ printf "%s ", $3 }' /tmp/order.chans)
	_t0=$(order_tres)
	# shellcheck disable=SC2086
	dmatest_start -n 2 -b 16384 $ORDER_CHANS || return 1
	wait_until 30 order_all_moved "$_t0"
}

# order_tres [CHID...]: the model's TRE counters of these channels (the
# run's channels by default), in one round trip to the host.
order_tres() {
	# shellcheck disable=SC2086
	[ $# -gt 0 ] || set -- $ORDER_CHIDS
	model_tres "$@"
}

# order_all_moved T0 [CHID...]: every channel executed a TRE since T0
# (order_tres of the same channels).
order_all_moved() {
	_t0=$1
	shift
	all_grew "$_t0" "$(order_tres "$@")"
}

# order_finish DESC: stop dmatest and check the run: every thread ended
# (none hangs on a channel that went away), no transfer reported wrong
# data, and the channels in $ORDER_KEPT (never removed) had no failure.
order_finish() {
	_desc=$1
	dmatest_stop
	t_check "$_desc: dmatest threads end" dmatest_wait 120
	# shellcheck disable=SC2046
	set -- $(dmatest_summary)
	t_diag "$_desc: dmatest $1 threads, $2 transfers, $3 failures"
	_want=$(($(echo "$ORDER_CHANS" | wc -w) * 2))
	t_eq "$_desc: every dmatest thread reported" "$_want" "$1"
	t_eq "$_desc: no transfer reported wrong data" 0 \
		"$(_dt_log | grep -c -e 'data error' -e 'mismatch')"
	# A stop wakes a thread waiting for its transfer: dmatest reports
	# that wait as 'test timed out', or as 'completion busy status' when
	# the callback comes between its status read and its done check.
	for _c in $ORDER_KEPT; do
		_dt_log | awk -v stop="$_dt_stop" -v c="dmatest: $_c-" '
			index($0, stop) { s = 1; next }
			index($0, c) && /: result #/ {
				if (s && /test timed out|completion busy status/) next
				print
			}' >/tmp/order.kept
		t_eq "$_desc: $_c, never removed, had no failure" 0 \
			"$(grep -c . /tmp/order.kept)"
		sed 's/^/#   /' /tmp/order.kept
	done
	dmatest_unload
}

# order_survivors DESC: the channels in $ORDER_KEPT_CHIDS (never removed)
# keep moving data under the running dmatest after a removal: each
# executes TREs within 10 s. (A neighbour that hangs fails here, not in
# the stop that follows, which excuses the wait it interrupts.)
order_survivors() {
	[ -n "$ORDER_KEPT_CHIDS" ] || return 0
	# shellcheck disable=SC2086
	_k0=$(order_tres $ORDER_KEPT_CHIDS)
	# shellcheck disable=SC2086
	t_check "$1: the channels never removed keep moving data after it" \
		wait_until 10 order_all_moved "$_k0" $ORDER_KEPT_CHIDS
}

# order_survivors_count DESC: after order_finish, with the removed channel
# still gone: a fixed dmatest count on the channels in $ORDER_KEPT
# completes, every transfer checked.
order_survivors_count() {
	[ -n "$ORDER_KEPT" ] || return 0
	# shellcheck disable=SC2086
	dmatest_start -i 50 $ORDER_KEPT && dmatest_wait 120
	# shellcheck disable=SC2086
	t_dmatest "$1: the channels never removed complete 50 transfers each" 50 $ORDER_KEPT
	dmatest_unload
}

# order_quiet CHID...: the model saw no TRE from these channels in 0.3 s.
order_quiet() {
	_a=$(order_tres "$@")
	sleep 0.3
	_b=$(order_tres "$@")
	[ "$_a" = "$_b" ] || { echo "TREs before: $_a after: $_b"; return 1; }
}

# order_restore: both modules loaded, everything bound.
order_restore() {
	modprobe hidma_chan || return 1
	if [ -d "$MGMT_DT" ]; then
		mgmt_load || return 1
		bind_chans
		whole chans
	else
		for _d in $(hidma_channel_devices); do
			is_bound "$_d" || echo "$_d" >$CHAN_DRV/bind
		done
	fi
}

# order_final: after the rounds: everything bound, dmatest passes on every
# channel, the log is clean, kmemleak finds nothing.
order_final() {
	t_check "everything bound again" order_restore
	chans >/tmp/order.chans
	_all=$(awk '{ printf "%s ", $1 }' /tmp/order.chans)
	# shellcheck disable=SC2086
	dmatest_start -i 30 $_all && dmatest_wait 300
	# shellcheck disable=SC2086
	t_dmatest "dmatest afterwards on every channel" 30 $_all
	dmatest_unload
	t_check "kernel log clean" no_splats_since "$M0"
	# every_order_during_dmatest runs the orders one after the other and
	# checks kmemleak once after the last (ORDER_KMEMLEAK_AFTER_ALL).
	if [ -z "$ORDER_KMEMLEAK_AFTER_ALL" ]; then
		t_check "no memory leaked (kmemleak)" kmemleak_check
	fi
}

order_init() {
	vmctl ping >/dev/null 2>&1 || { t_fail "the host bridge (vmctl) answers"; t_done; }
	[ -d "$MGMT_DT" ] && NCHILDREN=$(dt_channel_nodes "$MGMT_DT" | grep -c .)
	t_check "baseline: everything bound" order_restore
	M0=$(mark)
}
