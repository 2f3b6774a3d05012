#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The main job: the HIDMA drivers on the virtual platform. Builds what is
# missing (cached outside the work tree), boots the host configuration with
# the engine's bandwidth limited, loads the drivers, moves data on every
# channel with the kernel's dmatest, and tunes the channels' priority and
# weight live through sysfs while the model's statistics show the effect.
# Then boots the host as a hypervisor (host-nested: EL2, KVM, the SMMU):
# its VMM passes channel 0 to a virtual machine, whose hidma_chan moves
# data on it while the host's admin tunes it, live.
#
#   tools/testing/demo.sh
set -euo pipefail
. "$(dirname "$0")/lib/vp.sh"

out=$HIDMA_TOP/out/demo
rm -rf "$out"
mkdir -p "$out"
vp_build test "$out"

# demo CONF: boot CONF in demo mode, show what the guest prints.
demo() {
	local conf=$1 run=$out/$1 rc=0 tailpid
	mkdir -p "$run"
	vp_load_conf "$conf"
	[ -z "$NESTED" ] || vp_vmm || hidma_die "the VMM did not build"
	echo "demo demo" >"$run/plan"
	vp_dtb "$conf" "$run"
	VP_MODE=demo vp_initramfs "$conf" "$run" "$run/plan"
	hidma_log "booting $conf (kernel log: $run/console.log)"
	tail -n +1 -F "$run/results.tap" 2>/dev/null &
	tailpid=$!
	vp_boot "$conf" "$run" || rc=$?
	sleep 1
	kill $tailpid 2>/dev/null
	if [ $rc -ne 0 ]; then
		hidma_die "the guest did not finish in time"
	fi
	if vp_splats "$run/console.log" >"$run/splats"; then
		cat "$run/splats" >&2
		hidma_die "the kernel reported problems (see $run/console.log)"
	fi
}

demo host-qos
demo host-nested
