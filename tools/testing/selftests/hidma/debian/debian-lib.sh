# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh
#
# Helpers of the debian area's tests, on top of the install area's helpers
# (which source lib.sh). Source it from the area directory:
#   . ./debian-lib.sh
# The guest runs one of Debian 12's own kernels (HIDMA_CONFIG
# debian-<series>-dt or -acpi); the project's modules under updates/ were
# built against that kernel's Debian headers.

# shellcheck source=../install/install-lib.sh
. "${HIDMA_TESTS:-/hidma/tests}/install/install-lib.sh"
# shellcheck source=../chan/chan-lib.sh
. "$HIDMA_TESTS/chan/chan-lib.sh"

# The firmware the configuration says the kernel booted with.
case "$HIDMA_CONFIG" in
*-acpi) DEB_FW=acpi ;;
*) DEB_FW=dt ;;
esac

# vermagic FILE: a module's vermagic string.
vermagic() { modinfo -F vermagic "$1" 2>/dev/null; }

# mgmt_dev: the sysfs folder of the management device.
mgmt_dev() {
	_m=$(hd_mgmt | head -n 1)
	[ -n "$_m" ] && echo "/sys/bus/platform/devices/$_m"
}

# no_splats_in FILE: FILE has no line that fails the suite (the runner's
# patterns); prints those it has.
no_splats_in() {
	grep -v -e '^#' -e '^$' /hidma/splat-patterns >/tmp/deb-pat
	! grep -v '\[hidma-test\]' "$1" | grep -E -f /tmp/deb-pat
}

# The HIDMA devices, found once in the test's shell: the checks ask for
# them again in subshells, which inherit this (install-lib.sh hd_remember;
# a process per platform device otherwise, each time).
hd_remember
