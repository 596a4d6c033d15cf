# Sourced by analyse.sh.  IOMMU figures against perf's own count of the
# tracepoints by which the kernel reports them (iommu-events.txt): maps
# and unmaps are iommu:map/unmap where the DMA API goes through iommu_map
# (5.11 and later), and intel_iommu:map_*/unmap_* where intel-iommu maps on
# its own (5.10 and before); IOTLB invalidations are intel_iommu:qi_submit,
# one per submission to the invalidation queue.  The burst: O_DIRECT reads
# of the scratch disk, which sits behind the vIOMMU.  stormtop sums the
# recording's frames around it, a span a little longer than perf's: it may
# count more, by at most the guest's background (perf stat over 3 quiet
# seconds, scaled to the extra time), never less.  A figure whose
# tracepoints the kernel lacks must be named in stormtop's status and be
# absent from /metrics, not counted as 0.  The IOMMU regime must reach
# PRESSURE_WATCH or above during the burst and come back to MAP_STABLE
# after it (default dwell and cooldown).

IOMMU_STATES=(MAP_STABLE PRESSURE_WATCH FLUSH_STORM SAFE_DMA_CONTAIN)

# kind_events KIND: the tracepoints of that kind this kernel has.
kind_events() {
	awk -v k="$1" '$1 == k { print $2 }' "$HERE/iommu-events.txt" | while read -r e; do
		has_event "${e#*:}" && echo "$e"
	done
}
# kind_count FILE KIND: perf stat's total over the kind's tracepoints ("-" if one is not counted).
kind_count() {
	local e c t=0
	for e in $(kind_events "$2"); do
		c=$(perf_count "$1" "$e")
		[ "$c" = - ] && { echo -; return; }
		t=$((t + c))
	done
	echo "$t"
}

check_iommu() {
	local t0 t1 w first last secs dd_s kind col name fam tps st ref bg allow
	local fig_st="" fig_ref="" fig_bg="" bad=""
	read -r t0 t1 <<< "$(phase_of iommu)"
	w=$(window "$t0" "$t1")
	read -r first last secs <<< "$w"
	dd_s=$(grep -o 'copied, [0-9.]* s' "$R/iommu-dd.txt" | awk '{ print $2 }')
	if [ -z "$w" ] || [ -z "$dd_s" ]; then
		result iommu-counts fail "no frames around the burst" "perf stat" "recording or dd missing: $(tail -1 "$R/iommu-dd.txt" 2>/dev/null)"
		return
	fi
	for kind in map:$C_MAP:maps:iommu_maps:qi unmap:$C_UNMAP:unmaps:iommu_unmaps inval:$C_INVAL:invalidations:iotlb_invalidations; do
		IFS=: read -r kind col name fam _ <<< "$kind"
		tps=$(kind_events "$kind" | paste -sd+)
		if [ -z "$tps" ]; then
			local tp=qi_submit
			fig_ref="$fig_ref $name: no tracepoint;"
			cut -f5 "$R/frames.tsv" | grep -q "$tp" || bad="$bad $name: $tp not named in the status;"
			grep -q "^stormtop_cpu_${fam}_total" "$R/numa.prom" && bad="$bad /metrics shows $name with no tracepoint;"
			continue
		fi
		st=$(sum_cpus "$col" "$first" "$last" | awk '$2 == "-" { print "-"; exit } { s += $2 } END { if (NR) printf "%d\n", s }')
		ref=$(kind_count "$R/iommu-perf.csv" "$kind")
		bg=$(kind_count "$R/quiet-perf.csv" "$kind")
		allow=$(allowance "${bg/-/0}" 3 "$(awk -v a="$secs" -v b="$dd_s" 'BEGIN { print a - b }')")
		fig_st="$fig_st $name $st;"
		fig_ref="$fig_ref $name $ref ($tps);"
		fig_bg="$fig_bg $bg $name"
		if [ "$st" = - ] || [ "$ref" = - ]; then
			bad="$bad $name: no count;"
		elif [ "$ref" -eq 0 ] && [ "$kind" = map ]; then
			bad="$bad the burst made no mapping the kernel reports;"
		elif [ "$st" -lt "$ref" ] || [ "$st" -gt $((ref + allow)) ]; then
			bad="$bad $name $st not within [$ref, $((ref + allow))];"
		fi
	done
	fig_st="${fig_st# } over ${secs} s of frames"
	fig_ref="perf stat${fig_ref} over dd's $dd_s s; background in 3 quiet s:${fig_bg:- none}"
	if [ -z "$bad" ]; then result iommu-counts pass "$fig_st" "$fig_ref"
	else result iommu-counts fail "$fig_st" "$fig_ref" "${bad# }"; fi

	# the regime: up during the burst, back down within the settling time
	local s0 peak back
	read -r s0 _ <<< "$(phase_of iommu_settled)"
	peak=$(awk -F'\t' -v a="$t0" -v b="$s0" '$3 >= a && $3 <= b + 2 && $4 != "-" && $4 > m { m = $4 } END { print m + 0 }' "$R/frames.tsv")
	back=$(awk -F'\t' -v a="$s0" '$3 > a && $4 == 0 { printf "%.1f\n", $3 - a; exit }' "$R/frames.tsv")
	if [ "$peak" -ge 1 ] && [ -n "$back" ]; then
		result iommu-regime pass "peak ${IOMMU_STATES[$peak]}, MAP_STABLE again ${back} s after the burst" \
			"the burst perf counted"
	else
		result iommu-regime fail "peak ${IOMMU_STATES[$peak]}${back:+, MAP_STABLE again after $back s}" \
			"the burst perf counted" "$([ "$peak" -ge 1 ] || echo 'never reached PRESSURE_WATCH')$([ -n "$back" ] || echo ' never came back to MAP_STABLE')"
	fi
}
