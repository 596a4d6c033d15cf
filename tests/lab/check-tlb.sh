# Sourced by analyse.sh.  TLB shootdown IPIs received, per CPU, against the
# kernel's own count: the TLB line of /proc/interrupts, which the guest
# logged every 20 ms around tools/churn (touchers on CPUs 2 and 5).
# stormtop's figure is summed over the frames from a quiet moment before
# the churn to one after it.  The log brackets each of those two frames'
# reads (a frame reads within TLB_READ_S of its timestamp), which bounds
# the kernel's count over exactly stormtop's span: no tolerance is
# guessed, the background inside the span counts on both sides.
#  - tlb-interrupts: stormtop's received count per CPU (its /proc/interrupts column);
#  - tlb-csd: where the kernel has the csd tracepoints (6.3+), the
#    csd:csd_function_entry count per CPU, within the bracket less the
#    silent drop measured on 6.18 (3 per 100k; the rate seen is printed);
#    where it has not (5.10, 6.1), the csd source must be named unavailable
#    and /metrics must show no received count from it.

TLB_READ_S=0.1

# "cpu stormtop csd low high" per CPU; "none REASON" if the span cannot be had.
tlb_bracket() {
	local t0 t1 c0 c1
	read -r t0 t1 <<< "$(phase_of tlb)"
	read -r c0 c1 <<< "$(phase_of churn)"
	awk -v t0="$t0" -v t1="$t1" -v c0="$c0" -v c1="$c1" -v d="$TLB_READ_S" -F'[ \t]+' '
		FILENAME ~ /frames/ { if ($3 >= t0 + 0.1 && $3 <= c0 - 0.2) fs = $1 + 0
			if (!fe && $3 >= c1 + 0.1 && $3 <= t1 - 0.3) { fe = $1 + 0; we = $3 }
			if ($1 + 0 == fs) ws = $3; next }
		FILENAME ~ /cpus/ { if ($1 > fs && $1 <= fe) { st[$2] += $4; if ($5 == "-") nul[$2] = 1; else rx[$2] += $5 }; next }
		{ n++; T[n] = $1; for (c = 0; c + 2 <= NF && $(c + 2) ~ /^[0-9]+$/; c++) C[n, c] = $(c + 2); ncpu = c }
		function lower(w,   i, k) { for (i = 1; i <= n; i++) if (T[i] <= w) k = i; return k }
		function upper(w,   i) { for (i = 1; i <= n; i++) if (T[i] >= w + d) return i; return 0 }
		END {
			if (!fs || !fe) { print "none no quiet frame before and after the churn"; exit }
			ls = lower(ws); us = upper(ws); le = lower(we); ue = upper(we)
			if (!ls || !us || !le || !ue) { print "none the log does not bracket the frames"; exit }
			for (c = 0; c < ncpu; c++)
				printf "%d %.0f %s %d %d\n", c, st[c], nul[c] ? "-" : sprintf("%.0f", rx[c]),
					C[le, c] - C[us, c], C[ue, c] - C[ls, c]
		}' "$R/frames.tsv" "$R/cpus.tsv" "$R/tlb-log.txt"
}

check_tlb() {
	local rows c s x lo hi drop bad="" badrx="" fig_st="" fig_rx="" fig_ref="" total=0 rxtot=0 csd=no
	has_event csd_function_entry && csd=yes
	rows=$(tlb_bracket 2>/dev/null)
	if [ -z "$rows" ] || [ "${rows%% *}" = none ]; then
		[ -n "$rows" ] || rows="none no TLB log or recording came out of the guest"
		result tlb-interrupts fail "-" "/proc/interrupts" "${rows#none }"
		return
	fi
	while read -r c s x lo hi; do
		total=$((total + lo))
		fig_st="$fig_st cpu$c $s"
		fig_ref="$fig_ref cpu$c $([ "$lo" = "$hi" ] && echo "$lo" || echo "$lo-$hi")"
		[ "$s" -ge "$lo" ] && [ "$s" -le "$hi" ] || bad="$bad cpu$c $s not in [$lo, $hi];"
		[ $csd = yes ] || continue
		drop=$(allowance "$lo" 100000 3)
		fig_rx="$fig_rx cpu$c $x"
		if [ "$x" = - ] || [ "$x" -lt $((lo - drop)) ] || [ "$x" -gt "$hi" ]; then
			badrx="$badrx cpu$c $x not in [$((lo - drop)), $hi];"
		else
			rxtot=$((rxtot + x))
		fi
	done <<< "$rows"
	fig_ref="/proc/interrupts TLB${fig_ref}"
	if [ -z "$bad" ] && [ "$total" -gt 0 ]; then result tlb-interrupts pass "${fig_st# }" "$fig_ref"
	else result tlb-interrupts fail "${fig_st# }" "$fig_ref" "${bad:-churn made no TLB IPIs}"; fi

	if [ $csd = yes ]; then
		local rate; rate=$(awk -v a="$rxtot" -v b="$total" 'BEGIN { if (b) printf "%.1f", (b - a) * 100000 / b; else print "-" }')
		if [ -z "$badrx" ] && [ "$total" -gt 0 ]; then
			result tlb-csd pass "csd_function_entry${fig_rx} (short by $rate per 100k)" "$fig_ref"
		else
			result tlb-csd fail "csd_function_entry${fig_rx}" "$fig_ref" "${badrx:-churn made no TLB IPIs}"
		fi
	else
		local named=no shown=no
		cut -f5 "$R/frames.tsv" | grep -q csd && named=yes
		grep -q '^stormtop_cpu_tlb_shootdowns_received_total' "$R/numa.prom" && shown=yes
		if [ $named = yes ] && [ $shown = no ]; then
			result tlb-csd pass "csd source named unavailable, no count from it in /metrics" "tracefs: no csd tracepoints"
		else
			result tlb-csd fail "csd named unavailable: $named; /metrics shows a csd count: $shown" "tracefs: no csd tracepoints" \
				"$([ $named = yes ] || echo 'the csd source is not named') $([ $shown = no ] || echo '/metrics shows a received count with no source')"
		fi
	fi
}
