# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh
# shellcheck disable=SC2034 # VMM_RC is for the tests that source this
#
# Helpers of the nested area (configuration host-nested): the host hands
# a channel to its VMM, the project's arm64 QEMU (qemu/build.sh --vmm,
# in /hidma/nested with the kernel and the nested guest's initramfs),
# which passes it to a guest under KVM with -device vfio-qcom-hidma. The
# guest runs guest-job (its TAP comes back on its console). Source it
# from a test:  . "$HIDMA_TESTS/nested/nested-lib.sh"

# shellcheck source=../vfio/vfio-lib.sh
. "$HIDMA_TESTS/vfio/vfio-lib.sh"
# shellcheck source=../mgmt/mgmt-lib.sh
. "$HIDMA_TESTS/mgmt/mgmt-lib.sh"

NESTED=/hidma/nested
VMM=$NESTED/qemu-system-aarch64
# The nested guest's run directory: its console (console.log: its kernel
# log; con.in: the lines the host types), its job's lines (results.log),
# the VMM's own output (vmm.log).
NDIR=/tmp/hidma-nested
# desc-count the VMM gives the guest's node (not the driver's default,
# so the guest shows it read the node the VMM wrote).
NESTED_DESC=${NESTED_DESC:-128}
NESTED_MEM=${NESTED_MEM:-384}
# How long a nested guest may take to boot and run its job: it boots a
# KASAN kernel under KVM under TCG.
NESTED_BOOT_S=${NESTED_BOOT_S:-300}
VMM_PID=
VMM_CAT=
# The VMM's exit status, once it ended (vmm_wait, vmm_kill), for the
# tests that source this file.
VMM_RC=

# nested_channels: the guest's channel and the host's, as the cycles
# share them out: dev (the first channel, for the guest), others (the
# rest, the host's), ochans (their dmaengine channels), nothers (how
# many).
nested_channels() {
	_devs=$(hidma_channel_devices)
	dev=$(echo "$_devs" | head -n 1)
	others=$(echo "$_devs" | sed 1d)
	ochans=
	for _o in $others; do
		ochans="$ochans $(dma_chan "$_o")"
	done
	nothers=$(echo "$others" | grep -c .)
}

# nested_ended HOW: after vmm_wait, the guest powered off HOW ("by
# itself", "when told") with the VMM's exit status 0, its job's checks,
# its kernel log clean, and the job ran to its end with every check
# passed.
nested_ended() {
	t_eq "the nested guest powered off $1 (VMM exit status)" 0 "$VMM_RC"
	nested_results
	nested_log_clean
	t_check "its job ended with every check passed" nested_said "end rc=0"
}

# nested_init: what every test of the area needs: vfio with type1 (the
# channel behind the SMMU), KVM, the VMM and the nested guest's files.
nested_init() {
	vfio_area_init
	t_check "/dev/kvm: the host runs KVM (EL2)" test -c /dev/kvm
	t_check "the VMM, the nested guest's kernel and initramfs are there" \
		test -x "$VMM" -a -s "$NESTED/Image" -a -s "$NESTED/initramfs.gz"
	if [ ! -c /dev/kvm ] || [ ! -x "$VMM" ]; then
		t_done
	fi
}

# vmm_start DEV JOB: boot the nested guest with DEV passed through, JOB
# (guest-job's) on its command line. Its console goes to
# $NDIR/console.log, its job's lines to $NDIR/results.log; a line for it
# goes into $NDIR/con.in.
vmm_start() {
	rm -rf "$NDIR"
	mkdir -p "$NDIR"
	mkfifo "$NDIR/con.in" "$NDIR/con.out"
	cat "$NDIR/con.out" >"$NDIR/console.log" &
	VMM_CAT=$!
	# watchdog_thresh=60: the guest's one vCPU is a thread of the VMM in
	# an emulated host, and a busy host can leave it unscheduled for tens
	# of seconds (seen once at boot, 27 s, with the host spawning a
	# process every 0.1 s): the soft lockup detector then reports the
	# host's load, not a lockup. At 60 it still reports one after 120 s.
	"$VMM" -machine virt,gic-version=3 -accel kvm -cpu host -smp 1 \
		-m "$NESTED_MEM" -nodefaults -display none -no-reboot \
		-kernel "$NESTED/Image" -initrd "$NESTED/initramfs.gz" \
		-append "console=ttyAMA0 ignore_loglevel no_hash_pointers panic=-1 rdinit=/init kmemleak=on watchdog_thresh=60 hidma_nested=$2 hidma_desc=$NESTED_DESC" \
		-chardev "pipe,id=con,path=$NDIR/con" -serial chardev:con \
		-device virtio-serial-device \
		-chardev "file,id=res,path=$NDIR/results.log" \
		-device virtconsole,chardev=res,nr=0 \
		-monitor none \
		-device "vfio-qcom-hidma,host=$1,desc-count=$NESTED_DESC" \
		>"$NDIR/vmm.log" 2>&1 &
	VMM_PID=$!
	t_diag "VMM $VMM_PID: $1 passed through, job $2"
}

# vmm_alive: the VMM still runs.
vmm_alive() { [ -n "$VMM_PID" ] && kill -0 "$VMM_PID" 2>/dev/null; }

# nested_said WORD: the guest's job printed the line WORD.
nested_said() { grep -q "^hidma-nested: $1" "$NDIR/results.log" 2>/dev/null; }

# vmm_wait_said WORD SECONDS: wait until the guest's job says WORD, as
# long as the VMM runs.
vmm_wait_said() {
	_left=$(($2 * 2))
	while ! nested_said "$1"; do
		vmm_alive || return 1
		_left=$((_left - 1))
		[ "$_left" -gt 0 ] || return 1
		sleep 0.5
	done
}

# vmm_wait SECONDS: wait for the VMM to end; VMM_RC its exit status.
# Kills it (and fails) when it does not end in time.
vmm_wait() {
	_left=$(($1 * 2))
	while vmm_alive; do
		_left=$((_left - 1))
		if [ "$_left" -le 0 ]; then
			kill -9 "$VMM_PID" 2>/dev/null
			wait "$VMM_PID" 2>/dev/null
			VMM_RC=timeout
			vmm_reaped
			return 1
		fi
		sleep 0.5
	done
	wait "$VMM_PID" 2>/dev/null
	VMM_RC=$?
	vmm_reaped
}

# vmm_kill: SIGKILL the VMM, whatever its guest is doing.
vmm_kill() {
	kill -9 "$VMM_PID" 2>/dev/null
	wait "$VMM_PID" 2>/dev/null
	VMM_RC=$?
	vmm_reaped
}

vmm_reaped() {
	VMM_PID=
	# The console's reader ends with the VMM's end of the pipe.
	wait "$VMM_CAT" 2>/dev/null
	VMM_CAT=
}

# vmm_cleanup: for a trap on EXIT: no VMM left behind.
vmm_cleanup() {
	[ -z "$VMM_PID" ] || vmm_kill
}

# nested_results: the guest job's TAP as this test's checks ("nested
# guest: ..."), and that the job ran to its end; the VMM's output and the
# guest's console on failure.
nested_results() {
	_n=0
	_bad=
	while IFS= read -r _l; do
		_l=${_l%"$(printf '\r')"}
		case "$_l" in
		"hidma-nested: ok "*)
			_d=${_l#hidma-nested: ok }
			t_ok "nested guest: ${_d#* }"
			_n=$((_n + 1)) ;;
		"hidma-nested: not ok "*)
			_d=${_l#hidma-nested: not ok }
			t_fail "nested guest: ${_d#* }"
			_bad=1
			_n=$((_n + 1)) ;;
		"hidma-nested: #"*) echo "#   ${_l#hidma-nested: }" ;;
		esac
	done <"$NDIR/results.log"
	t_check "the nested guest reported its job's checks ($_n)" test "$_n" -gt 0
	[ -z "$_bad" ] && [ "$_n" -gt 0 ] && return 0
	echo "#   VMM output:"
	sed 's/^/#     /' "$NDIR/vmm.log" | head -n 20
	echo "#   nested guest console (last lines):"
	tr -d '\r' <"$NDIR/console.log" | tail -n 40 | sed 's/^/#     /'
}

# nested_log_clean: the nested guest's kernel log (its console) has no
# splat, by the patterns the runner applies to the host's. A log that
# never saw the kernel start proves nothing, and fails.
nested_log_clean() {
	grep -v -e '^#' -e '^$' /hidma/splat-patterns >"$NDIR/patterns"
	tr -d '\r' <"$NDIR/console.log" | grep -E -f "$NDIR/patterns" >"$NDIR/splats"
	# grep's status: 1 is "no line matched"; 0 a splat, 2 grep's error.
	_rc=$?
	t_check "the nested guest's kernel log is there (Linux booted)" \
		grep -q "Booting Linux" "$NDIR/console.log"
	t_check "the nested guest's kernel log is free of splats (grep status $_rc)" \
		test "$_rc" -eq 1
	sed 's/^/#   /' "$NDIR/splats" | head -n 20
}

# chan_quiet DEV: the model's counters of DEV's channel, those that move
# when it does DMA or is asked to: "tres bytes doorbells errors
# tres-after-stop bytes-after-stop".
chan_quiet() {
	_n=$(chan_index "$1")
	vmctl qom-get "$HIDMA_QOM" "chan$_n-tres" "chan$_n-bytes" \
		"chan$_n-doorbells" "chan$_n-errors" \
		"chan$_n-tres-after-stop" "chan$_n-bytes-after-stop"
}

# nested_handback DESC DEV RESETS: the VMM is gone: the channel was reset
# (the host's vfio-platform reset handler ran more often than RESETS, its
# count before the VMM opened the channel) and is quiet (the model saw
# no TRE, byte, doorbell or error on it for a second, nor any since the
# reset), goes back to hidma_chan with hidma-handoff, and dmatest passes
# on it there.
nested_handback() {
	_d=$1 _dev=$2
	t_check "$_d: the host's reset handler reset $_dev at release ($(reset_count resets) resets, $3 before)" \
		[ "$(reset_count resets)" -gt "$3" ]
	_q0=$(chan_quiet "$_dev")
	sleep 1
	_q1=$(chan_quiet "$_dev")
	t_eq "$_d: the channel is quiet at the handover (model: tres bytes doorbells errors, after-stop tres bytes)" \
		"$_q0" "$_q1"
	t_check "$_d: hidma-handoff to-host $_dev" handoff_to_host "$_dev"
	t_eq "$_d: hidma_chan drives $_dev again" hidma_chan "$(driver_of "$_dev")"
	_q2=$(chan_quiet "$_dev")
	t_eq "$_d: no DMA from the release until the host's own work" \
		"$_q1" "$_q2"
	_c=$(dma_chan "$_dev")
	dmatest_start -i 20 "$_c"
	if dmatest_wait 120; then
		t_dmatest "$_d: dmatest on $_dev back on the host: 20 verified transfers" 20 "$_c"
	else
		t_fail "$_d: dmatest on $_dev back on the host ended within 120 s"
	fi
	dmatest_unload
}
