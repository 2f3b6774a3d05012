# SPDX-License-Identifier: GPL-2.0-only
#
# Shared helpers for the in-guest HIDMA tests (busybox sh). Source it:
#   . "$HIDMA_TESTS/lib.sh"
#
# Results are TAP: one "ok N desc" / "not ok N desc" line per check, with
# diagnostics as "# ..." lines. End every test with t_done.

HIDMA_TESTS=${HIDMA_TESTS:-/hidma/tests}
HIDMA_QOM=/machine/hidma
_t_n=0
_t_failed=0

t_diag() { echo "# $*"; }

t_ok() {
	_t_n=$((_t_n + 1))
	echo "ok $_t_n $*"
}

t_fail() {
	_t_n=$((_t_n + 1))
	_t_failed=$((_t_failed + 1))
	echo "not ok $_t_n $*"
}

# t_skip DESC REASON
t_skip() {
	_t_n=$((_t_n + 1))
	echo "ok $_t_n $1 # SKIP $2"
}

# t_check DESC CMD...: ok if CMD succeeds; its output becomes diagnostics
# on failure.
t_check() {
	_t_check_desc=$1
	shift
	if "$@" >/tmp/t_check.$$ 2>&1; then
		t_ok "$_t_check_desc"
	else
		t_fail "$_t_check_desc"
		sed 's/^/#   /' /tmp/t_check.$$
	fi
	rm -f /tmp/t_check.$$
}

# t_check_fails DESC CMD...: ok if CMD fails.
t_check_fails() {
	_t_check_desc=$1
	shift
	if "$@" >/dev/null 2>&1; then
		t_fail "$_t_check_desc (unexpectedly succeeded)"
	else
		t_ok "$_t_check_desc"
	fi
}

# t_eq DESC EXPECTED ACTUAL
t_eq() {
	if [ "$2" = "$3" ]; then
		t_ok "$1"
	else
		t_fail "$1"
		t_diag "  expected '$2', got '$3'"
	fi
}

# t_done: exit 0 when every check passed, 1 otherwise.
t_done() {
	[ "$_t_n" -gt 0 ] || { echo "not ok 1 test ran no check"; exit 1; }
	[ "$_t_failed" -eq 0 ] && exit 0
	exit 1
}

# wait_until SECONDS CMD...: poll CMD every 0.1 s until it succeeds;
# fails after SECONDS.
wait_until() {
	_left=$(($1 * 10))
	shift
	while ! "$@" >/dev/null 2>&1; do
		_left=$((_left - 1))
		[ "$_left" -gt 0 ] || return 1
		sleep 0.1
	done
}

# The model's test interface (QMP through the host's bridge).
model_get() { vmctl qom-get "$HIDMA_QOM" "$1"; }
model_set() { vmctl qom-set "$HIDMA_QOM" "$1" "$2"; }

# model_tres CHID...: the model's TRE counters of these channels,
# space-separated, read in one request to the bridge (one vmctl instead
# of one per channel; also one snapshot of all of them).
model_tres() {
	_props=
	for _i; do _props="$_props chan$_i-tres"; done
	# shellcheck disable=SC2086
	vmctl qom-get "$HIDMA_QOM" $_props
}

# all_grew "A1 A2 ..." "B1 B2 ...": as many Bs as As (at least one),
# every B larger than its A (e.g. two model_tres snapshots of the same
# channels).
all_grew() {
	# shellcheck disable=SC2086
	set -- $1 -- $2
	_n=0
	for _v; do
		[ "$_v" = -- ] && break
		_n=$((_n + 1))
	done
	[ "$_n" -gt 0 ] && [ $# -eq $((2 * _n + 1)) ] || return 1
	_k=1
	while [ $_k -le "$_n" ]; do
		eval "[ \${$((_k + _n + 1))} -gt \${$_k} ]" || return 1
		_k=$((_k + 1))
	done
}

# hidma_acpi_compat DEVICE-PATH: the DT compatible a device found through
# ACPI stands for (its _HID, from its modalias "acpi:QCOM806x:"), empty
# for any other device.
hidma_acpi_compat() {
	[ -e "$1/firmware_node" ] || return 0
	case "$(cat "$1/modalias" 2>/dev/null)" in
	acpi:QCOM8060:*) echo qcom,hidma-mgmt-1.0 ;;
	acpi:QCOM8061:*) echo qcom,hidma-1.0 ;;
	acpi:QCOM8062:*) echo qcom,hidma-1.1 ;;
	acpi:QCOM8063:*) echo qcom,hidma-1.2 ;;
	esac
}

# hidma_booted_acpi: the kernel runs on ACPI tables (UEFI configurations).
hidma_booted_acpi() { [ -e /sys/firmware/acpi/tables/DSDT ]; }

# hidma_devices COMPAT-GLOB: platform device names whose compatible
# matches, e.g. hidma_devices 'qcom,hidma-1.*'. Devices found through ACPI
# match by the compatible their _HID stands for (hidma_acpi_compat).
hidma_devices() {
	for _d in /sys/bus/platform/devices/*; do
		if [ -e "$_d/of_node/compatible" ]; then
			_c=$(tr '\0' '\n' <"$_d/of_node/compatible")
		elif [ -e "$_d/firmware_node" ]; then
			_c=$(hidma_acpi_compat "$_d")
			[ -n "$_c" ] || continue
		else
			continue
		fi
		for _x in $_c; do
			# shellcheck disable=SC2254
			case "$_x" in
			$1) echo "${_d##*/}"; break ;;
			esac
		done
	done
}

# Platform device names of every HIDMA channel, in address order.
hidma_channel_devices() { hidma_devices 'qcom,hidma-1.[0-9]'; }

# reg_read ADDR: a 32-bit read through /dev/mem (busybox devmem).
reg_read() { devmem "$1" 32; }

# The kernel's dmatest, shared by every area. Each run starts from a freshly
# loaded module, so no parameter of an earlier run (noverify, buffer size,
# channel list) leaks into the next one. Results are read from the kernel
# log after a mark that dmatest_start writes.
DMATEST=/sys/module/dmatest/parameters

# dmatest_start [-t TYPE] [-p] [-n THREADS] [-i ITERATIONS] [-b BYTES]
#               [-q] [-w TIMEOUT_MS] [CHANNEL...]
#   -t  0 memcpy (default), 1 memset     -p  polled completion
#   -n  threads per channel (1)          -i  transfers per thread (0: until
#   -b  buffer size (dmatest's default)      dmatest_stop)
#   -q  fixed-size, unverified copies    -w  per-transfer timeout (10000;
#   No CHANNEL: every channel that can do TYPE.  -1: none)
dmatest_start() {
	_dt_type=0 _dt_polled=0 _dt_threads=1 _dt_iter=0 _dt_buf='' _dt_quick=''
	_dt_timeout=10000
	OPTIND=1
	while getopts t:pn:i:b:qw: _o; do
		case "$_o" in
		t) _dt_type=$OPTARG ;;
		p) _dt_polled=1 ;;
		n) _dt_threads=$OPTARG ;;
		i) _dt_iter=$OPTARG ;;
		b) _dt_buf=$OPTARG ;;
		q) _dt_quick=Y ;;
		w) _dt_timeout=$OPTARG ;;
		*) echo "dmatest_start: bad option" >&2; return 2 ;;
		esac
	done
	shift $((OPTIND - 1))
	dmatest_unload
	modprobe dmatest || return 1
	echo "$_dt_type" >"$DMATEST/dmatest"
	echo "$_dt_polled" >"$DMATEST/polled"
	echo "$_dt_threads" >"$DMATEST/threads_per_chan"
	echo "$_dt_iter" >"$DMATEST/iterations"
	echo "$_dt_timeout" >"$DMATEST/timeout"
	echo 0 >"$DMATEST/max_channels"
	[ -z "$_dt_buf" ] || echo "$_dt_buf" >"$DMATEST/test_buf_size"
	if [ -n "$_dt_quick" ]; then
		echo Y >"$DMATEST/noverify"
		echo Y >"$DMATEST/norandom"
	fi
	for _c; do
		echo "$_c" >"$DMATEST/channel" || return 1
	done
	_dt_mark="hidma-dmatest-$(cat /proc/sys/kernel/random/uuid)"
	_dt_stop=
	echo "$_dt_mark" >/dev/kmsg
	echo 1 >"$DMATEST/run"
}

# dmatest_wait [SECONDS]: wait until dmatest's threads are done, polling
# its "run" parameter. (Reading its "wait" parameter sleeps uninterruptibly
# for the whole run and trips the hung-task detector on long runs.)
dmatest_wait() {
	_left=$((${1:-3600} * 5))
	while dmatest_running; do
		_left=$((_left - 1))
		[ "$_left" -gt 0 ] || return 1
		sleep 0.2
	done
}

# dmatest_running: threads are still going.
dmatest_running() { [ "$(cat "$DMATEST/run" 2>/dev/null)" = Y ]; }

# dmatest_stop: end a run early (every thread prints its summary). A
# thread stopped while it waits for a transfer counts that wait as one
# 'test timed out' failure; dmatest_real_failures tells those apart.
# That thread also unmaps and frees the transfer's buffers before it
# terminates its channel (drivers/dma/dmatest.c, 6.1 and 6.12), while the
# engine may still reach them: unseen without an IOMMU, a translation
# fault and a failed TRE behind one (dmatest_cut_short tells where).
dmatest_stop() {
	[ -d "$DMATEST" ] || return 0
	_dt_stop="hidma-dmatest-stop-$(cat /proc/sys/kernel/random/uuid)"
	echo "$_dt_stop" >/dev/kmsg
	echo 0 >"$DMATEST/run"
}

# dmatest_unload: stop any run and unload dmatest, releasing its channels.
dmatest_unload() {
	[ -d "$DMATEST" ] || return 0
	echo 0 >"$DMATEST/run"
	rmmod dmatest
}

# _dt_log: the kernel log since the last dmatest_start.
_dt_log() { dmesg | sed -n "/$_dt_mark/,\$p"; }

# dmatest_cut_short: the channels whose thread the last dmatest_stop
# interrupted in a wait, one per line.
dmatest_cut_short() {
	_dt_log | awk -v stop="${_dt_stop:-no stop}" '
		index($0, stop) { stopped = 1; next }
		stopped && /dmatest: .*: result #.*test timed out/ {
			t = $0
			sub(/.*dmatest: /, "", t)
			sub(/-[a-z]+[0-9]*: result.*/, "", t)
			print t
		}' | sort -u
}

# dmatest_summary: "<threads> <tests> <failures>" of the last run.
dmatest_summary() {
	_dt_log |
		sed -n 's/.*dmatest: .*summary \([0-9]*\) tests, \([0-9]*\) failures.*/\1 \2/p' |
		awk '{ n++; t += $1; f += $2 } END { printf "%d %d %d\n", n, t, f }'
}

# dmatest_result CHANNEL: "<tests> <failures>" of CHANNEL's thread in the
# last run, empty if it printed no summary.
dmatest_result() {
	_dt_log |
		sed -n "s/.*dmatest: $1-[a-z]*[0-9]*: summary \([0-9]*\) tests, \([0-9]*\) failures.*/\1 \2/p" |
		tail -n 1
}

# dmatest_iops CHANNEL...: the lowest rate (whole transfers per second) of
# these channels' threads in the last run.
dmatest_iops() {
	for _c; do
		_dt_log |
			sed -n "s/.*dmatest: $_c-[a-z]*[0-9]*: summary .* failures \([0-9]*\).*iops.*/\1/p" |
			tail -n 1
	done | sort -n | head -n 1
}

# dmatest_errors: the per-transfer error lines of the last run.
dmatest_errors() { _dt_log | grep 'dmatest: .*result' | head -n 20; }

# dmatest_real_failures: failures of the last run that are not the
# interruption of a thread by dmatest_stop: every failure reported before
# the stop, and after it anything but one interrupted wait per thread,
# which dmatest reports as 'test timed out', or as 'completion busy
# status' when the callback comes between its status read and its done
# check.
dmatest_real_failures() {
	_dt_log | awk -v stop="${_dt_stop:-no stop}" '
		index($0, stop) { stopped = 1; next }
		/dmatest: .*: result #/ {
			thread = $0
			sub(/.*dmatest: /, "", thread)
			sub(/: result.*/, "", thread)
			if (stopped && /test timed out|completion busy status/ &&
			    !seen[thread]++)
				next
			n++
		}
		END { print n + 0 }'
}

# t_dmatest DESC MIN CHANNEL...: one check that every CHANNEL's thread
# ended with at least MIN tests and no failure.
t_dmatest() {
	_desc=$1
	_min=$2
	shift 2
	_bad=
	for _c; do
		_r=$(dmatest_result "$_c")
		_t=${_r% *}
		_f=${_r#* }
		if [ -z "$_r" ] || [ "$_t" -lt "$_min" ] || [ "$_f" != 0 ]; then
			_bad="$_bad $_c:${_t:-none}/${_f:-none}"
		fi
	done
	if [ -z "$_bad" ]; then
		t_ok "$_desc"
	else
		t_fail "$_desc"
		t_diag "  tests/failures:$_bad"
		dmatest_errors | head -n 10 | sed 's/^/#   /'
	fi
}

# t_expect_guest_errors REASON: this test programs the model with garbage
# on purpose; the guest runner then lets the model's guest-error log grow
# during it (and says so) instead of failing it.
t_expect_guest_errors() { echo "$*" >/tmp/hidma-guest-errors-expected; }

# translated DEV: an IOMMU translates the channel's DMA (the host-smmu
# configurations): the kernel linked the device to its IOMMU. Otherwise
# nothing stands between the channel and memory.
translated() { [ -e "/sys/bus/platform/devices/$1/iommu" ]; }

# The kernel's report of one SMMU event (drivers/iommu/arm/arm-smmu-v3:
# "event 0x%02x received:", then the record's dwords, the first one
# carrying the stream ID in bits 63:32), for t_expect_kmsg.
SMMU_EVT='arm-smmu-v3 [^ ]+: event 0x[0-9a-f]+ received'

# smmu_events [TYPE]: SMMU events in the kernel log so far (of TYPE,
# e.g. 0x10 F_TRANSLATION).
smmu_events() {
	dmesg | grep -cE "arm-smmu-v3 [^ ]+: event ${1:-0x[0-9a-f]+} received"
}

# smmu_sid CHID: the stream ID (hex, no 0x, as smmu_records prints it)
# of channel CHID behind virt's SMMUv3: 0x100 + the channel's index, in
# the device tree and in the IORT alike.
smmu_sid() { printf '%x\n' $((0x100 + $1)); }

# smmu_records [SKIP]: "SID ADDRESS" (hex, no 0x) of each SMMU event the
# kernel printed after the first SKIP: the record's first dword carries
# the stream ID (bits 63:32), its third the faulting input address.
smmu_records() {
	# Other messages may come between an event's lines: read only the
	# SMMU's own dword lines.
	dmesg | awk -v re="$SMMU_EVT" -v skip="${1:-0}" '
		$0 ~ re { w = (++e > skip); l = 0; next }
		w && /arm-smmu-v3 [^ ]+:[[:space:]]+0x[0-9a-f]+$/ { l++; v = $NF; sub(/^0x/, "", v)
			if (l == 1) sid = substr(v, 1, 8)
			if (l == 3) { addr = v; w = 0
				sub(/^0+/, "", sid); sub(/^0+/, "", addr)
				print sid, addr } }'
}

# smmu_sids [SKIP]: the stream IDs of those events, one each.
smmu_sids() { smmu_records "$1" | cut -d' ' -f1 | sort -u; }

# t_expect_kmsg PATTERN: kernel log lines matching PATTERN (grep -E) that
# the splat patterns name are expected during this test (an SMMU event
# for an access the test makes fault on purpose). The guest runner then
# passes them in this test's window only, and the line it writes to the
# kernel log tells the host's check of the whole console the same.
t_expect_kmsg() {
	echo "$1" >>/tmp/hidma-kmsg-expected
	echo "[hidma-test] expect kmsg: $1" >/dev/kmsg
}

# kmemleak_scan: scan twice (an object is reported once two scans found
# it unreferenced). Fails when kmemleak is not there or turned itself
# off: a disabled kmemleak refuses "scan" (EPERM) and would pass anything.
kmemleak_scan() {
	[ -e /sys/kernel/debug/kmemleak ] || { echo "no /sys/kernel/debug/kmemleak"; return 1; }
	echo scan 2>/dev/null >/sys/kernel/debug/kmemleak ||
		{ echo "kmemleak refuses to scan: it is disabled"; return 1; }
	sleep 2
	echo scan 2>/dev/null >/sys/kernel/debug/kmemleak ||
		{ echo "kmemleak refuses to scan: it is disabled"; return 1; }
}

# kmemleak_none_from WORD: kmemleak works and reports no object whose
# report mentions WORD (e.g. a module's name in the backtrace).
kmemleak_none_from() {
	kmemleak_scan || return 1
	! grep "$1" /sys/kernel/debug/kmemleak
}
