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
	_d=$1
	shift
	if "$@" >/tmp/t_check.$$ 2>&1; then
		t_ok "$_d"
	else
		t_fail "$_d"
		sed 's/^/#   /' /tmp/t_check.$$
	fi
	rm -f /tmp/t_check.$$
}

# t_check_fails DESC CMD...: ok if CMD fails.
t_check_fails() {
	_d=$1
	shift
	if "$@" >/dev/null 2>&1; then
		t_fail "$_d (unexpectedly succeeded)"
	else
		t_ok "$_d"
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

# hidma_devices COMPAT-GLOB: platform device names whose compatible
# matches, e.g. hidma_devices 'qcom,hidma-1.*'.
hidma_devices() {
	for _d in /sys/bus/platform/devices/*; do
		[ -e "$_d/of_node/compatible" ] || continue
		_c=$(tr '\0' '\n' <"$_d/of_node/compatible")
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

# dmatest_wait [SECONDS]: wait until dmatest's threads are done, polling
# its "run" parameter. (Reading its "wait" parameter sleeps uninterruptibly
# for the whole run and trips the hung-task detector on long runs.)
dmatest_wait() {
	_left=$((${1:-3600} * 5))
	while [ "$(cat /sys/module/dmatest/parameters/run)" = Y ]; do
		_left=$((_left - 1))
		[ "$_left" -gt 0 ] || return 1
		sleep 0.2
	done
}
