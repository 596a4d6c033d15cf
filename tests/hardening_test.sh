#!/bin/bash
# Issue 21 (hardening), through the binary: damaged recordings lose only
# what is damaged and say so; inputs in tests/fixtures/hardening/.
set -u
export LC_ALL=C.UTF-8
cd "$(dirname "$0")/.."
. tests/lib.sh
fx=tests/fixtures/hardening
dir=$(mktemp -d)
chmod 755 "$dir"
trap 'tm_cleanup; rm -rf "$dir"' EXIT

# frames a dump prints (rows are frames x CPUs; the JSON has one a line)
frames() { $BIN dump "$1" --format json 2>"$dir/err" | wc -l; }

# --- a flipped bit in a record's stored length ------------------------------
all=$(frames $fx/lenflip-intact-140frames.rec)
got=$(frames $fx/lenflip-one-bit-loses-next-block.rec)
said=$(grep -Eo '[0-9]+ damaged frames skipped' "$dir/err" | grep -Eo '^[0-9]+')
check "length flip: at most one block lost ($all frames, $got read, $((all - got)) lost, said ${said:-none})" \
	"[ $all -eq 140 ] && [ $((all - got)) -ge 1 ] && [ $((all - got)) -le 64 ] && [ '${said:-0}' -eq $((all - got)) ]" \
	"$(cat $dir/err)"
# the same file in CSV: the rows are those frames' rows
rows=$($BIN dump $fx/lenflip-one-bit-loses-next-block.rec --format csv 2>/dev/null | tail -n +2 | wc -l)
check "length flip: CSV has the same frames ($rows rows)" "[ $rows -eq $((got * 2)) ]"

summary hardening
