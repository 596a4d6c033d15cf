# Sourced by analyse.sh.  The recording made in the guest, dumped by this
# tree's stormtop where analyse.sh runs (the host), must give the same
# figures, byte for byte, as the guest's own dump of it (dump-guest.json).

check_playback() {
	local frames st="./stormtop"
	[ -x "$st" ] || st=$(cd "$HERE/../.." && pwd)/stormtop
	if [ ! -s "$R/lab.rec" ] || [ ! -s "$R/dump-guest.json" ]; then
		result playback fail "-" "the guest's dump" "no recording came out of the guest"
		return
	fi
	TZ=UTC "$st" dump "$R/lab.rec" --format json > "$R/dump-host.json" 2> "$R/dump-host.err"
	frames=$(wc -l < "$R/dump-guest.json")
	if cmp -s "$R/dump-guest.json" "$R/dump-host.json"; then
		result playback pass "host dump: $frames frames, $(wc -c < "$R/dump-host.json") bytes" "the guest's dump of the same file"
	else
		result playback fail "host dump: $(wc -l < "$R/dump-host.json") frames" "the guest's dump: $frames frames" \
			"$(cmp "$R/dump-guest.json" "$R/dump-host.json" 2>&1 | head -1)"
	fi
}
