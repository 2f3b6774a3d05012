#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The HIDMA test suite: builds what is missing (cached outside the work
# tree), runs the QEMU model's qtests, boots each guest configuration on the
# virtual platform and runs the in-guest tests there. Ends with one line
# "N passed, M failed" and exits non-zero on any failed test, any kernel
# splat in a guest's log, or a hang.
#
#   tools/testing/run-tests.sh [--config NAME]... [--area NAME]...
#                              [--test NAME]... [--no-qtest] [--no-builds]
#                              [--out DIR]
#
# Configurations are tools/testing/guest/configs/*.conf (default: all);
# areas are the directories of tools/testing/selftests/hidma/.
set -uo pipefail
. "$(dirname "$0")/lib/vp.sh"

configs=
areas=
tests=
qtest=1
builds=1
out=$HIDMA_TOP/out/tests
while [ $# -gt 0 ]; do
	case "$1" in
	--config) configs="$configs $2"; shift 2 ;;
	--area) areas="$areas $2"; shift 2 ;;
	--test) tests="$tests $2"; shift 2 ;;
	--no-qtest) qtest=; shift ;;
	--no-builds) builds=; shift ;;
	--out) out=$2; shift 2 ;;
	-h|--help) sed -n '3,16p' "$0"; exit 0 ;;
	*) hidma_die "unknown option $1 (see --help)" ;;
	esac
done
if [ -z "$configs" ]; then
	for c in "$VP_TESTING"/guest/configs/*.conf; do
		configs="$configs $(basename "$c" .conf)"
	done
fi

rm -rf "$out"
mkdir -p "$out"
results=$out/results.tap
: >"$results"
: >"$out/failures.txt"

# report LINE...: one result line, shown and kept for the count.
report() {
	printf '%s\n' "$@" | tee -a "$results"
}

# Where the time went: "seconds<TAB>step" per line, printed at the end.
times=$out/times.tsv
: >"$times"
step_t0=
step_start() { step_t0=$(date +%s); }
step_end() { printf '%s\t%s\n' "$(($(date +%s) - step_t0))" "$1" >>"$times"; }

# time_table: the steps, the configurations, each configuration's boot and
# areas (from the guest's "# time" lines), and the slowest tests.
time_table() {
	echo "# where the time went (seconds):"
	awk -F '\t' '{ printf "#   %6d  %s\n", $1, $2; if ($2 !~ /^  /) t += $1 }
		END { printf "#   %6d  total\n", t }' "$times"
	if [ -s "$out/test-times.tsv" ]; then
		echo "# slowest tests (seconds, configuration/area/test):"
		sort -rn "$out/test-times.tsv" | head -n 10 |
			awk -F '\t' '{ printf "#   %6d  %s\n", $1, $2 }'
	fi
}

# conf_times CONF RUNDIR: the guest's "# time" lines as table rows: its
# boot, each area (baseline, test, checks after it), the final kmemleak
# scan; every test into test-times.tsv.
conf_times() {
	tr -d '\r' <"$2/results.tap" | awk -v c="$1" -v tt="$out/test-times.tsv" '
		$1 == "#" && $2 == "time" && $3 == "boot" { printf "%d\t  %s: boot to the first test\n", $4, c; next }
		$1 == "#" && $2 == "time" && $3 == "kmemleak" { k = $5 - $4; next }
		$1 == "#" && $2 == "time" && NF == 7 {
			split($3, p, "/"); d = $7 - $4
			if (!(p[1] in a)) order[++n] = p[1]
			a[p[1]] += d
			printf "%d\t%s/%s\n", d, c, $3 >> tt
		}
		END {
			for (i = 1; i <= n; i++) printf "%d\t  %s: area %s\n", a[order[i]], c, order[i]
			if (k != "") printf "%d\t  %s: final kmemleak scan\n", k, c
		}' >>"$times"
}

# summary: the time table, the counts and the final line; exit status 0
# only if nothing failed. The recap of the guests' failures comes last,
# just before the counts: CI keeps only the head and the tail of a long
# run's output, and the time table alone is longer than the tail.
summary() {
	local passed skipped failed more
	passed=$(grep -E '^ok ' "$results" | grep -vc '# SKIP')
	skipped=$(grep -E '^ok .*# SKIP' "$results" | grep -c .)
	failed=$(grep -Ec '^not ok ' "$results")
	if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
		failed=1
		echo "# no test ran"
	fi
	time_table
	echo "# logs: $out"
	if [ -s "$out/failures.txt" ]; then
		echo "# failed in the guests, with what followed each failure:"
		head -n 30 "$out/failures.txt"
		more=$(($(wc -l <"$out/failures.txt") - 30))
		[ "$more" -le 0 ] || echo "# ($more more lines: $out/failures.txt)"
	fi
	[ "$skipped" -gt 0 ] && echo "# $skipped skipped (not counted as passed)"
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}
# A step that dies (a build that fails, say) still ends the run with the
# counts, itself counted as a failure.
trap 'rc=$?; trap - EXIT; report "not ok suite: stopped early (exit status $rc, see above)"; summary; exit 1' EXIT

if [ -n "$builds" ]; then
	hidma_log "builds for every supported kernel, static analysis"
	step_start
	"$VP_TESTING/check-builds.sh" --out "$out/builds" >"$out/builds.tap" 2>"$out/builds.log"
	crc=$?
	grep -E '^(not )?ok ' "$out/builds.tap" | while IFS= read -r l; do report "$l"; done
	grep '^#' "$out/builds.tap" >&2
	# Its exit status counts: a failure it did not print as a line (it
	# stopped early, say) is one here.
	if [ $crc -ne 0 ] && ! grep -q '^not ok' "$out/builds.tap"; then
		report "not ok build: check-builds.sh exit status $crc"
		tail -n 20 "$out/builds.log" | sed 's/^/#   /' >&2
	fi
	step_end "check-builds.sh (4 kernel builds, checkpatch, kernel-doc, dkms)"
fi

step_start
set -e
vp_build test "$out"
set +e
step_end "build: QEMU, test kernel (cached), modules and tests"

if [ -n "$builds" ]; then
	hidma_log "device tree bindings and the trees the platform boots"
	step_start
	hidma_need_pkgs dt-schema device-tree-compiler cpp
	"$VP_TESTING/dt-binding-check.sh" "$(readlink -f "$VP_KERNEL/source")" \
		>"$out/dt.tap" 2>&1
	drc=$?
	grep -E '^(not )?ok ' "$out/dt.tap" | sed -E 's/^((not )?ok) [0-9]+ /\1 /' |
		while IFS= read -r l; do report "$l"; done
	grep '^#' "$out/dt.tap" >&2
	if [ $drc -ne 0 ] && ! grep -q '^not ok' "$out/dt.tap"; then
		report "not ok dt: dt-binding-check.sh exit status $drc"
	fi
	step_end "dt-binding-check.sh"
fi

if [ -n "$qtest" ]; then
	hidma_log "running the model's qtests"
	step_start
	"$VP_TESTING/qemu/run-qtest.sh" >"$out/qtest.tap" 2>"$out/qtest.log"
	qrc=$?
	grep -E '^(not )?ok ' "$out/qtest.tap" | sed -E 's/^((not )?ok) [0-9]+ (- )?/\1 qtest: /' |
		while IFS= read -r l; do report "$l"; done
	if [ $qrc -ne 0 ] && ! grep -q '^not ok' "$out/qtest.tap"; then
		report "not ok qtest: exit status $qrc"
		tail -n 20 "$out/qtest.log" >&2
	fi
	step_end "qtest"
fi

for conf in $configs; do
	run=$out/$conf
	mkdir -p "$run"
	vp_load_conf "$conf"
	vp_plan "$conf" "$areas" "$tests" >"$run/plan"
	if [ ! -s "$run/plan" ]; then
		hidma_log "$conf: no tests selected"
		continue
	fi
	# Its kernel (KERNEL=, Debian's for debian-*), the modules built for it.
	step_start
	if ! vp_kernel "$out" 2>"$run/kernel.log"; then
		report "not ok $conf: its kernel ($KERNEL) fetched, the project's modules built for it"
		tail -n 20 "$run/kernel.log" | sed 's/^/#   /'
		step_end "$conf: kernel and modules"
		continue
	fi
	step_end "$conf: kernel ${KERNEL:-test} and modules"
	# A host that runs a nested guest needs the VMM too.
	if [ -n "$NESTED" ]; then
		step_start
		if ! vp_vmm 2>"$run/vmm.log"; then
			report "not ok $conf: the VMM (arm64 QEMU) built"
			tail -n 20 "$run/vmm.log" | sed 's/^/#   /'
			step_end "$conf: VMM"
			continue
		fi
		step_end "$conf: VMM (arm64 QEMU, cached)"
	fi
	hidma_log "$conf: $(grep -c . "$run/plan") tests, booting (log: $run/console.log)"
	step_start
	vp_dtb "$conf" "$run"
	vp_initramfs "$conf" "$run" "$run/plan"
	step_end "$conf: device tree and initramfs"
	step_start
	vp_boot "$conf" "$run"
	brc=$?
	step_end "$conf: guest (boot, tests, kmemleak scan), of which:"
	conf_times "$conf" "$run"
	grep -E '^(not )?ok ' "$run/results.tap" | tr -d '\r' |
		sed -E "s/^((not )?ok) /\1 $conf\//" |
		while IFS= read -r l; do report "$l"; done
	# Each failure with what explains it, for the recap at the end (CI
	# keeps only the head and the tail of a long run's output): the
	# comments the test printed under its own "# not ok N" line, which
	# come before the guest runner's line, and the splat lines that
	# guest-run.sh prints ("#   ") after it.
	tr -d '\r' <"$run/results.tap" | awk -v c="$conf" '
		/^# not ok [0-9]+ / { cur = $0; sub(/^# not ok [0-9]+ /, "", cur); det[cur] = ""; n = 0; next }
		/^# # / && cur != "" { if (n++ < 12) det[cur] = det[cur] "#    " substr($0, 4) "\n"; next }
		/^# (ok|not ok) / { cur = ""; next }
		/^not ok / {
			l = $0; sub(/^not ok /, "", l); print "# " c "/" l
			d = l; sub(/^[^:]*: /, "", d)
			if (d in det) printf "%s", det[d]
			f = 1; next
		}
		/^(ok|not ok) / { f = 0; next }
		f && /^#   / { print "#  " substr($0, 2) }' >>"$out/failures.txt"
	# Powering off is the runner's business, not the product's: a comment
	# when it happens, a failure when it does not.
	if [ $brc -eq 124 ]; then
		report "not ok $conf: guest finished within ${GUEST_TIMEOUT}s (hang)"
	elif grep -q '^# hidma-guest-end' "$run/results.tap"; then
		echo "# $conf: guest ran every test and powered off"
	else
		report "not ok $conf: guest ran every test and powered off"
	fi
	# A configuration that proved nothing (every test skipped) fails.
	# One awk, not "grep | grep -q": under pipefail the first grep dies
	# of SIGPIPE when the second quits early on a long log, and the
	# pipeline then reads as "nothing passed".
	if ! awk '/^ok / && !/# SKIP/ { found = 1; exit } END { exit !found }' "$run/results.tap"; then
		report "not ok $conf: at least one test passed (all skipped or failed)"
	fi
	# The model's guest errors the runner never asked about (after the
	# last test, or every one if the guest could not reach the bridge).
	asked=$(grep -c '^[^:]*: qcom-hidma: ' "$run/guest-errors.log.attributed" 2>/dev/null)
	all=$(grep -c '^qcom-hidma: ' "$run/guest-errors.log" 2>/dev/null)
	if [ "${all:-0}" -gt "${asked:-0}" ]; then
		report "not ok $conf: the model logged no guest error outside the tests ($((all - asked)) lines)"
		grep '^qcom-hidma: ' "$run/guest-errors.log" | tail -n $((all - asked)) | head -n 10 |
			sed 's/^/#   /'
	fi
	# Tests that never reported (the guest died first) are failures too.
	while read -r area name; do
		grep -q "^\(not \)\?ok $area/$name[:# ]" "$run/results.tap" ||
			report "not ok $conf/$area/$name: never reported"
	done <"$run/plan"
	if vp_splats "$run/console.log" >"$run/splats"; then
		report "not ok $conf: kernel log free of splats"
		sed 's/^/#   /' "$run/splats" | head -n 40
	else
		report "ok $conf: kernel log free of splats"
	fi
done

trap - EXIT
summary
