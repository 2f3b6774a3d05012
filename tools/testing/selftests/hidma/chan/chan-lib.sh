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
DMATEST=/sys/module/dmatest/parameters

# chan_list: one line per channel bound to hidma_chan:
# "<dmaengine channel> <platform device> <chid>", in address order.
chan_list() {
	for _dev in $(hidma_channel_devices); do
		_p=/sys/bus/platform/devices/$_dev
		[ "$(basename "$(readlink -f "$_p/driver" 2>/dev/null)")" = hidma_chan ] ||
			continue
		for _c in "$_p"/dma/dma*chan*; do
			[ -e "$_c" ] && echo "${_c##*/} $_dev $(cat "$_p/chid")"
		done
	done
}

# chan_of_dev DEV: the dmaengine channel name of a bound platform device.
chan_of_dev() {
	for _c in /sys/bus/platform/devices/"$1"/dma/dma*chan*; do
		[ -e "$_c" ] && echo "${_c##*/}"
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

# dmatest_start TYPE POLLED THREADS ITERATIONS [CHANNEL...]: configure and
# start the kernel's dmatest. TYPE 0 is memcpy, 1 memset. No CHANNEL: every
# channel that can do it. ITERATIONS 0: until dmatest_stop.
dmatest_start() {
	modprobe dmatest || return 1
	echo 0 >"$DMATEST/run"
	echo "$1" >"$DMATEST/dmatest"
	echo "$2" >"$DMATEST/polled"
	echo "$3" >"$DMATEST/threads_per_chan"
	echo "$4" >"$DMATEST/iterations"
	echo 0 >"$DMATEST/max_channels"
	echo 10000 >"$DMATEST/timeout"
	echo -1 >"$DMATEST/alignment"
	shift 4
	for _c in "$@"; do
		echo "$_c" >"$DMATEST/channel" || return 1
	done
	_dt_mark="hidma-dmatest-$(cat /proc/sys/kernel/random/uuid)"
	echo "$_dt_mark" >/dev/kmsg
	echo 1 >"$DMATEST/run"
}

# dmatest_wait comes from lib.sh (it polls: reading dmatest's "wait"
# parameter would sleep uninterruptibly for the whole run).

# dmatest_stop: end a run started with ITERATIONS 0. Stopping a thread
# interrupts its wait for the transfer in flight (kthread_stop() makes the
# wait return), which dmatest counts as one 'test timed out' failure of
# that thread; dmatest_real_failures tells those apart.
dmatest_stop() {
	_dt_stop="hidma-dmatest-stop-$(cat /proc/sys/kernel/random/uuid)"
	echo "$_dt_stop" >/dev/kmsg
	echo 0 >"$DMATEST/run"
}

# dmatest_real_failures: failures of the last run that are not the
# interruption of a thread by dmatest_stop: every failure reported before
# the stop, and after it anything but one 'test timed out' per thread.
dmatest_real_failures() {
	dmesg | sed -n "/$_dt_mark/,\$p" | awk -v stop="$_dt_stop" '
		index($0, stop) { stopped = 1; next }
		/dmatest: .*: result #/ {
			thread = $0
			sub(/.*dmatest: /, "", thread)
			sub(/: result.*/, "", thread)
			if (stopped && /test timed out/ && !seen[thread]++)
				next
			n++
		}
		END { print n + 0 }'
}

# dmatest_summary: "<threads> <tests> <failures>" of the last run, from
# the kernel log since dmatest_start (the log is not cleared: the runner
# reads it for splats).
dmatest_summary() {
	dmesg | sed -n "/$_dt_mark/,\$p" |
		sed -n 's/.*dmatest: .*summary \([0-9]*\) tests, \([0-9]*\) failures.*/\1 \2/p' |
		awk '{ n++; t += $1; f += $2 } END { printf "%d %d %d\n", n, t, f }'
}

# dmatest_errors: the per-transfer error lines of the last run.
dmatest_errors() {
	dmesg | sed -n "/$_dt_mark/,\$p" | grep 'dmatest: .*result' | head -n 20
}
