#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Recording, playback and dump through the binary: a live recording of
# tools/churn bursts, dumped to CSV and JSON and read back; the playback
# keys in tmux; following a file being written; bad files and a full disk.
set -u
export LC_ALL=C.UTF-8
cd "$(dirname "$0")/.."
. tests/lib.sh
dir=$(mktemp -d)
trap 'tm_cleanup; umount "$dir/full" 2>/dev/null; rm -rf "$dir"' EXIT

# A recording of three churn bursts on CPU 1, 0.25 s per frame.  churn
# starts once the recorder has taken frames, from a copy whose name is not
# UTF-8 (a process name can be any bytes); as root perf counts the flushes
# run in IPIs on churn's own touchers (tlb_flush reason 1), all on CPU 1.
churn=$dir/churn$'\xff'
cp tools/churn "$churn"
$BIN record -o "$dir/s.rec" -d 0.25 --duration 8 2>"$dir/rec.err" &
rec=$!
wait_grown "$dir/s.rec" 2 20
if [ "$(id -u)" -eq 0 ] && command -v perf >/dev/null; then
	perf stat -x, -e tlb:tlb_flush --filter 'reason == 1' -o "$dir/own" -- "$churn" -c 1 -m 0 -t 5 -b 1,1 -q >/dev/null
	own=$(awk -F, '/tlb:tlb_flush/ { print $1 }' "$dir/own")
else
	"$churn" -c 1 -m 0 -t 5 -b 1,1 -q >/dev/null
	own=""
fi
wait $rec
frames=$(grep -Eo "^stormtop: [0-9]+ frames in $dir/s.rec" "$dir/rec.err" | grep -Eo '[0-9]+' | head -1)
# 32 ticks of 0.25 s; a busy host may delay some, never add any
check "record: exits 0 and says how many frames (${frames:-none})" "[ \"\${frames:-0}\" -ge 20 ] && [ \"\${frames:-0}\" -le 34 ]" "$(cat $dir/rec.err)"

# dump csv: one row per frame and CPU, stable header, the bursts on cpu1
$BIN dump "$dir/s.rec" --format csv >"$dir/s.csv" 2>"$dir/dump.err"
check "dump csv: header names the columns" "head -1 $dir/s.csv | grep -q '^seq,wall_ns,time,interval_ns,cpu,online,node,fresh,tlb,cal,'" "$(head -2 $dir/s.csv)"
check "dump csv: a row per frame and CPU" "[ \$((\$(wc -l <$dir/s.csv) - 1)) -eq \$((\$(grep -Eo '^stormtop: [0-9]+' $dir/rec.err | grep -Eo '[0-9]+') * $(getconf _NPROCESSORS_CONF))) ]"
cpu1=$(awk -F, 'NR > 1 && $5 == 1 { s += $9 } END { print s + 0 }' "$dir/s.csv")
if [ -n "$own" ]; then
	# churn ran inside the recording, so cpu1's frames hold every IPI its
	# touchers took, whatever else the host sent there (but two at most
	# its main thread took on CPU 0 as a toucher exited)
	check "dump csv: cpu1 got churn's storm ($cpu1 TLB IPIs recorded, churn's touchers took $own)" \
		"[ $own -gt 50 ] && [ $((cpu1 + 2)) -ge $own ]"
else
	check "dump csv: cpu1 got churn's storm ($cpu1 TLB IPIs recorded)" "[ $cpu1 -gt 50 ]"
fi
# json lines: every line parses, and carries the same numbers as the csv
$BIN dump "$dir/s.rec" --format json >"$dir/s.json"
check "dump json: lines parse and match the csv" "python3 - $dir/s.json $dir/s.csv <<'PY'
import csv, json, sys
rows = {(int(r['seq']), int(r['cpu'])): r for r in csv.DictReader(open(sys.argv[2]))}
n = 0
for line in open(sys.argv[1]):
    f = json.loads(line)
    for c in f['cpus']:
        r = rows[(f['seq'], c['cpu'])]
        assert int(r['tlb']) == c['tlb'] and int(r['rq_p99_ns']) == c['rq_p99_ns'], (r, c)
        n += 1
    assert f['status']['interrupts']['state'] == 'ok'
assert n == len(rows), (n, len(rows))
PY"
if [ "$(id -u)" -eq 0 ]; then
	check "dump json: a process name that is not UTF-8 comes out with U+FFFD" \
		"python3 -c 'import json,sys; sys.exit(not any(p.get(\"comm\") == \"churn\\ufffd\" for l in open(sys.argv[1]) for p in json.loads(l).get(\"procs\") or []))' $dir/s.json" "$(grep -o '\"comm\":\"[^\"]*\"' $dir/s.json | sort | uniq -c | head)"
else
	skip "dump json: process names need root for the eBPF collector"
fi
t0=$(awk -F, 'NR==4 {print $3}' $dir/s.csv | cut -c12-19)
$BIN dump "$dir/s.rec" --from "$t0" --cpus 1 --metrics tlb,rq_p99_ns >"$dir/from.csv"
check "dump --from --cpus --metrics: later frames, one CPU, two columns" \
	"head -1 $dir/from.csv | grep -qx 'seq,wall_ns,time,interval_ns,cpu,tlb,rq_p99_ns' && awk -F, 'NR>1 && \$5!=1 {exit 1}' $dir/from.csv && [ \$(wc -l <$dir/from.csv) -lt \$(grep -c ',1,' $dir/s.csv) ]" "$(head -3 $dir/from.csv)"

# playback keys.  Where n lands is computed from the recording itself:
# the first frame after the cursor with some core at or above the red
# threshold and none in the frame before.  The threshold is set halfway
# up the recording's hottest rates, so there are bursts to find however
# much the rest of the host stormed while it was made.
read -r crit want < <(awk -F, 'NR > 1 {
	if ($1 != seq) { n++; seq = $1; hot[n] = 0 }
	if ($4 > 0 && $6 == 1 && $8 == 0 && $9 * 1e9 / $4 > hot[n]) hot[n] = $9 * 1e9 / $4
} END {
	lo = -1; for (i = 2; i <= n; i++) { if (lo < 0 || hot[i] < lo) lo = hot[i]; if (hot[i] > hi) hi = hot[i] }
	c = int((lo + hi) / 2); if (c < 2) c = 2
	want = 2; prev = hot[2] >= c
	for (i = 3; i <= n; i++) { h = hot[i] >= c; if (h && !prev) { want = i; break } prev = h }
	print c, want }' "$dir/s.csv")
s=play
tm_start "$s" 160 24 "$BIN play $dir/s.rec --thresholds $((crit / 2)),$crit"
check "play: header shows the position" "tm_wait $s 'PLAY s.rec [0-9]+/$frames ' 5" "$(tm_cap $s)"
tm send-keys -t "$s" 1 # the TLB heatmap alone: its value ends the row
tm send-keys -t "$s" ' '
tm send-keys -t "$s" '{'
check "play: { goes back to the first frame" "tm_wait $s 'PLAY s.rec 1/' 3" "$(tm_cap $s)"
tm send-keys -t "$s" t
check "play: t steps one frame" "tm_wait $s 'PLAY s.rec 2/' 3" "$(tm_cap $s)"
tm send-keys -t "$s" t T
check "play: T steps back" "tm_wait $s 'PLAY s.rec 2/' 3" "$(tm_cap $s)"
tm send-keys -t "$s" n
check "play: n lands on the next burst's first frame ($want, red from $crit/s)" "tm_wait $s 'PLAY s.rec $want/' 3" "$(tm_cap $s)"
tm send-keys -t "$s" ']'
check "play: ] past the end stops at the last frame" "tm_wait $s 'PLAY s.rec ([0-9]+)/\\1 .* END' 3" "$(tm_cap $s)"
tm send-keys -t "$s" '+' '+'
check "play: + + doubles the speed twice" "tm_wait $s ' x4( |\$)' 3" "$(tm_cap $s)"
tm send-keys -t "$s" b
tm send-keys -t "$s" "$t0" Enter
check "play: b goes to a typed time" "tm_wait $s 'PLAY s.rec [0-9]+/[0-9]+ [0-9-]+ $t0 ' 3" "$(tm_cap $s)"
# j J: where the recorded states change (the dump's tlb/iommu regime
# against its _was), and a note in the key bar when there is none that way
moves=$($BIN dump "$dir/s.rec" --format json |
	jq -r '.tlb_regime != .tlb_regime_was or .iommu_regime != .iommu_regime_was' | grep -n true | cut -d: -f1 | grep -vx 1 | tr '\n' ' ')
first=${moves%% *}
tm send-keys -t "$s" '{' # still paused (t, T)
tm_wait "$s" 'PLAY s.rec 1/' 3
tm send-keys -t "$s" j
if [ -n "$first" ]; then
	check "play: j lands on the first recorded transition (frame $first of: $moves)" "tm_wait $s 'PLAY s.rec $first/' 3" "$(tm_cap $s)"
	tm send-keys -t "$s" J
	check "play: J before the first transition says there is none" "tm_wait $s 'no earlier regime transition in the recording' 3" "$(tm_cap $s)"
else
	check "play: j in a recording without transitions says so" "tm_wait $s 'no later regime transition in the recording' 3" "$(tm_cap $s)"
fi
tm send-keys -t "$s" '}' n
check "play: n past the last burst says there is none" "tm_wait $s 'no later TLB burst in the recording' 3" "$(tm_cap $s)"
tm send-keys -t "$s" q
check "play: q exits 0" "tm_wait $s 'EXITED 0' 5" "$(tm_cap $s)"

# following a file that is still being written (until the test stops it)
$BIN record -o "$dir/f.rec" -d 0.2 --duration 60 2>/dev/null &
rec=$!
wait_grown "$dir/f.rec" 2 20
s=follow
tm_start "$s" 110 24 "$BIN play $dir/f.rec"
tm_wait "$s" 'PLAY f.rec' 5
n1=$(tm_cap $s | grep -Eo 'PLAY f.rec [0-9]+/[0-9]+' | cut -d/ -f2)
sleep 2
n2=$(tm_cap $s | grep -Eo 'PLAY f.rec [0-9]+/[0-9]+' | cut -d/ -f2)
check "play: follows a file being written ($n1 -> $n2 frames)" "[ -n '$n1' ] && [ '${n2:-0}' -gt '${n1:-0}' ]"
tm send-keys -t "$s" q
kill -INT $rec; wait $rec

# kill -9 in the middle of recording: every frame written reads back
$BIN record -o "$dir/k.rec" -d 0.05 2>/dev/null &
rec=$!
wait_grown "$dir/k.rec" 15 30
kill -9 $rec; wait $rec 2>/dev/null
rows=$($BIN dump "$dir/k.rec" 2>"$dir/k.err" | wc -l)
check "kill -9: the recording reads back ($((rows - 1)) rows)" "[ $rows -gt $((10 * $(getconf _NPROCESSORS_CONF))) ]" "$(cat $dir/k.err)"

# w in the live UI starts and stops a recording, shown in the header
s=live
tm_start "$s" 160 24 "$BIN -d 0.1 -o $dir/w.rec"
tm_wait "$s" 'cpu0' 5
tm send-keys -t "$s" w
check "w: the header shows the recording" "tm_wait $s 'REC $dir/w.rec +[0-9]+ frames' 3" "$(tm_cap $s)"
tm_wait "$s" "REC $dir/w.rec +([89]|[1-9][0-9]+) frames" 10
tm send-keys -t "$s" w
check "w again: stopped, no longer shown" "tm_wait $s '^stormtop ' 2 && ! tm_cap $s | grep -q 'REC '" "$(tm_cap $s)"
tm_wait $s "recorded [0-9]+ frames to $dir/w.rec" 2
said=$(tm_cap $s | grep -Eo "recorded [0-9]+ frames to $dir/w.rec" | grep -Eo '[0-9]+' | head -1)
tm send-keys -t "$s" q
rows=$($BIN dump "$dir/w.rec" 2>/dev/null | wc -l)
check "w: the file holds what was shown ($((rows - 1)) rows)" "[ $rows -gt $((5 * $(getconf _NPROCESSORS_CONF))) ]"
check "w again: the key bar said the file's frame count (${said:-nothing})" \
	"[ -n '$said' ] && [ \$(($said * $(getconf _NPROCESSORS_CONF) + 1)) -eq $rows ]" "$(tm_cap $s)"

# an attached app is recorded: its series and the correlator in dump, its
# panel in playback
STORMPROBE_DIR=$dir tools/dispatch-sim -n rec-sim -c 0 -t 6 >/dev/null 2>&1 &
sim=$!
wait_file "$dir/stormprobe.rec-sim"
STORMPROBE_DIR=$dir $BIN record -o "$dir/app.rec" -d 0.25 --duration 2 --attach rec-sim 2>/dev/null
wait $sim
last=$($BIN dump "$dir/app.rec" --format json 2>/dev/null | tail -1)
check "record --attach: the app, its series and the correlator in the dump" \
	"jq -e '(.apps[0].name == \"rec-sim\") and (.apps[0].state == 1) and ([.series[] | select(.kind == 1 and .n > 0)] | length == 1) and ([.series[] | select(.kind == 2 and .p99_ns > 0)] | length == 1) and (.corr_window > 1) and (.cpus[0].jitter_n > 0)' <<<\"\$last\" >/dev/null" "$last"
# --jitter-probe: one wake-up a 1 ms grid step, so a tick of interval_ns
# holds at most interval_ns / 1 ms of them (a busy host loses some), and
# its label comes through whole
$BIN record -o "$dir/jit.rec" -d 0.25 --duration 2 --jitter-probe 0 2>/dev/null
last=$($BIN dump "$dir/jit.rec" --format json 2>/dev/null | tail -1)
check "record --jitter-probe: wake-ups per tick within the 1 ms grid's count, label whole" \
	"jq -e '(.series[0].n > (.interval_ns / 1e6) * 0.3) and (.series[0].n <= (.interval_ns / 1e6) + 1) and (.series[0].cpu == 0) and (.apps[0].name | startswith(\"stormtop-jitter.\")) and (.apps[0].mode_label | endswith(\"1 ms grid\"))' <<<\"\$last\" >/dev/null" "$(jq -c '{interval_ns, series, apps}' <<<"$last")"
s=pa
tm_start "$s" 140 40 "$BIN play $dir/app.rec"
check "play: the attached app's panel comes back" "tm_wait $s 'apps  rec-sim ok' 5 && tm_wait $s 'decision->send cpu0 +lat' 2" "$(tm_cap $s)"
tm send-keys -t "$s" q

# a torn tail: every frame before it plays, and the reader says so
cp "$dir/s.rec" "$dir/torn.rec"
truncate -s -9 "$dir/torn.rec"
out=$($BIN dump "$dir/torn.rec" 2>&1 >/dev/null)
check "torn tail: recovered, with a warning" "grep -q 'recovered [0-9]* frames; dropped a torn tail of' <<<\"\$out\"" "$out"

# bad files: one line, exit 1, no crash
: >"$dir/empty"; printf 'STORMREC' >"$dir/short"; head -c 100 /dev/urandom >"$dir/noise"; mkfifo "$dir/fifo"
for f in "$dir/empty:empty file" "$dir/short:truncated header" "$dir/noise:not a stormtop recording" \
	 "$dir:a directory" "/dev/zero:a character device" "$dir/fifo:a FIFO" "$dir/nope:No such file"; do
	path=${f%%:*} want=${f#*:}
	for mode in dump play; do
		out=$(timeout 5 $BIN $mode "$path" 2>&1 </dev/null); rc=$?
		check "$mode $(basename "$path"): '$want', exit 1" "[ $rc -eq 1 ] && [ \$(wc -l <<<\"\$out\") -eq 1 ] && grep -q '$want' <<<\"\$out\"" "rc=$rc $out"
	done
done

# a full disk stops the recorder with a clear error; the file stays readable
if [ "$(id -u)" -eq 0 ] && mkdir -p "$dir/full" && mount -t tmpfs -o size=64k tmpfs "$dir/full" 2>/dev/null; then
	out=$($BIN record -o "$dir/full/x.rec" -d 0.05 --duration 60 2>&1); rc=$?
	check "disk full: recorder stops, exit 1, says why" "[ $rc -eq 1 ] && grep -q 'No space left on device' <<<\"\$out\"" "rc=$rc $out"
	out=$($BIN dump "$dir/full/x.rec" 2>&1 >/dev/null; echo "rows=$($BIN dump "$dir/full/x.rec" 2>/dev/null | wc -l)")
	check "disk full: what was written reads back" "grep -Eq 'rows=[0-9]{2,}' <<<\"\$out\"" "$out"
else
	[ "${CI:-}" = true ] && bad "disk full: CI must run as root (tmpfs mount)"
	skip "disk full: needs root to mount a small tmpfs"
fi
summary rec
