# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh disable=SC2034 # NCHILDREN, FI_N: read by the callers
#
# Helpers of the fault injection tests (busybox sh), on the kernel's own
# framework (Documentation/fault-injection/fault-injection.rst): failslab
# and fail_page_alloc, narrowed by the stack trace filter to allocations
# made on behalf of one module's code, and
#
# - /proc/self/fail-nth to fail exactly the N-th such allocation of the
#   shell (fail_walk): fail-nth counts only the calls that pass the
#   filter, per task, so N = 1, 2, ... walks every allocation of an
#   operation in order until one N is no longer reached and the
#   operation must succeed;
# - task-filter with /proc/self/make-it-fail and probability 100
#   (fail_every): every such allocation of the shell fails.
#
# Source after lib.sh: . ./faultinj-lib.sh

# shellcheck source=../lib.sh
. "${HIDMA_TESTS:-/hidma/tests}/lib.sh"
# mark, log_since, no_splats_since, kmemleak_check, is_bound, children_of,
# whole, bind_chans, the device paths of the management area.
# shellcheck source=../mgmt/mgmt-lib.sh
. "$HIDMA_TESTS/mgmt/mgmt-lib.sh"

FI_DBG=/sys/kernel/debug
FI_ATTRS="failslab fail_page_alloc"
FI_MAX=${FI_MAX:-600}
CHAN_DBG=/sys/kernel/debug/hidma_chan

# fi_max TOTAL: where a walk over an operation that made TOTAL
# allocations when nothing failed gives up. A failure the operation
# survives can cost allocations of its own (the core's messages, a
# retried link, slab refills), so a step's count runs above TOTAL: a
# quarter more, and a stride past it, before "still injecting" means the
# operation never ends its retries.
fi_max() {
	echo $(($1 + $1 / 4 + ${FI_STRIDE:-1} + 1))
}

# fi_available: the framework and its stack trace filter are there.
fi_available() {
	for _a in $FI_ATTRS; do
		[ -w "$FI_DBG/$_a/require-start" ] || return 1
	done
	[ -w /proc/self/fail-nth ] && [ -w /proc/self/make-it-fail ]
}

# fi_setup: both attributes armed for GFP_KERNEL allocations of any order
# (their defaults skip allocations that may sleep and order 0 pages),
# nothing failing yet, one line in the log per injected failure. The
# test's EXIT trap must call fi_restore.
fi_setup() {
	for _a in $FI_ATTRS; do
		echo 0 >"$FI_DBG/$_a/probability"
		echo 1 >"$FI_DBG/$_a/verbose"
		echo N >"$FI_DBG/$_a/task-filter"
		echo 32 >"$FI_DBG/$_a/stacktrace-depth"
		echo 0 >"$FI_DBG/$_a/space"
		echo 1 >"$FI_DBG/$_a/interval"
		echo 1000000 >"$FI_DBG/$_a/times"
		echo N >"$FI_DBG/$_a/ignore-gfp-wait"
	done
	echo 0 >"$FI_DBG/fail_page_alloc/min-order"
	echo N >"$FI_DBG/fail_page_alloc/ignore-gfp-highmem"
	fi_known_leaks
	t_diag "not failed: dmaengine channel registration ${FI_REJECT:-?}, stack depot ${FI_REJECT_PAGE:-?}"
}

# fi_restore: the framework's defaults; nothing fails.
fi_restore() {
	echo 0 >/proc/self/fail-nth 2>/dev/null
	echo 0 >/proc/self/make-it-fail 2>/dev/null
	for _a in $FI_ATTRS; do
		echo 0 >"$FI_DBG/$_a/probability"
		echo 2 >"$FI_DBG/$_a/verbose"
		echo N >"$FI_DBG/$_a/task-filter"
		echo 1 >"$FI_DBG/$_a/times"
		echo Y >"$FI_DBG/$_a/ignore-gfp-wait"
		echo 0 >"$FI_DBG/$_a/require-start"
		echo 18446744073709551615 >"$FI_DBG/$_a/require-end"
		echo 0 >"$FI_DBG/$_a/reject-start"
		echo 0 >"$FI_DBG/$_a/reject-end"
	done
	echo 1 >"$FI_DBG/fail_page_alloc/min-order"
	echo Y >"$FI_DBG/fail_page_alloc/ignore-gfp-highmem"
}

# fi_filter START END: fail only allocations with a return address in
# [START, END) on their stack, and none in the attribute's reject range
# (fi_known_leaks).
fi_filter() {
	for _a in $FI_ATTRS; do
		echo "$1" >"$FI_DBG/$_a/require-start"
		echo "$2" >"$FI_DBG/$_a/require-end"
	done
	# shellcheck disable=SC2086
	set -- ${FI_REJECT:-0 0} ${FI_REJECT_PAGE:-0 0}
	echo "$1" >"$FI_DBG/failslab/reject-start"
	echo "$2" >"$FI_DBG/failslab/reject-end"
	echo "$3" >"$FI_DBG/fail_page_alloc/reject-start"
	echo "$4" >"$FI_DBG/fail_page_alloc/reject-end"
}

# fi_injected: FI_INJ = failures injected since fi_setup (the attributes'
# times count down once per failure, fail-nth's included). No fork.
fi_injected() {
	FI_INJ=0
	for _a in $FI_ATTRS; do
		read -r _t <"$FI_DBG/$_a/times"
		FI_INJ=$((FI_INJ + 1000000 - _t))
	done
}

# mod_text MODULE: "START END" of the module's code, from its text
# symbols, widened to whole pages (module code is page aligned, and the
# next module's starts a page or more later).
mod_text() {
	grep "[[:space:]]\[$1\]$" /proc/kallsyms | awk '$2 == "t" || $2 == "T" { print $1 }' |
		sort >/tmp/fi_syms.$$
	_lo=$(head -n 1 /tmp/fi_syms.$$)
	_hi=$(tail -n 1 /tmp/fi_syms.$$)
	rm -f /tmp/fi_syms.$$
	[ -n "$_lo" ] || return 1
	case "$_lo" in 0000000000000000) return 1 ;; esac
	echo "0x${_lo%???}000 0x${_hi%???}fff"
}

# sym_range SYMBOL: "START END" of a kernel function, up to the next one.
# The next text symbol is the lowest text address above START, found in
# one pass (addresses are 16 lowercase hex digits: compared as strings);
# no sort of the whole symbol table, which takes seconds in busybox.
sym_range() {
	_a=$(awk -v s="$1" '$3 == s { print $1; exit }' /proc/kallsyms)
	[ -n "$_a" ] || return 1
	_b=$(awk -v a="$_a" '
		($2 == "t" || $2 == "T") && ($1 "") > a && (b == "" || ($1 "") < b) { b = $1 "" }
		END { print b }' /proc/kallsyms)
	[ -n "$_b" ] || return 1
	echo "0x$_a 0x$_b"
}

# Kernel code left out of the walks (the reject ranges fi_filter sets):
# - FI_REJECT, slab: the dmaengine core of 6.12 frees a channel device
#   whose device_register() failed with kfree() instead of put_device(),
#   leaking its name ("dma<N>chan<M>"): failures there would be its leak,
#   not ours.
# - FI_REJECT_PAGE, pages: KASAN's stack depot preallocates a pool page
#   (__GFP_NOWARN) and, once that failed, tries again on every later
#   allocation: counted by fail-nth, it would shift every later position.
fi_known_leaks() {
	[ -z "$FI_KNOWN" ] || return 0
	FI_KNOWN=1
	FI_REJECT=$(sym_range __dma_async_device_channel_register) || FI_REJECT=
	FI_REJECT_PAGE=$(sym_range stack_depot_save_flags) || FI_REJECT_PAGE=
}

# fi_kmemleak: scan; on reports, print each object's size and the first
# callers after the allocator, and fail. Fails too if kmemleak is
# missing or turned itself off (kmemleak_scan).
fi_kmemleak() {
	kmemleak_scan || return 1
	awk '
		/unreferenced object/ { if (o) print o; o = "object " $5; n = 0; bt = 0; next }
		/^    backtrace/ { bt = 1; next }
		/^ *[a-z_0-9.]+\+0x/ && bt {
			if ($1 ~ /^(kmemleak_alloc|__kmalloc|kmalloc|kmem_cache|__kvmalloc|kvmalloc|kvasprintf|kstrdup|slab_|__alloc|alloc_pages|__do_kmalloc)/) next
			if (n++ < 4) o = o " < " $1 " " $2
			next
		}
		END { if (o) print o }' /sys/kernel/debug/kmemleak | sort | uniq -c >/tmp/fi_leaks.$$
	if [ -s /tmp/fi_leaks.$$ ]; then
		cat /tmp/fi_leaks.$$
		rm -f /tmp/fi_leaks.$$
		return 1
	fi
	rm -f /tmp/fi_leaks.$$
}

# modules_area: "START END" of the arm64 modules area: the 2 GiB below the
# end of the kernel image, up to its start (arch/arm64/kernel/module.c).
# Only module code (and what it calls) is on a stack with an address
# there, which is what insmod needs: the module is not loaded yet.
modules_area() {
	# One pass, ended once both are found.
	# shellcheck disable=SC2046
	set -- $(awk '$3 == "_text" { t = $1 } $3 == "_end" { e = $1 }
		t != "" && e != "" { print t, e; exit }' /proc/kallsyms)
	_text=$1 _end=$2
	[ -n "$_text" ] && [ -n "$_end" ] || return 1
	# _end - 2 GiB in two 32-bit halves: shell arithmetic is signed.
	_hi=$((0x${_end%????????})) _lo=$((0x${_end#????????}))
	if [ $_lo -ge $((0x80000000)) ]; then
		_lo=$((_lo - 0x80000000))
	else
		_lo=$((_lo + 0x80000000)) _hi=$((_hi - 1))
	fi
	echo "0x$(printf '%08x%08x' $_hi $_lo) 0x$_text"
}

# in_range ADDR START END (hex, 16 digits or 0x-prefixed): START <= ADDR < END.
in_range() {
	_x=$(printf '%016x' "$1") _s=$(printf '%016x' "$2") _e=$(printf '%016x' "$3")
	[ "$(printf '%s\n%s\n' "$_s" "$_x" | sort | head -n 1)" = "$_s" ] &&
		[ "$(printf '%s\n%s\n' "$_x" "$_e" | sort | head -n 1)" = "$_x" ] &&
		[ "$_x" != "$_e" ]
}

# fail_walk DESC DO UNDO CHECK: for N = 1, 2, ...: fail the N-th filtered
# allocation of DO, a shell function (FI_N holds N; DO runs in this shell,
# whose fail-nth is set, or sets its child's own from FI_N: fail-nth is
# per task and not inherited); then CHECK 1 (DO succeeded) or CHECK 0
# (it failed) must pass; then UNDO. Ends at the first N that no
# allocation reached: DO must have succeeded then. One TAP line. (Its
# variables are its own: CHECK may use the usual _x names.)
# FI_STEPS: failures injected; FI_NFAIL: how many of those failed DO.
# With FI_STRIDE=S (default 1) the walk takes N = 1 .. FI_DENSE one by
# one, then every S-th N: a sample, for operations whose allocations are
# mostly the kernel's own and whose error paths in our code are few.
fail_walk() {
	_fw_desc=$1 _fw_do=$2 _fw_undo=$3 _fw_check=$4
	_fw_n=0 _fw_bad='' FI_STEPS=0 FI_NFAIL=0 _fw_t0=$(date +%s) _fw_tried=0
	while [ $_fw_n -lt "$FI_MAX" ]; do
		_fw_step=1
		[ $_fw_n -lt "${FI_DENSE:-0}" ] || _fw_step=${FI_STRIDE:-1}
		_fw_n=$((_fw_n + _fw_step))
		_fw_tried=$((_fw_tried + 1))
		FI_N=$_fw_n
		fi_injected
		_fw_inj0=$FI_INJ
		echo $_fw_n >/proc/self/fail-nth
		if $_fw_do; then _fw_ok=1; else _fw_ok=0; fi
		echo 0 >/proc/self/fail-nth
		fi_injected
		[ "$FI_INJ" != "$_fw_inj0" ] && _fw_hit=1 || _fw_hit=0
		if ! $_fw_check $_fw_ok >/tmp/fi_check.$$ 2>&1; then
			_fw_bad="step $_fw_n: operation $([ $_fw_ok = 1 ] && echo succeeded || echo failed), not clean"
			break
		fi
		$_fw_undo >/dev/null 2>&1
		if [ "$_fw_hit" = 0 ]; then
			[ "$_fw_ok" = 1 ] || _fw_bad="step $_fw_n: nothing injected, and it failed"
			break
		fi
		FI_STEPS=$_fw_tried
		[ $_fw_ok = 1 ] || FI_NFAIL=$((FI_NFAIL + 1))
	done
	if [ -z "$_fw_bad" ] && [ $_fw_n -ge "$FI_MAX" ]; then
		_fw_bad="still injecting after allocation $FI_MAX"
	fi
	t_diag "$_fw_desc: $FI_STEPS allocations failed one at a time (up to allocation $_fw_n, stride ${FI_STRIDE:-1}), $FI_NFAIL of them failed the operation ($(($(date +%s) - _fw_t0)) s)"
	if [ -n "$_fw_bad" ]; then
		t_fail "$_fw_desc: $_fw_bad"
		sed 's/^/#   /' /tmp/fi_check.$$
	else
		t_ok "$_fw_desc: every failure clean, then success"
	fi
	rm -f /tmp/fi_check.$$
}

# fi_count DO UNDO: how many allocations DO makes that pass the filter
# (fail-nth set far beyond them counts down once per such allocation and
# reads back the rest; read by the shell itself, not a child), then UNDO.
# Prints the count; fails if DO failed.
fi_count() {
	echo 1000000 >/proc/self/fail-nth
	if $1; then _fc_ok=1; else _fc_ok=0; fi
	read -r _fc_left </proc/self/fail-nth
	echo 0 >/proc/self/fail-nth
	$2 >/dev/null 2>&1
	echo $((1000000 - _fc_left))
	[ $_fc_ok = 1 ]
}

# not_registered DEV: no dmaengine device or channel of DEV in
# /sys/class/dma.
not_registered() {
	for _c in /sys/class/dma/*; do
		[ -e "$_c" ] || continue
		case "$(readlink -f "$_c")" in
		*/"$1"/*) echo "left: $_c"; return 1 ;;
		esac
	done
}

# chan_clean DEV: nothing of hidma_chan is left for DEV: not bound, no
# dma device, no debugfs directory, no interrupt.
chan_clean() {
	! is_bound "$1" || { echo "$1 still bound"; return 1; }
	not_registered "$1" || return 1
	[ ! -e "$CHAN_DBG/$1" ] || { echo "debugfs $CHAN_DBG/$1 left"; return 1; }
	! grep -q " $1\$" /proc/interrupts || { grep " $1\$" /proc/interrupts; return 1; }
}

# chan_whole DEV: bound to hidma_chan, registered, debugfs there.
chan_whole() {
	is_bound "$1" hidma_chan || { echo "$1 not bound"; return 1; }
	ls -d /sys/bus/platform/devices/"$1"/dma/dma*chan* >/dev/null 2>&1 ||
		{ echo "$1 bound without a dma channel"; return 1; }
}
