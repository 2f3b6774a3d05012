# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh
#
# Helpers of the vfio area's tests, on top of the shared lib.sh. Source it
# from the area directory:  . ./vfio-lib.sh

# shellcheck source=../lib.sh
. "${HIDMA_TESTS:-/hidma/tests}/lib.sh"

VFIO_AREA=$HIDMA_TESTS/vfio
# The admin tool as installed: the suite puts it into the guest with the
# project's `make install-tools` (lib/vp.sh vp_initramfs).
HANDOFF=/usr/local/sbin/hidma-handoff
UDRV=$VFIO_AREA/vfio_hidma_test
CTL=$VFIO_AREA/hidma_vfio_ctl
RESET_DBG=/sys/kernel/debug/hidma_vfio_reset

# Behind an IOMMU the handoff is VFIO type1's, the channel's own group;
# without one only vfio's unsafe no-IOMMU mode can hand it out.
handoff_to_vfio() {
	if translated "$1"; then
		"$HANDOFF" to-vfio "$1"
	else
		"$HANDOFF" to-vfio --noiommu "$1"
	fi
}
handoff_to_host() { "$HANDOFF" to-host "$1"; }

driver_of() {
	_l=$(readlink "/sys/bus/platform/devices/$1/driver" 2>/dev/null) || return 0
	echo "${_l##*/}"
}

# chan_index DEV: the model's channel index of a channel device, from its
# TRCA address (Documentation/virtual-platform.rst).
chan_index() {
	_a=${1%%.*}
	echo $(((0x$_a - 0xb100000) / 0x1000))
}

# dma_chan DEV: the dmaengine channel of a channel bound to hidma_chan.
dma_chan() {
	for _c in /sys/bus/platform/devices/"$1"/dma/dma*chan*; do
		[ -e "$_c" ] && echo "${_c##*/}"
	done
}

# model_stats DEV: "tres doorbells bytes errors" of the channel, from the
# model's statistics.
model_stats() {
	_n=$(chan_index "$1")
	vmctl qom-get "$HIDMA_QOM" "chan$_n-tres" "chan$_n-doorbells" \
		"chan$_n-bytes" "chan$_n-errors"
}

# devs_tres DEV...: the model's TRE counters of these channel devices, in
# one round trip to the host.
devs_tres() {
	_c=
	for _d; do _c="$_c $(chan_index "$_d")"; done
	# shellcheck disable=SC2086
	model_tres $_c
}

# devs_moved "T0" DEV...: every one of these channels executed a TRE
# since T0 (devs_tres of the same devices).
devs_moved() {
	_m0=$1
	shift
	all_grew "$_m0" "$(devs_tres "$@")"
}

# t_dt_stopped DESC NTHREADS [DEV...]: stop the running dmatest and check
# it: its threads end, NTHREADS of them report, no transfer failed or
# reported wrong data but the waits the stop interrupts
# (dmatest_real_failures). When the run's channels, DEV..., are behind an
# IOMMU (dt_iommu_begin before the run), dmatest's own order on a stop
# (dmatest_stop) may fault there: none before the stop, and after it only
# on the channels whose wait it cut short, two failed TREs at most each
# (the transfer, and the one more try hidma_chan gives a client without
# callback_result, as dmatest is).
t_dt_stopped() {
	_desc=$1 _nthr=$2
	shift 2
	[ -z "$DT_IOMMU" ] || dt_iommu_accounted "$_desc: before the stop" "$@"
	dmatest_stop
	t_check "$_desc: dmatest's threads end when stopped" dmatest_wait 60
	[ -z "$DT_IOMMU" ] || dt_iommu_after_stop "$_desc" "$@"
	# shellcheck disable=SC2046
	set -- $(dmatest_summary)
	t_diag "$_desc: dmatest $1 threads, $2 transfers, $3 failures (the stop interrupts one wait per thread)"
	t_eq "$_desc: every dmatest thread reported" "$_nthr" "$1"
	_real=$(dmatest_real_failures)
	t_eq "$_desc: no transfer failed, none was lost" 0 "$_real"
	[ "$_real" = 0 ] || dmatest_errors | sed 's/^/#   /'
}

# dt_iommu_begin DEV...: before a test that stops dmatest runs on these
# channels (t_dt_stopped), if they are behind an IOMMU: tell the runner
# that SMMU events and the model's guest errors may come (t_dt_stopped
# and dt_iommu_end bound them), and take the baselines: DT_EV SMMU
# events and DT_ERR failed TREs of these channels so far, all accounted
# for (before the test, or in a stop's window).
dt_iommu_begin() {
	DT_IOMMU=
	translated "$1" || return 0
	DT_IOMMU=1
	t_expect_kmsg "$SMMU_EVT"
	t_expect_guest_errors "dmatest, stopped, unmaps the buffers of the transfer it waited for before it terminates the channel: the SMMU faults that TRE (only then, only there: t_dt_stopped)"
	DT_EV0=$(smmu_events)
	DT_EV=$DT_EV0
	DT_ERR=$(devs_errors "$@")
}

# dt_iommu_end DESC DEV...: at the end of such a test, every SMMU event
# and every failed TRE of these channels came in a stop's window.
dt_iommu_end() {
	[ -n "$DT_IOMMU" ] || return 0
	_d=$1
	shift
	dt_iommu_accounted "$_d: only the stops' ($((DT_EV - DT_EV0)) SMMU events)" "$@"
}

# dt_iommu_accounted DESC DEV...: no SMMU event and no failed TRE of
# these channels since the last one accounted for.
dt_iommu_accounted() {
	_d=$1
	shift
	t_eq "$_d: no other SMMU event" "$DT_EV" "$(smmu_events)"
	t_eq "$_d: no other failed TRE" "$DT_ERR" "$(devs_errors "$@")"
}

# dt_iommu_after_stop DESC DEV...: what came since the stop is the
# stop's: SMMU events only from the channels whose wait it cut short, a
# try and a retry failed at most per such wait; then all is accounted.
dt_iommu_after_stop() {
	_d=$1
	shift
	_cut=$(dmatest_cut_short)
	_want=
	for _c in $_cut; do
		_want="$_want $(smmu_sid "$(cat "/sys/class/dma/$_c/device/chid")")"
	done
	_got=$(smmu_sids "$DT_EV" | tr '\n' ' ')
	_extra=
	for _s in $_got; do
		case " $_want " in *" $_s "*) ;; *) _extra="$_extra $_s" ;; esac
	done
	_want=${_want# }
	t_eq "$_d: SMMU events after the stop only from the stream IDs of the channels it cut short (${_want:-none})" \
		"" "${_extra# }"
	_ncut=$(echo "$_cut" | grep -c .)
	_err=$(devs_errors "$@")
	t_check "$_d: at most two failed TREs (a try and a retry) per wait the stop cut short ($((_err - DT_ERR)) for $_ncut)" \
		[ $((_err - DT_ERR)) -le $((2 * _ncut)) ]
	DT_ERR=$_err
	DT_EV=$(smmu_events)
}

# devs_errors DEV...: the model's failed-TRE count of these channels,
# summed.
devs_errors() {
	_q=
	for _d; do _q="$_q chan$(chan_index "$_d")-errors"; done
	# shellcheck disable=SC2086
	vmctl qom-get "$HIDMA_QOM" $_q | awk '{ for (i = 1; i <= NF; i++) n += $i } END { print n + 0 }'
}

# stats_delta BEFORE AFTER: per-field difference of two model_stats.
stats_delta() {
	echo "$1 $2" | awk '{ printf "%d %d %d %d\n", $5 - $1, $6 - $2, $7 - $3, $8 - $4 }'
}

# reset_count NAME: a hidma_vfio_reset debugfs counter (0 if not loaded).
reset_count() { cat "$RESET_DBG/$1" 2>/dev/null || echo 0; }

# udrv_run DEV [HARNESS OPTIONS...]: run the userspace driver's tests on
# DEV (bound to vfio-platform), one TAP line here per harness result,
# prefixed with DEV. Its counters go to $UDRV_STATS (cleared first).
# Returns the harness's exit status.
UDRV_STATS=/tmp/hidma-udrv.stats
udrv_run() {
	_dev=$1
	shift
	: >"$UDRV_STATS"
	HIDMA_VFIO_DEVICE=$_dev HIDMA_VFIO_STATS=$UDRV_STATS "$UDRV" "$@" \
		>/tmp/udrv.out 2>&1
	_rc=$?
	while IFS= read -r _l; do
		case "$_l" in
		"ok "*"# SKIP"*)
			_d=${_l#ok * }
			t_skip "$_dev: ${_d%% # SKIP*}" "${_d#* # SKIP }" ;;
		"ok "*) _d=${_l#ok * }; t_ok "$_dev: $_d" ;;
		"not ok "*) _d=${_l#not ok * }; t_fail "$_dev: $_d" ;;
		*) echo "#   $_l" ;;
		esac
	done </tmp/udrv.out
	return $_rc
}

# udrv_sum FIELD: the sum of a counter over the last udrv_run's tests.
udrv_sum() {
	awk -v k="$1" '{ for (i = 2; i < NF; i += 2) if ($i == k) s += $(i + 1) }
		END { print s + 0 }' "$UDRV_STATS"
}

# udrv_tests: how many tests the last udrv_run ran (each opened and
# closed the device once).
udrv_tests() { grep -c . "$UDRV_STATS"; }

# udrv_expected: "tres doorbells bytes errors" the last udrv_run's driver
# asked for, to compare with stats_delta.
udrv_expected() {
	echo "$(udrv_sum tres) $(udrv_sum doorbells) $(udrv_sum bytes) $(udrv_sum errors)"
}

# vfio_area_init: what every test of the area needs.
vfio_area_init() {
	[ -x "$UDRV" ] || { t_fail "userspace driver built"; t_done; }
	# vfio-platform loads its reset handler through request_module(),
	# which runs the program named in /proc/sys/kernel/modprobe
	# (/sbin/modprobe); the test guest's busybox has its applets in /bin.
	_mp=$(cat /proc/sys/kernel/modprobe)
	if [ ! -x "$_mp" ]; then
		for _p in /sbin /bin /usr/sbin /usr/bin; do
			[ -x "$_p/modprobe" ] && break
		done
		t_diag "kernel.modprobe: $_mp is missing; using $_p/modprobe"
		echo "$_p/modprobe" >/proc/sys/kernel/modprobe
	fi
	# shellcheck disable=SC2046
	set -- $(hidma_channel_devices)
	if translated "$1"; then
		# type1 only: the unsafe mode must not be what makes it work.
		modprobe vfio 2>/dev/null
		modprobe vfio_iommu_type1 || { t_fail "vfio_iommu_type1 loads"; t_done; }
		t_eq "vfio's unsafe no-IOMMU mode is off" N \
			"$(cat /sys/module/vfio/parameters/enable_unsafe_noiommu_mode)"
	else
		modprobe vfio enable_unsafe_noiommu_mode=1 2>/dev/null
	fi
	modprobe vfio-platform || { t_fail "vfio-platform loads"; t_done; }
}

# abandon_test MODE: the userspace driver leaves the channel stalled with
# work pending and its interrupt masked, then ends without cleanup: MODE
# exit (it calls _exit) or kill (SIGKILL while it sleeps). The reset at
# close must quiesce the channel, and hidma_chan must bind and work.
abandon_test() {
	_mode=$1
	# shellcheck disable=SC2046
	set -- $(hidma_channel_devices)
	_dev=$1
	_n=$(chan_index "$_dev")
	_resets=$(reset_count resets)

	t_check "hidma-handoff to-vfio $_dev" handoff_to_vfio "$_dev"
	_before=$(model_stats "$_dev")
	if [ "$_mode" = kill ]; then
		"$CTL" "$_dev" init stall hang >/tmp/abandon.out 2>&1 &
		_pid=$!
		wait_until 30 grep -q '^hang:' /tmp/abandon.out
		t_check "hidma-handoff to-host refuses while the driver holds the group" \
			sh -c "! $HANDOFF to-host $_dev"
		kill -9 $_pid
		wait $_pid
		_rc=$?
		t_eq "the driver died of SIGKILL" 137 "$_rc"
	else
		"$CTL" "$_dev" init stall exit >/tmp/abandon.out 2>&1
		_rc=$?
		t_eq "the driver exited without cleanup" 0 "$_rc"
	fi
	sed 's/^/#   /' /tmp/abandon.out
	# "stall: tres N pending N state N irq_stat 0xN"
	# shellcheck disable=SC2046
	set -- $(grep '^stall:' /tmp/abandon.out)
	t_eq "it left the channel RUNNING with work pending" "2 yes" \
		"${7:-none} $([ "${5:-0}" -gt 0 ] && echo yes)"
	t_check "and an EOB cause pending" test $((${9:-0} & 1)) -eq 1
	# Wait for the kernel to close the dead process's files.
	wait_until 10 sh -c "[ \$(cat $RESET_DBG/resets) -ge $((_resets + 2)) ]"
	t_eq "the device was reset at open and at close" $((_resets + 2)) \
		"$(reset_count resets)"
	_after=$(model_stats "$_dev")
	t_eq "the model executed only the TREs the driver saw complete" \
		"${3:-none} 1" "$(stats_delta "$_before" "$_after" | cut -d' ' -f1,2)"
	sleep 1
	t_eq "and nothing since the reset: the channel is quiet" "0 0 0 0" \
		"$(stats_delta "$_after" "$(model_stats "$_dev")")"

	t_check "hidma-handoff to-host $_dev" handoff_to_host "$_dev"
	t_eq "$_dev is bound to hidma_chan" hidma_chan "$(driver_of "$_dev")"
	_chan=$(dma_chan "$_dev")
	for _type in 0 1; do
		dmatest_start -t $_type -i 100 "$_chan" && dmatest_wait 600
		dmatest_stop
		t_dmatest "dmatest (type $_type) passes on $_chan" 100 "$_chan"
	done
	dmatest_unload 2>/dev/null
	t_eq "hidma_chan sees channel $_n" "$_n" \
		"$(cat "/sys/bus/platform/devices/$_dev/chid" 2>/dev/null)"
}
