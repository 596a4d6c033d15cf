#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Runs each libFuzzer target for a bounded time, starting from its
# minimised corpus kept in tests/fuzz/corpus/NAME (a copy: new inputs do
# not pile up in the repository): the recording reader and decoder, the
# stormprobe segment checks and slot reader, the config file and the theme
# file.  45 s in all by default (STORMTOP_FUZZ_SECONDS sets the reader's;
# the others scale with it).  Each line says how many inputs ran.
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh
secs=${STORMTOP_FUZZ_SECONDS:-22}

# fuzz NAME WHAT SECONDS SEED_DIR...
fuzz() {
	local name=$1 what=$2 t=$3 corpus d seeds
	shift 3
	corpus=$(mktemp -d)
	for d in "$@"; do [ -d "$d" ] && cp "$d"/* "$corpus"/ 2>/dev/null; done
	seeds=$(ls "$corpus" | wc -l)
	if "build/tests/fuzz_$name" -max_total_time="$t" -rss_limit_mb=2048 -timeout=10 \
		-print_final_stats=1 -artifact_prefix="$corpus.crash-" "$corpus" >"$corpus.log" 2>&1; then
		ok "fuzz: $what survive $t s ($(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$corpus.log" | grep -Eo '[0-9]+$') inputs, from $seeds seeds)"
	else
		cp "$corpus".crash-* build/ 2>/dev/null
		bad "fuzz: $name: a crash or leak (the input is in build/)" "$(grep -E "ERROR|^    #[0-9] " "$corpus.log" | head -12)"
	fi
	rm -rf "$corpus" "$corpus".crash-* "$corpus.log"
}

c=tests/fuzz/corpus
# The decoder's newest fields must be in the seeds, or the fuzzer rarely
# builds them from nothing: 253 (call sites) and 254 (cgroups), whose keys
# are the varints 0xfb 0x03 and 0xfd 0x03 (id * 2 + 1).
for key in 'fb03:253 (call sites)' 'fd03:254 (cgroups)'; do
	hex=${key%%:*}
	n=$(LC_ALL=C grep -lF "$(printf "\\x${hex:0:2}\\x${hex:2:2}")" $c/reader/* | wc -l)
	check "fuzz: the reader's seeds hold field ${key#*:} ($n files)" '[ "$n" -gt 0 ]'
done
fuzz reader "recording reader and decoder" "$secs" $c/reader tests/fixtures/rec
fuzz probe "stormprobe segment checks and slot reader" "$((secs / 2))" $c/probe
fuzz config "config file and --set" "$((secs * 3 / 11))" $c/config
fuzz theme "theme file and colours" "$((secs * 3 / 11))" $c/theme
summary fuzz
