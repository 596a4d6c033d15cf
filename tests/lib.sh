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
summary() { echo "$1: $PASS passed, $FAIL failed, $SKIP skipped"; [ "$FAIL" -eq 0 ]; }

TMUX_SOCK="stormtop-test-$$"
tm() { tmux -L "$TMUX_SOCK" "$@"; }
tm_cleanup() { tm kill-server 2>/dev/null || true; }
trap tm_cleanup EXIT

# Starts CMD in a detached WxH session named NAME; the pane stays after
# the command exits and shows its exit status.
tm_start() {
	local name=$1 w=$2 h=$3; shift 3
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
