#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Topology as sets, through the binary: CPU ids with holes (the
# phantom-cpus case), sparse node ids and a memory-only node.  Every
# expectation is counted from the fixture's own files.
set -u
export LC_ALL=C.UTF-8
cd "$(dirname "$0")/.."
. tests/lib.sh

# "0-1,4-5" -> one id a line
expand() { tr ',' '\n' <<<"$1" | while IFS=- read -r a b; do [ -n "$a" ] && seq "$a" "${b:-$a}"; done; }

work=$(mktemp -d)
trap 'tm_cleanup; rm -rf "$work"' EXIT
cp -r tests/fixtures/phantom-cpus "$work/"
tree=$work/phantom-cpus/tree
sysd=$tree/sys/devices/system
possible=$(expand "$(cat $sysd/cpu/possible)" | tr '\n' ' ')
want_rows=$(expand "$(cat $sysd/cpu/possible)" | wc -l)
declare -A node_of
for n in $sysd/node/node*; do
	for c in $(expand "$(cat $n/cpulist)"); do node_of[$c]=${n##*node}; done
done

# -b: one row per possible CPU per sample, each under its node's list;
# the deltas between the two snapshots, per CPU, from the files.
cp "$work/phantom-cpus/holes.t1" "$tree/proc/interrupts"
"$BIN" -b -n 3 -d 1 --root "$tree" >"$work/b.out" 2>"$work/b.err" &
pid=$!
sleep 1.5
cat "$work/phantom-cpus/holes.t2" >"$tree/proc/interrupts" # in place: the collector keeps it open
wait $pid; rc=$?
check "phantom: batch exits 0" "[ $rc -eq 0 ]" "$(cat "$work/b.err")"
for seq in 1 2 3; do
	rows=$(awk -F'\t' -v s=$seq '$1 == s' "$work/b.out" | wc -l)
	check "phantom: sample $seq has $want_rows rows (possible: $possible)" "[ $rows -eq $want_rows ]" "$rows rows"
done
ids=$(awk -F'\t' '$1 == 1 { printf "%s ", $4 }' "$work/b.out")
check "phantom: the rows are the possible CPUs, in order" "[ \"$ids\" = \"$possible\" ]" "got '$ids'"
bad=""
while IFS=$'\t' read -r seq _ _ cpu node _; do
	[ "$seq" = seq ] && continue
	[ "${node_of[$cpu]:-x}" = "$node" ] || bad="$bad cpu$cpu:node$node"
done <"$work/b.out"
check "phantom: every CPU under the node whose cpulist names it" "[ -z \"$bad\" ]" "$bad"
# TLB received per CPU over the run = t2 - t1 of the TLB line, column by column
want=$(awk '/^ *CPU/ { for (i = 1; i <= NF; i++) id[i] = substr($i, 4) }
	/^ *TLB:/ { for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) v[FILENAME, id[i - 1]] = $i }
	END { n = split("0 1 4 5 8 9 12 13", c, " "); for (k = 1; k <= n; k++)
		printf "%d ", v[ARGV[2], c[k]] - v[ARGV[1], c[k]] }' "$work/phantom-cpus/holes.t1" "$work/phantom-cpus/holes.t2")
got=$(awk -F'\t' 'NR > 1 { s[$4] += $7 } END { n = split("0 1 4 5 8 9 12 13", c, " "); for (k = 1; k <= n; k++) printf "%d ", s[c[k]] }' "$work/b.out")
check "phantom: TLB deltas per CPU are the files' ($want)" "[ \"$got\" = \"$want\" ]" "got $got"

err=$("$BIN" -b -n 1 -d 0.1 --root "$tree" --cpus 2 2>&1 >/dev/null); rc=$?
check "phantom: --cpus 2 (a hole) -> exit 2, named" "[ $rc -eq 2 ] && grep -q 'CPU 2 is not a CPU of this host (present: 0-1,4-5,8-9,12-13)' <<<\"\$err\"" "rc=$rc $err"

# a recording keeps the sets: dump has 8 rows a frame, no hole
"$BIN" record --root "$tree" -n 3 -d 0.1 -o "$work/p.rec" 2>/dev/null
"$BIN" dump "$work/p.rec" --format csv >"$work/p.csv"
frames=$(tail -n +2 "$work/p.csv" | cut -d, -f1 | sort -u | wc -l)
check "phantom: dump has $want_rows rows per frame" "[ $(($(wc -l <"$work/p.csv") - 1)) -eq $((frames * want_rows)) ] && [ $frames -ge 3 ]" "$(wc -l <"$work/p.csv") lines, $frames frames"
check "phantom: dump JSON counts 8 possible CPUs in 2 nodes" \
	"\"$BIN\" dump \"$work/p.rec\" --format json | head -1 | jq -e '.cpus_possible == 8 and .numa_nodes == 2 and ([.cpus[].cpu] == [0,1,4,5,8,9,12,13]) and ([.node_topology[].cpus] == [4,4])' >/dev/null"

# the TUI: the header counts members, the grid has no row for a hole
tm_start ph 100 30 "$BIN --root $tree -d 0.5"
if tm_wait ph 'CPUs 8/8' 5; then
	cap=$(tm_cap ph)
	check "phantom: header 'CPUs 8/8  nodes 2'" "grep -q 'CPUs 8/8  nodes 2 ' <<<\"\$cap\"" "$cap"
	check "phantom: no row for CPUs 2,3,6,7,10,11" "! grep -Eq ' cpu(2|3|6|7|10|11) ' <<<\"\$cap\" && grep -q ' cpu13 ' <<<\"\$cap\"" "$cap"
else
	bad "phantom: TUI header" "$(tm_cap ph)"
fi
tm send-keys -t ph q

# sparse node ids 0,2,5; node5 has memory and no CPUs
cxl=tests/fixtures/root-cxl-sparse
tm_start cx 110 30 "$BIN --root $cxl -d 0.5"
if tm_wait cx 'memory only' 5; then
	cap=$(tm_cap cx)
	check "cxl: header 'CPUs 5/6  nodes 3 (1 memory-only)'" "grep -q 'CPUs 5/6  nodes 3 (1 memory-only)' <<<\"\$cap\"" "$cap"
	check "cxl: node labels 0, 2, 5 in order, node 5 memory only, 256 GiB" \
		"[ \"\$(grep -Eo '^node [0-9]+' <<<\"\$cap\" | tr '\n' ' ')\" = 'node 0 node 2 node 5 ' ] && grep -q '^node 5 *memory only (256.0 GiB), no CPUs' <<<\"\$cap\"" "$cap"
	check "cxl: CPU 3 (present, no column) is offline" "grep -Eq '^ cpu3 .*offln' <<<\"\$cap\"" "$cap"
else
	bad "cxl: TUI" "$(tm_cap cx)"
fi
tm send-keys -t cx q

if command -v curl >/dev/null; then
	"$BIN" --root $cxl -b -n 30 -d 0.2 --prometheus 127.0.0.1:0 >/dev/null 2>"$work/p.err" &
	pid=$!
	url=""
	for i in $(seq 1 50); do url=$(grep -o 'http://[^ ]*' "$work/p.err"); [ -n "$url" ] && curl -sf "$url" >"$work/m" && break; sleep 0.1; done
	check "cxl: /metrics has one node_info per node, node 5 with cpus=0" \
		"[ \$(grep -c '^stormtop_node_info{' \"$work/m\") -eq 3 ] && grep -q '^stormtop_node_info{node=\"5\",cpus=\"0\"} 1' \"$work/m\" && grep -q '^stormtop_node_info{node=\"2\",cpus=\"3\"} 1' \"$work/m\"" "$(grep node_ "$work/m")"
	check "cxl: /metrics CPU sets and node memory" \
		"grep -q '^stormtop_cpus_possible 6' \"$work/m\" && grep -q '^stormtop_cpus_online 5' \"$work/m\" && grep -q '^stormtop_node_memory_bytes{node=\"5\"} 274877906944' \"$work/m\"" "$(grep -E 'cpus|memory' "$work/m")"
	kill $pid 2>/dev/null; wait $pid 2>/dev/null
else
	skip "cxl: /metrics (no curl)"
fi

err=$("$BIN" --root $cxl -b -n 1 -d 0.1 2>&1 >/dev/null)
check "cxl: -b says the topology on stderr, the memory-only node as such" \
	"grep -qx 'stormtop: topology: 6 CPUs (0-5), 5 online; 3 NUMA nodes: 0 (3 CPUs, 16.0 GiB), 2 (3 CPUs, 16.0 GiB), 5 (memory only, 256.0 GiB)' <<<\"\$err\"" "$err"

out=$("$BIN" check --root $cxl --format json 2>/dev/null)
check "cxl: check counts 3 NUMA nodes, the memory-only one too" \
	"jq -e '.checks[] | select(.check == \"numa_balancing\") | .observed == \"on across 3 nodes\"' <<<\"\$out\" >/dev/null" "$out"

out=$("$BIN" --synthetic 10:3 -b -n 1 -d 0.1 2>/dev/null)
check "synthetic 10:3: 10 rows, nodes 0-2 in contiguous blocks" \
	"[ \"\$(awk -F'\t' 'NR > 1 { printf \"%s\", \$5 }' <<<\"\$out\")\" = 0000111222 ]" "$out"

# possible 0-63, present 0-3 (a VM with slots for 60 hot-added vCPUs; CPU 2
# present and offline): 4 rows, not 64; the slots are no CPU anywhere
hp=tests/fixtures/hotplug-slots/tree
present=$(expand "$(cat $hp/sys/devices/system/cpu/present)" | tr '\n' ' ')
"$BIN" -b -n 2 -d 0.1 --root $hp >"$work/h.out" 2>"$work/h.err"
ids=$(awk -F'\t' '$1 == 1 { printf "%s ", $4 }' "$work/h.out")
check "hotplug slots: batch rows are the present CPUs ($present), not the 64 possible" "[ \"$ids\" = \"$present\" ] && [ \$(awk -F'\t' 'NR > 1' \"$work/h.out\" | wc -l) -eq 8 ]" "got '$ids'"
check "hotplug slots: stderr counts 4 CPUs, 2 a node" "grep -qx 'stormtop: topology: 4 CPUs (0-3), 3 online; 2 NUMA nodes: 0 (2 CPUs), 1 (2 CPUs)' \"$work/h.err\"" "$(head -1 "$work/h.err")"
err=$("$BIN" -b -n 1 -d 0.1 --root $hp --cpus 9 2>&1 >/dev/null); rc=$?
check "hotplug slots: --cpus 9 (possible, absent) -> exit 2, named" "[ $rc -eq 2 ] && grep -q 'CPU 9 is not a CPU of this host (present: 0-3)' <<<\"\$err\"" "rc=$rc $err"
"$BIN" record --root $hp -n 2 -d 0.1 -o "$work/h.rec" 2>/dev/null
check "hotplug slots: dump JSON lists CPUs 0-3, 64 possible" \
	"\"$BIN\" dump \"$work/h.rec\" --format json | head -1 | jq -e '.cpus_possible == 64 and ([.cpus[].cpu] == [0,1,2,3]) and ([.node_topology[].cpus] == [2,2])' >/dev/null"
tm_start hs 100 30 "$BIN --root $hp -d 0.3"
if tm_wait hs 'CPUs 3/4  nodes 2 ' 5; then
	check "hotplug slots: TUI rows cpu0-cpu3 only" "! tm_cap hs | grep -Eq ' cpu([4-9]|[1-6][0-9]) '" "$(tm_cap hs)"
else
	bad "hotplug slots: TUI header 'CPUs 3/4  nodes 2'" "$(tm_cap hs)"
fi
tm send-keys -t hs q

# CPU ids up to 8191 (the kernel's largest NR_CPUS): 0-1,1024-1025,8190-8191
big=tests/fixtures/cpu-ids-8191/tree
"$BIN" -b -n 1 -d 0.1 --root $big >"$work/big.out" 2>"$work/big.err"; rc=$?
ids=$(awk -F'\t' '$1 == 1 { printf "%s:%s ", $4, $5 }' "$work/big.out")
check "ids to 8191: 6 rows, each under its node's list, exit 0" "[ $rc -eq 0 ] && [ \"$ids\" = '0:0 1:0 1024:1 1025:1 8190:1 8191:1 ' ]" "rc=$rc '$ids' $(head -3 "$work/big.err")"
check "ids to 8191: interrupts read (no '-' in tlb)" "! awk -F'\t' 'NR > 1 && \$7 == \"-\" { bad = 1 } END { exit !bad }' \"$work/big.out\"" "$(grep interrupts "$work/big.err")"
# a node list that cannot be placed: said, one node, not a node passed off as memory only
bad=$work/badnode
cp -r tests/fixtures/phantom-cpus/tree "$bad"
echo 8-9,12-13,99 >"$bad/sys/devices/system/node/node1/cpulist"
err=$("$BIN" -b -n 1 -d 0.1 --root "$bad" 2>&1 >/dev/null)
check "node1/cpulist naming CPU 99: named, one node assumed, no 'memory only'" \
	"grep -q 'numa: node1/cpulist: CPU 99 .*one node assumed' <<<\"\$err\" && grep -q '1 NUMA node: 0 (8 CPUs)' <<<\"\$err\" && ! grep -q 'memory only' <<<\"\$err\"" "$err"
echo 0-1,9000 >"$bad/sys/devices/system/cpu/possible"
err=$("$BIN" -b -n 1 -d 0.1 --root "$bad" 2>&1 >/dev/null); rc=$?
check "possible naming CPU 9000: exit 1, named, no CPU silently left out" "[ $rc -eq 1 ] && grep -q 'CPU 9000 is past the 8192 CPUs' <<<\"\$err\"" "rc=$rc $err"

summary topo_test
