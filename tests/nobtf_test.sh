#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# A kernel without BTF (CONFIG_DEBUG_INFO_BTF unset; case no-btf), emulated
# by hiding /sys/kernel/btf/vmlinux in a private mount namespace: the
# run-queue programs take the classic tracepoints, every program is listed
# with a state, and a CPU that three pinned spinners load shows its wait.
set -u
export LC_ALL=C.UTF-8
cd "$(dirname "$0")/.."
. tests/lib.sh

dir=$(mktemp -d)
trap 'tm_cleanup; rm -rf "$dir"' EXIT

# CMD... with the kernel's BTF hidden from it
nobtf() { unshare -m sh -c 'mount --bind /dev/null /sys/kernel/btf/vmlinux && exec "$@"' nobtf "$@"; }
# ... and tracefs too: an empty tmpfs where it is mounted (as good as
# unmounted, and works however many places it is mounted at)
nobtf_notr() {
	unshare -m sh -c 'mount --bind /dev/null /sys/kernel/btf/vmlinux &&
		mount -t tmpfs none /sys/kernel/tracing &&
		{ [ ! -d /sys/kernel/debug/tracing ] || mount -t tmpfs none /sys/kernel/debug/tracing; } &&
		exec "$@"' nobtf "$@"
}

if [ "$(id -u)" -ne 0 ]; then
	[ "${CI:-}" = true ] && bad "no-btf: CI must run as root"
	skip "no kernel BTF: needs root (a mount namespace, BPF)"
elif ! command -v unshare >/dev/null || ! command -v taskset >/dev/null; then
	bad "no-btf: unshare and taskset (util-linux) are missing"
elif [ ! -e /sys/kernel/btf/vmlinux ]; then
	skip "no kernel BTF to hide: this kernel has none (the live tests cover it)"
else
	check "the namespace hides the kernel's BTF" "nobtf test ! -s /sys/kernel/btf/vmlinux"
	out=$(nobtf "$BIN" --probes 2>&1); rc=$?
	check "--probes runs" "[ $rc -eq 0 ]" "$out"
	check "rqlat: all three programs attached as classic tracepoints" \
		"[ \$(grep -Ec '^rqlat	sched_(wakeup|wakeup_new|switch)	tracepoint	[0-9]+	attached\$' <<<\"\$out\") -eq 3 ]" "$out"
	check "no unit vanished: tlb, churn, rqlat and iotlb are listed" \
		"for u in tlb churn rqlat iotlb; do grep -q \"^\$u	\" <<<\"\$out\" || exit 1; done" "$out"
	check "no tp_btf program without BTF, and every row has a state" \
		"! grep -q '	tp_btf	' <<<\"\$out\" && ! grep -Eq '^[a-z]+	[a-z_]+	[a-z_]+	[-0-9]+	\$' <<<\"\$out\"" "$out"
	check "churn and iotlb load their objects built without CO-RE: every program attached or no tracepoint" \
		"! grep -Eq '^(churn|iotlb)	.*	(needs kernel BTF|load failed|refused.*)\$' <<<\"\$out\" && [ \$(grep -Ec '^churn	[a-z_]+	raw_tp	[0-9]+	attached\$' <<<\"\$out\") -eq \$(grep -c '^churn	' <<<\"\$out\") ]" "$out"
	check "the bpf status names no run-queue program" "! grep -Eq '^stormtop: bpf: .*sched_(switch|wakeup)' <<<\"\$out\"" "$out"

	cpu=$(taskset -pc $$ | sed 's/.*: //; s/.*[,-]//')
	pids=""
	for i in 1 2 3; do taskset -c "$cpu" sh -c 'while :; do :; done' & pids="$pids $!"; done
	sleep 0.3
	out=$(nobtf "$BIN" -b -n 3 -d 0.5 --cpus "$cpu" 2>&1)
	kill $pids; wait $pids 2>/dev/null
	# columns: 4 cpu, 21 rq_n, 23 rq_p99_ns; three spinners each wait
	# for the other two's slices, a millisecond or more
	check "cpu$cpu under three spinners: run-queue delay measured (p99 >= 1 ms)" \
		"awk -F'\t' -v c=$cpu '\$1 ~ /^[0-9]+\$/ && \$4 == c {n++; if (\$21 > 0 && \$23 >= 1000000) ok++} END {exit !(n >= 3 && ok == n)}' <<<\"\$out\"" "$out"

	# --- tracefs gone as well: the classic tracepoints cannot be placed, so
	# the run-queue figures are absent, each output saying why, never 0
	check "the namespace hides tracefs too" "nobtf_notr test ! -e /sys/kernel/tracing/events/sched/sched_switch/format"
	out=$(nobtf_notr "$BIN" --probes 2>&1); rc=$?
	check "no tracefs: --probes runs, each rqlat row says it needs tracefs" \
		"[ $rc -eq 0 ] && [ \$(grep -Ec '^rqlat	sched_(wakeup|wakeup_new|switch)	tracepoint	-	cannot be loaded: needs tracefs' <<<\"\$out\") -eq 3 ]" "$out"
	check "no tracefs: the raw_tp units still attach (tlb)" \
		"[ \$(grep -Ec '^tlb	[a-z_]+	raw_tp	[0-9]+	attached\$' <<<\"\$out\") -ge 1 ]" "$out"
	nobtf_notr "$BIN" -b -n 3 -d 0.3 >"$dir/nt.tsv" 2>"$dir/nt.err"
	# columns 21-25: rq_n rq_p50_ns rq_p99_ns rq_max_ns preempt
	check "no tracefs: -b prints rq_n .. preempt as - on every row" \
		"awk -F'\t' 'NR > 1 { n++; for (i = 21; i <= 25; i++) if (\$i != \"-\") exit 1 } END { exit !(n >= 3) }' $dir/nt.tsv" \
		"$(head -3 $dir/nt.tsv)"
	check "... and one line says why (tracefs)" \
		"[ \$(grep -c 'no data, printed as -: rq_n, rq_p50_ns, rq_p99_ns, rq_max_ns, preempt (.*needs tracefs' $dir/nt.err) -eq 1 ]" "$(cat $dir/nt.err)"
	rm -f "$dir/nt.rec"
	nobtf_notr "$BIN" record -o "$dir/nt.rec" --duration 2 -d 0.5 >/dev/null 2>&1
	"$BIN" dump "$dir/nt.rec" --format csv --metrics tlb,rq_n,rq_p99_ns >"$dir/nt.csv" 2>"$dir/ntd.err"
	check "no tracefs: record then dump leaves rq_n, rq_p99_ns empty, never 0" \
		"awk -F, 'NR > 1 { n++; if (\$7 != \"\" || \$8 != \"\" || \$6 == \"\") exit 1 } END { exit !(n >= 2) }' $dir/nt.csv" "$(head -3 $dir/nt.csv)"
	check "... and dump says why on one line" \
		"[ \$(grep -c 'no data, printed as empty: rq_n, rq_p99_ns (.*needs tracefs' $dir/ntd.err) -eq 1 ]" "$(cat $dir/ntd.err)"
	# check reads settings, not BPF: the same answer, the same exit
	"$BIN" check --format json >"$dir/c1.json" 2>&1; rc1=$?
	nobtf_notr "$BIN" check --format json >"$dir/c2.json" 2>&1; rc2=$?
	check "no tracefs: check says what it says with them (exit $rc2, $rc1)" \
		"[ $rc1 -eq $rc2 ] && cmp -s $dir/c1.json $dir/c2.json" "$(diff $dir/c1.json $dir/c2.json | head -5)"
	# the TUI's run-queue panel names the cause, not a missing tracepoint
	tm_start nbt 200 50 "unshare -m sh -c 'mount --bind /dev/null /sys/kernel/btf/vmlinux && mount -t tmpfs none /sys/kernel/tracing && exec $BIN -d 0.5'"
	check "no tracefs: the TUI's runq panel says it needs tracefs" "tm_wait nbt 'needs tracefs' 10" "$(tm_cap nbt | head -8)"
	tm send-keys -t nbt q
	tm_kill nbt

	# --- --raw-tp without BTF: the IPIs the csd programs count are the
	# TLB line of /proc/interrupts (read by the same ticks), on a CPU that
	# tools/churn sends shootdowns to
	tools/churn -c 1 -m 0 -r 2000 -t 4 -q >/dev/null 2>&1 &
	chp=$!
	sleep 0.5
	nobtf "$BIN" --raw-tp -b -n 4 -d 0.5 --cpus 1 >"$dir/rt.tsv" 2>"$dir/rt.err"
	kill $chp 2>/dev/null; wait $chp 2>/dev/null
	# columns 7 tlb (/proc/interrupts), 17 tlb_rx (bpf), summed over the run;
	# churn's toucher starved by a busy host gets a few hundred, not 8000
	read -r itlb brx < <(awk -F'\t' 'NR > 1 && $4 == 1 { t += $7; r += $17 } END { print t + 0, r + 0 }' "$dir/rt.tsv")
	check "--raw-tp, no BTF: cpu1 tlb_rx $brx against /proc/interrupts' TLB $itlb (within 2% + 4)" \
		"[ $itlb -ge 50 ] && awk -v i=$itlb -v r=$brx 'BEGIN { d = i - r; if (d < 0) d = -d; exit !(d <= 0.02 * i + 4) }'" \
		"$(cat $dir/rt.err; head -3 $dir/rt.tsv)"

	# --- the churn table without BTF: the munmaps put on churn's pid in a
	# recording are the ones churn says it made (a few more: its start-up
	# and exit unmap too), never 0
	rm -f "$dir/ch.rec"
	nobtf "$BIN" record -o "$dir/ch.rec" --duration 6 -d 0.5 >/dev/null 2>&1 &
	rp=$!
	sleep 2 # attached (the sanitizer build starts slowly)
	tools/churn -c 1 -m 0 -r 1000 -t 2 -q >"$dir/ch.out" 2>&1 &
	chp=$!
	wait $chp; wait $rp
	made=$(sed -n 's/^churn: total \([0-9]*\) munmap ops.*/\1/p' "$dir/ch.out")
	got=$("$BIN" dump "$dir/ch.rec" --format json 2>/dev/null | python3 -c '
import json, sys
pid, n = int(sys.argv[1]), 0
for line in sys.stdin:
    procs = json.loads(line).get("procs") or {}
    for p in procs.get("list", []) if isinstance(procs, dict) else procs:
        n += p.get("munmap") or 0 if p.get("pid") == pid else 0
print(n)' "$chp")
	check "no BTF: churn's munmaps in the recording, $got, are the $made it made (+ at most 20)" \
		"[ \"\${made:-0}\" -ge 1000 ] && [ $got -ge \${made:-0} ] && [ $got -le \$(( \${made:-0} + 20 )) ]" "$(cat $dir/ch.out)"

	# the process table without BTF: a process first seen through one of
	# its threads, then renamed, is named as /proc/PID/comm says
	if [ -x build/tests/test_live_names ]; then
		out=$(nobtf build/tests/test_live_names 2>&1); rc=$?
		check "process names follow /proc/PID/comm with no kernel BTF (test_live_names)" "[ $rc -eq 0 ]" "$out"
	else
		bad "no-btf: build/tests/test_live_names is not built"
	fi
fi
summary nobtf
