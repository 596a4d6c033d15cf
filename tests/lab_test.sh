#!/bin/bash
# The lab's judges (tests/lab/check-*.sh) on what a real 6.12 guest
# collected (tests/fixtures/lab-6.12), then on copies of it with one figure
# made wrong: each check must pass on the true data and fail on the wrong
# one, or it could not catch anything.  No QEMU here: make lab boots the
# guests; this runs in make test.
set -u
export LC_ALL=C.UTF-8
cd "$(dirname "$0")/.." || exit 1
. tests/lib.sh
FIX=tests/fixtures/lab-6.12
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# fresh NAME: a copy of the fixture to spoil, in $d.
fresh() { d=$tmp/$1; rm -rf "$d"; cp -r "$FIX" "$d"; }
# verdict CHECK: runs one judge over $d, prints pass or fail.
verdict() {
	local c=${1%%-*}
	(
		R=$d HERE=$PWD/tests/lab
		. tests/lab/checks.sh
		. "tests/lab/check-$c.sh"
		rm -f "$d/checks.tsv"
		"check_${c}" > "$d/out.txt" 2>&1
	)
	awk -F'\t' -v n="$1" '$1 == n { print $2 }' "$d/checks.tsv"
}
expect() { # expect CHECK pass|fail WHAT
	local v; v=$(verdict "$1")
	check "$3: $1 $2" "[ '$v' = '$2' ]" "$(cat "$d/out.txt")"
}
# col_edit FILE AWK: rewrites a table in place.
col_edit() { awk -F'\t' -v OFS='\t' "$2" "$d/$1" > "$d/$1.new" && mv "$d/$1.new" "$d/$1"; }

# --- as the 6.12 guest recorded them (main at 33d31c2, before the IOTLB fix)
fresh true
for c in probes-rows probes-reasons probes-status probes-links tlb-interrupts tlb-csd runq-p99 iommu-regime \
	numa-header numa-grid numa-batch numa-metrics; do
	expect "$c" pass "6.12 as recorded"
done
expect iommu-counts fail "6.12 as recorded (33d31c2 counted qi_submit and cache_tag_flush_* both: 155648 vs 77824)"

# --- probes: state STATE for UNIT's TRACEPOINT row
set_state() { col_edit probes.tsv "\$1 == \"$1\" && \$2 == \"$2\" { \$NF = \"$3\" } 1"; }
fresh p1; set_state tlb tlb_flush "no tracepoint"
expect probes-reasons fail "'no tracepoint' where tracefs has it"
fresh p2; set_state rqlat sched_switch "refused by the verifier"
expect probes-reasons fail "a refusal without the verifier's line"
fresh p3; set_state rqlat sched_switch "refused by the verifier: R2 unbounded memory access"
echo "stormtop: bpf: refused by the verifier: sched_switch (R2 unbounded memory access)" >> "$d/probes.tsv"
expect probes-reasons pass "a refusal with its line"
expect probes-status pass "a refusal named in the status"
expect probes-links fail "a refused program still attached"
fresh p4; sed -i '/^rqlat\tsched_wakeup_new\t/d' "$d/probes.tsv"
expect probes-rows fail "a program missing from the table"
fresh p5; set_state tlb csd_queue_cpu "no tracepoint"
sed -i '/^\(csd\|ipi\):csd_queue_cpu$/d' "$d/available_events"
echo "stormtop: bpf: no tracepoint: csd_queue_cpu; flush_tlb_func " >> "$d/probes.tsv"
expect probes-status fail "a status clause cut before its cause"
fresh p6; jq 'del(.[0])' "$FIX/links.json" > "$d/links.json"
expect probes-links fail "one program fewer on the recorder's fds than the table says"
fresh p7; echo 4242 > "$d/record.pid"
expect probes-links fail "programs held by another process"

# --- TLB IPIs: one more, or one fewer, on a CPU
fresh t1; col_edit cpus.tsv '$2 == 5 && $4 > 0 { $4++ } 1'
expect tlb-interrupts fail "cpu5 counted once more a tick"
fresh t2; col_edit cpus.tsv '$2 == 2 && $4 > 0 { $4-- } 1'
expect tlb-interrupts fail "cpu2 counted once less a tick"
fresh t3; col_edit cpus.tsv '$2 == 5 && $5 > 0 { $5-- } 1'
expect tlb-csd fail "csd short by one a tick (more than 3 per 100k)"
fresh t4; col_edit cpus.tsv '{ $5 = "-" } 1'
expect tlb-csd fail "csd count missing where the kernel has csd"

# --- IOMMU: the invalidations once each, then a map lost
fresh i1; col_edit cpus.tsv '{ $8 = int($8 / 2) } 1'
expect iommu-counts pass "invalidations counted once"
col_edit cpus.tsv '$6 > 0 && !done { $6--; done = 1 } 1'
expect iommu-counts fail "one map lost"
fresh i2; col_edit frames.tsv '{ $4 = 0 } 1'
expect iommu-regime fail "regime never left MAP_STABLE"
fresh i3; col_edit frames.tsv '{ $4 = 1 } 1'
expect iommu-regime fail "regime never came back"

# --- run-queue p99: within a power of two passes, four times fails
fresh r1; col_edit cpus.tsv '$2 == 3 && $10 > 0 { $10 = int($10 * 1.3) } 1'
expect runq-p99 pass "p99 30 % high (the same or the next log2 bucket)"
fresh r2; col_edit cpus.tsv '$2 == 6 && $10 > 0 { $10 = $10 * 4 } 1'
expect runq-p99 fail "p99 four times perf's"
fresh r3; col_edit cpus.tsv '{ $9 = 0; $10 = 0 } 1'
expect runq-p99 fail "no run-queue delay at all"

# --- NUMA: node 2 dropped, or a CPU misfiled, in each output
fresh n1; sed -i '1s/nodes 3 (1 memory-only)/nodes 2/' "$d/tui.txt"
expect numa-header fail "header counting 2 nodes"
fresh n2; sed -i '/^node 2 /d' "$d/tui.txt"
expect numa-grid fail "grid without node 2"
fresh n3; sed -i 's/^ cpu4 / cpu9 /' "$d/tui.txt"
expect numa-grid fail "a CPU missing from the grid"
fresh n4; col_edit batch.tsv 'NR > 1 && $4 == 4 { $5 = 0 } 1'
expect numa-batch fail "cpu4 filed under node 0"
fresh n5; sed -i 's/, 2 (memory only, [0-9.]* GiB)//; s/3 NUMA nodes/2 NUMA nodes/' "$d/batch.err"
expect numa-batch fail "topology line without node 2"
fresh n6; sed -i 's/2 (memory only, /2 (1 CPUs, /' "$d/batch.err"
expect numa-batch fail "node 2 given a CPU in the topology line"
fresh n7; sed -i '/^stormtop_node_info{node="2"/d' "$d/numa.prom"
expect numa-metrics fail "no stormtop_node_info for node 2"
fresh n8; sed -i 's/cpu="5",node="1"/cpu="5",node="0"/' "$d/numa.prom"
expect numa-metrics fail "cpu5 labelled node 0"

# --- playback: a dump of the same file is the same; one changed byte is not
fresh pb; cp tests/fixtures/rec/seed-2cpu.rec "$d/lab.rec"
TZ=UTC ./stormtop dump "$d/lab.rec" --format json > "$d/dump-guest.json"
expect playback pass "the same recording"
sed -i '1s/"seq":/"seq" :/' "$d/dump-guest.json"
expect playback fail "a dump that differs"

summary lab_test
