#!/bin/bash
# Refreshes screenshots/: stormtop live in tmux while tools/churn storms
# in bursts, captured with colours and rendered to PNG.
set -eu
cd "$(dirname "$0")/.."
for p in python3-pil fonts-dejavu-core tmux; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" && continue
	[ "$(id -u)" -eq 0 ] || { echo "screenshot: run: sudo apt-get install -y python3-pil fonts-dejavu-core tmux" >&2; exit 1; }
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pil fonts-dejavu-core tmux >/dev/null
done
[ -x stormtop ] && [ -x tools/churn ] || make all
sock=stormtop-shot-$$
trap 'tmux -L $sock kill-server 2>/dev/null || true' EXIT
tmux -L "$sock" new-session -d -s s -x 100 -y 24 "env LANG=C.UTF-8 TERM=xterm-256color ./stormtop -d 0.25"
sleep 1
tools/churn -c 1 -m 0 -t 9 -b 2,1.5 -q >/dev/null
sleep 0.5
tools/churn -c 1 -m 0 -t 1.5 -q >/dev/null &
sleep 1.2
tmux -L "$sock" capture-pane -e -p -t s >screenshots/heatmap-storm.ansi
wait
/usr/bin/python3 scripts/ansi2png.py screenshots/heatmap-storm.ansi screenshots/heatmap-storm.png 100 24
rm -f screenshots/heatmap-storm.ansi
echo "screenshots/heatmap-storm.png"
