#!/bin/bash
# README's "Kernels" table, from the last `make lab` run:
#   kernels-table.sh            # prints it (Markdown)
#   kernels-table.sh --readme   # and puts it in README.md between its markers
# Reads $LAB_CACHE/results/summary.tsv (suite, release, passed, failed,
# wall s, guest s) and each kernel's checks.tsv and probes.tsv.  Per kernel:
# the checks that passed (what works), the ones that failed with their
# reason, and the --probes rows that are not attached, by stormtop's own
# reason (what degrades and why).  The minimum kernel is the oldest of the run
# that passed every check.
set -eu
cd "$(dirname "$0")/../.."
res=${LAB_CACHE:-build/lab}/results
[ -s "$res/summary.tsv" ] || { echo "lab: no results in $res (run make lab)" >&2; exit 1; }

debian() { case $1 in bullseye) echo "Debian 11";; bookworm) echo "Debian 12";; trixie) echo "Debian 13";; *) echo "$1";; esac; }
# What each check shows when it passes.
label() {
	case $1 in
	probes-rows) echo "every program listed";; probes-reasons) echo "true reasons";;
	probes-status) echo "status uncut";; probes-links) echo "attached = kernel links";;
	iommu-counts) echo "IOMMU counts = perf";; iommu-regime) echo "IOMMU regime";;
	tlb-interrupts) echo "TLB IPIs = /proc/interrupts";; tlb-csd) echo "csd count (or named absent)";;
	runq-p99) echo "run-queue p99 = perf";; numa-header) echo "NUMA header";; numa-grid) echo "NUMA grid";;
	numa-batch) echo "NUMA batch";; numa-metrics) echo "NUMA /metrics";; playback) echo "playback on the host";;
	*) echo "$1";;
	esac
}
# Markdown cells: no pipes, no newlines, bounded.
cell() { tr '|\n' '/ ' | cut -c1-"${1:-400}"; }

table() {
	local suite kver p f wall dir works fails absent
	echo "| kernel | checks | works | degrades, and why | lab wall time |"
	echo "| --- | --- | --- | --- | --- |"
	while IFS=$'\t' read -r suite kver p f wall _; do
		dir=$res/$kver
		works=$(awk -F'\t' '$2 == "pass" { print $1 }' "$dir/checks.tsv" 2>/dev/null |
			while read -r c; do label "$c"; done | paste -sd, | sed 's/,/, /g')
		fails=$(awk -F'\t' '$2 == "fail" { w = ($5 != "" ? $5 : $3); gsub(/  +/, " ", w); sub(/[; ]+$/, "", w); sub(/^[; ]+/, "", w)
			if (length(w) > 140) w = substr(w, 1, 137) "..."; printf "**%s**: %s; ", $1, w }' "$dir/checks.tsv" 2>/dev/null | cell 1200)
		absent=$(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
			NF >= 4 && col["state"] && $(col["state"]) != "attached" { print $(col["state"]) "\t" $(col["tracepoint"]) }' \
			"$dir/probes.tsv" 2>/dev/null |
			sort -u | awk -F'\t' '{ s = $1; sub(/: .*/, "", s); if (s != last) { printf "%s%s: ", (NR > 1 ? "; " : ""), s; sep = "" } printf "%s%s", sep, $2; sep = ", "; last = s }' | cell 300)
		printf '| %s (%s) | %s/%s | %s | %s%s | %s s |\n' "$kver" "$(debian "$suite")" "$p" "$((p + f))" \
			"${works:-nothing}" "$fails" "${absent:+not attached: $absent}" "$wall"
	done < "$res/summary.tsv"
	echo
	local min
	min=$(awk -F'\t' '$4 == 0 { print $2 }' "$res/summary.tsv" | sort -V | head -1)
	if [ -n "$min" ]; then
		echo "Minimum kernel: **$(echo "$min" | cut -d. -f1,2)** ($min, the oldest kernel the last lab run passed on every check, $(date -u -r "$res/summary.tsv" +%Y-%m-%d))."
	else
		echo "Minimum kernel: none of the lab's kernels passed every check in the last run ($(date -u -r "$res/summary.tsv" +%Y-%m-%d)); the table says what fails."
	fi
}

if [ "${1:-}" = --readme ]; then
	t=$(mktemp)
	table > "$t"
	awk -v t="$t" '/^<!-- kernels:begin/ { print; while ((getline l < t) > 0) print l; skip = 1; next }
		/^<!-- kernels:end/ { skip = 0 } !skip' README.md > README.md.tmp
	grep -q '^<!-- kernels:end' README.md.tmp || { rm -f README.md.tmp "$t"; echo "lab: README.md has no kernels markers" >&2; exit 1; }
	mv README.md.tmp README.md
	rm -f "$t"
else
	table
fi
