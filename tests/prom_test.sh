#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The Prometheus exporter from the outside: promtool on live output, a real
# Prometheus scraping it, counters against /proc/interrupts, the
# cardinality guard under 1000 churning processes, hostile clients, and
# the one-line errors.
set -u
export LC_ALL=C.UTF-8
cd "$(dirname "$0")/.."
. tests/lib.sh

dir=$(mktemp -d)
pids=""
cleanup() { for p in $pids; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$dir"; tm_cleanup; }
trap cleanup EXIT
ncpu=$(grep -c '^cpu[0-9]' /proc/stat)

# Starts stormtop with ARGS --prometheus 127.0.0.1:0 in the background;
# sets URL and PORT from the line it prints, SPID to its pid.
start() {
	local log=$dir/stormtop.$RANDOM i
	"$BIN" "$@" --prometheus 127.0.0.1:0 >"$log.out" 2>"$log.err" </dev/null &
	SPID=$!; pids="$pids $SPID"
	for i in $(seq 1 100); do
		URL=$(grep -o 'http://[^ ]*/metrics' "$log.err" 2>/dev/null) && break
		sleep 0.1
	done
	PORT=${URL##*:}; PORT=${PORT%%/*}
	# the first frame may not be handed over yet: 503 until it is
	for i in $(seq 1 50); do curl -sf "$URL" >/dev/null && return 0; sleep 0.1; done
	return 1
}
stop() { kill "$SPID" 2>/dev/null; wait "$SPID" 2>/dev/null; }
value() { awk -v s="$1" '$1 == s { print $2; exit }' "$2"; }
ktlb() { awk '$1 == "TLB:" { s = 0; for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) s += $i; print s }' /proc/interrupts; }
ptlb() { awk '/^stormtop_node_interrupts_total\{.*kind="TLB"\}/ { s += $2 } END { printf "%d", s }' "$1"; }

# Scrapes into $2 the first frame sampled after the one scraped in $1
# (stormtop_frames_total moved on; up to 10 s).
next_scrape() {
	local f0 i
	f0=$(value stormtop_frames_total "$1")
	for i in $(seq 1 200); do
		curl -s "$URL" >"$2"
		[ "$(value stormtop_frames_total "$2")" -gt "${f0:-0}" ] && return 0
		sleep 0.05
	done
	return 1
}

# edge NAME: NAME_kb, the kernel's TLB count; NAME_p, the exporter's in a
# frame sampled after that read (two frames on: one may have been taken
# before it and handed over after); NAME_ka, the kernel's count after.
edge() {
	eval "${1}_kb=\$(ktlb)"
	curl -s "$URL" >"$dir/edge0"
	next_scrape "$dir/edge0" "$dir/edge1"
	next_scrape "$dir/edge1" "$dir/edge2"
	eval "${1}_p=\$(ptlb $dir/edge2)"
	eval "${1}_ka=\$(ktlb)"
}

# The swarm's own munmap count at wall time $2, from its log $1 (linear
# between the two lines around it).
swarm_at() {
	awk -v t="$2" '{ if ($1 <= t) { t0 = $1; c0 = $2 } else if (!t1) { t1 = $1; c1 = $2 } }
		END { if (!t1 || t1 == t0) print c0; else printf "%.1f", c0 + (c1 - c0) * (t - t0) / (t1 - t0) }' "$1"
}

# --- one-line errors -----------------------------------------------------
err=$("$BIN" -b -n 1 --prometheus 'nope:x' 2>&1 >/dev/null); rc=$?
check "--prometheus with a bad port -> exit 2, one line" "[ $rc -eq 2 ] && [ \$(wc -l <<<\"\$err\") -eq 1 ] && grep -q '0 to 65535' <<<\"\$err\"" "rc=$rc $err"
err=$("$BIN" -b -n 1 --prometheus 'no.such.host.invalid:9' 2>&1 >/dev/null); rc=$?
check "--prometheus with an unknown host -> exit 2, one line" "[ $rc -eq 2 ] && [ \$(wc -l <<<\"\$err\") -eq 1 ]" "rc=$rc $err"
err=$("$BIN" play x.rec --prometheus 9464 2>&1 >/dev/null); rc=$?
check "--prometheus in play -> exit 2" "[ $rc -eq 2 ] && grep -q 'only live and record' <<<\"\$err\"" "rc=$rc $err"
err=$("$BIN" -b -n 1 --prometheus-top 21 2>&1 >/dev/null); rc=$?
check "--prometheus-top 21 -> exit 2" "[ $rc -eq 2 ] && grep -q '0..20' <<<\"\$err\"" "rc=$rc $err"

# --- live output, promtool, and the kernel's own counters ---------------
start -b -d 0.25 || bad "stormtop serves /metrics"
curl -s -D "$dir/headers" "$URL" >"$dir/m1"
check "served as the text format 0.0.4" "grep -qi '^content-type: text/plain; version=0.0.4' $dir/headers" "$(cat $dir/headers)"
out=$(promtool check metrics <"$dir/m1" 2>&1); rc=$?
check "promtool check metrics: clean" "[ $rc -eq 0 ] && [ -z \"\$out\" ]" "$out"
check "one series per CPU for each /proc/interrupts line" \
	"[ \$(grep -c '^stormtop_cpu_interrupts_total{cpu=\"[0-9]*\",node=\"[0-9]*\",kind=\"LOC\"}' $dir/m1) -eq $ncpu ]"
check "regime, desk, status and cost families present" \
	"grep -q '^stormtop_regime_tlb_state{state=\"CLEAN\"}' $dir/m1 && grep -q '^stormtop_regime_iommu_state{state=\"MAP_STABLE\"}' $dir/m1 && grep -q '^stormtop_desk_sbi ' $dir/m1 && grep -q '^stormtop_source_up{source=\"interrupts\",state=\"ok\"} 1' $dir/m1 && grep -q '^stormtop_self_cpu_seconds_total ' $dir/m1"
curl -s -I "$URL" >"$dir/head"
check "HEAD answers 200 with no body" "head -1 $dir/head | grep -q ' 200'"
if [ "$(id -u)" -eq 0 ]; then
	check "eBPF families present as root" "grep -q '^stormtop_runqueue_delay_seconds_bucket{le=\"+Inf\"}' $dir/m1 && grep -q '^stormtop_tlb_flushes_total{reason=\"remote_send_ipi\"}' $dir/m1"
	# The counters grow as the kernel's do, whatever else the host sends:
	# each edge of the window is a scrape of a frame sampled after one
	# read of /proc/interrupts and before another, so the exporter's
	# growth lies between the kernel's inner and outer differences.
	"${STORMTOP_CHURN:-tools/churn}" -c 0 -m 1 -r 3000 -t 6 -q >/dev/null 2>&1 &
	cpid=$!; pids="$pids $cpid"
	sleep 1
	edge s
	sleep 3
	edge e
	wait "$cpid"
	check "TLB IPI counter grew as /proc/interrupts did (exporter $((e_p - s_p)), kernel $((e_kb - s_ka))..$((e_ka - s_kb)))" \
		"[ $((e_kb - s_ka)) -gt 20 ] && [ $((e_p - s_p)) -ge $((e_kb - s_ka)) ] && [ $((e_p - s_p)) -le $((e_ka - s_kb)) ]"
else
	skip "eBPF families and the TLB counter check: need root"
fi
stop

# --- serving costs the host no shootdowns -----------------------------------
# The HTTP thread keeps stormtop on a second CPU, so any page it first
# reads and later writes would flush that CPU's TLB: a shootdown of its
# own.  The release build: a sanitizer's shadow memory does just that.
if [ "$(id -u)" -eq 0 ]; then
	BIN=./stormtop start -b -d 0.25
	"${STORMTOP_CHURN:-tools/churn}" -c 0 -m 1 -r 3000 -t 3 -q >/dev/null 2>&1 &
	cpid=$!; pids="$pids $cpid"
	for i in $(seq 1 10); do curl -s "$URL" >/dev/null; sleep 0.3; done
	wait "$cpid"
	own=$(curl -s "$URL" | awk '$1 == "stormtop_self_tlb_flushes_sent_total" { print $2 }')
	check "stormtop sent no TLB shootdowns itself over 11 scrapes under churn (${own:-none})" "[ \"$own\" = 0 ]"
	stop
else
	skip "own shootdowns while serving: need root"
fi

# --- a real Prometheus scrapes it ------------------------------------------
if command -v prometheus >/dev/null; then
	start -b -d 0.5
	ppdir=$dir/prom; mkdir -p "$ppdir"
	pport=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	cat >"$ppdir/prometheus.yml" <<-YML
	global:
	  scrape_interval: 1s
	  scrape_timeout: 1s
	scrape_configs:
	  - job_name: stormtop
	    static_configs:
	      - targets: ['127.0.0.1:$PORT']
	YML
	prometheus --config.file="$ppdir/prometheus.yml" --storage.tsdb.path="$ppdir/data" \
		--web.listen-address=127.0.0.1:$pport >"$ppdir/log" 2>&1 &
	ppid=$!; pids="$pids $ppid"
	q() { curl -s --max-time 2 "http://127.0.0.1:$pport/api/v1/query" --data-urlencode "query=$1"; }
	n=0
	for i in $(seq 1 60); do
		n=$(q 'stormtop_cpu_interrupts_total{job="stormtop",kind="LOC"}' | jq '.data.result | length' 2>/dev/null)
		[ "${n:-0}" -eq "$ncpu" ] && break
		sleep 0.5
	done
	check "Prometheus scraped it: PromQL returns the $ncpu per-CPU series (got ${n:-0})" "[ \"${n:-0}\" -eq $ncpu ]" "$(tail -5 $ppdir/log)"
	up=$(q 'up{job="stormtop"}' | jq -r '.data.result[0].value[1]' 2>/dev/null)
	check "up{job=\"stormtop\"} is 1" "[ \"$up\" = 1 ]"
	sleep 3
	r=$(q 'sum(rate(stormtop_cpu_interrupts_total{kind="LOC"}[3s]))' | jq -r '.data.result[0].value[1]' 2>/dev/null)
	check "rate() over the local-timer counters is positive ($r/s)" "awk -v r='${r:-0}' 'BEGIN { exit !(r > 0) }'"
	kill "$ppid"; wait "$ppid" 2>/dev/null
	stop
else
	bad "prometheus is installed (make deps)"
fi

# --- cardinality guard: 1000 churning processes ------------------------------
# Named and "other" must hold every munmap the swarm's own processes made
# (they count them; the host's other processes only add).  That the list
# and "other" add up exactly to the kernel's count is test_live_bpf's.
if [ "$(id -u)" -eq 0 ]; then
	start -b -d 1 --prometheus-top 5
	tools/swarm -p 1000 -r 10 -t 12 -l "$dir/swarm.log" >"$dir/swarm" &
	swp=$!; pids="$pids $swp"
	sleep 6
	curl -s "$URL" >"$dir/c0"
	for i in 1 2 3; do
		next_scrape "$dir/c$((i - 1))" "$dir/c$i"
	done
	for i in 1 2 3; do
		pids_seen=$(grep '^stormtop_process_map_ops_total{' "$dir/c$i" | grep -o 'pid="[^"]*"' | sort -u | wc -l)
		check "scrape $i: 5 named processes + other ($pids_seen pid values)" "[ $pids_seen -eq 6 ]"
	done
	for i in 2 3; do
		# the tick's window: from the frame before (scraped just before) to this one
		t0=$(value stormtop_last_frame_timestamp_seconds "$dir/c$((i - 1))")
		t1=$(value stormtop_last_frame_timestamp_seconds "$dir/c$i")
		# counters: every munmap series' increase between the two scrapes
		# (a series new in the later one counts from 0), named + other
		got=$(awk -v prev="$dir/c$((i - 1))" '/^stormtop_process_map_ops_total\{.*op="munmap"\}/ {
			if (FILENAME == prev) a[$1] = $2; else d += $2 - a[$1] } END { printf "%.0f", d }' \
			"$dir/c$((i - 1))" "$dir/c$i")
		own=$(awk -v a="$(swarm_at "$dir/swarm.log" "$t0")" -v b="$(swarm_at "$dir/swarm.log" "$t1")" \
			'BEGIN { printf "%.0f", b - a }')
		check "scrape $i: named + other counters grew by the swarm's own munmaps (own $own, counted $got)" \
			"awk -v g='${got:-0}' -v own='${own:-0}' 'BEGIN { exit !(own > 1000 && g >= 0.9 * own) }'"
	done
	others=$(value stormtop_processes_other "$dir/c3")
	check "the rest are summed: $others processes in \"other\"" "[ \"${others:-0}\" -ge 900 ]"
	out=$(promtool check metrics <"$dir/c3" 2>&1)
	check "promtool clean with 1000 processes" "[ -z \"\$out\" ]" "$out"
	check "series count stays bounded ($(grep -vc '^#' $dir/c3) samples)" "[ \$(grep -vc '^#' $dir/c3) -lt 1000 ]"
	stop
	kill "$swp"; wait "$swp" 2>/dev/null
else
	skip "cardinality guard under 1000 processes: needs root for the eBPF collector"
fi

# --- hostile clients do not stop sampling ------------------------------------
# 1024 synthetic CPUs make /metrics about 1 MB, more than a socket buffer,
# so a client that never reads really does leave a response stuck.
start -b --synthetic 1024:8 -d 0.25
tools=tests/prom_hostile.py
python3 $tools 127.0.0.1 "$PORT" probes >"$dir/probes"
check "oversized headers -> 431" "grep -q '^oversized: HTTP/1.1 431' $dir/probes" "$(cat $dir/probes)"
check "not HTTP -> 400" "grep -q '^malformed: HTTP/1.1 400' $dir/probes"
check "POST -> 405" "grep -q '^post: HTTP/1.1 405' $dir/probes"
check "other paths -> 404" "grep -q '^notfound: HTTP/1.1 404' $dir/probes && grep -q '^traversal: HTTP/1.1 404' $dir/probes"
# the frame rate with no hostile client is the reference: a busy host
# slows both windows alike, a blocked sampler only the hostile one
f0=$(curl -s "$URL" | awk '$1 == "stormtop_frames_total" { print $2 }')
t0=$(date +%s.%N)
sleep 3
f1=$(curl -s "$URL" | awk '$1 == "stormtop_frames_total" { print $2 }')
t1=$(date +%s.%N)
calm=$(awk -v f=$((f1 - f0)) -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", f / (b - a) }')
f0=$f1
t0=$(date +%s.%N)
python3 $tools 127.0.0.1 "$PORT" stuck 12 6 >"$dir/stuck" &
hp=$!; pids="$pids $hp"
sleep 3
code=$(curl -s -o "$dir/during" -w '%{http_code}' --max-time 5 "$URL")
check "a scrape while 24 hostile clients hang on: 200" "[ \"$code\" = 200 ] && grep -q '^stormtop_frames_total' $dir/during" "code $code; $(cat $dir/stuck)"
wait "$hp"
f1=$(curl -s "$URL" | awk '$1 == "stormtop_frames_total" { print $2 }')
t1=$(date +%s.%N)
hostile=$(awk -v f=$((f1 - f0)) -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", f / (b - a) }')
check "sampling went on: $hostile frames/s with 24 hostile clients, $calm/s without (every 0.25 s: 4/s)" \
	"awk -v h=$hostile -v c=$calm 'BEGIN { exit !(c > 0 && h >= 0.5 * c) }'" "$(cat $dir/stuck)"
kill -0 "$SPID" 2>/dev/null
check "stormtop still running" "[ $? -eq 0 ]"
stop

# --- slowloris: 100 clients trickling a header byte a second ----------------
# (each reconnects at once when dropped, so the pressure never lets up);
# meanwhile 6 scrapes, one a second, must each be answered in under 1 s.
# Loopback only, bounded: 14 s of trickling.
start -b --synthetic 64:2 -d 0.25
python3 $tools 127.0.0.1 "$PORT" slowloris 100 14 6 >"$dir/loris" 2>&1
sed 's/^/# /' "$dir/loris"
worst=$(grep -Eo 'worst scrape [0-9.]+' "$dir/loris" | grep -Eo '[0-9.]+$')
check "slowloris: 100 trickling clients, every scrape 200 in under 1 s (worst ${worst:-none} s)" \
	"[ \$(grep -c '^scrape [0-9]*: [0-9.]* s HTTP/1.1 200 OK\$' $dir/loris) -eq 6 ] && awk -v w='${worst:-9}' 'BEGIN { exit !(w < 1) }'" \
	"$(cat $dir/loris)"
curl -s "$URL" >"$dir/loris.m"
check "slowloris: the dropped connections are counted by reason" \
	"awk '/^stormtop_http_connections_dropped_total\\{reason=\"(header_deadline|evicted)\"\\}/ { n += \$2 } END { exit !(n >= 100) }' $dir/loris.m" \
	"$(grep dropped $dir/loris.m)"
kill -0 "$SPID" 2>/dev/null
check "stormtop still running after the slowloris" "[ $? -eq 0 ]"
stop

# --- record mode serves it too -----------------------------------------------
start record -o "$dir/r.rec" -d 0.25
curl -s "$URL" >"$dir/rec.m"
check "record --prometheus serves /metrics" "grep -q '^stormtop_frames_total' $dir/rec.m"
stop
check "and the recording is intact" "\"$BIN\" dump $dir/r.rec --format csv | head -2 | grep -q ."

# --- an attached app: its latency histogram and jitter -----------------------
STORMPROBE_DIR=$dir tools/dispatch-sim -n prom-sim -c 0 -t 8 >/dev/null 2>&1 &
sim=$!; pids="$pids $sim"
wait_file "$dir/stormprobe.prom-sim"
STORMPROBE_DIR=$dir start -b -d 0.25 --attach prom-sim
sleep 2
curl -s "$URL" >"$dir/app.m"
count=$(value stormtop_app_latency_seconds_count "$dir/app.m")
inf=$(awk '$1 == "stormtop_app_latency_seconds_bucket{le=\"+Inf\"}" { print $2 }' "$dir/app.m")
check "the app's latencies as a histogram (count ${count:-none})" "[ \"${count:-0}\" -gt 0 ] && [ \"$inf\" = \"$count\" ]"
check "buckets never fall as the bound rises" "awk -F'[ ]' '/^stormtop_app_latency_seconds_bucket/ { if (\$2 < last) bad = 1; last = \$2 } END { exit bad }' $dir/app.m"
check "the app is up and CPU 0 has a dispatch-jitter p99" \
	"grep -q '^stormtop_app_up{app=\"prom-sim\"} 1' $dir/app.m && grep -q '^stormtop_cpu_dispatch_jitter_p99_seconds{cpu=\"0\",node=\"0\"}' $dir/app.m" "$(grep app_ $dir/app.m | head)"
out=$(promtool check metrics <"$dir/app.m" 2>&1)
check "promtool clean with an attached app" "[ -z \"\$out\" ]" "$out"
stop
kill "$sim" 2>/dev/null; wait "$sim" 2>/dev/null

# --- a port in use --------------------------------------------------------
start -b -d 0.5
err=$("$BIN" -b -n 1 --prometheus "127.0.0.1:$PORT" 2>&1 >/dev/null); rc=$?
check "a port in use -> exit 1, one line" "[ $rc -eq 1 ] && [ \$(wc -l <<<\"\$err\") -eq 1 ] && grep -q 'in use' <<<\"\$err\"" "rc=$rc $err"
stop

summary prom_test
