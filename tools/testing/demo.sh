#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The main job: the HIDMA drivers on the virtual platform. Builds what is
# missing (cached outside the work tree), boots the host configuration with
# the engine's bandwidth limited, loads the drivers, moves data on every
# channel with the kernel's dmatest, and tunes the channels' priority and
# weight live through sysfs while the model's statistics show the effect.
#
#   tools/testing/demo.sh
set -euo pipefail
. "$(dirname "$0")/lib/vp.sh"

out=$HIDMA_TOP/out/demo
rm -rf "$out"
mkdir -p "$out/run"
vp_build test "$out"
vp_load_conf host-qos
echo "demo demo" >"$out/run/plan"
vp_dtb host-qos "$out/run"
VP_MODE=demo vp_initramfs host-qos "$out/run" "$out/run/plan"
hidma_log "booting the virtual platform (kernel log: $out/run/console.log)"
tail -n +1 -F "$out/run/results.tap" 2>/dev/null &
tailpid=$!
rc=0
vp_boot host-qos "$out/run" || rc=$?
sleep 1
kill $tailpid 2>/dev/null
if [ $rc -ne 0 ]; then
	hidma_die "the guest did not finish in time"
fi
if vp_splats "$out/run/console.log" >"$out/splats"; then
	cat "$out/splats" >&2
	hidma_die "the kernel reported problems (see $out/run/console.log)"
fi
