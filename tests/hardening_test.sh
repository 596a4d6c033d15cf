#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
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

# --- files created as root in a world-writable directory --------------------
# (tests/test_safefile.c plants links for every writer; here the binary)
sh=$dir/shared; mkdir "$sh"; chmod 1777 "$sh"
$BIN record -o "$dir/mine.rec" -d 0.1 -n 2 --synthetic 2 2>/dev/null
size=$(stat -c %s "$dir/mine.rec")
ln -s "$dir/mine.rec" "$sh/planted.rec"
out=$($BIN record -o "$sh/planted.rec" -d 0.1 -n 2 --synthetic 2 2>&1); rc=$?
check "record -o onto a planted symlink: refused, one line, exit 1, nothing appended" \
	"[ $rc -eq 1 ] && [ \$(wc -l <<<\"\$out\") -eq 1 ] && grep -q 'is a symbolic link' <<<\"\$out\" && [ \$(stat -c %s $dir/mine.rec) -eq $size ]" "rc=$rc $out"
out=$($BIN record -o "$sh/planted.rec" -d 0.1 -n 2 --synthetic 2 --follow-symlink 2>&1); rc=$?
check "record --follow-symlink: appends where it points, when asked" \
	"[ $rc -eq 0 ] && [ \$(stat -c %s $dir/mine.rec) -gt $size ] && [ -L $sh/planted.rec ]" "rc=$rc $out"
(umask 0; $BIN record -o "$sh/new.rec" -d 0.1 -n 2 --synthetic 2 2>/dev/null)
check "a new recording is 0644 under umask 0 ($(stat -c %a $sh/new.rec))" "[ \$(stat -c %a $sh/new.rec) = 644 ]"

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

# --- a comment longer than inih's 200-byte line is a comment, whole --------
# (its tail says interval = 0.3: the sample interval must stay the default 1 s)
out=$($BIN -b -n 1 --config $fx/config-long-comment-injects-key.rc 2>"$dir/cfg.err"); rc=$?
iv=$(awk -F'\t' 'NR == 2 { print $3 }' <<<"$out")
check "long config comment: its tail is not a setting (interval ${iv:-none} s)" \
	"[ $rc -eq 0 ] && awk -v v='${iv:-0}' 'BEGIN { exit !(v > 0.8) }' && ! grep -q 'long-comment' $dir/cfg.err" \
	"rc=$rc; $(cat $dir/cfg.err)"
{ echo "config_version = 1"; printf 'theme = "%0300d"\n' 0; echo "heat_warn = x"; } >"$dir/long.rc"
$BIN -b -n 1 --config "$dir/long.rc" >/dev/null 2>"$dir/cfg.err"
check "long config setting: an error naming its line, later lines keep their numbers" \
	"grep -q 'long.rc:2: line of 310 bytes, longer than 199: not read' $dir/cfg.err && grep -q 'long.rc:3: heat_warn' $dir/cfg.err" \
	"$(cat $dir/cfg.err)"

# --- extreme timestamps: play, dump --from/--to and drill stay defined -------
# (the sanitizer build aborts on a signed overflow; its report goes to err)
x=$fx/play-wall-extremes-ubsan-overflow.rec
tm_start ext 120 30 "$BIN play $x 2>$dir/play.err"
tm_wait ext 'PLAY ' 5
for k in ' ' t t T ']' '[' '}' '{' n N j J + + + - t t t t t ' ' ; do tm send-keys -t ext "$k"; sleep 0.05; done
sleep 1
tm send-keys -t ext q
check "play: extreme wall clocks, every key, exit 0" "tm_wait ext 'EXITED 0' 5 && ! grep -q 'runtime error' $dir/play.err" \
	"$(tm_cap ext | tail -3; cat $dir/play.err)"
out=$($BIN dump $x --from '1677-09-22 00:00' --to '2262-04-11 23:00' --format json 2>&1 >/dev/null); rc=$?
check "dump --from/--to over extreme times: exit 0, no overflow" "[ $rc -eq 0 ] && ! grep -q 'runtime error' <<<\"\$out\"" "$out"
out=$($BIN dump $x --from '99999999999-01-01 00:00' 2>&1 >/dev/null); rc=$?
check "dump --from past year 9999: exit 2, one line" "[ $rc -eq 2 ] && [ \$(wc -l <<<\"\$out\") -eq 1 ]" "rc=$rc $out"
out=$($BIN drill $x 2>&1 >/dev/null); rc=$?
check "drill over extreme times: exit 0, no overflow" "[ $rc -eq 0 ] && ! grep -q 'runtime error' <<<\"\$out\"" "$out"

# --- no loop polls: syscalls over 2 s in each idle mode ----------------------
# strace -c -f on the one process the session started (its own pid), so
# other load on the machine does not count.
syscalls() {
	local pid
	pid=$(pgrep -P "$(tm display -p -t "$1" '#{pane_pid}')" | head -1)
	[ -n "$pid" ] || { echo 999999; return; }
	rm -f "$dir/sc"
	timeout -s INT 2 strace -f -c -p "$pid" -o "$dir/sc" >/dev/null 2>&1
	awk '$NF == "total" { n = $4 } END { print n + 0 }' "$dir/sc" 2>/dev/null || echo 0
}
# idle MODE MAX SESSION: checks the count against the bound and prints it
idle() { local n; n=$(syscalls "$3"); check "idle $1: $n syscalls in 2 s (at most $2)" "[ $n -le $2 ]" "$(cat $dir/sc 2>/dev/null)"; }
if command -v strace >/dev/null && strace -f -c -o /dev/null true 2>/dev/null; then
	rec=$fx/lenflip-intact-140frames.rec   # 50 ms frames
	tm_start ip 120 30 "$BIN play $rec"
	tm_wait ip 'PLAY ' 5
	idle "play, playing 20 frames a second" 800 ip
	tm send-keys -t ip ' '; sleep 0.3
	idle "play, paused" 10 ip
	tm send-keys -t ip ' ' ']'; sleep 0.5
	idle "play, at the end (looks for new frames 4 times a second)" 80 ip
	tm send-keys -t ip q
	tm_start il 120 30 "$BIN -d 1"
	tm_wait il 'cpu0' 10; sleep 1
	idle "live, 1 s ticks" 300 il
	tm send-keys -t il z; sleep 0.3
	idle "live, paused" 10 il
	tm send-keys -t il q
	tm_start ir 120 30 "$BIN record -o $dir/idle.rec -d 1"
	sleep 2
	idle "record, 1 s ticks" 300 ir
	tm send-keys -t ir C-c
else
	skip "idle syscall counts: no working strace"
fi

# zeros over one or two whole records (sync words too): the count said is
# the count lost, however many records the damaged span swallowed
intact=$fx/lenflip-intact-140frames.rec
sz=$(stat -c %s "$intact")
for zr in "$((sz / 3)) 200" "$((sz / 12)) 64" "$((sz * 5 / 6)) 64" "$((sz / 2)) 900"; do
	set -- $zr
	cp "$intact" "$dir/z.rec"
	dd if=/dev/zero of="$dir/z.rec" bs=1 seek="$1" count="$2" conv=notrunc 2>/dev/null
	got=$($BIN dump "$dir/z.rec" --format csv 2>"$dir/z.err" | tail -n +2 | cut -d, -f1 | sort -u | wc -l)
	said=$(grep -o '[0-9]* damaged frames skipped' "$dir/z.err" | cut -d' ' -f1)
	dsaid=$($BIN drill "$dir/z.rec" 2>&1 >/dev/null | grep -o '[0-9]* damaged frames skipped' | cut -d' ' -f1)
	check "$2 zero bytes at $1: $got frames read + ${said:-0} said lost = 140, drill says the same" \
		"[ $((got + ${said:-0})) -eq 140 ] && [ \"${dsaid:-0}\" = \"${said:-0}\" ] && [ $got -lt 140 ]" "$(cat "$dir/z.err")"
	# stacks and play (played to the end at 64x, then q) read every frame
	# too, so they say what dump says, from the same rule
	ssaid=$($BIN stacks "$dir/z.rec" 2>&1 >/dev/null | grep -o '[0-9]* damaged frames skipped' | cut -d' ' -f1)
	tm_start zp 120 30 "$BIN play $dir/z.rec 2>$dir/zp.err"
	tm_wait zp 'PLAY ' 5
	for k in + + + + + +; do tm send-keys -t zp "$k"; done
	tm_wait zp 'PLAY z.rec ([0-9]+)/\1 ' 20
	tm send-keys -t zp q
	tm_wait zp 'EXITED' 5
	psaid=$(grep -o '[0-9]* damaged frames skipped' "$dir/zp.err" | cut -d' ' -f1)
	tm_kill zp
	check "... stacks says ${ssaid:-0} and play ${psaid:-0}, as dump (${said:-0})" \
		"[ \"${ssaid:-0}\" = \"${said:-0}\" ] && [ \"${psaid:-0}\" = \"${said:-0}\" ] && [ ${said:-0} -gt 0 ]" "$(cat "$dir/zp.err")"
done

# --- files that are not files: a FIFO blocks, a device never ends -----------
# a copied tree (--root) and --config/--theme may name anything; each such
# file is refused at once and named, the rest of the run goes on
tree=$dir/hostile-tree
cp -r tests/fixtures/root-64cpu-2node "$tree"
mkdir -p "$tree/proc/pressure"
rm -f "$tree/proc/interrupts"
mkfifo "$tree/proc/interrupts" "$tree/proc/pressure/cpu" "$tree/proc/kallsyms"
ln -s /dev/zero "$tree/proc/vmstat"
ln -s /dev/urandom "$tree/proc/schedstat"
ln -s /dev/zero "$tree/proc/mounts"
timeout 20 $BIN -b -n 2 -d 0.2 --root "$tree" >"$dir/h.out" 2>"$dir/h.err"; rc=$?
check "--root with FIFOs and /dev/zero, /dev/urandom links: 2 samples, exit 0 (not $rc)" \
	"[ $rc -eq 0 ] && [ \$(awk -F'\t' 'NR > 1 { print \$1 }' $dir/h.out | sort -u | wc -l) -eq 2 ]" "$(cat $dir/h.err)"
check "... each named for what it is" \
	"grep -q 'interrupts: a FIFO, not a file' $dir/h.err && grep -q 'psi-cpu: a FIFO, not a file' $dir/h.err && grep -q 'vmstat: a character device, not a file' $dir/h.err && grep -q 'schedstat: a character device, not a file' $dir/h.err" "$(cat $dir/h.err)"
out=$(timeout 20 $BIN check --prefix "$tree" 2>&1); rc=$?
check "check --prefix on that tree ends (exit $rc, not 124)" "[ $rc -ne 124 ] && ! grep -q 'runtime error' <<<\"\$out\"" "$out"
mkfifo "$dir/fifo"
for f in "$dir/fifo" /dev/zero /dev/urandom "$dir"; do
	for opt in --config --theme; do
		out=$(timeout 10 $BIN -b -n 1 -d 0.1 --synthetic 2 $opt "$f" 2>&1 >/dev/null); rc=$?
		check "$opt ${f##*/}: exit 2 at once, one line naming it" \
			"[ $rc -eq 2 ] && [ \$(wc -l <<<\"\$out\") -eq 1 ] && grep -Eq '^stormtop: $opt: .*(a FIFO|a character device|a directory|not a regular file)' <<<\"\$out\"" "rc=$rc $out"
	done
done
out=$(timeout 10 $BIN -b -n 1 -d 0.1 --synthetic 2 --config /dev/null 2>&1 >/dev/null); rc=$?
check "--config /dev/null: an empty file, the defaults, exit 0" "[ $rc -eq 0 ] && ! grep -q config <<<\"\$out\"" "rc=$rc $out"

summary hardening
