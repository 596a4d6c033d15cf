#!/bin/bash
# Runs the recording reader's libFuzzer target for a bounded time on the
# seed corpus (a copy: new inputs do not pile up in the repository).
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh
secs=${STORMTOP_FUZZ_SECONDS:-20}
corpus=$(mktemp -d)
trap 'rm -rf "$corpus" "$corpus".crash-*' EXIT
cp tests/fixtures/rec/* "$corpus"/
if build/tests/fuzz_reader -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 \
	-print_final_stats=1 -artifact_prefix="$corpus.crash-" "$corpus" >"$corpus.log" 2>&1; then
	ok "fuzz: reader and decoder survive $secs s ($(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$corpus.log" | grep -Eo '[0-9]+$') inputs)"
else
	cp "$corpus".crash-* build/ 2>/dev/null
	bad "fuzz: a crash or leak (the input is in build/)" "$(grep -E "ERROR|^    #[0-9] " "$corpus.log" | head -12)"
fi
rm -f "$corpus.log"
summary fuzz
