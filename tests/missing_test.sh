#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# A missing signal is never a zero (the arm64-batch case): on an arm64
# /proc/interrupts (IPIn lines, no TLB line) every output says the TLB
# and IOMMU figures are missing, and reads RES, CAL and LOC from the IPI
# and arch_timer lines.  Expected deltas are computed from the two files.
set -u
export LC_ALL=C.UTF-8
cd "$(dirname "$0")/.."
. tests/lib.sh

work=$(mktemp -d)
trap 'tm_cleanup; rm -rf "$work"' EXIT
cp -r tests/fixtures/arm64-batch "$work/"
tree=$work/arm64-batch/tree
t1=$work/arm64-batch/arm.t1 t2=$work/arm64-batch/arm.t2
cp "$t1" "$tree/proc/interrupts"

# per-CPU t2 - t1 of the line whose description is $1 (counts may be glued to "IPIn:")
diff_of() {
	awk -v want="$1" '{ sub(/^ *[^:]*:/, ""); n = split($0, w, " "); d = ""
		for (i = 5; i <= n; i++) d = d (d ? " " : "") w[i]
		if (d == want) for (i = 1; i <= 4; i++) v[FILENAME, i] = w[i] }
	END { for (i = 1; i <= 4; i++) printf "%d ", v[ARGV[2], i] - v[ARGV[1], i] }' "$t1" "$t2"
}
want_res=$(diff_of "Rescheduling interrupts")
want_cal=$(diff_of "Function call interrupts")
want_loc=$(awk '/arch_timer$/ { for (i = 2; i <= 5; i++) v[FILENAME, i] = $i }
	END { for (i = 2; i <= 5; i++) printf "%d ", v[ARGV[2], i] - v[ARGV[1], i] }' "$t1" "$t2")

"$BIN" -b -n 3 -d 1 --root "$tree" >"$work/b.out" 2>"$work/b.err" &
pid=$!
sleep 1.5
cat "$t2" >"$tree/proc/interrupts"
wait $pid; rc=$?
check "arm64: batch exits 0" "[ $rc -eq 0 ]" "$(cat "$work/b.err")"
check "arm64: 4 rows a sample, tlb, tlb_per_s and iommu '-' on every row" \
	"[ \$(awk -F'\t' 'NR > 1' \"$work/b.out\" | wc -l) -eq 12 ] && awk -F'\t' 'NR > 1 && (\$7 != \"-\" || \$11 != \"-\" || \$12 != \"-\") { bad = 1 } END { exit bad }' \"$work/b.out\"" "$(cat "$work/b.out")"
sum_col() { awk -F'\t' -v c="$1" 'NR > 1 { s[$4] += $c } END { for (i = 0; i < 4; i++) printf "%d ", s[i] }' "$work/b.out"; }
check "arm64: res = IPI0 'Rescheduling interrupts' deltas ($want_res)" "[ \"$(sum_col 9)\" = \"$want_res\" ]" "got $(sum_col 9)"
check "arm64: cal = IPI1 'Function call interrupts' deltas ($want_cal)" "[ \"$(sum_col 8)\" = \"$want_cal\" ]" "got $(sum_col 8)"
check "arm64: loc = arch_timer deltas ($want_loc)" "[ \"$(sum_col 10)\" = \"$want_loc\" ]" "got $(sum_col 10)"
check "arm64: res/cal/loc are numbers on every row" "awk -F'\t' 'NR > 1 && (\$8 !~ /^[0-9]+\$/ || \$9 !~ /^[0-9]+\$/ || \$10 !~ /^[0-9]+\$/) { bad = 1 } END { exit bad }' \"$work/b.out\""
err=$(cat "$work/b.err")
check "arm64: stderr names tlb, tlb_per_s and iommu, once, with why" \
	"[ \$(grep -c 'no data, printed as -: tlb, tlb_per_s (no TLB line in /proc/interrupts)' <<<\"\$err\") -eq 1 ] && grep -q 'printed as -: iommu (no IOMMU line' <<<\"\$err\"" "$err"
check "arm64: stderr names every '-' column, and no other" \
	"for c in \$(head -1 \"$work/b.out\" | cut -f7- ); do i=\$(head -1 \"$work/b.out\" | tr '\t' '\n' | grep -nx \"\$c\" | cut -d: -f1); dash=\$(awk -F'\t' -v i=\$i 'NR == 2 { print (\$i == \"-\") }' \"$work/b.out\"); named=\$(grep 'printed as -' <<<\"\$err\" | grep -Ec \"[:,] \$c[ ,]\"); [ \$dash -eq \$named ] || exit 1; done" "$err"
check "arm64: the interrupts source says the TLB line is missing" "grep -q 'interrupts: no TLB line: this architecture counts no TLB shootdown IPIs apart (arm64 broadcasts TLBI; riscv and arm send them as function calls, in CAL)' <<<\"\$err\"" "$err"

# dump: empty CSV cells, JSON null
"$BIN" record --root "$tree" -n 3 -d 0.1 -o "$work/a.rec" 2>/dev/null
csv=$("$BIN" dump "$work/a.rec" --format csv --metrics tlb,cal,res,loc,iommu,run_delay_ns,rq_p99_ns)
check "arm64: CSV tlb, iommu, run_delay_ns, rq_p99_ns empty; cal, res, loc numbers" \
	"tail -n +2 <<<\"\$csv\" | awk -F, '\$6 != \"\" || \$10 != \"\" || \$11 != \"\" || \$12 != \"\" || \$7 !~ /^[0-9]+\$/ || \$9 !~ /^[0-9]+\$/ { bad = 1 } END { exit bad || NR < 12 }'" "$csv"
json=$("$BIN" dump "$work/a.rec" --format json | head -1)
check "arm64: JSON nulls for tlb, vmstat, PSI, BPF (rq_hist, rq_hist_octaves); numbers for cal" \
	"jq -e '.cpus[0].tlb == null and .cpus[0].cal != null and .pgfault == null and .psi_cpu_some_us == null and .bpf_run_ns == null and .rq_hist == null and .cpus[0].rq_hist_octaves == null and .cpus[0].flush_send == null' <<<\"\$json\" >/dev/null" "$json"

# /metrics: no TLB series, the others there
if command -v curl >/dev/null; then
	"$BIN" --root "$tree" -b -n 30 -d 0.2 --prometheus 127.0.0.1:0 >/dev/null 2>"$work/p.err" &
	pid=$!
	for i in $(seq 1 50); do url=$(grep -o 'http://[^ ]*' "$work/p.err"); [ -n "$url" ] && curl -sf "$url" >"$work/m" && break; sleep 0.1; done
	check "arm64: /metrics has RES, CAL, LOC series and no TLB or IOMMU one" \
		"! grep -q 'kind=\"TLB\"' \"$work/m\" && ! grep -q 'kind=\"IOMMU\"' \"$work/m\" && grep -q 'stormtop_cpu_interrupts_total{cpu=\"3\",node=\"0\",kind=\"RES\"}' \"$work/m\" && grep -q 'kind=\"LOC\"' \"$work/m\"" "$(grep interrupts "$work/m")"
	check "arm64: /metrics has no BPF cost, vmstat or node DFI series without their sources" \
		"! grep -Eq '^stormtop_(bpf_run_seconds_total|bpf_events_total|self_tlb_flushes_sent_total|vmstat_total|node_dfi)' \"$work/m\"" "$(grep -E 'bpf|self_tlb|vmstat|node_dfi' "$work/m")"
	kill $pid 2>/dev/null; wait $pid 2>/dev/null
else
	skip "arm64: /metrics (no curl)"
fi

# the TUI: the strip and the drill-down say n/a for TLB, a figure for CAL
tm_start arm 130 40 "$BIN --root $tree -d 0.3"
if tm_wait arm 'CAL [0-9]' 5; then
	tm send-keys -t arm Enter
	sleep 1
	cap=$(tm_cap arm)
	check "arm64: TUI strip 'TLB n/a', CAL/RES/LOC figures" "grep -q 'TLB n/a  CAL 0  RES 0  LOC 0  IOMMU n/a' <<<\"\$cap\"" "$cap"
	check "arm64: drill-down 'TLB n/a', 'io-map n/a'" "grep -q ' TLB n/a  CAL 0 ' <<<\"\$cap\" && grep -q 'io-map n/a' <<<\"\$cap\"" "$cap"
else
	bad "arm64: TUI" "$(tm_cap arm)"
fi
tm send-keys -t arm q

# riscv: the same IPIn lines with spaces, riscv-timer for LOC (riscv.t1, t2
# differ on cpu0 by 1000 RES, 300 CAL, 300 LOC); its TLB flushes are
# function calls or SBI fences, so the note must not say "without IPIs"
rv=$work/riscv
cp -r "$work/arm64-batch/tree" "$rv"
cp tests/fixtures/arm64-batch/riscv.t1 "$rv/proc/interrupts"
"$BIN" -b -n 3 -d 1 --root "$rv" >"$work/rv.out" 2>"$work/rv.err" &
pid=$!
sleep 1.5
cat tests/fixtures/arm64-batch/riscv.t2 >"$rv/proc/interrupts"
wait $pid
got=$(awk -F'\t' 'NR > 1 && $4 == 0 { r += $9; c += $8; l += $10 } END { printf "%d %d %d", r, c, l }' "$work/rv.out")
check "riscv: cpu0 res, cal, loc deltas are the files' (1000 300 300)" "[ \"$got\" = '1000 300 300' ]" "got $got"
check "riscv: the note says TLB IPIs are not counted apart, not that there are none" \
	"grep -q 'interrupts: no TLB line: this architecture counts no TLB shootdown IPIs apart (arm64 broadcasts TLBI; riscv and arm send them as function calls, in CAL)' $work/rv.err" "$(grep interrupts "$work/rv.err")"

summary missing_test
