# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh disable=SC2034,SC2046,SC2086
# (SC2034: the settings are for the scripts; SC2046, SC2086: lists of
# channels and numbers are split on purpose)
#
# Guest side of the benchmark (busybox sh): helpers shared by "sweep" and
# "qos". Every measurement is printed as one line
#   BENCH kind=... key=value ...
# which the host collects (tools/testing/bench/report.py); TAP lines say
# whether each measurement was sound (no error, data verified).

# shellcheck source=../selftests/hidma/chan/chan-lib.sh
. "${HIDMA_TESTS:-/hidma/tests}/chan/chan-lib.sh"

BENCH_DIR=$HIDMA_TESTS/bench
HB=/sys/kernel/debug/hidma_bench
MGMT=/sys/bus/platform/devices/b000000.hidma-mgmt

# Defaults; benchmark.sh writes "params" beside this file to change them.
POINT_MS=1500
SIZES="64 256 1024 4096 16384 65536 262144 1048576 4194304"
DEPTHS="1 4 32 256 ring"
BATCH=32
MAX_INFLIGHT_BYTES=67108864
REAP_ROUNDS=3
REAP_SIZES="64 4096"
QOS_SIZE=65536
QOS_DEPTH=32
QOS_WARM=1
QOS_WINDOW=3
QOS_SETTINGS="
equal 0:0:1 1:0:1
weights-1:3 0:0:1 1:0:3
weights-1:2:4 0:0:1 1:0:2 2:0:4
weights-1..6 0:0:1 1:0:2 2:0:3 3:0:4 4:0:5 5:0:6
priority 0:1:1 1:0:15
priority+weights 0:1:1 1:1:3 2:0:8
"
# shellcheck disable=SC1091
[ -f "$BENCH_DIR/params" ] && . "$BENCH_DIR/params"

bench_load() {
	grep -q '^hidma_bench ' /proc/modules || insmod "$BENCH_DIR/hidma_bench.ko"
}

bench_unload() {
	echo >$HB/channels
	rmmod hidma_bench
}

emit() { echo "BENCH $*"; }

# bench_channels: "<dmaengine channel> <platform device> <chid>" per channel
# bound to hidma_chan, in address order, into /tmp/bench-chans.
bench_channels() {
	chan_list >/tmp/bench-chans
	[ -s /tmp/bench-chans ]
}

# irq_count DEV...: interrupts of these devices in /proc/interrupts, summed
# over every CPU and every vector.
irq_count() {
	awk -v devs=" $* " '
	NR == 1 { ncpu = NF; next }
	index(devs, " " $NF " ") {
		for (i = 2; i <= ncpu + 1; i++)
			s += $i
	}
	END { printf "%.0f\n", s }' /proc/interrupts
}

# cpu_ticks: "busy idle" jiffies of all CPUs so far (/proc/stat).
cpu_ticks() {
	awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6; exit }' /proc/stat
}

# model_snap CHID...: "bytes busy-ns" of each channel from the model's
# statistics, on one line.
model_snap() {
	for _c; do
		printf '%s %s ' "$(model_get "chan$_c-bytes")" "$(model_get "chan$_c-busy-ns")"
	done
	echo
}

# reg_snap CHID...: "reads writes" the CPU made to these channels'
# registers so far, summed (the model counts every MMIO access).
reg_snap() {
	_r=0 _w=0
	for _c; do
		_r=$((_r + $(model_get "chan$_c-reg-reads")))
		_w=$((_w + $(model_get "chan$_c-reg-writes")))
	done
	echo "$_r $_w"
}

# model_delta BEFORE AFTER: "bytes busy_sum busy_max" between two snaps.
model_delta() {
	echo "$1 | $2" | awk '{
		n = 0
		for (i = 1; $i != "|"; i++)
			b[++n] = $i
		k = 0
		for (i++; i <= NF; i++) {
			d = $i - b[++k]
			if (k % 2) {
				bytes += d
			} else {
				sum += d
				if (d > max)
					max = d
			}
		}
		printf "%.0f %.0f %.0f\n", bytes, sum, max
	}'
}

# res KEY: a field of the module's last result.
res() { awk -v k="$1" '$1 == k { print $2; exit }' $HB/result; }

# bench_set_channels NAME...: the channels the module drives.
bench_set_channels() { echo "$*" >$HB/channels; }

# dma_point KIND LABEL CHIDS DEVS SIZE DEPTH BATCH MS: one timed run with
# the model's statistics, the channels' interrupts and the CPUs' ticks taken
# right before and after it (nothing moves then: the run has drained).
# Prints the BENCH line and a TAP line.
dma_point() {
	_kind=$1 _label=$2 _chids=$3 _devs=$4 _size=$5 _depth=$6 _batch=$7 _ms=$8
	echo "$_size" >$HB/size
	echo "$_depth" >$HB/depth
	echo "$_batch" >$HB/batch
	echo "$_ms" >$HB/ms
	# shellcheck disable=SC2086
	{
		_m0=$(model_snap $_chids)
		_g0=$(reg_snap $_chids)
		_i0=$(irq_count $_devs)
		_c0=$(cpu_ticks)
		if echo start >$HB/ctl && echo wait >$HB/ctl; then _rc=0; else _rc=1; fi
		_c1=$(cpu_ticks)
		_i1=$(irq_count $_devs)
		_g1=$(reg_snap $_chids)
		_m1=$(model_snap $_chids)
	}
	set -- $_g0 $_g1
	_rd=$(($3 - $1)) _wr=$(($4 - $2))
	set -- $(model_delta "$_m0" "$_m1")
	_mb=$1 _busy_sum=$2 _busy_max=$3
	set -- $_c0 $_c1
	_cpu_busy=$(($3 - $1)) _cpu_idle=$(($4 - $2))
	_tr=$(res transfers)
	_by=$(res bytes)
	_err=$(res errors)
	_ver=$(res verified)
	emit "kind=$_kind label=$_label chans=$(echo $_chids | wc -w) size=$_size" \
		"depth=$_depth batch=$_batch elapsed_ns=$(res elapsed_ns)" \
		"transfers=$_tr bytes=$_by errors=$_err prep_failures=$(res prep_failures)" \
		"verified=$_ver model_bytes=$_mb busy_sum_ns=$_busy_sum busy_max_ns=$_busy_max" \
		"irqs=$((_i1 - _i0)) reg_reads=$_rd reg_writes=$_wr" \
		"cpu_busy=$_cpu_busy cpu_idle=$_cpu_idle"
	_d="$_kind $_label size $_size depth $_depth batch $_batch"
	if [ $_rc -ne 0 ]; then
		t_fail "$_d: the run completed"
		sed 's/^/#   /' $HB/result
	elif [ "$_err" != 0 ] || [ "$_ver" != yes ] || [ "$_by" != "$_mb" ]; then
		t_fail "$_d: no errors, data verified, the model moved what the client counted"
		t_diag "  errors $_err, verified $_ver, client bytes $_by, model bytes $_mb"
	else
		t_ok "$_d"
	fi
}

# cpu_point SIZE MS: memcpy() of SIZE bytes for MS.
cpu_point() {
	echo "$1" >$HB/size
	echo "$2" >$HB/ms
	if echo cpu >$HB/ctl; then
		emit "kind=cpu label=memcpy chans=0 size=$1 elapsed_ns=$(res elapsed_ns)" \
			"transfers=$(res transfers) bytes=$(res bytes)"
		t_ok "cpu memcpy size $1"
	else
		t_fail "cpu memcpy size $1"
	fi
}
