# Sourced by analyse.sh.  `stormtop --probes` against what is true:
#  - every program of the objects stormtop loads has a row (reference: the
#    objects' own section names, readelf, and the skeletons the collectors
#    include);
#  - every state is `attached` or a true reason: "no tracepoint" only where
#    the guest's tracefs has no such event, "needs kernel BTF" only without
#    /sys/kernel/btf/vmlinux, "refused by the verifier: <first line>" with
#    the line, any other reason with its cause after a colon;
#  - the status line names every program of the objects that is not
#    attached, and each of its clauses says what and why (nothing cut);
#  - what --probes calls attached is what the kernel holds: the recorder's
#    BPF links (bpftool link list) by tracepoint.

# "unit tracepoint" of every program the loaded objects carry; rqlat_tp's
# classic tracepoints (kernels without BTF) are the rqlat unit's.
expected_programs() {
	awk -F'\t' 'NR == FNR { want[$1] = 1; next }
		want[$1] { n = split($2, p, "/"); print ($1 == "rqlat_tp" ? "rqlat" : $1) "\t" p[n] }' \
		"$R/bpf-units.txt" "$R/bpf-sections.tsv" | sort -u
}
# --probes rows: unit, tracepoint, program kind, recursion_misses, state;
# the perf rows (the PMU slots) are not BPF programs.
probe_rows() { awk -F'\t' 'NR > 1 && NF >= 5 && $1 != "perf" { print $1 "\t" $2 "\t" $3 "\t" $5 }' "$R/probes.tsv"; }

# A state's verdict: "ok" or why it is not true.
judge_state() {
	local tp=$1 state=$2 btf
	btf=$(awk '$1 == "btf" { print $2 }' "$R/guest-info.txt")
	case $state in
	attached) has_event "$tp" && echo ok || echo "attached, but tracefs has no $tp" ;;
	"no tracepoint") has_event "$tp" && echo "says no tracepoint, but tracefs has $tp" || echo ok ;;
	"needs kernel BTF") [ "$btf" = no ] && echo ok || echo "says it needs kernel BTF, which this kernel has" ;;
	"refused by the verifier: "?*) echo ok ;;
	"refused by the verifier"*) echo "refused by the verifier, without the verifier's reason" ;;
	disabled) echo "disabled, though the lab disables nothing" ;;
	*": "?*) echo ok ;;
	*) echo "'$state' gives no cause" ;;
	esac
}

check_probes() {
	local want have missing extra rows bad st_line unnamed cut links attached nrow
	want=$(expected_programs)
	have=$(probe_rows | cut -f1,2 | sort -u)
	missing=$(comm -23 <(echo "$want") <(echo "$have") | tr '\t' / | tr '\n' ' ')
	extra=$(comm -13 <(echo "$want") <(echo "$have") | tr '\t' / | tr '\n' ' ')
	nrow=$(probe_rows | wc -l)
	if [ "$(cat "$R/probes.rc")" != 0 ]; then
		result probes-rows fail "exit status $(cat "$R/probes.rc")" "0" "$(head -1 "$R/probes.err")"
	elif [ -z "$missing$extra" ] && [ -n "$want" ]; then
		result probes-rows pass "$nrow rows" "$(echo "$want" | wc -l) programs in $(tr '\n' ' ' < "$R/bpf-units.txt")objects"
	else
		result probes-rows fail "$nrow rows" "$(echo "$want" | grep -c .) programs in the objects" \
			"${missing:+missing: $missing}${extra:+not in the objects: $extra}"
	fi

	rows=$(probe_rows | awk -F'\t' '{ print $4 }' | sed 's/: .*/: .../' | sort | uniq -c |
		awk '{ c = $1; $1 = ""; printf "%s%d%s", sep, c, $0; sep = ", " }')
	bad=$(probe_rows | while IFS=$'\t' read -r unit tp prog state; do
		v=$(judge_state "$tp" "$state")
		[ "$v" = ok ] || printf '%s/%s (%s): %s; ' "$unit" "$tp" "$prog" "$v"
	done)
	if [ -z "$bad" ] && [ "$nrow" -gt 0 ]; then
		result probes-reasons pass "$rows" "tracefs available_events, /sys/kernel/btf"
	else
		result probes-reasons fail "$rows" "tracefs available_events, /sys/kernel/btf" "${bad:-no rows}"
	fi

	# every program of the objects that is not attached (listed or not) is
	# named, and every clause of the status is "what: why", none cut before its why
	st_line=$(cat "$R/probes.tsv" "$R/probes.err" | sed -n 's/^stormtop: bpf: //p' | tr '\n' ' ')
	unnamed=$(comm -23 <(echo "$want" | cut -f2 | sort -u) \
			<(probe_rows | awk -F'\t' '$4 == "attached" { print $2 }' | sort -u) | while read -r tp; do
		case $st_line in *"$tp"*) ;; *) printf '%s ' "$tp" ;; esac
	done)
	cut=$(printf '%s' "$st_line" | tr ';' '\n' | grep -vE ': *[^ ]' | head -1 || true)
	if [ -z "$unnamed$cut" ]; then
		result probes-status pass "bpf status of ${#st_line} characters names every program not attached" "the objects' programs"
	else
		result probes-status fail "bpf status '${st_line:0:60}...' (${#st_line} characters)" "the objects' programs" \
			"${unnamed:+not named: $unnamed}${cut:+ a clause has no cause: '$cut'}"
	fi

	# the kernel's links of the running recorder, by tracepoint
	links=$(jq -r '.[] | select(.tp_name != null) | .tp_name' "$R/links.json" 2>/dev/null | sort)
	attached=$(probe_rows | awk -F'\t' '$4 == "attached" { print $2 }' | sort)
	if [ -z "$links" ] && [ ! -s "$R/links.json" ]; then
		result probes-links fail "$(echo "$attached" | grep -c .) attached" "bpftool link list" \
			"bpftool gave nothing: $(head -1 "$R/links.err")"
	elif [ "$links" = "$attached" ]; then
		result probes-links pass "$(echo "$attached" | grep -c .) attached" "$(echo "$links" | grep -c .) BPF links"
	else
		result probes-links fail "$(echo "$attached" | grep -c .) attached" "$(echo "$links" | grep -c .) BPF links" \
			"differ: $(diff <(echo "$attached") <(echo "$links") | grep '^[<>]' | tr '\n' ' ')"
	fi
}
