#!/bin/bash
# Runs inside a lab guest (boot.sh), as root, from the stormtop tree the
# host shares read-only: makes the activity each check needs and records
# what stormtop and the kernel's own counters (perf, /proc, tracefs) said
# about it into $R (the host's results directory for this kernel, /lab
# here); analyse.sh judges it on the host, where TCG does not slow the
# arithmetic down fifty times.  One recording (stormtop record, with
# /metrics on the guest's loopback) spans every phase; each phase notes its
# window in CLOCK_REALTIME seconds (phases.tsv) so the analysis can sum the
# recording's frames over the same span.
#
# The guest's shape is the host's promise (boot.sh): node 0 = CPUs 0-3,
# node 1 = CPUs 4-7, node 2 = memory only.  CPUs the checks own: churn
# touchers on 2 and 5 (mutator on 0), run-queue hogs on 3 and 6.
set -u
R=${R:-/lab}
PORT=9464
cd "$(dirname "$0")/../.." || exit 1
export LC_ALL=C.UTF-8 TZ=UTC
ST=./stormtop
exec 3>&1
log() { echo "lab-guest: $* ($(cut -d' ' -f1 /proc/uptime) s)" >&3; }
now() { date +%s.%N; }
phase() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$R/phases.tsv"; }
metrics() { curl -s --max-time 10 "http://127.0.0.1:$PORT/metrics"; }
frames() { metrics | awk '$1 == "stormtop_frames_total" { print $2 }'; }
# Waits until the recorder has taken N more frames (at most 30 s).
wait_frames() {
	local want=$(( $(frames || echo 0) + $1 )) i
	for i in $(seq 300); do [ "$(frames || echo 0)" -ge "$want" ] && return 0; sleep 0.1; done
	return 1
}
# stuck NAME PID: where PID and its children sleep in the kernel, thread
# by thread, to $R/stuck-NAME.txt; then they are killed.
stuck() {
	local p t
	for p in "$2" $(pgrep -P "$2"); do
		for t in /proc/"$p"/task/*; do
			echo "== $t $(cat "$t/comm" 2>/dev/null) wchan $(cat "$t/wchan" 2>/dev/null)"
			cat "$t/stack" 2>/dev/null
		done
	done > "$R/stuck-$1.txt"
	log "$1: still running, killed (stuck-$1.txt)"
	pkill -KILL -P "$2"
	kill -KILL "$2"
}
# gone PID SECONDS: waits up to SECONDS for PID to end; 1 if it did not.
gone() {
	local i
	for i in $(seq $(($2 * 4))); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.25; done
	return 1
}
# bounded SECONDS NAME CMD...: runs CMD (output as the caller redirects
# it); one stuck step must not take the guest's whole time, so past
# SECONDS it is killed (stuck).  CMD's status, 124 when killed.
bounded() {
	local secs=$1 name=$2 pid
	shift 2
	"$@" &
	pid=$!
	gone "$pid" "$secs" || { stuck "$name" "$pid"; wait "$pid" 2>/dev/null; return 124; }
	wait "$pid"
}
# The tracepoints this kernel reports IOMMU mappings and IOTLB
# invalidations with (check-iommu.sh says which means what), for perf stat.
iommu_events() {
	local e out=""
	for e in $(awk '{ print $2 }' tests/lab/iommu-events.txt); do
		grep -qx "$e" /sys/kernel/tracing/available_events && out="$out${out:+,}$e"
	done
	echo "$out"
}
# The TLB line every 20 ms: "realtime_s count_cpu0 ... count_cpuN".
tlb_log() {
	local line f
	mkfifo /tmp/lab-tick 2>/dev/null
	exec {f}<> /tmp/lab-tick
	while :; do
		while read -r line; do
			[[ $line == TLB:* ]] && { echo "$EPOCHREALTIME ${line#TLB:}"; break; }
		done < /proc/interrupts
		read -r -t 0.02 -u "$f"
	done
}

rm -f "$R"/phases.tsv "$R"/checks.tsv
ip link set lo up
log "kernel $(uname -r)"

# --- the guest as the kernel sees it: the references for the NUMA and probe checks
{
	uname -r
	for n in /sys/devices/system/node/node[0-9]*; do
		echo "node ${n##*node} cpus=$(cat "$n/cpulist") mem_kb=$(awk '/MemTotal/ { print $4 }' "$n/meminfo")"
	done
	echo "iommu $(ls /sys/class/iommu 2>/dev/null | tr '\n' ' ')"
	echo "btf $([ -e /sys/kernel/btf/vmlinux ] && echo yes || echo no)"
} > "$R/guest-info.txt"
cp /sys/kernel/tracing/available_events "$R/available_events"
for o in build/bpf/*.bpf.o; do
	readelf -SW "$o" | awk -v u="$(basename "$o" .bpf.o)" \
		'{ for (i = 1; i <= NF; i++) if ($i ~ /^(tp_btf|raw_tp|raw_tracepoint|tp|tracepoint)\//) print u "\t" $i }'
done > "$R/bpf-sections.tsv"
grep -ho '[a-z_]*\.skel\.h' collectors/*.c | sed 's/\.skel\.h$//' | sort -u > "$R/bpf-units.txt"

# --- probes
log "stormtop --probes"
bounded 300 probes $ST --probes > "$R/probes.tsv" 2> "$R/probes.err"
echo "$?" > "$R/probes.rc"

# --- one recording over every phase, /metrics beside it
log "stormtop record"
rm -f /tmp/lab.rec
$ST record -o /tmp/lab.rec -d 1 --prometheus 127.0.0.1:$PORT > "$R/record.out" 2> "$R/record.err" &
rec=$!
for i in $(seq 600); do [ -n "$(frames)" ] && break; sleep 0.1; done
wait_frames 2 || log "the recorder is not answering"
bpftool -j link list > "$R/links.json" 2> "$R/links.err"

# --- background: the IOMMU tracepoints over 3 quiet seconds
log "quiet window"
ev=$(iommu_events)
t0=$(now)
bounded 120 perf-quiet perf stat -a -x, -o "$R/quiet-perf.csv" -e "$ev" -- sleep 3
t1=$(now)
phase quiet "$t0" "$t1"

# --- IOMMU: O_DIRECT reads of the scratch disk behind the vIOMMU
log "IOMMU burst"
t0=$(now)
bounded 120 perf-iommu perf stat -a -x, -o "$R/iommu-perf.csv" -e "$ev" -- \
	dd if=/dev/vda of=/dev/null iflag=direct bs=64k count=2048 2> "$R/iommu-dd.txt"
t1=$(now)
phase iommu "$t0" "$t1"
# the regime must come back: cooldown 10 s and dwell 2 s by default
for i in $(seq 40); do
	metrics > "$R/iommu-regime.prom"
	grep -q '^stormtop_regime_iommu_state{state="MAP_STABLE"} 1' "$R/iommu-regime.prom" && break
	sleep 1
done
phase iommu_settled "$t1" "$(now)"

# --- TLB shootdowns: tools/churn's touchers receive them.  The TLB line of
# /proc/interrupts is logged every 20 ms around it (bash builtins only, so
# the log itself forks nothing), 2 quiet seconds before and after.
log "TLB churn"
wait_frames 1
tlb_log > "$R/tlb-log.txt" &
tl=$!
t0=$(now)
sleep 2
c0=$(now)
bounded 60 churn tools/churn -c 2,5 -m 0 -t 4 -q > "$R/churn.out" 2>&1
c1=$(now)
sleep 2
t1=$(now)
kill "$tl"; wait "$tl" 2>/dev/null
phase tlb "$t0" "$t1"
phase churn "$c0" "$c1"

# --- run-queue delay: three hogs on CPU 3 and three on CPU 6, perf records the sched tracepoints
log "run-queue hogs"
hogs=""
for c in 3 3 3 6 6 6; do taskset -c "$c" sh -c 'while :; do :; done' & hogs="$hogs $!"; done
t0=$(now)
bounded 120 perf-record perf record -q -a -B -N -k CLOCK_MONOTONIC -m 512 -o /tmp/rq.data \
	-e sched:sched_switch,sched:sched_wakeup,sched:sched_wakeup_new -- sleep 6 2> "$R/rq-perf.err"
t1=$(now)
# shellcheck disable=SC2086
kill $hogs; wait $hogs 2>/dev/null
phase runq "$t0" "$t1"
bounded 180 perf-script perf script -i /tmp/rq.data -F cpu,time,event,trace --ns > /tmp/rq.txt 2> "$R/rq-script.err"
# "cpu time: event: fields", compressed: the judge turns it into delays
awk '{ sub(/^ *\[/, ""); sub(/\]/, "") } { print }' /tmp/rq.txt | gzip -1 > "$R/rq-perf.txt.gz"

# --- NUMA in every output: /metrics, a batch run, the live UI
log "NUMA outputs"
metrics > "$R/numa.prom"
bounded 180 batch $ST -b -d 1 -n 2 > "$R/batch.tsv" 2> "$R/batch.err"
tmux -L lab kill-server 2>/dev/null
tmux -L lab new-session -d -s ui -x 200 -y 50 "$ST -d 1 --no-color; sleep 60"
for i in $(seq 60); do tmux -L lab capture-pane -p -t ui | grep -q '^node ' && break; sleep 0.5; done
sleep 2
tmux -L lab capture-pane -p -t ui > "$R/tui.txt"
tmux -L lab send-keys -t ui q
sleep 1
tmux -L lab kill-server 2>/dev/null

# --- the recording: stopped, dumped here; the host dumps the same file
log "stopping the recorder"
kill -TERM "$rec"
gone "$rec" 60 || stuck record "$rec"
wait "$rec"
echo "$?" > "$R/record.rc"
cp /tmp/lab.rec "$R/lab.rec"
bounded 120 dump $ST dump /tmp/lab.rec --format json > "$R/dump-guest.json" 2> "$R/dump-guest.err"
dmesg > "$R/dmesg.txt"
log "done"
