#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Time selection on the recording's own timeline, through the binary, on
# the clock-step case: its wall clock stepped back 60 s after the 17th
# frame (seq 1-17 at 00:53:20.366-00:53:21.969 UTC, seq 18-40 at
# 00:52:22.066-00:52:24.266, hand-read from `dump --format json`).
set -u
export LC_ALL=C.UTF-8
cd "$(dirname "$0")/.."
. tests/lib.sh

rec=tests/fixtures/rec/step-back-60s.rec
work=$(mktemp -d)
trap 'tm_cleanup; rm -rf "$work"' EXIT

# dump in zone $1 with the rest as arguments: the seqs on stdout (one
# per frame), stderr in $work/err (but the empty columns' reasons),
# exit status in $work/rc
seqs() {
	local tz=$1; shift
	TZ=$tz "$BIN" dump "$rec" --format csv "$@" >"$work/out" 2>"$work/err.all"
	echo $? >"$work/rc"
	# the columns this --root recording lacks are said apart from the window
	grep -v ': no data, printed as empty: ' "$work/err.all" >"$work/err"
	tail -n +2 "$work/out" | cut -d, -f1 | uniq | tr '\n' ' '
}
range() { seq "$1" "$2" | tr '\n' ' '; }
# A note says its times in one format, as --from is echoed
# ("2026-11-30 00:53:20"), never also ISO 8601 ("...T00:53:20.366+00:00").
one_format() { ! grep -Eq '[0-9]T[0-9]{2}:|:[0-9]{2}[.][0-9]{3}|[0-9][+-][0-9]{2}:[0-9]{2}' "$1"; }

got=$(seqs UTC)
check "no window: all 40 frames" "[ \"$got\" = \"$(range 1 40)\" ]" "$got"
got=$(seqs UTC --from 00:52:22 --to 00:52:25)
check "after the step: 00:52:22-00:52:25 is seq 18-40, silently" "[ \"$got\" = \"$(range 18 40)\" ] && [ ! -s $work/err ] && [ \$(cat $work/rc) -eq 0 ]" "$got / $(cat $work/err)"
got=$(seqs UTC --from 00:53:20 --to 00:53:22)
check "before the step: 00:53:20-00:53:22 is seq 1-17" "[ \"$got\" = \"$(range 1 17)\" ] && [ \$(cat $work/rc) -eq 0 ]" "$got / $(cat $work/err)"
got=$(seqs UTC --from 00:52:23 --to 00:53:21)
check "a window the step cuts in two: seq 1-7 and 28-40, both taken" "[ \"$got\" = \"$(range 1 7)$(range 28 40)\" ]" "$got"
check "... and stderr says so in one line, naming both stretches and the step" \
	"[ \$(wc -l <$work/err) -eq 1 ] && grep -q 'matches 2 separate stretches' $work/err && grep -q 'frames 1-7, 2026-11-30 00:53:20 to' $work/err && grep -q 'frames 28-40, 2026-11-30 00:52:23 to 2026-11-30 00:52:24 (the wall clock stepped back 60.0 s' $work/err && one_format $work/err" "$(cat $work/err)"
got=$(seqs UTC --from 00:53:00 --to 00:53:10)
check "the skipped minute: header only, exit 1, what the recording covers" \
	"[ -z \"$got\" ] && [ \$(wc -l <$work/out) -eq 1 ] && [ \$(cat $work/rc) -eq 1 ] && grep -q 'no frame from 2026-11-30 00:53:00 to 2026-11-30 00:53:10; the recording covers 2026-11-30 00:53:20 to 2026-11-30 00:53:21, then 2026-11-30 00:52:22 to 2026-11-30 00:52:24' $work/err && one_format $work/err" "rc $(cat $work/rc): $(cat $work/err)"
# report and stacks FILE on the same empty window: the one line dump gives,
# not a second (report added "no frame in the window", stacks blamed the
# recording: "no call sites recorded (the where view was not open)")
for cmd in "report $rec -o $work/r.html" "stacks $rec"; do
	TZ=UTC $BIN $cmd --from 00:53:00 --to 00:53:10 >/dev/null 2>"$work/err"
	rc=$?
	check "${cmd%% *} on the skipped minute: exit 1, one line, what the recording covers" \
		"[ $rc -eq 1 ] && [ \$(wc -l <$work/err) -eq 1 ] && grep -q 'no frame from 2026-11-30 00:53:00 to 2026-11-30 00:53:10; the recording covers 2026-11-30 00:53:20 to' $work/err && one_format $work/err" "rc $rc: $(cat "$work/err")"
done
# --from alone past the end (a user's `report a.rec --from 04:40`): the
# same one format for what was asked and what the recording covers
TZ=UTC $BIN report $rec -o $work/r.html --from 00:55 >/dev/null 2>"$work/err"
rc=$?
check "report --from past the end: exit 1, one line, one time format" \
	"[ $rc -eq 1 ] && [ \$(wc -l <$work/err) -eq 1 ] && grep -q 'no frame from 2026-11-30 00:55:00 .*covers 2026-11-30 00:53:20 to 2026-11-30 00:53:21' $work/err && one_format $work/err" "rc $rc: $(cat "$work/err")"
seqs UTC --from 00:52:22 --to x >/dev/null
check "a bad time: exit 2, one line" "[ \$(cat $work/rc) -eq 2 ] && [ \$(wc -l <$work/err) -eq 1 ] && grep -q \"'x' is not hh:mm\" $work/err" "$(cat $work/err)"

# the time column carries the offset; windows are local readings
seqs UTC >/dev/null
check "time column: ISO 8601 with the UTC offset" "sed -n 2p $work/out | grep -q ',2026-11-30T00:53:20.366+00:00,'" "$(sed -n 2p $work/out)"
got=$(seqs Asia/Kathmandu --from 06:37:22 --to 06:37:25)
check "Asia/Kathmandu: 06:37:22-06:37:25 local is seq 18-40, times +05:45" \
	"[ \"$got\" = \"$(range 18 40)\" ] && sed -n 2p $work/out | grep -q ',2026-11-30T06:37:22.066+05:45,'" "$got $(sed -n 2p $work/out)"
json=$(TZ=America/St_Johns "$BIN" dump "$rec" --format json | head -1)
check "JSON time with a negative offset" "jq -e '.time == \"2026-11-29T21:23:20.366-03:30\"' <<<\"\$json\" >/dev/null" "$(jq .time <<<"$json")"
got=$(seqs UTC --from "2026-11-30 00:52:24")
check "a dated --from alone: seq 38-40" "[ \"$got\" = \"$(range 38 40)\" ]" "$got / $(cat $work/err)"

# play: "go to" finds the frame on the timeline, not by a sorted search
tm_start pl 170 30 "TZ=UTC $BIN play $rec"
if tm_wait pl 'PLAY step-back-60s.rec' 5; then
	tm send-keys -t pl space
	tm send-keys -t pl b
	tm_wait pl 'go to' 3
	tm send-keys -t pl '00:52:23' Enter
	check "play: b 00:52:23 shows frame 28 (00:52:23.066)" "tm_wait pl 'PLAY step-back-60s.rec 28/40 2026-11-30 00:52:23' 3" "$(tm_cap pl | head -3)"
	tm send-keys -t pl b
	tm_wait pl 'go to' 3
	tm send-keys -t pl '00:53:21' Enter
	check "play: b 00:53:21 shows frame 8 (00:53:21.066 covers it)" "tm_wait pl 'PLAY step-back-60s.rec 8/40 2026-11-30 00:53:21' 3" "$(tm_cap pl | head -3)"
else
	bad "play: starts" "$(tm_cap pl)"
fi
tm send-keys -t pl q

# report's time axis: each label is a time some frame was read at (the
# column's first tick), never a share of first..last: with the step the
# middle of 00:53:20..00:52:24 is 00:52:51, when no frame was taken
TZ=UTC "$BIN" report "$rec" -o "$work/axis.html" 2>/dev/null
TZ=UTC "$BIN" dump "$rec" --format csv --metrics tlb | tail -n +2 | cut -d, -f3 | cut -c12-19 | sort -u >"$work/read"
grep -Eo 'text-anchor="(start|middle|end)">[0-9:]{8}<' "$work/axis.html" | grep -Eo '[0-9:]{8}' | sort -u >"$work/axis"
check "report: time axis labels ($(tr '\n' ' ' <"$work/axis")) are times frames were read at" \
	"[ \$(wc -l <$work/axis) -eq 3 ] && [ -z \"\$(comm -23 $work/axis $work/read)\" ]" "axis: $(tr '\n' ' ' <"$work/axis"); not read: $(comm -23 "$work/axis" "$work/read" | tr '\n' ' ')"

# a forward jump: the wall clock steps ahead an hour 1 s into a recording
# made here from a fixture tree (tests/clockstep_shim.c on ./stormtop:
# ASan will not follow a preload).  A window inside the hour it skipped is
# empty, and the note's coverage names both stretches, not one hour-long
# span that claims frames in between.
if command -v cc >/dev/null && [ -x ./stormtop ] &&
	cc -shared -fPIC -o "$work/shim.so" tests/clockstep_shim.c 2>/dev/null; then
	fwd=$work/fwd.rec
	CLOCKSTEP_AT=1 CLOCKSTEP_NS=3600000000000 LD_PRELOAD=$work/shim.so TZ=UTC \
		./stormtop record --root tests/fixtures/phantom-cpus/tree -d 0.2 -n 12 -o "$fwd" 2>/dev/null
	TZ=UTC "$BIN" dump "$fwd" --format csv --metrics tlb | tail -n +2 | cut -d, -f1,3 | uniq >"$work/fwd.t"
	k=$(awk -F, 'NR > 1 { split(p, a, "T"); split($2, b, "T"); if (substr(b[2], 1, 2) != substr(a[2], 1, 2)) { print $1; exit } } { p = $2 }' "$work/fwd.t")
	if [ -n "$k" ]; then
		last=$(sed -n "$((k - 1))p" "$work/fwd.t" | cut -d, -f2) next=$(sed -n "${k}p" "$work/fwd.t" | cut -d, -f2)
		mid=$(date -u -d "@$(( $(date -u -d "${last%.*}" +%s) + 1800 ))" +%H:%M)
		seqs_of() { TZ=UTC "$BIN" dump "$fwd" --format csv "$@" 2>"$work/err" | tail -n +2 | cut -d, -f1 | uniq | tr '\n' ' '; }
		got=$(seqs_of --from "$mid" --to "$mid:30")
		check "forward jump: $mid inside the skipped hour is empty, the note names both stretches" \
			"[ -z \"$got\" ] && grep -q \"covers [^,]* to \$(tr T ' ' <<<\"${last%%.*}\"), then \$(tr T ' ' <<<\"${next%%.*}\")\" $work/err && one_format $work/err" "$got / $(cat "$work/err") / last $last next $next"
		TZ=UTC "$BIN" report "$fwd" -o "$work/fwd.html" 2>/dev/null
		cut -d, -f2 "$work/fwd.t" | cut -c12-19 | sort -u >"$work/read"
		grep -Eo 'text-anchor="(start|middle|end)">[0-9:]{8}<' "$work/fwd.html" | grep -Eo '[0-9:]{8}' | sort -u >"$work/axis"
		check "forward jump: report axis labels are times frames were read at" \
			"[ -s $work/axis ] && [ -z \"\$(comm -23 $work/axis $work/read)\" ]" "axis: $(tr '\n' ' ' <"$work/axis")"
	else
		bad "forward jump: the shim stepped the recording's clock" "$(cat "$work/fwd.t")"
	fi
else
	skip "forward jump: no cc or ./stormtop to record with a stepped clock"
fi

summary timesel_test
