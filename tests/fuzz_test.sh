#!/bin/bash
# Runs each libFuzzer target for a bounded time on its seed corpus (a
# copy: new inputs do not pile up in the repository): the recording reader
# and decoder, and the stormprobe segment checks and slot reader.
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh
secs=${STORMTOP_FUZZ_SECONDS:-20}

# fuzz NAME WHAT SECONDS [SEED_DIR]  (the probe's input is patches: short)
fuzz() {
	local corpus
	corpus=$(mktemp -d)
	[ -n "${4:-}" ] && cp "$4"/* "$corpus"/
	if "build/tests/fuzz_$1" -max_total_time="$3" -rss_limit_mb=2048 -timeout=10 \
		-print_final_stats=1 -artifact_prefix="$corpus.crash-" "$corpus" >"$corpus.log" 2>&1; then
		ok "fuzz: $2 survive $3 s ($(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$corpus.log" | grep -Eo '[0-9]+$') inputs)"
	else
		cp "$corpus".crash-* build/ 2>/dev/null
		bad "fuzz: $1: a crash or leak (the input is in build/)" "$(grep -E "ERROR|^    #[0-9] " "$corpus.log" | head -12)"
	fi
	rm -rf "$corpus" "$corpus".crash-* "$corpus.log"
}

fuzz reader "recording reader and decoder" "$secs" tests/fixtures/rec
fuzz probe "stormprobe segment checks and slot reader" "$((secs / 2))"
summary fuzz
