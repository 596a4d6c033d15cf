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

# CMD... with the kernel's BTF hidden from it
nobtf() { unshare -m sh -c 'mount --bind /dev/null /sys/kernel/btf/vmlinux && exec "$@"' nobtf "$@"; }

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
