#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Untrusted text end to end (docs/TEXT.md): a recording full of escapes, C0
# and invalid UTF-8 (tests/fixtures/rec/escape-strings-c0-c1-invalid-utf8.rec)
# through dump, drill and play; Ctrl-L; TERM=dumb; and, as root, processes
# named with CJK, a C1 control, bytes that are not UTF-8 and a newline,
# shown in the TUI, recorded, dumped, played and served on /metrics.  The
# references are Python's strict decoder, json, csv and unicodedata
# (tests/textcheck.py), promtool, and the bytes tmux received.
set -u
export LC_ALL=C.UTF-8
cd "$(dirname "$0")/.."
. tests/lib.sh

REC=tests/fixtures/rec/escape-strings-c0-c1-invalid-utf8.rec
CHURN=${STORMTOP_CHURN:-tools/churn}
dir=$(mktemp -d)
pids=""
cleanup() { for p in $pids; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$dir"; tm_cleanup; }
trap cleanup EXIT
tc() { python3 tests/textcheck.py "$@"; }
command -v python3 >/dev/null || { skip "text: python3 missing (the reference decoder)"; summary text; exit 0; }
command -v tmux >/dev/null || { skip "text: tmux missing"; summary text; exit 0; }

# --- the hostile recording through the machine formats --------------------
"$BIN" dump "$REC" --format json >"$dir/d.json" 2>"$dir/d.err"
out=$(tc jsonl "$dir/d.json" 2>&1)
check "dump json: strict UTF-8 JSON on every line" '[ -z "$out" ]' "$out"
check "dump json: no raw control byte, no 0xff" "! LC_ALL=C grep -q \$'[\\x01-\\x09\\x0b-\\x1f\\x7f\\xff]' $dir/d.json"
out=$(tc escrec "$dir/d.json" 2>&1)
check "dump json: escapes read back as recorded, invalid bytes as U+FFFD" '[ -z "$out" ]' "$out"
"$BIN" dump "$REC" --format csv >"$dir/d.csv"
out=$(tc csv "$dir/d.csv" 2>&1)
check "dump csv: Python's csv reads every row as wide as the header" '[ -z "$out" ]' "$out"
"$BIN" drill "$REC" --format json >"$dir/dr.json"
out=$(tc jsonl "$dir/dr.json" 2>&1)
check "drill json: strict UTF-8 JSON" '[ -z "$out" ]' "$out"
"$BIN" drill "$REC" >"$dir/dr.txt" 2>&1
check "drill text: no control byte but newlines" "! LC_ALL=C grep -q \$'[\\x01-\\x09\\x0b-\\x1f\\x7f]' $dir/dr.txt" "$(cat -v "$dir/dr.txt")"

# --- play: what the terminal receives ---------------------------------------
# pipe-pane keeps every byte the pane got: only our own CSI sequences may
# hold ESC, and no C1 control (U+009B CSI, U+009D OSC, U+009C ST) at all.
play_views() {
	local s=pv
	tm_start "$s" 160 48 "$BIN play $REC"
	tm pipe-pane -t "$s" -o "cat >>$dir/play.raw"
	tm_wait "$s" 'PLAY escape-strings' 5
	for k in p 0 Enter y 6 0; do tm send-keys -t "$s" "$k"; sleep 0.3; done
	tm pipe-pane -t "$s"
	check "play: the host's escapes shown as U+FFFD, in the header" "tm_wait $s '^stormtop  �\\[2J�\\]0;pwned��\\[31mEVIL ' 1" "$(tm_cap $s | head -3)"
	check "play: and in the apps line" "tm_wait $s '^apps  �\\[2J�\\]0;pwned��\\[31mEVIL ok \\[�\\]2\\]' 1" "$(tm_cap $s | grep apps)"
	out=$(tc raw "$dir/play.raw" 2>&1)
	check "play: the terminal got no control but our CSI sequences, no C1, strict UTF-8" '[ -z "$out" ]' "$out"
	# another program writes on the terminal: the diff cannot know, Ctrl-L repaints
	tm send-keys -t "$s" z
	sleep 0.3
	printf '\033[6;30HSTALE-GARBAGE' >"$(tm display -p -t "$s" '#{pane_tty}')"
	check "garbage written behind stormtop's back stays while paused" "tm_wait $s 'STALE-GARBAGE' 2 && sleep 0.6 && tm_wait $s 'STALE-GARBAGE' 1"
	tm send-keys -t "$s" C-l
	check "Ctrl-L repaints: the garbage is gone, the screen is whole" "! tm_wait $s 'STALE-GARBAGE' 1 && tm_wait $s '^apps  �' 1 && tm_wait $s '^F1Help' 1" "$(tm_cap $s)"
	tm send-keys -t "$s" q
	check "play: clean exit" "tm_wait $s 'EXITED 0' 5" "$(tm_cap $s)"
}
play_views

# --- a terminal that cannot move the cursor ---------------------------------
dumb() {
	local s=dt
	tm_start "$s" 100 10 "TERM=dumb $BIN -n 2"
	tm pipe-pane -t "$s" -o "cat >>$dir/dumb.raw"
	check "TERM=dumb: a one-line error pointing at -b, exit 1" "tm_wait $s '^stormtop: the terminal \\(TERM=dumb\\) cannot move the cursor \\(use -b for text output\\)' 5 && tm_wait $s 'EXITED 1' 2" "$(tm_cap $s)"
	check "TERM=dumb: no cursor escape sent" "! grep -q \$'\\033\\\\[' $dir/dumb.raw" "$(cat -v $dir/dumb.raw | head -3)"
	tm_start dt2 100 10 "env -u TERM $BIN -n 2"
	check "TERM unset: the same error" "tm_wait dt2 'TERM=unset\\) cannot move the cursor' 5 && tm_wait dt2 'EXITED 1' 2" "$(tm_cap dt2)"
}
dumb

# --- live: processes that name themselves --------------------------------
names=("同步测试" "x2_$(printf '\302\233')31mC1" "bad$(printf '\377\376')q" "q\"b\\,"$'\n'"z")
want=('\u540c\u6b65\u6d4b\u8bd5' 'x2_\x9b31mC1' 'bad\ufffd\ufffdq' 'q"b\\,\nz')
# start the four for $1 seconds; sets HPIDS
hostile() {
	HPIDS=""
	for n in "${names[@]}"; do
		mkdir -p "$dir/bin"
		cp "$CHURN" "$dir/bin/$n"
		"$dir/bin/$n" -c 1 -m 0 -r 3000 -t "$1" -q >/dev/null 2>&1 &
		HPIDS="$HPIDS $!"; pids="$pids $!"
	done
}

live_tui() {
	local s=wc i
	tm_start "$s" 120 40 "$BIN -d 0.5"
	tm_wait "$s" 'cpu1' 5
	tm send-keys -t "$s" p
	hostile 4
	tm pipe-pane -t "$s" -o "cat >>$dir/live.raw"
	for i in $(seq 1 30); do
		tm_cap "$s" >"$dir/live.txt"
		tc columns "$dir/live.txt" $HPIDS >/dev/null && break
		sleep 0.2
	done
	out=$(tc columns "$dir/live.txt" $HPIDS 2>&1)
	check "live: each hostile name's FLUSHREQ/s under the header, counted in cells" '[ -z "$out" ]' "$out
$(cat "$dir/live.txt")"
	check "live: CJK kept, C1 and bad bytes shown as U+FFFD" \
		"grep -q ' 同步测试 ' $dir/live.txt && grep -q ' x2_�31mC1 ' $dir/live.txt && grep -q ' bad��q ' $dir/live.txt && grep -q ' q\"b\\\\,�z ' $dir/live.txt" "$(cat $dir/live.txt)"
	wait $HPIDS 2>/dev/null
	tm pipe-pane -t "$s"
	out=$(tc raw "$dir/live.raw" 2>&1)
	check "live: the terminal got no C1, no stray control" '[ -z "$out" ]' "$out"
	for i in $(seq 1 30); do
		tm_cap "$s" | grep -Eq '同步|31mC1|bad��q|q"b' || break
		sleep 0.2
	done
	check "live: nothing of them left on the screen after they exit" "! tm_cap $s | grep -Eq '同步|31mC1|bad��q|q\"b'" "$(tm_cap $s)"
	tm send-keys -t "$s" q
	check "live: clean exit" "tm_wait $s 'EXITED 0' 5" "$(tm_cap $s)"
}

live_record_and_metrics() {
	local url i p re args=()
	hostile 30 # outlives the record on a slow host; killed after it
	"$BIN" -b -d 0.25 -n 40 --prometheus 127.0.0.1:0 >/dev/null 2>"$dir/prom.err" &
	p=$!; pids="$pids $p"
	re=$(echo $HPIDS | tr ' ' '|')
	for i in $(seq 1 40); do # until all four are among the named processes
		url=$(grep -o 'http://[^ ]*/metrics' "$dir/prom.err") && curl -sf "$url" >"$dir/m" &&
			[ "$(grep -Ec "^stormtop_process_tlb_flushes_total\{pid=\"($re)\"" "$dir/m")" -ge 4 ] && break
		sleep 0.2
	done
	kill $p 2>/dev/null
	"$BIN" record -o "$dir/h.rec" -d 0.25 --duration 2.5 2>/dev/null
	kill $HPIDS 2>/dev/null
	wait $HPIDS 2>/dev/null
	"$BIN" dump "$dir/h.rec" --format json >"$dir/h.json"
	out=$(tc jsonl "$dir/h.json" 2>&1)
	check "record + dump json: strict UTF-8 JSON" '[ -z "$out" ]' "$out"
	set -- $HPIDS
	for i in 0 1 2 3; do args+=("$1=${want[$i]}"); shift; done
	out=$(tc comms "$dir/h.json" "${args[@]}" 2>&1)
	check "dump json: each comm reads back (C1 as \\u009b, bad bytes as U+FFFD, newline escaped)" '[ -z "$out" ]' "$out"
	tm_start hp 120 40 "$BIN play $dir/h.rec"
	tm pipe-pane -t hp -o "cat >>$dir/hplay.raw"
	tm_wait hp 'PLAY h.rec' 5
	tm send-keys -t hp p
	sleep 0.5
	tm pipe-pane -t hp
	tm send-keys -t hp q
	tm_wait hp 'EXITED' 3
	out=$(tc raw "$dir/hplay.raw" 2>&1)
	check "play of it: no C1 reached the terminal" '[ -z "$out" ]' "$out"
	if command -v promtool >/dev/null; then
		out=$(promtool check metrics <"$dir/m" 2>&1); rc=$?
		check "/metrics with the hostile comms: promtool check metrics clean ($(grep -c . "$dir/m") lines)" '[ $rc -eq 0 ] && [ -z "$out" ]' "$out"
	else
		skip "promtool: not installed (Debian package prometheus)"
	fi
	check "/metrics: label values escaped, C1 and bad bytes as U+FFFD" \
		"grep -q 'comm=\"同步测试\"' $dir/m && grep -q 'comm=\"x2_�31mC1\"' $dir/m && grep -q 'comm=\"bad��q\"' $dir/m && grep -qF 'comm=\"q\\\"b\\\\,\\nz\"' $dir/m" \
		"$(grep -o 'comm="[^,]*' $dir/m | sort -u | head -20)"
}

if [ "$(id -u)" -ne 0 ]; then
	skip "hostile process names live: need root for the eBPF process table"
elif ! command -v python3 >/dev/null; then
	skip "hostile process names live: python3 missing"
else
	live_tui
	live_record_and_metrics
fi
summary text
