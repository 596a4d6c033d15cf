#!/bin/bash
# The live TUI in tmux: layout at two sizes, resize down to "too small" and
# back, quit with q, and the heatmap rising on the CPU churn targets.
set -u
export LC_ALL=C.UTF-8
cd "$(dirname "$0")/.."
. tests/lib.sh

# True when no line of stdin is wider than $1 characters (not bytes).
fits() {
	local line
	while IFS= read -r line; do [ "${#line}" -le "$1" ] || return 1; done
}

layout_at() {
	local w=$1 h=$2 s screen
	s="l${w}x$h"
	tm_start "$s" "$w" "$h" "$BIN -d 0.2"
	tm_wait "$s" 'cpu1 .*[·░▒▓█]{3}' 5
	screen=$(tm_cap "$s")
	check "${w}x$h: header names host and CPUs" "grep -q 'stormtop .*CPUs [0-9]*/[0-9]* .*every' <<<\"\$screen\"" "$screen"
	check "${w}x$h: heatmap title" "grep -q 'TLB shootdown IPIs received per CPU' <<<\"\$screen\""
	check "${w}x$h: node and CPU labels" "grep -q '^node 0' <<<\"\$screen\" && grep -q '^ cpu0 ' <<<\"\$screen\" && grep -q '^ cpu1 ' <<<\"\$screen\""
	check "${w}x$h: heat cells fill in" "grep -Eq '^ cpu0 +.*[·░▒▓█]{3}' <<<\"\$screen\""
	check "${w}x$h: legend with thresholds" "grep -q 'per core /s:.*<5.*5-20.*20-200.*>=200' <<<\"\$screen\""
	check "${w}x$h: system strip" "grep -q 'TLB .*CAL .*RES .*LOC' <<<\"\$screen\""
	check "${w}x$h: unavailable sources say why" "grep -q 'schedstat: \|ok: .*schedstat' <<<\"\$screen\""
	check "${w}x$h: no line wider than the terminal" "fits $w <<<\"\$screen\""
	tm send-keys -t "$s" q
	check "${w}x$h: q quits with status 0" "tm_wait $s 'EXITED 0' 5" "$(tm_cap $s)"
}

resize() {
	local s=rs
	tm_start "$s" 100 30 "$BIN -d 0.2"
	tm_wait "$s" 'cpu1' 5
	tm resize-window -t "$s" -x 20 -y 6
	check "20x6: too-small message" "tm_wait $s '^terminal too small' 5 && tm_wait $s '^\\(need 40x10\\)' 1" "$(tm_cap $s)"
	tm resize-window -t "$s" -x 300 -y 90
	check "300x90: heatmap back after growing" "tm_wait $s '^ cpu1 ' 5" "$(tm_cap $s)"
	tm resize-window -t "$s" -x 80 -y 24
	check "80x24: still running after resizes" "tm_wait $s '^ cpu0 ' 5"
	tm send-keys -t "$s" '+'
	check "+ lengthens the interval" "tm_wait $s 'every 0.5s' 3"
	tm send-keys -t "$s" ' '
	check "space pauses" "tm_wait $s 'PAUSED' 3"
	tm send-keys -t "$s" '-'
	check "- shortens it again, still paused" "tm_wait $s 'every 0.2s .*PAUSED' 3"
	tm send-keys -t "$s" q
	check "clean exit after resizes (ASan/UBSan quiet)" "tm_wait $s 'EXITED 0' 5" "$(tm_cap $s)"
}

storm_rises_and_falls() {
	local s=st screen row ncpu
	ncpu=$(getconf _NPROCESSORS_ONLN)
	if [ "$ncpu" -lt 2 ]; then skip "storm heatmap: needs 2 CPUs"; return; fi
	tm_start "$s" 100 24 "$BIN -d 0.25"
	tm_wait "$s" 'cpu1' 5
	tools/churn -c 1 -m 0 -t 3 -b 1,1 -q >/dev/null
	sleep 1
	screen=$(tm_cap "$s")
	row=$(grep '^ cpu1 ' <<<"$screen" | cut -c10-)
	check "storm: target CPU hot (>=200/s) during bursts" "grep -q '█' <<<\"\$row\"" "$screen"
	check "storm: cold between and after bursts" "grep -Eq '█[^█]*·[^█]*█' <<<\"\$row\" && grep -Eq '█[^█]*·+ +[0-9.]+ *$' <<<\"\$row\"" "$screen"
	row=$(grep '^ cpu0 ' <<<"$screen" | cut -c10-)
	check "storm: the mutator's CPU stays cool" "! grep -q '█' <<<\"\$row\"" "$screen"
	tm send-keys -t "$s" q
}

# The eBPF views, live: the process table names churn as the sender, the
# heatmap keys switch metrics, s moves the sort, and stormtop reports
# sending no shootdowns itself.
bpf_views() {
	local s=bv screen
	if [ "$(id -u)" -ne 0 ]; then
		[ "${CI:-}" = true ] && { bad "eBPF views: CI must run as root"; return; }
		skip "eBPF views: need root"; return
	fi
	tm_start "$s" 120 30 "$BIN -d 0.25"
	tm_wait "$s" 'cpu1' 5
	tools/churn -c 1 -m 0 -t 3 -q >/dev/null &
	check "table: churn is the top sender" "tm_wait $s '^ +[0-9]+ churn +[0-9.]+k' 3" "$(tm_cap $s)"
	check "table: header with the sort column" "grep -q 'PID COMM .*SENT/s.*IPIS/s.*MUNMAP/s' <<<\"\$(tm_cap $s)\""
	tm send-keys -t "$s" 2
	check "2: IPIs sent heatmap" "tm_wait $s '^2 TLB shootdown IPIs sent per CPU' 2"
	sleep 0.6
	screen=$(tm_cap "$s")
	check "2: the mutator's CPU is the hot sender" "grep -q '^ cpu0 .*█' <<<\"\$screen\" && ! grep -q '^ cpu1 .*█' <<<\"\$screen\"" "$screen"
	tm send-keys -t "$s" 3
	check "3: IPI tax heatmap in us/s" "tm_wait $s '^3 IPI tax.*\\(us/s\\)' 2 && tm_wait $s 'per core us/s:' 1"
	tm send-keys -t "$s" 5
	check "5: run-queue p99 heatmap" "tm_wait $s '^5 run-queue delay p99 per CPU' 2"
	tm send-keys -t "$s" 4
	check "4: IOMMU heatmap" "tm_wait $s '^4 IOMMU map/unmap' 2"
	check "cost line: stormtop sends no shootdowns itself" "tm_wait $s 'stormtop itself: cpu .*bpf .* ns/event  own TLB shootdowns 0' 2" "$(tm_cap $s)"
	wait
	tm send-keys -t "$s" q
	check "eBPF views: clean exit" "tm_wait $s 'EXITED 0' 5" "$(tm_cap $s)"
}

# A copied tree has no kernel: the eBPF heatmaps say so instead of drawing.
bpf_views_unavailable() {
	local s=bu
	tm_start "$s" 100 24 "$BIN -d 0.2 --root tests/fixtures/root-64cpu-2node"
	tm_wait "$s" 'cpu0 ' 5
	tm send-keys -t "$s" 2
	check "--root: IPIs sent unavailable, with why" "tm_wait $s '^2 TLB shootdown IPIs sent: unavailable \\(off: reading a copied tree' 2" "$(tm_cap $s)"
	tm send-keys -t "$s" 1
	check "--root: 1 brings the received heatmap back" "tm_wait $s '^1 TLB shootdown IPIs received per CPU' 2"
	tm send-keys -t "$s" q
}

# 64 CPUs on 2 nodes (a fixture tree) in 80x24: nothing is dropped silently,
# the rows say which part is shown, and scrolling reaches every CPU.  The
# heatmap shows 13 rows there (the regime strips and log take 4), and a
# page moves 12.
many_cpus_scroll() {
	local s=many screen
	tm_start "$s" 80 24 "$BIN -d 0.2 --root tests/fixtures/root-64cpu-2node"
	tm_wait "$s" 'cpu0 ' 5
	screen=$(tm_cap "$s")
	check "64 CPUs: header counts all of them" "grep -q 'CPUs 64/64  nodes 2' <<<\"\$screen\"" "$screen"
	check "64 CPUs: says which rows are shown" "grep -q 'rows 1-13 of 66' <<<\"\$screen\"" "$screen"
	check "64 CPUs: title and row range side by side" "grep -q '^1 TLB shootdown IPIs .*  rows 1-13 of 66\$' <<<\"\$screen\"" "$screen"
	tm send-keys -t "$s" NPage
	check "PgDn: the next page, the last row kept for context" "tm_wait $s 'rows 13-25 of 66' 3 && tm_wait $s '^ cpu2[0-2] ' 1" "$(tm_cap $s)"
	tm send-keys -t "$s" End
	check "End: node 1 and the last CPU" "tm_wait $s 'rows 54-66 of 66' 3 && tm_wait $s '^ cpu63 ' 1" "$(tm_cap $s)"
	tm send-keys -t "$s" Home
	check "Home: back to the top" "tm_wait $s 'rows 1-13 of 66' 3"
	for _ in $(seq 1 40); do tm send-keys -t "$s" Down; done
	check "Down x40: row 41 on top, no gap" "tm_wait $s 'rows 41-53 of 66' 3" "$(tm_cap $s)"
	tm send-keys -t "$s" q
	check "64 CPUs: clean exit" "tm_wait $s 'EXITED 0' 5" "$(tm_cap $s)"
}

command -v tmux >/dev/null || { echo "SKIP: tmux missing"; summary tui; exit 0; }
# An app attached from the command line and one with the a key: the panel,
# its series, the jitter heatmap (key 6), and an app that is not there yet.
attached_apps() {
	local s=ap dir sim screen
	dir=$(mktemp -d)
	STORMPROBE_DIR=$dir tools/dispatch-sim -n tui-sim -c 0 -t 30 >/dev/null 2>&1 &
	sim=$!
	tm_start "$s" 160 45 "STORMPROBE_DIR=$dir $BIN -d 0.25 --attach tui-sim --attach later"
	check "app panel: the app, ok, with its state block" "tm_wait $s 'apps  tui-sim ok \\[dispatching\\]' 5" "$(tm_cap $s)"
	check "app panel: a missing app waits and says why" "tm_wait $s 'later waiting \\(no segment .*stormprobe.later yet\\)' 2" "$(tm_cap $s)"
	check "app panel: series with N and quantiles" "tm_wait $s 'decision->send cpu0 +lat +cpu0 +N [0-9]+ +p50 [0-9.]+[nu]s' 3" "$(tm_cap $s)"
	check "app panel: p99 strip and the latency shapes (now, clean, bursts)" "tm_wait $s '^ app p99 ' 1 && tm_wait $s '^ now .*this tick: p50' 1 && tm_wait $s '^ clean .*clean baseline: p99' 1 && tm_wait $s '^ bursts .*TLB bursts: p99' 1"
	tm send-keys -t "$s" 6
	check "key 6: dispatch jitter heatmap from the phase series" "tm_wait $s '^6 dispatch jitter p99' 2 && tm_wait $s '^ cpu0 .*[0-9]' 2" "$(tm_cap $s)"
	STORMPROBE_DIR=$dir tools/dispatch-sim -n keyed -c 0 -t 30 >/dev/null 2>&1 &
	sleep 0.3
	tm send-keys -t "$s" a
	check "a: prompt lists the segments" "tm_wait $s '^attach \\(.*keyed.*\\):' 3" "$(tm_cap $s)"
	tm send-keys -t "$s" keyed Enter
	check "a: the typed app joins the panel" "tm_wait $s 'keyed ok' 3" "$(tm_cap $s)"
	kill %2 2>/dev/null
	kill $sim 2>/dev/null
	check "a killed writer shows as gone" "tm_wait $s 'tui-sim (gone|waiting)' 5" "$(tm_cap $s)"
	tm send-keys -t "$s" q
	check "attached: clean exit (ASan/UBSan quiet)" "tm_wait $s 'EXITED 0' 5" "$(tm_cap $s)"
	wait 2>/dev/null
	rm -rf "$dir"
}

layout_at 80 24
layout_at 200 60
attached_apps
resize
many_cpus_scroll
storm_rises_and_falls
bpf_views
bpf_views_unavailable
summary tui
