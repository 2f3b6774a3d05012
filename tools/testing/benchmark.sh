#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The benchmark (Documentation/benchmark.rst): what the engine and the
# drivers deliver on the virtual platform, against the CPU's memcpy and the
# model's own limit. Builds what is missing (QEMU with the model, the test
# kernel without its debug options: build.sh --variant bench), then boots:
#   1. the host, unlimited model: the sweep (sizes, queue depths, one
#      channel and all, interrupt per transfer or per batch, CPU memcpy of
#      each size);
#   2. the host, model limited to --qos-bandwidth: the limit as the model's
#      statistics see it, then the QoS table (throughput shares under
#      contention for a few priority/weight settings);
#   3. with --only ...versus: the ACPI host (host-acpi), unlimited model: our drivers against the
#      kernel's own hdma_mgmt/hdma (modules of the bench kernel, ACPI-only
#      in 6.12), in alternating rounds, same client and points.
# Writes table.txt, table.md and bench.png (and the raw results.txt) to the
# output directory and prints the table. Not part of run-tests.sh: nothing
# here is a pass/fail test of speed; the exit status is non-zero only if a
# run was unsound (errors, data not verified, kernel splats, timeouts).
#
#   tools/testing/benchmark.sh [--out DIR] [--point-ms MS] [--qos-bandwidth B]
#                              [--only BOOTS] [--quick]
#
#   --out DIR          output directory (default out/bench)
#   --point-ms MS      length of each timed run of the sweep (default 1500)
#   --qos-bandwidth B  the model's bandwidth for the QoS boot, bytes per
#                      virtual second (default 32000000)
#   --only BOOTS       run only these boots, comma-separated, of sweep, qos
#                      and versus (default: sweep,qos); --only versus runs
#                      the comparison with the kernel's drivers alone. Not
#                      in the default: with the 6.12 drivers as they are,
#                      their batched points and reloads fail (see
#                      Documentation/benchmark.rst), and a default run
#                      must be sound when ours is
#   --quick            fewer sizes and depths, shorter runs: a smoke test of
#                      the benchmark itself, not numbers to quote
set -euo pipefail
# shellcheck source=lib/vp.sh
. "$(dirname "$0")/lib/vp.sh"

out=$HIDMA_TOP/out/bench
point_ms=1500
qos_bw=32000000
quick=
boots=sweep,qos
while [ $# -gt 0 ]; do
	case "$1" in
	--out) out=$2; shift 2 ;;
	--point-ms) point_ms=$2; shift 2 ;;
	--qos-bandwidth) qos_bw=$2; shift 2 ;;
	--only) boots=$2; shift 2 ;;
	--quick) quick=1; shift ;;
	-h|--help) sed -n '3,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
	*) hidma_die "unknown option $1 (see --help)" ;;
	esac
done
case "$point_ms$qos_bw" in *[!0-9]*) hidma_die "--point-ms and --qos-bandwidth take numbers" ;; esac
[ "$qos_bw" -gt 0 ] || hidma_die "--qos-bandwidth must be above 0"
for b in ${boots//,/ }; do
	case "$b" in sweep|qos|versus) ;; *) hidma_die "--only: unknown boot $b (sweep, qos, versus)" ;; esac
done
# wanted BOOT: whether BOOT is to run.
wanted() { case ",$boots," in *",$1,"*) return 0 ;; esac; return 1; }

# The report runs on Debian's python3, which has python3-matplotlib.
hidma_need_pkgs python3-matplotlib
PY=/usr/bin/python3

mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -rf "$out/build" "$out/run-sweep" "$out/run-qos" "$out/run-versus"
rm -f "$out"/{results.txt,table.txt,table.md,bench.png}
mkdir -p "$out/build"

vp_build bench "$out/build"

# The benchmark's client module, against the bench kernel, W=1 clean.
bench_src=$VP_STAGE/tools/testing/bench
make -C "$VP_KERNEL/build" ARCH=arm64 CROSS_COMPILE="$VP_CROSS" M="$bench_src" W=1 modules \
	>"$out/build/bench-module.log" 2>&1 ||
	{ cat "$out/build/bench-module.log" >&2; hidma_die "hidma_bench.ko did not build"; }
if grep -E 'warning:|error:' "$out/build/bench-module.log" >&2; then
	hidma_die "hidma_bench.ko built with warnings"
fi

# In the guest the benchmark is one more area of /hidma/tests, run by the
# guest runner from the usual baseline (drivers loaded, channels bound).
guest=$VP_STAGE/tools/testing/selftests/hidma/bench
mkdir -p "$guest"
cp "$bench_src"/{hidma_bench.ko,bench-lib.sh,sweep,qos,versus} "$guest/"
{
	echo "POINT_MS=$point_ms"
	if [ -n "$quick" ]; then
		echo 'SIZES="64 4096 65536 1048576"'
		echo 'DEPTHS="1 32 ring"'
		echo 'QOS_WINDOW=1'
		echo 'REAP_ROUNDS=1'
		echo 'VS_ROUNDS=1'
		echo 'VS_SIZES="4096 65536"'
		echo 'VS_MODES="32:1"'
		echo 'QOS_SETTINGS="
weights-1:3 0:0:1 1:0:3
priority 0:1:1 1:0:15
"'
	fi
} >"$guest/params"

# boot NAME SCRIPT BANDWIDTH [CONF]: one boot of configuration CONF (default
# host) running bench/SCRIPT; its BENCH lines go to results.txt as
# "boot=NAME ...".
boot() {
	local name=$1 script=$2 bw=$3 conf=${4:-host} run=$out/run-$1 rc=0
	vp_load_conf "$conf"
	QEMU_GLOBALS="$QEMU_GLOBALS -global qcom-hidma.bandwidth=$bw"
	GUEST_TIMEOUT=2400
	mkdir -p "$run"
	echo "bench $script" >"$run/plan"
	vp_dtb "$conf" "$run"
	HIDMA_TEST_TIMEOUT=1800 vp_initramfs "$conf" "$run" "$run/plan"
	hidma_log "booting the $name run on $conf (kernel log: $run/console.log)"
	vp_boot "$conf" "$run" || rc=$?
	[ $rc -eq 0 ] || hidma_die "the $name run did not finish in ${GUEST_TIMEOUT}s"
	hidma_log "the $name run took ${VP_BOOT_SECONDS}s"
	grep -q '^# hidma-guest-end' "$run/results.tap" ||
		hidma_die "the $name run ended early (see $run/results.tap, $run/console.log)"
	# What was measured goes into the table even if the run was unsound
	# (the kernel's own drivers make the versus boot so): the exit status
	# and the messages say it was.
	sed -n "s/^# BENCH /boot=$name /p" "$run/results.tap" >>"$out/results.txt"
	if vp_splats "$run/console.log" >"$run/splats"; then
		head -n 20 "$run/splats" >&2
		hidma_log "the kernel reported problems in the $name run (see $run/console.log)"
		unsound=1
	fi
	if grep '^not ok' "$run/results.tap" >"$run/failures"; then
		cat "$run/failures" >&2
		unsound=1
	fi
}

unsound=0
: >"$out/results.txt"
wanted sweep && boot sweep sweep 0
wanted qos && boot qos qos "$qos_bw"
wanted versus && boot versus versus 0 host-acpi

commit=$(cd "$HIDMA_TOP" && git describe --always --dirty 2>/dev/null || echo unknown)
"$PY" "$VP_TESTING/bench/report.py" "$out/results.txt" "$out" \
	"date=$(date -u +%Y-%m-%d)" "commit=$commit" "host=$(nproc) cores" \
	${quick:+"mode=quick (not numbers to quote)"} ||
	hidma_die "the report could not be made from $out/results.txt"
hidma_log "table: $out/table.txt ($out/table.md), plot: $out/bench.png"
if [ $unsound -ne 0 ]; then
	hidma_die "some runs were unsound (errors, unverified data, byte counts that disagree, kernel splats): see above"
fi
