# Sourced by analyse.sh: reporting and the recording's figures as tables.
# Every time is CLOCK_REALTIME in seconds (frames' wall_ns, `date +%s.%N`)
# except the run-queue check's, which is CLOCK_MONOTONIC (perf -k).
PASSED=0 FAILED=0

# result NAME pass|fail STORMTOP REFERENCE [WHY]
result() {
	local name=$1 verdict=$2 st=$3 ref=$4 why=${5:-}
	echo "check: $name: stormtop $st vs reference $ref"
	if [ "$verdict" = pass ]; then
		PASSED=$((PASSED + 1)); echo "pass $name"
	else
		FAILED=$((FAILED + 1)); verdict=fail; echo "FAIL $name${why:+: $why}"
	fi
	printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$verdict" "$st" "$ref" "$why" >> "$R/checks.tsv"
}

# The recording as two tables, null (a signal the frame does not have) as "-":
#   frames.tsv: seq mono_s wall_s iommu_regime bpf_status_reason
#   cpus.tsv:   seq cpu node tlb tlb_rx iommu_map iommu_unmap iotlb_inval rq_n rq_p99_ns
frames_tsv() {
	local d=$1
	jq -r '[.seq, .mono_ns / 1e9, .wall_ns / 1e9, .iommu_regime, (.status.bpf.reason // "")]
		| map(if . == null then "-" else tostring end) | @tsv' "$d/dump-guest.json" > "$d/frames.tsv"
	jq -r '.seq as $s | .cpus[] | [$s, .cpu, .node, .tlb, .tlb_rx, .iommu_map, .iommu_unmap,
		.iotlb_inval, .rq_n, .rq_p99_ns] | map(if . == null then "-" else tostring end) | @tsv' \
		"$d/dump-guest.json" > "$d/cpus.tsv"
}

# phase_of NAME: the phase's start and end ("t0 t1") from phases.tsv.
phase_of() { awk -F'\t' -v p="$1" '$1 == p { print $2, $3 }' "$R/phases.tsv"; }

# window T0 T1: the frames whose deltas cover [T0, T1]: "FIRST LAST SECONDS",
# from the frame after the last one taken at or before T0 to the first one
# taken at or after T1.  Empty when the recording does not reach T1.
window() {
	awk -v t0="$1" -v t1="$2" '{ s[NR] = $1; w[NR] = $3; n = NR }
		END {
			for (i = 1; i <= n; i++) if (w[i] <= t0) a = i
			for (i = n; i >= 1; i--) if (w[i] >= t1) b = i
			if (a && b && b > a) printf "%d %d %.3f\n", s[a + 1], s[b], w[b] - w[a]
		}' "$R/frames.tsv"
}

# sum_cpus COLUMN FIRST LAST: "cpu total" per CPU over those frames ("-" if any is null).
sum_cpus() {
	awk -v col="$1" -v a="$2" -v b="$3" -F'\t' '
		{ k = $2 }
		$1 >= a && $1 <= b { seen[k] = 1; if ($(col) == "-") null[k] = 1; else s[k] += $(col) }
		END { for (k in seen) printf "%d %s\n", k, null[k] ? "-" : sprintf("%.0f", s[k]) }' \
		"$R/cpus.tsv" | sort -n
}

# Column numbers of cpus.tsv.
C_NODE=3 C_TLB=4 C_TLB_RX=5 C_MAP=6 C_UNMAP=7 C_INVAL=8 C_RQ_N=9 C_RQ_P99=10

# perf_count FILE EVENT: perf stat -x, count of EVENT ("-" if not counted).
perf_count() {
	awk -F, -v e="$2" '$3 == e { print ($1 ~ /^[0-9]+$/ ? $1 : "-"); found = 1 } END { if (!found) print "-" }' "$1"
}

# has_event NAME: the guest's tracefs lists the tracepoint (SUBSYS:NAME or NAME).
has_event() { grep -q -e "^$1\$" -e ":$1\$" "$R/available_events"; }

# allowance COUNT QUIET_S EXTRA_S: the background COUNT seen in QUIET_S
# quiet seconds, scaled to EXTRA_S seconds and rounded up.
allowance() { awk -v c="$1" -v q="$2" -v e="$3" 'BEGIN { a = c * e / q; printf "%d\n", (a == int(a)) ? a : int(a) + 1 }'; }
