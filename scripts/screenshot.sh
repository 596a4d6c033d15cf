#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Refreshes screenshots/: stormtop in tmux, captured with colours and
# rendered to PNG (scripts/ansi2png.py).  The overview watches this host
# while tools/churn storms in bursts; the other views use the synthetic
# source (--synthetic), so a 2-CPU VM can show a 256-CPU host.  The host's
# name stays out of the pictures: run in a UTS namespace named "demo".
# The report's page (stormtop report) is shot by headless Chromium.
# With the argument "report", only that one.
set -eu
if [ -z "${SHOT_UTS:-}" ] && [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null; then
	exec env SHOT_UTS=1 unshare -u sh -c 'hostname demo && exec "$0" "$@"' "$0" "$@"
fi
cd "$(dirname "$0")/.."
for p in python3-pil fonts-dejavu-core tmux chromium; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" && continue
	[ "$(id -u)" -eq 0 ] || { echo "screenshot: run: sudo apt-get install -y python3-pil fonts-dejavu-core tmux chromium" >&2; exit 1; }
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pil fonts-dejavu-core tmux chromium >/dev/null
done
[ -x stormtop ] && [ -x tools/churn ] || make all
sock=stormtop-shot-$$
trap 'tmux -L $sock kill-server 2>/dev/null || true' EXIT
mkdir -p screenshots
cfg=$(mktemp -d) # the shots use the defaults, not the user's settings

# shot NAME COLS ROWS "ARGS" "KEYS" SETTLE: starts stormtop, lets it run,
# sends the keys, captures.
shot() {
	local name=$1 w=$2 h=$3 args=$4 keys=$5 settle=$6
	tmux -L "$sock" new-session -d -s "$name" -x "$w" -y "$h" \
		"env LANG=C.UTF-8 TERM=xterm-256color XDG_CONFIG_HOME=$cfg ./stormtop $args"
	sleep "$settle"
	for k in $keys; do tmux -L "$sock" send-keys -t "$name" "$k"; sleep 0.2; done
	sleep 0.5
	tmux -L "$sock" capture-pane -e -p -t "$name" >"screenshots/$name.ansi"
	tmux -L "$sock" kill-session -t "$name"
	/usr/bin/python3 scripts/ansi2png.py "screenshots/$name.ansi" "screenshots/$name.png" "$w" "$h"
	rm -f "screenshots/$name.ansi"
	echo "screenshots/$name.png"
}

# the report of a live recording: churn storms CPU 1 in bursts while it records
report_shot() {
	local dir
	dir=$(mktemp -d)
	tools/churn -c 1 -m 0 -t 10 -b 2,1.5 -q >/dev/null &
	./stormtop record -o "$dir/storm.rec" -d 0.25 --duration 12 >/dev/null 2>&1
	wait
	(cd "$dir" && "$OLDPWD/stormtop" report storm.rec -o storm.html)
	chromium --headless --no-sandbox --disable-gpu --user-data-dir="$dir/chrome" --hide-scrollbars \
		--window-size=1100,1500 --screenshot="$PWD/screenshots/report.png" "file://$dir/storm.html" >/dev/null 2>&1
	rm -rf "$dir"
	echo "screenshots/report.png"
}
report_shot
if [ "${1:-}" = report ]; then
	rm -rf "$cfg"
	exit
fi

# the overview, live: churn storms CPU 1 in bursts while it runs
tools/churn -c 1 -m 0 -t 12 -b 2,1.5 -q >/dev/null &
shot overview 160 40 "-d 0.25" "" 8
wait
tools/churn -c 1 -m 0 -t 12 -b 2,1.5 -q >/dev/null &
shot overview-80x24 80 24 "-d 0.25" "" 8
wait
# the drill-down, live too: the run-queue histogram is measured (synthetic has none)
tools/churn -c 1 -m 0 -t 12 -b 2,1.5 -q >/dev/null &
shot drill-down 160 42 "-d 0.25" "Down Enter" 8
wait
shot process-table 160 30 "-d 0.25 --synthetic 32:2" "p F6" 6
shot help 120 45 "-d 0.25 --synthetic 32:2" "F1" 2
shot many-core-256 200 60 "-d 0.25 --synthetic 256:4" "" 10
shot many-core-256-fold 200 150 "-d 0.25 --synthetic 256:4 --theme colorblind" "f f" 10
shot hygiene 160 28 "-d 0.5" "y" 2
rm -rf "$cfg"
