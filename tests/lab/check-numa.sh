# Sourced by analyse.sh.  NUMA in every output, against the guest's shape:
# the host gives QEMU node 0 = CPUs 0-3, node 1 = CPUs 4-7 and node 2 =
# memory with no CPUs (boot.sh), and the guest's sysfs must say the same
# (guest-info.txt).  Then:
#  - numa-header: the UI header (a tmux capture of the live TUI) counts 3 nodes;
#  - numa-grid: the UI's grid files each CPU under its node's label, and
#    node 2 has a label with no CPU under it;
#  - numa-batch: `stormtop -b` gives each CPU its node, and its topology
#    line gives nodes 0 and 1 four CPUs each and node 2 none;
#  - numa-metrics: /metrics labels each CPU with its node, and
#    stormtop_node_info gives each node its CPU count (node 2: cpus="0").

LAB_SHAPE="0:0-3 1:4-7 2:"

# "cpu node" for each CPU of the guest's sysfs; nodes go to $R/nodes.txt.
sysfs_map() {
	awk '$1 == "node" { print $2 > "'"$R/nodes.txt"'"; sub(/^cpus=/, "", $3); n = split($3, r, ",")
		for (i = 1; i <= n; i++) { if (r[i] == "") continue; split(r[i], e, "-"); if (e[2] == "") e[2] = e[1]
			for (c = e[1]; c <= e[2]; c++) print c, $2 } }' "$R/guest-info.txt" | sort -n
}
shape_map() {
	for s in $LAB_SHAPE; do
		IFS=: read -r n cpus <<< "$s"
		[ -n "$cpus" ] && for c in $(seq "${cpus%-*}" "${cpus#*-}"); do echo "$c $n"; done
	done | sort -n
}
diff_maps() { diff <(echo "$1") <(echo "$2") | grep '^[<>]' | tr '\n' ' '; }
# collected NAME FILE WHAT: fails check NAME if the guest left no FILE.
collected() {
	[ -s "$R/$2" ] && return 0
	result "$1" fail "-" "$fig_ref" "no $3 came out of the guest"
	return 1
}

check_numa() {
	local ref nodes got
	ref=$(sysfs_map 2>/dev/null)
	nodes=$(sort -n "$R/nodes.txt" 2>/dev/null | tr '\n' ' ')
	if [ "$ref" != "$(shape_map)" ] || [ "$nodes" != "0 1 2 " ]; then
		result numa-guest fail "-" "sysfs nodes $nodes" "the guest does not have the lab's shape ($LAB_SHAPE)"
		return
	fi
	local fig_ref="sysfs: node0 cpus 0-3, node1 cpus 4-7, node2 no CPUs"

	got=$(head -1 "$R/tui.txt" 2>/dev/null | grep -o 'nodes [0-9]*' | awk '{ print $2 }')
	if ! collected numa-header tui.txt "TUI capture"; then :
	elif [ "$got" = 3 ]; then result numa-header pass "header 'nodes $got'" "$fig_ref"
	else result numa-header fail "header '$(head -1 "$R/tui.txt" | cut -c1-90)'" "$fig_ref" "3 nodes not counted"; fi

	local grid labels empty
	grid=$(awk 'match($0, /^node [0-9]+/) { node = substr($0, 6, RLENGTH - 5); print "L", node; next }
		node != "" && match($0, /^ *cpu[0-9]+/) { s = substr($0, 1, RLENGTH); sub(/^ *cpu/, "", s); print s, node }' "$R/tui.txt")
	labels=$(echo "$grid" | awk '$1 == "L" { printf "%s ", $2 }')
	empty=$(echo "$grid" | awk '$1 == "L" { if (cur != "" && !n) e = e cur " "; cur = $2; n = 0; next } { n++ }
		END { if (cur != "" && !n) e = e cur " "; print e }')
	got=$(echo "$grid" | awk '$1 != "L"' | sort -n)
	if ! collected numa-grid tui.txt "TUI capture"; then :
	elif [ "$got" = "$ref" ] && [ "$labels" = "0 1 2 " ] && [ "$empty" = "2 " ]; then
		result numa-grid pass "labels node $labels(no CPUs under node $empty)" "$fig_ref"
	else
		result numa-grid fail "labels node ${labels:-none }(no CPUs under ${empty:-none})" "$fig_ref" \
			"$([ "$got" = "$ref" ] || echo "CPUs filed: $(diff_maps "$got" "$ref")")$([ "$labels" = "0 1 2 " ] || echo ' node labels are not 0 1 2')"
	fi

	# the batch's topology line: "... 3 NUMA nodes: 0 (4 CPUs, ...), 1 (...), 2 (memory only, ...)"
	local named nodes_said
	got=$(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		col["cpu"] && col["node"] && $(col["cpu"]) ~ /^[0-9]+$/ { print $(col["cpu"]), $(col["node"]) }' "$R/batch.tsv" 2>/dev/null | sort -n | uniq)
	nodes_said=$(grep -hs 'NUMA node' "$R/batch.err" "$R/batch.tsv" | head -1 | sed 's/.*NUMA nodes\{0,1\}: *//' |
		grep -o '[0-9][0-9]* ([^)]*)' | tr -d '()' |
		awk '{ n = $1; $1 = ""; c = ($0 ~ /memory only|no CPUs|(^| )0 CPUs/) ? 0 : ($0 ~ /[0-9]+ CPUs?/ ? $0 : "?")
			sub(/^ */, "", c); sub(/ CPUs?.*/, "", c); printf "%s:%s ", n, c }')
	named=no
	[ "$nodes_said" = "0:4 1:4 2:0 " ] && named=yes
	if ! collected numa-batch batch.tsv "batch output"; then :
	elif [ "$got" = "$ref" ] && [ $named = yes ]; then
		result numa-batch pass "8 CPU rows under nodes 0 1; topology line nodes:CPUs ${nodes_said% }" "$fig_ref"
	else
		result numa-batch fail "$(echo "$got" | grep -c .) CPU rows, topology line nodes:CPUs ${nodes_said:-none}" "$fig_ref" \
			"$([ "$got" = "$ref" ] || echo "CPUs filed: $(diff_maps "$got" "$ref")")$([ $named = yes ] || echo ' the batch does not show 0:4 1:4 2:0 (node 2 memory only)')"
	fi

	# /metrics: each CPU's node label, and each node's CPU count in stormtop_node_info
	got=$(grep -s '^stormtop_cpu_[a-z_]*{cpu="' "$R/numa.prom" | sed -n 's/.*cpu="\([0-9]*\)",node="\([0-9]*\)".*/\1 \2/p' | sort -n | uniq)
	nodes_said=$(grep -s '^stormtop_node_info{' "$R/numa.prom" | sed -n 's/.*node="\([0-9]*\)",cpus="\([0-9]*\)".*/\1:\2/p' | sort -n | tr '\n' ' ')
	named=no
	[ "$nodes_said" = "0:4 1:4 2:0 " ] && named=yes
	if ! collected numa-metrics numa.prom "/metrics scrape"; then :
	elif [ "$got" = "$ref" ] && [ $named = yes ]; then
		result numa-metrics pass "8 CPUs labelled nodes 0 1; stormtop_node_info nodes:cpus ${nodes_said% }" "$fig_ref"
	else
		result numa-metrics fail "$(echo "$got" | grep -c .) CPUs labelled, stormtop_node_info nodes:cpus ${nodes_said:-none}" "$fig_ref" \
			"$([ "$got" = "$ref" ] || echo "labels: $(diff_maps "$got" "$ref")")$([ $named = yes ] || echo ' no stormtop_node_info 0:4 1:4 2:0 (node 2 memory only)')"
	fi
}
