# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh
#
# Helpers of the quiesce tests (busybox sh). The client test module
# (chan/hidma_chan_test.ko) queues a backlog of BL_COUNT memcpys of
# BL_SIZE bytes on one channel and returns while they are queued; on the
# bandwidth-limited model (host-qos) that is seconds of work. The test
# then takes the channel away from hidma_chan (unbind, rmmod hidma_mgmt,
# handoff to vfio-platform) and checks, from the model's own statistics:
#
# - the channel's TRE and byte counters stop once the removal returns
#   (sampled, then again QUIET_S seconds later: the engine would have
#   finished two more TREs in that time);
# - the TREs the model executed since the backlog was queued equal the
#   completions the client saw (successful callbacks): none executed
#   without the client hearing of it, none reported done that never ran;
# - the model's chanN-tres-after-stop / -bytes-after-stop (work after the
#   last RESET/DISABLE of the channel) are 0, when the model has them;
# - a neighbour channel running a fixed dmatest count through the removal
#   kept moving data after it and completed every transfer.
#
# Source it from the area directory:  . ./quiesce-lib.sh

# shellcheck source=../lib.sh
. "${HIDMA_TESTS:-/hidma/tests}/lib.sh"
# shellcheck source=../chan/chan-lib.sh
. "$HIDMA_TESTS/chan/chan-lib.sh"
# shellcheck source=../mgmt/mgmt-lib.sh
. "$HIDMA_TESTS/mgmt/mgmt-lib.sh"

BL_COUNT=${BL_COUNT:-32}
BL_SIZE=${BL_SIZE:-1048576}
QUIET_S=${QUIET_S:-1}
# Neighbour's dmatest: a fixed count that outlasts the removal, which
# lets queued work drain for up to 2 s (Documentation/hidma-chan.rst).
NB_ITER=${NB_ITER:-2000}

# q_init: the model must be the bandwidth-limited one, the bridge there.
q_init() {
	[ "$(vmctl ping 2>&1)" = pong ] || { t_fail "the host bridge (vmctl) answers"; t_done; }
	bw=$(model_get bandwidth)
	[ "${bw:-0}" -gt 0 ] 2>/dev/null ||
		{ t_fail "the model's bandwidth is limited (bandwidth=${bw:-?})"; t_done; }
	t_diag "model bandwidth $bw bytes/s: the backlog is $((BL_COUNT * BL_SIZE / bw)) s of work"
	hct_load || { t_fail "load hidma_chan_test.ko"; t_done; }
	M0=$(mark)
}

# q_counters CHID: "tres bytes" of the model's channel, in one request to
# the bridge (one snapshot, one vmctl).
q_counters() { vmctl qom-get "$HIDMA_QOM" "chan$1-tres" "chan$1-bytes"; }

# q_pick: DEV, CH, CHID of the channel to break; NB_DEV, NB_CH, NB_CHID
# of a neighbour (empty when there is none).
q_pick() {
	chan_list >/tmp/q.chans
	# shellcheck disable=SC2046
	set -- $(head -n 1 /tmp/q.chans)
	CH=$1 DEV=$2 CHID=$3
	# shellcheck disable=SC2046
	set -- $(sed -n 2p /tmp/q.chans)
	NB_CH=$1 NB_DEV=$2 NB_CHID=$3
	[ -n "$DEV" ] || { t_fail "a channel bound to hidma_chan"; t_done; }
}

# q_backlog: queue the backlog on $CH; returns once the model is moving
# it. Sets T0 (the model's counters before it).
q_backlog() {
	T0=$(q_counters "$CHID")
	echo "$BL_COUNT" >"$HCT/count"
	echo "$BL_SIZE" >"$HCT/size"
	t_hct "$CH: $BL_COUNT transfers of $BL_SIZE bytes queued" "$CH" backlog
	# Behind an IOMMU the client maps them for the channel's device, so
	# an engine access after the client freed them faults.
	! translated "$DEV" ||
		t_check "$DEV: the backlog's buffers are mapped for the channel's device" \
			grep -q "backlog: buffers of $DEV" "$HCT/log"
	t_check "$DEV: the model is executing them" wait_until 20 q_moved "$CHID" "$T0"
}

# q_moved CHID "TRES BYTES": the channel executed a TRE since.
q_moved() { [ "$(model_get "chan$1-tres")" -gt "${2%% *}" ]; }

# q_bl FIELD: a field of the client's backlog line.
q_bl() { awk -v k="$1" '{ for (i = 1; i < NF; i += 2) if ($i == k) print $(i + 1) }' "$HCT/backlog"; }

# q_after_removal WHAT: the checks once the removal returned.
q_after_removal() {
	_what=$1
	_c1=$(q_counters "$CHID")
	sleep "$QUIET_S"
	_c2=$(q_counters "$CHID")
	_q=$(( $(q_bl submitted) - $(q_bl ok) - $(q_bl failed) ))
	t_diag "$DEV: model tres/bytes before the backlog $T0, at $_what $_c1, ${QUIET_S}s later $_c2"
	t_diag "$DEV: client: $(cat "$HCT/backlog")"
	t_eq "$DEV: the model's TRE and byte counters stop once $_what returned" "$_c1" "$_c2"
	_ran=$(( ${_c2%% *} - ${T0%% *} ))
	t_check "$DEV: the backlog was still deep at $_what ($_ran of $BL_COUNT executed)" \
		test "$_ran" -le $((BL_COUNT - 4))
	t_eq "$DEV: TREs the model executed = completions the client saw" "$_ran" "$(q_bl ok)"
	t_check "$DEV: no callback for a transfer that never ran ($_q without a callback)" \
		test "$(q_bl ok)" -le "$_ran"
	for _p in tres bytes; do
		if _v=$(model_get "chan$CHID-$_p-after-stop" 2>/dev/null); then
			t_eq "$DEV: the model saw no $_p after the channel's last stop" 0 "$_v"
		else
			t_diag "the model has no chan$CHID-$_p-after-stop (optional)"
		fi
	done
}

# q_neighbour_start: a fixed dmatest count on the neighbour, started
# after the backlog (so that it is still running at the removal: about
# 8 s of transfers while it shares the bandwidth).
q_neighbour_start() {
	[ -n "$NB_CH" ] || return 0
	dmatest_start -i "$NB_ITER" -b 16384 "$NB_CH" ||
		t_fail "$NB_DEV: dmatest starts"
	NB0=$(model_get "chan$NB_CHID-tres")
	t_check "$NB_DEV: the neighbour moves data" wait_until 20 q_moved "$NB_CHID" "$NB0"
}

# q_neighbour_check WHAT: after the removal, the neighbour kept moving
# data and completed its fixed count without a failure.
q_neighbour_check() {
	[ -n "$NB_CH" ] || return 0
	t_check "$NB_DEV: dmatest still running at $1 (its count outlasts it)" dmatest_running
	_n1=$(model_get "chan$NB_CHID-tres")
	t_check "$NB_DEV: the neighbour keeps moving data after $1" \
		wait_until 10 q_moved "$NB_CHID" "$_n1"
	dmatest_wait 300
	t_dmatest "$NB_DEV: the neighbour completed all $NB_ITER transfers, no failure" \
		"$NB_ITER" "$NB_CH"
	dmatest_unload
}

# q_finish: the client lets go; everything bound again; the channel
# works; no splat since q_init.
q_finish() {
	t_hct "$CH: the client releases the backlog" "$CH" backlog_release
	t_check "everything bound again" q_restore
	_ch=$(chan_of_dev "$DEV")
	echo 50 >"$HCT/count"
	t_hct "$DEV ($_ch): copies again" "$_ch" copy
	hct_unload
	t_check "kernel log clean" no_splats_since "$M0"
}

q_restore() {
	grep -q '^hidma_chan ' /proc/modules || modprobe hidma_chan || return 1
	if [ -d /sys/bus/platform/devices/$MGMT_NAME ]; then
		mgmt_load || return 1
		bind_chans
	fi
	# (Not _d: t_check keeps its description there.)
	for _qd in $(hidma_channel_devices); do
		is_bound "$_qd" || echo "$_qd" >$CHAN_DRV/bind
	done
	is_bound "$DEV" hidma_chan
}
