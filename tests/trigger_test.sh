#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# record --trigger storm: the capture files around each storm transition.
#
# The reference is the continuous recording made by the same process (one
# sampler, two sinks): its frames say where the controller entered a storm
# state, and each capture must hold exactly its frames from --pre before
# to --post after (overlapping windows merged into one file), byte for
# byte as dump prints them.  The --synthetic host storms on a fixed tick
# schedule and its frame times are exact multiples of -d, so these runs
# are deterministic; the --set below make its storms short (the rate
# alone enters and leaves STORM; the IOMMU machine never moves).
# Then: SIGHUP saves the ring; the memory cap; a full disk; bad options;
# and a live tools/churn burst.
set -u
export LC_ALL=C.UTF-8
cd "$(dirname "$0")/.."
. tests/lib.sh
dir=$(mktemp -d)
trap 'tm_cleanup; umount "$dir/full" 2>/dev/null; rm -rf "$dir"' EXIT
FLAP="--set tlb_min_dwell_s=0.1 --set tlb_cooldown_s=0.1 --set tlb_storm_sbi_on=1e9 --set tlb_storm_sbi_off=1e9
 --set tlb_storm_rate_off=100 --set iommu_watch_dfi_on=1e12 --set iommu_watch_dfi_off=1e12
 --set iommu_storm_dfi_on=1e12 --set iommu_storm_dfi_off=1e12"
CALM="--set tlb_watch_rate_on=1e12 --set tlb_watch_rate_off=1e12 --set tlb_watch_sbi_on=1e12 --set tlb_watch_sbi_off=1e12
 --set tlb_watch_widen_on=1e12 --set tlb_watch_widen_off=1e12 --set iommu_watch_dfi_on=1e12 --set iommu_watch_dfi_off=1e12"

# seq, mono_ns, TLB and IOMMU states of every frame, one line each.
states() { $BIN dump "$1" --format json 2>/dev/null | jq -r '[.seq, .mono_ns, .tlb_regime, .iommu_regime] | @tsv'; }

# The frames of the reference a capture must hold, one file per line as
# seq lists: every entry into STORM/SAFE_DEGRADED (2, 3) or FLUSH_STORM/
# SAFE_DMA_CONTAIN (2, 3) opens [t - pre, t + post]; windows that touch or
# overlap are one file.  $1 states file, $2 pre ns, $3 post ns.
expected() {
	awk -v pre="$2" -v post="$3" '
		{ seq[NR] = $1; mono[NR] = $2; t = $3; i = $4
		  if (NR > 1 && ((t != pt && t >= 2) || (i != pi && i >= 2))) {
			s = $2 - pre; e = $2 + post
			if (n && s <= we[n]) { if (e > we[n]) we[n] = e } else { n++; ws[n] = s; we[n] = e }
		  }
		  pt = t; pi = i }
		END { for (k = 1; k <= n; k++) { line = ""
			for (j = 1; j <= NR; j++) if (mono[j] >= ws[k] && mono[j] <= we[k]) line = line seq[j] " "
			print line } }' "$1"
}

# What the captures in $1 hold, one file per line in name order (the
# names start with the UTC time: their order is the storms').
captured() { for f in "$1"/storm-*-STORM.rec; do [ -e "$f" ] && { states "$f" | cut -f1 | tr '\n' ' '; echo; }; done; }

# The dump rows of frames seqs ($2..) of recording $1, for comparing bytes.
rows() { local f=$1; shift; $BIN dump "$f" --format json 2>/dev/null | jq -c --argjson s "[$(tr ' ' ',' <<<"$*" | sed 's/,$//')]" 'select(.seq as $q | $s | index($q))'; }

# One run: -n $1 ticks at 0.05 s, --pre $2, --post $3, both sinks, into $4.
run_both() {
	mkdir -p "$dir/$4"
	# shellcheck disable=SC2086
	$BIN record --synthetic 4:2 -d 0.05 -n "$1" -o "$dir/$4.rec" --trigger storm --trigger-dir "$dir/$4" \
		--pre "$2" --post "$3" $FLAP 2>"$dir/$4.err"
}

# --pre 0.5 s, --post 0.3 s: the storms 22 ticks apart make two files.
run_both 60 0.5s 0.3s two
rc=$?
states "$dir/two.rec" >"$dir/two.states"
expected "$dir/two.states" 500000000 300000000 >"$dir/two.want"
captured "$dir/two" >"$dir/two.got"
check "two storms apart: exit 0, the recording has all 60 frames" \
	"[ $rc -eq 0 ] && [ \$(wc -l <$dir/two.states) -eq 60 ]" "$(cat "$dir/two.err")"
check "two storms apart: two files, each exactly the frames from --pre before to --post after ($(head -1 "$dir/two.want"))" \
	"[ \$(wc -l <$dir/two.want) -eq 2 ] && diff $dir/two.want $dir/two.got >/dev/null" \
	"want: $(cat "$dir/two.want") got: $(cat "$dir/two.got")"
first=$(head -1 "$dir/two.got") f1=$(ls "$dir"/two/storm-*-STORM.rec | head -1)
# shellcheck disable=SC2086
check "the capture's frames are the recording's, byte for byte as dump prints them" \
	"[ -n \"$first\" ] && diff <(rows $dir/two.rec $first) <(rows $f1 $first) >/dev/null"
span=$(states "$f1" | awk 'NR == 1 { a = $2 } { b = $2 } END { print b - a }')
check "the first file spans --pre + --post = 800 ms of frame time ($span ns)" "[ \"$span\" = 800000000 ]"
check "the name is storm-<UTC, ISO 8601 basic>-STORM.rec" \
	"basename $f1 | grep -Eq '^storm-[0-9]{8}T[0-9]{6}Z-STORM\.rec\$'"
# shellcheck disable=SC2086
out=$($BIN drill "$f1" --format json $FLAP 2>&1)
check "drill on a capture lists the transition into STORM" \
	"jq -e '[.transitions[] | select(.to == \"STORM\")] | length >= 1' <<<\"\$out\" >/dev/null" "$out"

# --post 0.6 s: the second storm's --pre window reaches the first file's
# last frame: one file, no frame twice.  --post 1.5 s: the second storm
# comes inside the first's post window and extends it.
for post in 0.6 1.5; do
	run_both 60 0.5s ${post}s "p$post"
	states "$dir/p$post.rec" >"$dir/p$post.states"
	expected "$dir/p$post.states" 500000000 "$(awk -v p=$post 'BEGIN { print p * 1e9 }')" >"$dir/p$post.want"
	captured "$dir/p$post" >"$dir/p$post.got"
	check "--post ${post}s: storms close together make one file of the merged window ($(wc -w <"$dir/p$post.got") frames)" \
		"[ \$(wc -l <$dir/p$post.want) -eq 1 ] && diff $dir/p$post.want $dir/p$post.got >/dev/null" \
		"want: $(cat "$dir/p$post.want") got: $(cat "$dir/p$post.got")"
done

# SIGHUP: the ring now (--pre 0.5 s: 11 frames), sampling goes on.
mkdir -p "$dir/hup"
# shellcheck disable=SC2086
$BIN record --synthetic 4:2 -d 0.05 -n 80 -o "$dir/hup.rec" --trigger storm --trigger-dir "$dir/hup" \
	--pre 0.5s --post 1s $CALM 2>"$dir/hup.err" &
rec=$!
wait_grown "$dir/hup.rec" 20 20
kill -HUP $rec
wait_file "$dir"/hup/storm-*-sighup.rec
wait $rec
rc=$?
states "$dir/hup.rec" >"$dir/hup.states"
hf=$(ls "$dir"/hup/storm-*-sighup.rec 2>/dev/null | head -1)
hseq=$(states "$hf" | cut -f1 | tr '\n' ' ')
last=${hseq% }; last=${last##* }
want=$(awk -v l="${last:-0}" '$1 > l - 11 && $1 <= l { printf "%s ", $1 }' "$dir/hup.states")
check "SIGHUP: a -sighup.rec of the ring's 11 frames, consecutive and the recording's ($hseq)" \
	"[ -n \"$hf\" ] && [ \"$hseq\" = \"$want\" ] && [ \$(wc -w <<<\"$hseq\") -eq 11 ]" "$(cat "$dir/hup.err")"
check "SIGHUP: recording went on to the end (80 frames, exit 0)" \
	"[ $rc -eq 0 ] && [ \$(wc -l <$dir/hup.states) -eq 80 ]" "$rc $(cat "$dir/hup.err")"
check "no storm, no storm file" "! ls $dir/hup/storm-*-STORM.rec >/dev/null 2>&1"
# shellcheck disable=SC2086
[ -n "$hf" ] && check "diff of the SIGHUP file against the recording: the same rows" \
	"diff <(rows $dir/hup.rec $hseq) <(rows $hf $hseq) >/dev/null"

# The memory cap: 64 CPUs, --pre 10 s at 0.05 s wants 201 frames; 64K
# holds fewer.  Said at start; the ring's own accounting stays in 64K and
# keeps the newest frames; a SIGHUP file holds what it kept.
mkdir -p "$dir/cap"
# shellcheck disable=SC2086
$BIN record --synthetic 64:2 -d 0.05 -n 60 --trigger storm -o "$dir/cap/" --pre 10s --trigger-mem 64K \
	$CALM 2>"$dir/cap.err" &
rec=$!
sleep 2.5
kill -HUP $rec
wait $rec
acct=$(grep -Eo 'ring [0-9]+ of [0-9]+ frames, [0-9]+ bytes \(peak [0-9]+\) of [0-9]+ reserved, [0-9]+ dropped' "$dir/cap.err")
read -r held slots peak reserved dropped <<<"$(sed -E 's/ring ([0-9]+) of ([0-9]+) frames, [0-9]+ bytes \(peak ([0-9]+)\) of ([0-9]+) reserved, ([0-9]+) dropped/\1 \2 \3 \4 \5/' <<<"$acct")"
check "--trigger-mem 64K smaller than --pre needs: one line at start says so" \
	"[ \$(grep -c 'trigger-mem 65536 bytes holds about' $dir/cap.err) -eq 1 ]" "$(cat "$dir/cap.err")"
check "the ring's accounting: ${held:-?} of ${slots:-?} frames, peak ${peak:-?} of ${reserved:-?} bytes reserved <= 65536, ${dropped:-?} dropped" \
	"[ \"${slots:-0}\" -eq 201 ] && [ \"${reserved:-99999999}\" -le 65536 ] && [ \"${peak:-99999999}\" -le \"${reserved:-0}\" ] && [ \"${held:-0}\" -ge 2 ] && [ \"${held:-999}\" -lt 201 ] && [ \"${dropped:-0}\" -gt 0 ]" \
	"$(cat "$dir/cap.err")"
hf=$(ls "$dir"/cap/storm-*-sighup.rec 2>/dev/null | head -1)
n=$(states "$hf" | wc -l)
span=$(states "$hf" | awk 'NR == 1 { a = $1 } { b = $1 } END { print b - a + 1 }')
check "the SIGHUP file holds what the ring kept within the cap: $n consecutive frames, $(stat -c %s "$hf" 2>/dev/null) bytes" \
	"[ $n -ge 2 ] && [ $n -lt 201 ] && [ \"$span\" = $n ] && [ \$(stat -c %s $hf) -le 70000 ]" "$(cat "$dir/cap.err")"
check "the cap says once that the ring is full" "[ \$(grep -c 'the ring is full' $dir/cap.err) -eq 1 ]" "$(cat "$dir/cap.err")"

# Peak RSS of the optimised binary (sanitizers map shadow memory) at 256
# CPUs with --pre 60 s, more than the caps hold: each cap's bytes are what
# the process grows by (reserved at the first tick, written through), beside
# the packer's fixed buffers (codec_bound + its zstd bound, 2.5 MB here).
# Read after all 100 ticks (ru_maxrss via GNU time), so every run has filled
# the same history: a sample taken at a fixed wall time saw a number of
# ticks that depended on how busy the host was.
# Runs sometimes peak about 1 MiB higher for the same input (allocator
# and thread timing), never lower: the lower of two runs is the figure.
rss1() { /usr/bin/time -f %M -o "$dir/rss.kib" "$@" >/dev/null 2>&1; cat "$dir/rss.kib" 2>/dev/null || echo 0; }
rss() { local a b; a=$(rss1 "$@") b=$(rss1 "$@"); echo $((a < b ? a : b)); }
mkdir -p "$dir/rss"
# shellcheck disable=SC2086
r0=$(rss ./stormtop record --synthetic 256:4 -d 0.05 -n 100 -o "$dir/rss0.rec" $CALM)
rss_cap() {
	# shellcheck disable=SC2086
	rss ./stormtop record --synthetic 256:4 -d 0.05 -n 100 -o "$dir/rss$1.rec" --trigger storm \
		--trigger-dir "$dir/rss" --pre 60s --trigger-mem "$1" $CALM
}
r64K=$(rss_cap 64K) r4M=$(rss_cap 4M) r8M=$(rss_cap 8M)
check "peak RSS (KiB): ${r0} without, ${r64K} / ${r4M} / ${r8M} with --trigger-mem 64K / 4M / 8M: each 4 MiB more is ~4 MiB more" \
	"[ \$((r4M - r64K)) -ge 3072 ] && [ \$((r4M - r64K)) -le 5120 ] && [ \$((r8M - r4M)) -ge 3072 ] && [ \$((r8M - r4M)) -le 5120 ]"
check "peak RSS: the trigger's fixed buffers at 256 CPUs add at most 4 MiB ($((r64K - r0)) KiB)" "[ \$((r64K - r0)) -gt 0 ] && [ \$((r64K - r0)) -le 4096 ]"

# A full disk under the captures: one line per failure, sampling and the
# recording go on, what was written stays readable, the next storm retries.
if [ "$(id -u)" -eq 0 ] && mkdir -p "$dir/full" && mount -t tmpfs -o size=64k tmpfs "$dir/full" 2>/dev/null; then
	# shellcheck disable=SC2086
	$BIN record --synthetic 64:2 -d 0.05 -n 150 -o "$dir/main.rec" --trigger storm --trigger-dir "$dir/full" \
		--pre 0.5s --post 0.3s $FLAP 2>"$dir/full.err"
	rc=$?
	nerr=$(grep -c 'No space left on device' "$dir/full.err")
	check "full disk: exit 0, the recording has all 150 frames" \
		"[ $rc -eq 0 ] && [ \$(states $dir/main.rec | wc -l) -eq 150 ]" "$rc $(cat "$dir/full.err")"
	check "full disk: one line per failed capture, tried again at later storms ($nerr lines)" \
		"[ $nerr -ge 2 ] && ! grep -v '^stormtop: ' $dir/full.err | grep -q ." "$(cat "$dir/full.err")"
	readable=1
	for f in "$dir"/full/storm-*.rec; do
		[ -e "$f" ] || continue
		$BIN dump "$f" --format json >/dev/null 2>&1 || readable=0
	done
	check "full disk: every capture file left there reads ($(ls "$dir"/full | wc -l) files)" "[ $readable -eq 1 ]"
	umount "$dir/full"
else
	skip "full disk: needs root to mount a 64k tmpfs"
fi

# Bad options: one line, exit 2 (usage) or 1 (the directory is missing).
bad_opt() {
	local want=$1 pat=$2; shift 2
	out=$($BIN record "$@" 2>&1); rc=$?
	check "record $*: exit $want, one line" "[ $rc -eq $want ] && [ \$(wc -l <<<\"\$out\") -eq 1 ] && grep -q -- '$pat' <<<\"\$out\"" "$rc: $out"
}
bad_opt 2 "is not .storm" --trigger flood -o "$dir/"
bad_opt 2 "go with --trigger" --pre 5m -o "$dir/x.rec"
bad_opt 2 "not a duration" --trigger storm --post soon -o "$dir/"
bad_opt 2 "at least 64K" --trigger storm --trigger-mem 1K -o "$dir/"
bad_opt 2 "trigger-dir" --trigger storm --rotate daily -o "$dir/"
bad_opt 1 "not a directory" --synthetic 2 -n 2 --trigger storm -o "$dir/missing/"

# Live: a churn burst on CPU 1 (procfs: no BPF needed) with the thresholds
# of tests/regime_test.sh; the capture holds the window around the STORM
# entry the recording shows.
SETS="--set desk_window_s=8 --set tlb_cooldown_s=3"
if [ -x tools/churn ] && [ "$(getconf _NPROCESSORS_ONLN)" -ge 2 ]; then
	mkdir -p "$dir/live"
	# shellcheck disable=SC2086
	$BIN record -o "$dir/live.rec" -d 0.25 --duration 9 --disable bpf,perf --trigger storm \
		--trigger-dir "$dir/live" --pre 1s --post 1s $SETS 2>"$dir/live.err" &
	rec=$!
	wait_grown "$dir/live.rec" 2 20
	tools/churn -c 1 -m 0 -t 3 -q >/dev/null
	wait $rec
	states "$dir/live.rec" >"$dir/live.states"
	if grep -q $'\t2\t' "$dir/live.states"; then
		expected "$dir/live.states" 1125000000 1125000000 >"$dir/live.want"
		captured "$dir/live" >"$dir/live.got"
		check "live: the capture holds the recording's frames from --pre before to --post after the STORM entry" \
			"[ -s $dir/live.want ] && diff $dir/live.want $dir/live.got >/dev/null" \
			"want: $(cat "$dir/live.want") got: $(cat "$dir/live.got") $(cat "$dir/live.err")"
		lf=$(ls "$dir"/live/storm-*-STORM.rec 2>/dev/null | head -1)
		# shellcheck disable=SC2086
		out=$($BIN drill "$lf" --format json $SETS 2>&1)
		check "live: drill on the capture lists the recorded transition into STORM" \
			"jq -e '.recorded_transitions >= 1' <<<\"\$out\" >/dev/null && $BIN drill $lf $SETS | grep -q 'STORM'" "$out"
	else
		skip "live: the burst did not reach STORM on this host ($(cut -f3 "$dir/live.states" | tr -d '\n'))"
	fi
else
	skip "live: needs tools/churn and two CPUs"
fi
summary trigger
