#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# contrib/grafana/stormtop.json: every panel query, run against a real
# Prometheus scraping a live stormtop while tools/churn bursts and
# tools/dispatch-sim is attached, returns data; the recording rules load
# in that Prometheus and answer too.  The churn process must show up among
# the top senders and cpu1 (its target) must carry TLB IPIs.
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh
TMP=$(mktemp -d)
pids=""
cleanup() { for p in $pids; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$TMP"; tm_cleanup; }
trap cleanup EXIT
D=contrib/grafana/stormtop.json

check "the dashboard is valid JSON with 5 panels" "[ \$(jq '.panels | length' $D 2>/dev/null) -eq 5 ]"
for need in prometheus jq curl; do
	command -v $need >/dev/null || { skip "dashboard: no $need (scripts/deps.sh test)"; summary dashboard; exit 0; }
done
if [ "$(id -u)" -ne 0 ]; then
	skip "dashboard: the eBPF figures (senders, run-queue p99) need root"
	summary dashboard; exit 0
fi
if [ "$(grep -c '^cpu[0-9]' /proc/stat)" -lt 2 ]; then
	skip "dashboard: churn needs 2 CPUs"; summary dashboard; exit 0
fi

app=dashtest$$
tools/dispatch-sim -n "$app" -c 0 -t 60 >/dev/null 2>&1 &
pids="$pids $!"
"$BIN" -b -d 0.5 --attach "$app" --prometheus 127.0.0.1:0 >/dev/null 2>"$TMP/st.err" </dev/null &
pids="$pids $!"
for i in $(seq 100); do URL=$(grep -o 'http://[^ ]*/metrics' "$TMP/st.err") && break; sleep 0.1; done
target=${URL#http://}; target=${target%/metrics}
pport=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cp contrib/prometheus/stormtop.rules.yml "$TMP/"
cat >"$TMP/prometheus.yml" <<YML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files: [stormtop.rules.yml]
scrape_configs:
  - job_name: stormtop
    static_configs:
      - targets: ['$target']
YML
prometheus --config.file="$TMP/prometheus.yml" --storage.tsdb.path="$TMP/data" \
	--web.listen-address=127.0.0.1:$pport >"$TMP/prom.log" 2>&1 &
pids="$pids $!"
tools/churn -c 1 -m 0 -b 2,1 -t 30 -q >/dev/null 2>&1 &
CHURN=$!; pids="$pids $CHURN"
q() { curl -s --max-time 3 "http://127.0.0.1:$pport/api/v1/query" --data-urlencode "query=$1"; }
for i in $(seq 60); do # Prometheus up and two scrapes in
	[ "$(q 'count_over_time(up{job="stormtop"}[20s])' | jq -r '.data.result[0].value[1]' 2>/dev/null)" -ge 8 ] 2>/dev/null && break
	sleep 0.5
done
# Grafana's variables as it would fill them for this one host
jq -r '.panels[] | .title as $t | .targets[] | "\($t)\t\(.expr)"' $D >"$TMP/queries"
while IFS=$'\t' read -r title expr; do
	e=${expr//\$__rate_interval/5s}; e=${e//\$instance/.*}
	n=$(q "$e" | jq '.data.result | length' 2>/dev/null)
	check "panel '$title': ${n:-0} series for $(cut -c1-60 <<<"$e")" "[ \"${n:-0}\" -gt 0 ]" "$(q "$e" | head -c 400)"
done <"$TMP/queries"
senders=$(q 'topk(10, sum by (pid, comm) (rate(stormtop_process_tlb_ipis_sent_total[10s])))' | jq -r '.data.result[] | "\(.metric.pid)"')
check "churn (pid $CHURN) is among the top senders" "grep -qx '$CHURN' <<<\"\$senders\"" "$senders"
cpu1=$(q 'rate(stormtop_cpu_interrupts_total{kind="TLB",cpu="1"}[10s])' | jq -r '.data.result[0].value[1]')
check "cpu1, churn's target, receives TLB IPIs ($cpu1/s)" "awk -v r='${cpu1:-0}' 'BEGIN { exit !(r > 10) }'"
for r in $(grep -o 'record: [^ ]*' contrib/prometheus/stormtop.rules.yml | cut -d' ' -f2); do
	n=$(q "$r" | jq '.data.result | length' 2>/dev/null)
	check "recording rule $r answers (${n:-0} series)" "[ \"${n:-0}\" -gt 0 ]"
done
summary dashboard
