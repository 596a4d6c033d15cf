# Sourced by analyse.sh.  Run-queue delay under three CPU hogs pinned to
# CPU 3 and three to CPU 6, against perf's own record of the same
# tracepoints (perf record -k CLOCK_MONOTONIC -e sched:sched_switch,
# sched:sched_wakeup,sched:sched_wakeup_new), turned into delays here the
# way the kernel defines them: from a wakeup, or from being switched out
# still runnable (prev_state R), to being switched in; the delay belongs to
# the CPU that switches it in.  Each tick of the recording (its frames'
# CLOCK_MONOTONIC edges) inside perf's span is compared per hog CPU: the
# p99 stormtop recorded and the p99 of perf's delays ending in that tick
# must fall in the same or a neighbouring power-of-two bucket.

RQ_CPUS="3 6"

# perf's delays: "cpu end_s delay_ns"; the span of its events goes to $R/rq-span.
reference_delays() {
	zcat "$R/rq-perf.txt.gz" | awk -v span="$R/rq-span" '
		function field(name,   i) { for (i = 4; i <= NF; i++) if (index($i, name "=") == 1) return substr($i, length(name) + 2); return "" }
		{ cpu = $1 + 0; t = $2; sub(/:$/, "", t); t += 0 }
		NF < 4 || t == 0 { next }
		!first { first = t } { last = t }
		$3 == "sched:sched_switch:" {
			prev = field("prev_pid"); st = field("prev_state"); next_pid = field("next_pid")
			if (prev != 0 && substr(st, 1, 1) == "R") since[prev] = t
			if (next_pid != 0 && (next_pid in since)) {
				printf "%d %.9f %.0f\n", cpu, t, (t - since[next_pid]) * 1e9
				delete since[next_pid]
			}
			next
		}
		$3 == "sched:sched_wakeup:" || $3 == "sched:sched_wakeup_new:" { p = field("pid"); if (p != 0) since[p] = t }
		END { printf "%.9f %.9f\n", first, last > span }'
}

check_runq() {
	local delays lo hi ticks summary bad
	if [ ! -s "$R/rq-perf.txt.gz" ]; then
		result runq-p99 fail "-" "perf record" "no perf record: $(head -1 "$R/rq-perf.err")"
		return
	fi
	delays=$(reference_delays)
	read -r lo hi < "$R/rq-span"
	# per eligible tick and hog CPU: "seq cpu stormtop_p99 stormtop_n perf_p99 perf_n"
	ticks=$( {
		awk -F'\t' -v lo="$lo" -v hi="$hi" 'prev && prev >= lo + 0.5 && $2 <= hi { print "F", $1, prev, $2 } { prev = $2 }' "$R/frames.tsv"
		echo "$delays" | awk '{ print "D", $1, $2, $3 }'
	} | awk -v cpus="$RQ_CPUS" '
		BEGIN { n = split(cpus, c, " "); for (i = 1; i <= n; i++) own[c[i]] = 1 }
		$1 == "F" { nf++; fs[nf] = $2; fa[nf] = $3; fb[nf] = $4; next }
		$1 == "D" && own[$2] { for (i = 1; i <= nf; i++) if ($3 > fa[i] && $3 <= fb[i]) { print fs[i], $2, $4; break } }
		END { for (i = 1; i <= nf; i++) for (k in own) print fs[i], k, "-" }' |
		sort -k1,1n -k2,2n -k3,3g | awk '
		function flush() { if (key != "") { i = int(0.99 * n + 0.999999); if (i < 1) i = 1; print key, (n ? v[i] : 0), n } }
		{ k = $1 " " $2 } k != key { flush(); key = k; n = 0 }
		$3 != "-" { v[++n] = $3 }
		END { flush() }' |
		awk 'NR == FNR { st[$1 " " $2] = $10 " " $9; next } { k = $1 " " $2; print $1, $2, ((k in st) ? st[k] : "- -"), $3, $4 }' \
			<(tr '\t' ' ' < "$R/cpus.tsv") - )
	# judge: a tick counts when perf saw at least 20 delays there
	summary=$(echo "$ticks" | awk -v cpus="$RQ_CPUS" '
		function b(x) { return x > 0 ? int(log(x) / log(2)) : -1 }
		$6 >= 20 { t[$2]++; if ($3 == "" || $3 == "-" || $3 == 0 || (b($3) - b($5)) ^ 2 > 1) { if (!bad[$2]++) ex[$2] = sprintf(" (first: seq %d, %s vs %s ns)", $1, $3, $5) }
			sst[$2] = sst[$2] sprintf(" %.2f", $3 / 1e6); sref[$2] = sref[$2] sprintf(" %.2f", $5 / 1e6); n1[$2] += $4; n2[$2] += $6 }
		END {
			n = split(cpus, c, " ")
			for (i = 1; i <= n; i++) { k = c[i]
				printf "S cpu%d p99 ms%s (%d delays)\n", k, sst[k], n1[k]
				printf "R cpu%d p99 ms%s (%d delays)\n", k, sref[k], n2[k]
				if (t[k] < 2) printf "B cpu%d: %d ticks with 20 delays in perf;\n", k, t[k]
				else if (bad[k]) printf "B cpu%d: %d of %d ticks off by more than one log2 bucket%s;\n", k, bad[k], t[k], ex[k]
			}
		}')
	bad=$(echo "$summary" | sed -n 's/^B //p' | tr '\n' ' ')
	local fst fref
	fst=$(echo "$summary" | sed -n 's/^S //p' | paste -sd';')
	fref=$(echo "$summary" | sed -n 's/^R //p' | paste -sd';')
	if [ -z "$bad" ]; then result runq-p99 pass "$fst" "perf record: $fref"
	else result runq-p99 fail "$fst" "perf record: $fref" "$bad"; fi
}
