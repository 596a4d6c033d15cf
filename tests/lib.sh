# SPDX-License-Identifier: GPL-2.0-only
# Shared by the shell tests: TAP-style checks and a private tmux server.
# The binary under test (sanitized), and sanitizer settings for it.
BIN=${STORMTOP_BIN:-build/stormtop-san}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp
PASS=0 FAIL=0 SKIP=0
ok()   { PASS=$((PASS + 1)); echo "ok - $1"; }
bad()  { FAIL=$((FAIL + 1)); echo "not ok - $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/#   /'; }
skip() { SKIP=$((SKIP + 1)); echo "ok - SKIP $1"; }
check() { if eval "$2"; then ok "$1"; else bad "$1" "${3:-}"; fi; }
summary() { tm_done; echo "$1: $PASS passed, $FAIL failed, $SKIP skipped"; [ "$FAIL" -eq 0 ]; }

TMUX_SOCK="stormtop-test-$$"
tm() { tmux -L "$TMUX_SOCK" "$@"; }
# What runs in the panes (of session $1, or all) is killed outright, not
# left to the hang-up: a sanitizer build that loses its terminal runs
# LeakSanitizer at exit, whose stop-the-world was seen spinning for good
# once the pty was gone (orphans at 40 % CPU each, starving later tests).
tm_kill_panes() {
	local p scope=(-a)
	[ -n "${1:-}" ] && scope=(-s -t "$1")
	for p in $(tm list-panes "${scope[@]}" -F '#{pane_pid}' 2>/dev/null); do
		pkill -KILL -P "$p" 2>/dev/null
	done
}
tm_kill() { tm_kill_panes "$1"; tm kill-session -t "$1" 2>/dev/null; }
tm_cleanup() { tm_kill_panes; tm kill-server 2>/dev/null || true; }
trap tm_cleanup EXIT

# Processes started in this test's panes (they carry its socket in $TMUX).
tm_orphans() { grep -lsz "^TMUX=.*/$TMUX_SOCK," /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3; }

# Before the summary of a test that used tmux: kills what every pane runs
# and the server, then checks that nothing they started outlived them (an
# orphan once spun for good and starved every later live test).
TM_USED=
tm_done() {
	local i left=
	[ -n "$TM_USED" ] || return 0
	tm_cleanup
	for i in $(seq 1 20); do
		left=$(tm_orphans)
		[ -z "$left" ] && break
		sleep 0.1
	done
	check "no process outlives its tmux pane" '[ -z "$left" ]' \
		"$(for p in $left; do tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null; echo; done)"
	[ -z "$left" ] || kill -KILL $left 2>/dev/null
	TM_USED=
}

# Starts CMD in a detached WxH session named NAME; the pane stays after
# the command exits and shows its exit status.
tm_start() {
	local name=$1 w=$2 h=$3; shift 3
	TM_USED=1
	# TERM stays tmux's own (tmux-256color), so its key sequences match.
	tm new-session -d -s "$name" -x "$w" -y "$h" \
		"env LANG=C.UTF-8 $*; echo EXITED \$?; sleep 60"
}
tm_cap() { tm capture-pane -p -t "$1"; }

# Waits up to $3 seconds for the pane of $1 to show the regex $2.
tm_wait() {
	local i
	for i in $(seq 1 $(( ${3:-5} * 10 ))); do
		tm_cap "$1" | grep -Eq -- "$2" && return 0
		sleep 0.1
	done
	return 1
}

# Waits up to $3 seconds (default 10) until file $1 has grown $2 times
# after it first appeared: a recording writes each frame as it is taken,
# so this is "the recorder has taken $2 frames".
wait_grown() {
	local f=$1 n=$2 last=-1 seen=0 size i
	for i in $(seq 1 $(( ${3:-10} * 20 ))); do
		size=$(stat -c %s "$f" 2>/dev/null || echo -1)
		if [ "$size" != "$last" ]; then
			[ "$last" != -1 ] && seen=$((seen + 1))
			last=$size
		fi
		[ "$seen" -ge "$n" ] && return 0
		sleep 0.05
	done
	return 1
}

# A host of the test's own for --root: $2 CPUs on one node and a
# /proc/interrupts whose TLB line only the test writes, so what stormtop
# shows of a storm and of its end depends on nothing else the host does.
tree_make() {
	local dir=$1 n=$2 c zeros=()
	mkdir -p "$dir/proc" "$dir/sys/devices/system/cpu"
	echo "0-$((n - 1))" >"$dir/sys/devices/system/cpu/possible"
	: >"$dir/proc/interrupts"
	for ((c = 0; c < n; c++)); do zeros+=(0); done
	tree_tlb "$dir" "${zeros[@]}"
}

# Writes the tree's TLB counts, one per CPU.  stormtop keeps the file open
# and rereads it, so it is rewritten in place at a fixed width: a reader
# sees old or new digits, and only while the counts move.
tree_tlb() {
	local dir=$1 c; shift
	{
		printf '    '; for ((c = 0; c < $#; c++)); do printf ' %11s' "CPU$c"; done; echo
		printf 'TLB:'; printf ' %11d' "$@"; echo '  TLB shootdowns'
		printf 'LOC:'; for c in "$@"; do printf ' %11d' 1000; done; echo '  Local timer interrupts'
	} 1<>"$dir/proc/interrupts"
}

# Until killed (run it with &): CPU $2 of tree $1 receives $3 TLB IPIs a
# second in bursts of $4 s with $5 s between them ($5 = 0: one burst),
# the first $6 s from now; the other CPUs none.  Counts follow the clock,
# so the rate over any stretch inside a burst is $3 however late a step.
tree_storm() {
	local dir=$1 cpu=$2 rate=$3 on=$4 off=$5 delay=$6 ncpu t0 n last=-1 c counts
	ncpu=$(($(cut -d- -f2 "$dir/sys/devices/system/cpu/possible") + 1))
	t0=$EPOCHREALTIME
	while :; do
		n=$(awk -v t0="$t0" -v now="$EPOCHREALTIME" -v r="$rate" -v on="$on" -v off="$off" -v d="$delay" 'BEGIN {
			e = now - t0 - d; if (e < 0) e = 0
			if (off == 0) { busy = e < on ? e : on }
			else { k = int(e / (on + off)); rem = e - k * (on + off); busy = k * on + (rem < on ? rem : on) }
			printf "%d", busy * r }')
		if [ "$n" != "$last" ]; then
			counts=()
			for ((c = 0; c < ncpu; c++)); do counts+=($([ "$c" -eq "$cpu" ] && echo "$n" || echo 0)); done
			tree_tlb "$dir" "${counts[@]}"
			last=$n
		fi
		sleep 0.05
	done
}

# Waits up to $2 seconds (default 10) for path $1 to exist (an app's
# segment), instead of a sleep a busy host may overrun.
wait_file() {
	local i
	for i in $(seq 1 $(( ${2:-10} * 20 ))); do
		[ -e "$1" ] && return 0
		sleep 0.05
	done
	return 1
}

# Test cgroups (issue 23): made under the first cgroup2 mount of
# /proc/mounts (findmnt decodes \040), never an assumed path.  cg_make
# NAME prints the directory (empty when there is no cgroup2 or mkdir
# fails); `cg_run DIR CMD... &` runs CMD in it as $! (the background
# subshell execs sh, which joins and execs CMD: one pid; only with &);
# cg_gone DIR... kills what is left in them and rmdirs them (call it from
# the test's EXIT trap so a failed test leaves none behind).
cg2_mount() { findmnt -n -l -t cgroup2 -o TARGET 2>/dev/null | head -1; }
cg_make() {
	local m
	m=$(cg2_mount)
	[ -n "$m" ] && mkdir "$m/$1" 2>/dev/null && printf '%s\n' "$m/$1"
}
cg_run() { local d=$1; shift; exec sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$d" "$@"; }
cg_gone() {
	local d p
	for d in "$@"; do
		[ -n "$d" ] && [ -d "$d" ] || continue
		for p in $(cat "$d/cgroup.procs" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
		for _ in $(seq 1 20); do rmdir "$d" 2>/dev/null && break; sleep 0.1; done
	done
}
