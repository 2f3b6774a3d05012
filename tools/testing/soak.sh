#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The long soak, outside the test suite: boots the host configuration once
# and for N minutes runs, at the same time, mixed dmatest on the channels
# that stay with the host, random live tuning of hidma_mgmt (valid values
# read back, invalid ones refused) and handoffs of two channels to
# vfio-platform and back with the userspace driver moving data in between
# (tools/testing/selftests/hidma/soak/soak says exactly what). Ends with
# the counts, the guest's kernel log checked for splats (the suite's
# patterns), kmemleak, and "N passed, M failed"; exits non-zero on any
# failure or hang.
#
#   tools/testing/soak.sh [--minutes N] [--out DIR]
#
# Default 10 minutes; logs in out/soak/ (host/console.log is the kernel
# log, host/results.tap the results).
set -uo pipefail
. "$(dirname "$0")/lib/vp.sh"

minutes=10
out=$HIDMA_TOP/out/soak
while [ $# -gt 0 ]; do
	case "$1" in
	--minutes) minutes=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	-h|--help) sed -n '3,17p' "$0"; exit 0 ;;
	*) hidma_die "unknown option $1 (see --help)" ;;
	esac
done
if ! [[ "$minutes" =~ ^[0-9]+$ ]] || [ "$minutes" -lt 1 ]; then
	hidma_die "--minutes takes a whole number >= 1"
fi

rm -rf "$out"
mkdir -p "$out"
results=$out/results.tap
: >"$results"
report() { printf '%s\n' "$@" | tee -a "$results"; }

set -e
vp_build test "$out"
set +e

conf=host
run=$out/$conf
mkdir -p "$run"
vp_load_conf "$conf"
area=$VP_STAGE/tools/testing/selftests/hidma/soak
[ -x "$area/soak" ] || hidma_die "no soak test in $area"
echo "SOAK_SECONDS=$((minutes * 60))" >"$area/soak.conf"
# The soak itself, then the setup, the workers' last round, a last dmatest
# and kmemleak's scans; the guest boots in a few minutes under emulation.
export HIDMA_TEST_TIMEOUT=$((minutes * 60 + 1200))
GUEST_TIMEOUT=$((minutes * 60 + 2400))
echo "soak soak" >"$run/plan"
vp_dtb "$conf" "$run"
vp_initramfs "$conf" "$run" "$run/plan"

hidma_log "soak: $minutes minutes on the $conf configuration (log: $run/console.log)"
# Progress: the soak's own lines of the kernel log, as they come. (tail's
# own stderr goes after the substitution, which would inherit it.)
tail -n +1 -F "$run/console.log" > >(grep -a --line-buffered -o 'soak: .*' |
	sed -u 's/^/[hidma] /' >&2) 2>/dev/null &
tailer=$!
vp_boot "$conf" "$run"
brc=$?
kill $tailer 2>/dev/null
wait $tailer 2>/dev/null

grep -E '^(not )?ok ' "$run/results.tap" | tr -d '\r' |
	sed -E "s/^((not )?ok) /\1 $conf\//" |
	while IFS= read -r l; do report "$l"; done
if [ $brc -eq 124 ]; then
	report "not ok $conf: guest finished within ${GUEST_TIMEOUT}s (hang)"
elif grep -q '^# hidma-guest-end' "$run/results.tap"; then
	report "ok $conf: guest ran the soak and powered off"
else
	report "not ok $conf: guest ran the soak and powered off"
fi
grep -q '^\(not \)\?ok soak/soak[:# ]' "$run/results.tap" ||
	report "not ok $conf/soak/soak: never reported"
if vp_splats "$run/console.log" >"$run/splats"; then
	report "not ok $conf: kernel log free of splats"
	sed 's/^/#   /' "$run/splats" | head -n 40
else
	report "ok $conf: kernel log free of splats"
fi
grep -E '^not ok ' "$results" >/dev/null && grep -E '^# ' "$run/results.tap" | tr -d '\r' |
	grep -E '^# +#   ' | head -n 40

counts=$(tr -d '\r' <"$run/results.tap" | sed -n 's/.*soak counts: //p' | tail -n 1)
echo "# soak counts: ${counts:-none reported}"
passed=$(grep -Ec '^ok ' "$results")
failed=$(grep -Ec '^not ok ' "$results")
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
	failed=1
	echo "# nothing ran"
fi
echo "# logs: $out"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
