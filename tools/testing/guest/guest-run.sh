#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Runs the tests of /hidma/plan in the guest, one after the other, each
# from the baseline (project modules loaded, every HIDMA device bound).
# Writes TAP to the results port: every result line of every test is
# reported as "ok|not ok <area>/<test>: <description>", plus one line per
# test for the kernel log it produced, so the host can count and attribute.

RES=/dev/hvc1
[ -c "$RES" ] || RES=/dev/console
PATTERNS=/hidma/splat-patterns
TIMEOUT=${HIDMA_TEST_TIMEOUT:-900}

out() { echo "$*" >"$RES"; echo "[hidma-test] $*" >/dev/kmsg; }

# The baseline every test starts from.
baseline() {
	# The management driver wherever the tree has a management node
	# (every host configuration), never in a guest's view.
	if grep -qs 'qcom,hidma-mgmt-1.0' /sys/firmware/devicetree/base/*/compatible; then
		grep -q '^hidma_mgmt ' /proc/modules || modprobe hidma_mgmt
	fi
	grep -q '^hidma_chan ' /proc/modules || modprobe hidma_chan
	for d in /sys/bus/platform/devices/*; do
		[ -e "$d/of_node/compatible" ] || continue
		compat=$(tr '\0' ' ' <"$d/of_node/compatible")
		case "$compat" in
		*qcom,hidma-mgmt-1.0*) drv=hidma_mgmt ;;
		*qcom,hidma-1.*) drv=hidma_chan ;;
		*) continue ;;
		esac
		[ -e "$d/driver" ] && continue
		[ -d /sys/bus/platform/drivers/$drv ] || continue
		# A driver_override left by a handoff test would keep it away.
		[ -w "$d/driver_override" ] && echo > "$d/driver_override"
		echo "${d##*/}" > /sys/bus/platform/drivers/$drv/bind 2>/dev/null
	done
	return 0
}

log_splats() {
	grep -v '^#' "$PATTERNS" | grep -v '^$' > /tmp/patterns
	grep -v '\[hidma-test\]' "$1" | grep -E -f /tmp/patterns
}

out "TAP version 13"
n=0
while read -r area test; do
	[ -n "$test" ] || continue
	n=$((n + 1))
	name="$area/$test"
	baseline
	dmesg -c >/dev/null
	echo "[hidma-test] start $name" >/dev/kmsg
	cd "/hidma/tests/$area" || { out "not ok $name: test directory missing"; continue; }
	timeout -s KILL "$TIMEOUT" "./$test" >/tmp/test.out 2>&1
	rc=$?
	cd /
	echo "[hidma-test] end $name rc=$rc" >/dev/kmsg
	sed 's/^/# /' /tmp/test.out >"$RES"
	results=0
	failed=0
	while IFS= read -r line; do
		case "$line" in
		"ok "*|"not ok "*)
			# Only top-level TAP lines: nested (indented) ones are
			# reported by their parent.
			desc=$(echo "$line" | sed -E 's/^(not )?ok [0-9]* *(- )?//')
			case "$line" in
			"not ok "*) out "not ok $name: $desc"; failed=1 ;;
			*) out "ok $name: $desc" ;;
			esac
			results=$((results + 1))
			;;
		esac
	done </tmp/test.out
	if [ "$rc" -eq 4 ] && [ "$results" -eq 0 ]; then
		out "ok $name # SKIP $(tail -n 1 /tmp/test.out)"
	elif [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
		why="exit status $rc"
		[ "$rc" -eq 137 ] && why="timed out after ${TIMEOUT}s"
		out "not ok $name: $why"
	elif [ "$results" -eq 0 ]; then
		out "not ok $name: printed no result"
	fi
	dmesg -c >/tmp/test.kmsg
	if log_splats /tmp/test.kmsg >/tmp/test.splat; then
		out "not ok $name: kernel log clean"
		sed 's/^/#   /' /tmp/test.splat | head -n 20 >"$RES"
	else
		out "ok $name: kernel log clean"
	fi
done </hidma/plan

# Leaks show only after a scan; give the objects freed last a moment.
if [ -w /sys/kernel/debug/kmemleak ]; then
	sleep 5
	echo scan > /sys/kernel/debug/kmemleak
	sleep 5
	echo scan > /sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak > /tmp/kmemleak
	if [ -s /tmp/kmemleak ]; then
		cat /tmp/kmemleak >/dev/console
		out "not ok kmemleak: no suspected leaks after the tests"
	else
		out "ok kmemleak: no suspected leaks after the tests"
	fi
fi
out "# hidma-guest-end $n tests"
