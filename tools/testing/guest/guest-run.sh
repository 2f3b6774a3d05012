#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Runs the tests of /hidma/plan in the guest, one after the other, each
# from the baseline (project modules loaded, every HIDMA device bound).
# Writes TAP to the results port: every result line of every test is
# reported as "ok|not ok <area>/<test>: <description>", plus one line per
# test that ran for what the guest saw around it (kernel log, taint, the
# model's guest-error log), so the host can count and attribute.
#
# A skip is a failure unless the test is on the allow-list
# (/hidma/allowed-skips: "<area>/<test> <reason>"). Model guest errors
# ("qcom-hidma: " lines of QEMU's -d guest_errors log, read through the
# host bridge) fail the test during which they appeared, unless the test
# programs garbage on purpose: listed in /hidma/allowed-guest-errors, or
# it called t_expect_guest_errors (lib.sh) during the run.
# Infrastructure lines ("# time ...", "# ... powered off") are comments.

RES=/dev/hvc1
[ -c "$RES" ] || RES=/dev/console
PATTERNS=/hidma/splat-patterns
SKIPS=/hidma/allowed-skips
GERRS=/hidma/allowed-guest-errors
GERR_MARK=/tmp/hidma-guest-errors-expected
KMSG_MARK=/tmp/hidma-kmsg-expected
TIMEOUT=${HIDMA_TEST_TIMEOUT:-900}
# Taint bits our own modules set: O (out-of-tree, 4096), E (unsigned, 8192).
TAINT_OURS=$((4096 | 8192))

out() { echo "$*" >"$RES"; echo "[hidma-test] $*" >/dev/kmsg; }

uptime_s() { cut -d' ' -f1 /proc/uptime; }

# The HIDMA platform devices and their drivers, "path driver" per line,
# found once the drivers are loaded (the management driver creates the
# channel devices of a host): the device tree does not change, and a
# device the management driver removes comes back under the same name.
# (Under TCG every fork costs, and the baseline runs before each test.)
# Under ACPI the devices are the ACPI core's, named by _HID.
if grep -qs 'qcom,hidma-mgmt-1.0' /sys/firmware/devicetree/base/*/compatible ||
	[ -e /sys/bus/acpi/devices/QCOM8060:00 ]; then
	modprobe hidma_mgmt
fi
modprobe hidma_chan
for d in /sys/bus/platform/devices/*; do
	case "${d##*/}" in
	QCOM8060:*) echo "$d hidma_mgmt"; continue ;;
	QCOM806[123]:*) echo "$d hidma_chan"; continue ;;
	esac
	[ -e "$d/of_node/compatible" ] || continue
	compat=$(tr '\0' ' ' <"$d/of_node/compatible")
	case "$compat" in
	*qcom,hidma-mgmt-1.0*) echo "$d hidma_mgmt" ;;
	*qcom,hidma-1.*) echo "$d hidma_chan" ;;
	esac
done >/tmp/hidma-devices
grep -q ' hidma_mgmt$' /tmp/hidma-devices && HAVE_MGMT=1 || HAVE_MGMT=

# loaded MODULE: MODULE is in /proc/modules (no fork).
loaded() {
	while read -r _m _; do
		[ "$_m" = "$1" ] && return 0
	done </proc/modules
	return 1
}

# The baseline every test starts from.
baseline() {
	# The management driver wherever the tree has a management node
	# (every host configuration), never in a guest's view.
	if [ -n "$HAVE_MGMT" ]; then
		loaded hidma_mgmt || modprobe hidma_mgmt
	fi
	loaded hidma_chan || modprobe hidma_chan
	while read -r d drv; do
		[ -e "$d" ] || continue
		[ -e "$d/driver" ] && continue
		[ -d /sys/bus/platform/drivers/$drv ] || continue
		# A driver_override left by a handoff test would keep it away.
		[ -w "$d/driver_override" ] && echo > "$d/driver_override"
		echo "${d##*/}" > /sys/bus/platform/drivers/$drv/bind 2>/dev/null
	done </tmp/hidma-devices
	return 0
}

grep -v '^#' "$PATTERNS" | grep -v '^$' > /tmp/patterns
# log_splats FILE: its splat lines, but for those the running test said
# it expects (t_expect_kmsg, lib.sh).
log_splats() {
	if [ -s "$KMSG_MARK" ]; then
		grep -v '\[hidma-test\]' "$1" | grep -E -f /tmp/patterns |
			grep -v -E -f "$KMSG_MARK"
	else
		grep -v '\[hidma-test\]' "$1" | grep -E -f /tmp/patterns
	fi
}

# allowed FILE NAME: the reason FILE gives for NAME, if listed.
allowed() {
	[ -f "$1" ] || return 1
	awk -v n="$2" '$1 == n { $1 = ""; sub(/^ /, ""); print; f = 1; exit }
		END { exit !f }' "$1"
}

# new_taint: TAINT_NEW = the taint bits (ours masked out) not seen
# before; remembers them, so one taint is reported once, by the test that
# caused it. (Sets variables: call it directly, never in $(...).) U (64)
# is masked too while vfio's no-IOMMU mode is on: vfio taints the kernel
# with it when a test opens a device without an IOMMU, as the test guest
# must.
TAINT_SEEN=0
new_taint() {
	_t=$(cat /proc/sys/kernel/tainted)
	_mask=$TAINT_OURS
	[ "$(cat /sys/module/vfio/parameters/enable_unsafe_noiommu_mode 2>/dev/null)" = Y ] &&
		_mask=$((_mask | 64))
	_t=$((_t & ~_mask))
	TAINT_NEW=$((_t & ~TAINT_SEEN))
	TAINT_SEEN=$((TAINT_SEEN | _t))
}

# guest_errors WHO: how many model guest-error lines QEMU logged since the
# last call; the bridge files them under WHO (the host's
# guest-errors.attributed). Empty if the bridge did not answer.
guest_errors() { timeout 30 vmctl guest-errors "$1" 2>/tmp/gerr.err; }

out "TAP version 13"
t_boot=$(uptime_s)
# The bridge carries the model checks of every test: without it, every
# configuration fails here, loudly, once.
if [ "$(timeout 30 vmctl ping 2>&1)" = pong ]; then
	echo "# bridge: vmctl reaches the host and QEMU" >"$RES"
	g=$(guest_errors boot)
	if [ "${g:-x}" != 0 ]; then
		out "not ok boot: the model logged no guest error (${g:-no answer})"
	fi
else
	out "not ok bridge: vmctl reaches the host and QEMU"
fi
new_taint
[ "$TAINT_NEW" -eq 0 ] || out "not ok boot: kernel not tainted (tainted $TAINT_NEW)"
# kmemleak must be there, and stay there: it turns itself off on an
# internal error (and refuses every command but "clear" then), and a
# check of a disabled detector passes anything.
# Only the kernels built without it, the benchmark's and Debian's own,
# are booted with hidma.no_kmemleak (lib/vp.sh); the test kernel never is.
KMEMLEAK_OFF='kmemleak: Kernel memory leak detector disabled'
if grep -qw 'hidma.no_kmemleak' /proc/cmdline; then
	out "# kmemleak: not in this kernel (benchmark or distribution kernel)"
	KMEMLEAK=absent
elif [ ! -e /sys/kernel/debug/kmemleak ] || dmesg | grep -q "$KMEMLEAK_OFF"; then
	out "not ok kmemleak: enabled at boot"
	KMEMLEAK=
else
	KMEMLEAK=1
fi
echo "# time boot $t_boot" >"$RES"

n=0
while read -r area test; do
	[ -n "$test" ] || continue
	n=$((n + 1))
	name="$area/$test"
	t0=$(uptime_s)
	rm -f "$KMSG_MARK"
	baseline
	dmesg -c >/tmp/base.kmsg
	# Between tests: whatever the baseline did is checked too.
	if log_splats /tmp/base.kmsg >/tmp/base.splat; then
		out "not ok $name: baseline before it left a clean kernel log"
		sed 's/^/#   /' /tmp/base.splat | head -n 20 >"$RES"
	fi
	guest_errors "baseline before $name" >/tmp/gerr.pre
	rm -f "$GERR_MARK"
	echo "[hidma-test] start $name" >/dev/kmsg
	cd "/hidma/tests/$area" || { out "not ok $name: test directory missing"; continue; }
	t1=$(uptime_s)
	timeout -s KILL "$TIMEOUT" "./$test" >/tmp/test.out 2>&1
	rc=$?
	t2=$(uptime_s)
	cd /
	echo "[hidma-test] end $name rc=$rc" >/dev/kmsg
	sed 's/^/# /' /tmp/test.out >"$RES"
	skip_ok=$(allowed "$SKIPS" "$name")
	results=0
	failed=0
	while IFS= read -r line; do
		# "ok N - desc" / "not ok N desc" -> desc, without forking.
		desc=${line#not }
		desc=${desc#ok }
		num=${desc%% *}
		case "$num" in *[!0-9]*) ;; *) desc=${desc#"$num"} ;; esac
		desc=${desc# }
		desc=${desc#- }
		case "$line" in
		"ok "*"# SKIP"*|"ok "*"# skip"*)
			if [ -n "$skip_ok" ]; then
				out "ok $name: $desc (allowed: $skip_ok)"
			else
				out "not ok $name: ${desc%%# [Ss][Kk][Ii][Pp]*}(a required check skipped:${desc#*# [Ss][Kk][Ii][Pp]})"
				failed=1
			fi
			results=$((results + 1))
			;;
		"ok "*|"not ok "*)
			# Only top-level TAP lines: nested (indented) ones are
			# reported by their parent.
			case "$line" in
			"not ok "*) out "not ok $name: $desc"; failed=1 ;;
			*) out "ok $name: $desc" ;;
			esac
			results=$((results + 1))
			;;
		esac
	done </tmp/test.out
	skipped=
	if [ "$rc" -eq 4 ] && [ "$results" -eq 0 ]; then
		why=$(tail -n 1 /tmp/test.out)
		skipped=1
		if [ -n "$skip_ok" ]; then
			out "ok $name # SKIP $why (allowed: $skip_ok)"
		else
			out "not ok $name: a required test skipped ($why)"
		fi
	elif [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
		why="exit status $rc"
		[ "$rc" -eq 137 ] && why="timed out after ${TIMEOUT}s"
		out "not ok $name: $why"
	elif [ "$results" -eq 0 ]; then
		out "not ok $name: printed no result"
	fi

	# What the guest saw around the test: one line, each cause named.
	dmesg -c >/tmp/test.kmsg
	bad=
	if log_splats /tmp/test.kmsg >/tmp/test.splat; then
		bad="$bad, kernel log has splats"
	fi
	new_taint
	[ "$TAINT_NEW" -eq 0 ] ||
		bad="$bad, kernel tainted (new bits $TAINT_NEW, /proc/sys/kernel/tainted $(cat /proc/sys/kernel/tainted))"
	if grep -q "$KMEMLEAK_OFF" /tmp/test.kmsg; then
		bad="$bad, kmemleak disabled itself"
		KMEMLEAK=
	fi
	g=$(guest_errors "$name")
	gwhy=$(allowed "$GERRS" "$name") || gwhy=
	[ -z "$gwhy" ] && [ -f "$GERR_MARK" ] && gwhy="the test expects them: $(head -n 1 "$GERR_MARK")"
	gpre=$(cat /tmp/gerr.pre)
	if [ -z "$g" ] || [ -z "$gpre" ]; then
		bad="$bad, guest-error log unreadable ($(cat /tmp/gerr.err))"
	elif [ "$gpre" != 0 ]; then
		bad="$bad, $gpre model guest errors during the baseline before it"
	elif [ "$g" != 0 ] && [ -z "$gwhy" ]; then
		bad="$bad, $g model guest errors (see guest-errors.attributed)"
	elif [ "$g" != 0 ]; then
		echo "# $name: $g model guest errors, expected ($gwhy)" >"$RES"
	fi
	if [ -n "$bad" ]; then
		out "not ok $name: kernel log clean, no taint, no unexpected model guest error (${bad#, })"
		sed 's/^/#   /' /tmp/test.splat | head -n 20 >"$RES"
	elif [ -n "$skipped" ]; then
		echo "# $name: kernel log clean, no taint, no model guest error" >"$RES"
	else
		out "ok $name: kernel log clean, no taint, no unexpected model guest error"
	fi
	t3=$(uptime_s)
	echo "# time $name $t0 $t1 $t2 $t3" >"$RES"
done </hidma/plan

t0=$(uptime_s)
# Leaks show only after a scan; give the objects freed last a moment.
# A disabled kmemleak refuses "scan" (EPERM): that fails here too.
if [ "$KMEMLEAK" = absent ]; then
	:
elif [ -n "$KMEMLEAK" ] && sleep 5 && echo scan 2>/dev/null >/sys/kernel/debug/kmemleak &&
	sleep 5 && echo scan 2>/dev/null >/sys/kernel/debug/kmemleak; then
	cat /sys/kernel/debug/kmemleak > /tmp/kmemleak
	if [ -s /tmp/kmemleak ]; then
		cat /tmp/kmemleak >/dev/console
		out "not ok kmemleak: no suspected leaks after the tests"
	else
		out "ok kmemleak: no suspected leaks after the tests"
	fi
else
	out "not ok kmemleak: enabled after the tests, scans work (it disabled itself or was never there)"
fi
echo "# time kmemleak $t0 $(uptime_s)" >"$RES"
out "# hidma-guest-end $n tests"
