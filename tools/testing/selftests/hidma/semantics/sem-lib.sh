# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh
#
# Helpers of the semantics area's tests, on top of the channel area's.
# Source it:  . ./sem-lib.sh

# shellcheck source=../chan/chan-lib.sh
. "${HIDMA_TESTS:-/hidma/tests}/chan/chan-lib.sh"

HST=/sys/kernel/debug/hidma_sem_test

hst_load() {
	grep -q '^hidma_sem_test ' /proc/modules ||
		insmod "$HIDMA_TESTS/semantics/hidma_sem_test.ko"
}
hst_unload() { rmmod hidma_sem_test 2>/dev/null; true; }

# t_hst DESC CHANNEL TEST: one TAP line for one client test, its log as
# diagnostics.
t_hst() {
	echo "$2" >"$HST/channel"
	if echo "$3" >"$HST/run" 2>/tmp/hst.err; then
		t_ok "$1"
	else
		t_fail "$1"
		sed 's/^/#   /' /tmp/hst.err
	fi
	sed 's/^/#   /' "$HST/log"
}

# sem_pick: "<channel> <device> <chid>" of the first bound channel.
sem_pick() {
	chan_list | head -n 1
}
