# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh
#
# Helpers of the md RAID area: a RAID5 over four brd RAM disks, driven by
# Debian's mdadm (put into root/ by host-stage), with the channels' and
# the model's counters read around each phase. Source it:
#   . ./raid-lib.sh

# shellcheck source=../chan/chan-lib.sh
. "${HIDMA_TESTS:-/hidma/tests}/chan/chan-lib.sh"

RAID_AREA=$HIDMA_TESTS/raid
RAID_ROOT=$RAID_AREA/root
# Two sets of four RAM disks, each for one array: set 1 (md1 on ram4-7)
# lets a test run even if an earlier test left md0 stuck.
RAID_SET=${RAID_SET:-0}
MD=/dev/md$RAID_SET
MDSYS=/sys/block/md$RAID_SET/md
_r=$((RAID_SET * 4))
DISKS="/dev/ram$_r /dev/ram$((_r + 1)) /dev/ram$((_r + 2)) /dev/ram$((_r + 3))"
LASTDISK=/dev/ram$((_r + 3))
# Member size (MiB) and data set (MiB): the array holds 3 x (member -
# mdadm's data offset); the guest has 2 GiB and KASAN's shadow on top.
# The data set just exceeds md's stripe cache (stripe_cache_size 256
# stripes of one 4 KiB page per member: 3 MiB of data on this array,
# raid_cache_diag prints it), so a write or a degraded read cycles stripes
# through the cache rather than only filling it: every copy md makes
# goes through async_memcpy() either way (one per 4 KiB page), and a
# bigger set repeats the same copies, only more of them.
RAID_DISK_MB=${RAID_DISK_MB:-16}
RAID_DATA_MB=${RAID_DATA_MB:-4}
RAID_DATA=/tmp/raid.data.$RAID_DATA_MB
DMA_API=/sys/kernel/debug/dma-api
TRACE=/sys/kernel/tracing/instances/hidma-raid

# The modules md RAID5 pulls in, in an order rmmod accepts.
RAID_MODULES="raid456 async_raid6_recov async_pq async_xor async_memcpy async_tx raid6_pq xor libcrc32c"

# The guest has no C library: run Debian's mdadm through its own loader.
mdadm() {
	"$RAID_ROOT/lib/ld-linux-aarch64.so.1" --library-path "$RAID_ROOT/lib" \
		"$RAID_ROOT/sbin/mdadm" "$@"
}

# raid_modules_unload: stop this test's array, unload md RAID5 and its
# async_tx stack (releasing the channels async_tx holds) and the RAM
# disks; what is still in use stays.
raid_modules_unload() {
	[ -e "$MDSYS" ] && mdadm --stop "$MD" >/dev/null 2>&1
	grep -q '^raid456 ' /proc/modules && modprobe -r raid456 2>/dev/null
	for _m in $RAID_MODULES brd; do
		grep -q "^$_m " /proc/modules && rmmod "$_m" 2>/dev/null
	done
	true
}

# raid_disks_load: eight empty RAM disks (memory is taken on write only).
raid_disks_load() {
	modprobe brd rd_nr=8 rd_size=$((RAID_DISK_MB * 1024)) max_part=0
}

# raid_create: a fresh RAID5 over the RAM disks. --assume-clean: the
# disks are all zeros, so parity is already right and no initial resync
# runs (the test's own 'check' confirms it).
raid_create() {
	mdadm --create "$MD" --run --quiet --level=5 --raid-devices=4 \
		--chunk=64 --assume-clean --metadata=1.2 $DISKS # split on purpose
}

raid_stop() { mdadm --stop "$MD"; }
raid_assemble() { mdadm --assemble "$MD" --run $DISKS; }

# raid_data MB: the known data set in tmpfs; prints its sha256. Drawn
# once per size and boot (/dev/urandom and sha256sum under KASAN: ~0.3 s
# per MiB); the file and its sum stay in /tmp for the later tests, which
# only read it (a file changed since would fail their read-back, never
# pass it).
raid_data() {
	if [ ! -s "$RAID_DATA.sum" ]; then
		dd if=/dev/urandom of="$RAID_DATA" bs=1M count="$1" 2>/dev/null
		[ "$(wc -c <"$RAID_DATA")" -eq $(($1 * 1048576)) ] || return 1
		sha256sum <"$RAID_DATA" | cut -d' ' -f1 >"$RAID_DATA.sum"
	fi
	cat "$RAID_DATA.sum"
}

# raid_cache_diag: md's stripe cache against the data set.
raid_cache_diag() {
	read -r _sc <"$MDSYS/stripe_cache_size"
	t_diag "stripe cache: $_sc stripes = $((_sc * 4 * 3 / 1024)) MiB of data; data set $RAID_DATA_MB MiB"
}

# raid_write: the data set onto the array, flushed through md.
raid_write() {
	dd if="$RAID_DATA" of="$MD" bs=1M conv=fsync 2>/dev/null
}

# raid_read_sum MB: sha256 of the array's first MB MiB, read from the
# disks (page cache dropped first).
raid_read_sum() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	dd if="$MD" bs=1M count="$1" 2>/dev/null | sha256sum | cut -d' ' -f1
}

raid_idle() { [ "$(cat "$MDSYS/sync_action")" = idle ]; }

# raid_check: md's 'check' pass; prints mismatch_cnt, fails on timeout.
raid_check() {
	echo 1000000 >/proc/sys/dev/raid/speed_limit_min
	echo check >"$MDSYS/sync_action" || return 1
	wait_until 600 raid_idle || return 1
	cat "$MDSYS/mismatch_cnt"
}

# ---- counters ----

# raid_snap FILE: one line per bound channel: dmaengine channel, device,
# chid, the driver's submitted, completed and failed counts, the model's
# bytes and TREs, the driver's prep_full and tried_again counts. The
# model's counters of every channel come in one vmctl round trip (each
# costs forks and a host exchange); a missing answer shows as "?" and
# fails the checks built on it.
raid_snap() {
	chan_list >"$1.chans"
	_props=$(awk '{ printf "chan%s-bytes chan%s-tres ", $3, $3 }' "$1.chans")
	_model=
	# shellcheck disable=SC2086
	[ -z "$_props" ] || _model=$(vmctl qom-get "$HIDMA_QOM" $_props) ||
		echo "raid_snap: vmctl qom-get failed" >&2
	awk -v m="$_model" -v dbg="$CHAN_DBG" '
		function v(x) { return x == "" ? "?" : x }
		BEGIN { split(m, mv, " ") }
		{
			f = dbg "/" $2 "/counters"
			split("", c)
			while ((getline l < f) > 0) {
				split(l, kv, " ")
				c[kv[1]] = kv[2]
			}
			close(f)
			print $1, $2, $3, v(c["submitted"]), v(c["completed"]),
			      v(c["failed"]), v(mv[2 * NR - 1]), v(mv[2 * NR]),
			      v(c["prep_full"]), v(c["tried_again"])
		}' "$1.chans" >"$1"
}

# raid_delta BEFORE AFTER: per channel present in both, "ch dev chid
# d_submitted d_completed d_failed d_bytes d_tres d_prep_full
# d_tried_again"; "?" where either snapshot lacks the value.
raid_delta() {
	awk 'NR == FNR { for (i = 4; i <= 10; i++) v[$1, i] = $i; seen[$1] = 1; next }
	     ($1 in seen) { printf "%s %s %s", $1, $2, $3
			    for (i = 4; i <= 10; i++)
				    if ($i == "?" || v[$1, i] == "?")
					    printf " ?"
				    else
					    printf " %d", $i - v[$1, i]
			    printf "\n" }' "$1" "$2"
}

# raid_dmaengine_report: what the dmaengine core says per channel.
raid_dmaengine_report() {
	for _c in /sys/class/dma/dma*chan*; do
		[ -e "$_c" ] || continue
		read -r _u <"$_c/in_use"
		read -r _n <"$_c/memcpy_count"
		read -r _b <"$_c/bytes_transferred"
		t_diag "  ${_c##*/}: in_use $_u memcpy_count $_n bytes_transferred $_b"
	done
}

# ---- the driver's memcpy submissions, from its tracepoint ----

# raid_trace_start [CHID...]: record every memcpy our channels (or only
# the channels CHID) accept (hidma_chan_submit, op 0 = memcpy) in a trace
# instance of our own. The kernel's filter drops the other channels'
# events (dmatest's beside md) before they reach the buffer.
raid_trace_start() {
	_f=
	for _c in "$@"; do
		_f="${_f:+$_f || }chid == $_c"
	done
	_f="op == 0${_f:+ && ($_f)}"
	mkdir -p "$TRACE" 2>/dev/null
	echo 0 >"$TRACE/tracing_on"
	echo 16384 >"$TRACE/buffer_size_kb"
	echo 0 >"$TRACE/options/overwrite"
	echo "$_f" >"$TRACE/events/hidma_chan/hidma_chan_submit/filter"
	echo 1 >"$TRACE/events/hidma_chan/hidma_chan_submit/enable"
	: >"$TRACE/trace"
	echo 1 >"$TRACE/tracing_on"
}

# raid_trace_stop [CHID...]: stop recording; prints "<memcpys> <bytes>
# <lost events>" of the channels CHID (default: every channel).
raid_trace_stop() {
	echo 0 >"$TRACE/tracing_on"
	echo 0 >"$TRACE/events/hidma_chan/hidma_chan_submit/enable"
	_lost=$(cat "$TRACE"/per_cpu/cpu*/stats 2>/dev/null |
		awk '/^overrun:|^dropped events:/ { n += $NF } END { print n + 0 }')
	awk -v chids=" $* " '
		/hidma_chan_submit:/ {
			c = ""; l = ""
			for (i = 1; i <= NF; i++) {
				if ($i ~ /^chid=/) c = substr($i, 6)
				if ($i ~ /^len=/) l = substr($i, 5)
			}
			if (chids != "  " && index(chids, " " c " ") == 0) next
			n++; b += l
		}
		END { printf "%d %d ", n, b }' "$TRACE/trace"
	echo "$_lost"
}

raid_trace_end() {
	[ -d "$TRACE" ] || return 0
	echo 0 >"$TRACE/tracing_on"
	echo 0 >"$TRACE/events/hidma_chan/hidma_chan_submit/enable"
	echo 0 >"$TRACE/events/hidma_chan/hidma_chan_submit/filter"
	rmdir "$TRACE"
}

# ---- DMA-API debugging ----
#
# async_memcpy() maps its two pages with dma_map_page() and never calls
# dma_mapping_error(); dma-debug reports "device driver failed to check
# map error" once per such mapping when our completion unmaps it
# (dmaengine_unmap_put()). That is the kernel client's defect, and it is
# the only DMA-API report md's copies may cause. dma-debug prints only
# its first report per boot and then just counts, so printing proves
# little and hides the rest: instead every report is counted
# (error_count, which counts whether printed or not), printing is
# switched off for the phase (driver_filter naming no driver) and the
# count must be exactly two per memcpy descriptor async_tx submitted to
# our channels (the tracepoint's count). Any other DMA-API error anywhere
# makes the count differ. The live mappings (dump) show the reports'
# kind while the array works: ours, "not checked"; none may be left
# once the array is stopped.

raid_dmadebug_quiet() {
	[ -d "$DMA_API" ] || return 0
	echo raid-test-counts-instead >"$DMA_API/driver_filter"
}

# raid_dmadebug_loud: printing back on; dma-debug's "print the first
# report" budget, which the silenced phase may have used, is restored.
raid_dmadebug_loud() {
	[ -d "$DMA_API" ] || return 0
	echo "" >"$DMA_API/driver_filter"
	echo 1 >"$DMA_API/num_errors"
}

raid_dmadebug_count() { cat "$DMA_API/error_count" 2>/dev/null || echo 0; }

# raid_dmadebug_live: live streaming mappings (not the driver's own
# coherent rings) of our channel devices.
raid_dmadebug_live() {
	grep '^hidma_chan ' "$DMA_API/dump" 2>/dev/null | grep -vc ' coherent ' || true
}

# t_dmadebug DESC ERRORS_BEFORE MEMCPYS [PREP_FULL]: one check that the
# DMA-API reports since ERRORS_BEFORE are exactly the known two per
# memcpy. A prep refused for want of a free descriptor (the driver's
# prep_full) makes async_memcpy() copy by CPU after it mapped and
# unmapped its pages: two more reports, no descriptor. With such refusals
# the count is known to within them; there were none in the runs seen.
t_dmadebug() {
	if [ ! -d "$DMA_API" ]; then
		t_skip "$1" "no DMA-API debugging in this kernel"
		return
	fi
	_e=$(($(raid_dmadebug_count) - $2))
	_lo=$(($3 * 2))
	_hi=$(((${4:-0} + $3) * 2))
	if [ "$_e" -ge "$_lo" ] && [ "$_e" -le "$_hi" ]; then
		t_ok "$1"
		t_diag "  $_e DMA-API reports = 2 x $3 memcpys (+ 2 x <= ${4:-0} refused preps) mapped by async_memcpy() without dma_mapping_error()"
	else
		t_fail "$1"
		t_diag "  $_e DMA-API reports, expected 2 x $3 (+ 2 x <= ${4:-0} refused preps): other DMA-API errors happened"
	fi
}
