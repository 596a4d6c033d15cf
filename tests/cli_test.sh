#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The binary from the outside: exit codes, one-line errors, batch output,
# CPU filter, and an unprivileged run.
set -u
export LC_ALL=C.UTF-8
cd "$(dirname "$0")/.."
. tests/lib.sh

# usage errors: exit 2, exactly one line on stderr naming the problem
usage_error() {
	local want=$1; shift
	local err rc
	err=$("$BIN" "$@" 2>&1 >/dev/null </dev/null); rc=$?
	check "'$*' -> exit 2, one line mentioning '$want'" \
		"[ $rc -eq 2 ] && [ \$(wc -l <<<\"\$err\") -eq 1 ] && grep -q -- \"$want\" <<<\"\$err\"" "rc=$rc: $err"
}
usage_error "unknown option '--nope'" --nope
usage_error "-d" -d 0
usage_error "-d" -d abc
usage_error "-n" -n 0
# a number is typed one way: " 1" passed where "1 " did not, and
# strtod's hex and sign rode along (0x1 s, +1)
usage_error "-d" -d " 1" -b -n 1
usage_error "-d" -d 0x1 -b -n 1
usage_error "-d" -d +1 -b -n 1
usage_error "-n" -n " 3" -b
usage_error "--history" --history " 20" -b -n 1
usage_error "missing value" --cpus
usage_error "--cpus: CPU 100000 in .0-100000. is beyond the last CPU" --cpus 0-100000 -b -n 1
usage_error "bad CPU list" --cpus 1-0 -b -n 1
usage_error "not a cgroup v2 path" --cgroup foo
usage_error "not a cgroup v2 path" --cgroup /a//b
# no cgroup is named . or ..: such a path climbs out of the mount (stat
# would find /etc) or spells another cgroup than the filter compares
for p in /../../../../etc /. /./ /a/.. /a/../b /..; do
	usage_error "not a cgroup v2 path" --cgroup "$p" -b -n 1
done
# live --cgroup names a subtree that exists now under the cgroup2 mount
# (the reference: the mount in /proc/mounts, the directory under it)
cg2=$(cg2_mount)
if [ -n "$cg2" ]; then
	usage_error "no cgroup /nosuch-$$ under the cgroup2 mount $cg2" --cgroup /nosuch-$$ -b -n 1
	"$BIN" --cgroup / -b -n 1 -d 0.1 >/dev/null 2>&1
	check "--cgroup / (the mount's root) runs: exit 0" "[ $? -eq 0 ]"
else
	skip "--cgroup against the host: no cgroup2 mount in /proc/mounts"
fi
usage_error "--thresholds" --thresholds 9
# --history costs what it holds: 100000 ticks of 4096 CPUs' heatmap cells
# alone are 100000 * 6 metrics * 4096 * 8 B = 19.7 GB (by hand), refused
# when that passes half of MemAvailable; batch keeps no cells
avail=$(awk '/^MemAvailable:/ { printf "%.0f", $2 * 1024 }' /proc/meminfo)
if [ -n "$avail" ] && [ "$avail" -lt $((2 * 100000 * 6 * 4096 * 8)) ]; then
	usage_error "more than half of the" --synthetic 4096:8 --history 100000 -n 1
else
	skip "--history past memory: MemAvailable ${avail:-unknown} holds 100000 ticks of 4096 CPUs"
fi
usage_error "unexpected argument" extra
usage_error "which file? (-o FILE)" record
usage_error "which recording?" play
usage_error "which recording?" dump
usage_error "not a segment name" --attach 'bad name!' -b -n 1
usage_error "not a segment name" --attach '.hidden' -b -n 1
usage_error "at most 4 applications" --attach a --attach b --attach c --attach d --attach e
usage_error "no user 'no-such-user-x'" --attach-owner no-such-user-x
usage_error "--jitter-probe: CPU 100000 in .0-100000. is beyond the last CPU" --jitter-probe 0-100000 -b -n 1
# in playback the CPUs are the recording's (2 here), and a bad list is a
# usage error there too
usage_error "--cpus: CPU 99 in .0-99. is beyond the last CPU (2 CPUs: 0-1)" play tests/fixtures/rec/seed-2cpu.rec --cpus 0-99
usage_error "--cpus: bad CPU list" dump tests/fixtures/rec/seed-2cpu.rec --cpus x
usage_error "bad CPU list" --jitter-probe x -b -n 1
usage_error "--format: 'xml' is not csv or json" dump x.rec --format xml
# each command is offered only its own formats: dump took "text" and
# printed JSON; drill and check have no CSV
usage_error "--format: 'text' is not csv or json" dump x.rec --format text
usage_error "--format: 'csv' is not text or json" drill x.rec --format csv
usage_error "--format: 'csv' is not text or json" check --format csv
usage_error "--rotate" record -o x.rec --rotate 1k
usage_error "--duration" record -o x.rec --duration soon
# a --root past what the collectors' paths hold (HOSTFS_ROOT_MAX) was
# taken and cut short in them: "no CPU list at <part of it>", exit 1
long_root=/tmp/$(printf 'r%.0s' $(seq 1100))
usage_error "--root: longer than" --root "$long_root" -b -n 1
usage_error "--root: longer than" record --root "$long_root" -o x.rec
usage_error "--keep" record -o x.rec --keep 0
usage_error "unexpected argument" play a.rec b.rec

out=$("$BIN" --help); rc=$?
check "--help exits 0 and documents exit codes" "[ $rc -eq 0 ] && grep -q 'Exit status' <<<\"\$out\""
# Each command has its own help and takes exactly the options it lists:
# every option of any command's help is refused by the commands whose help
# does not list it, and only by those.
# stormtop --help lists every command's summary (its own --help's second
# line) in one column, the 47th, after its synopsis or under a long one
top=$("$BIN" --help)
for cmd in record play dump drill check stacks report diff; do
	s=$("$BIN" $cmd --help | sed -n 2p | sed 's/\.$//')
	s="$(tr '[:upper:]' '[:lower:]' <<<"${s:0:1}")${s:1}"
	check "stormtop --help: the $cmd summary in column 47" \
		"awk -v s=\"\$s\" 'index(\$0, s) == 47 { f = 1 } END { exit !f }' <<<\"\$top\"" "$(head -14 <<<"$top")"
done
help_opts() { "$BIN" $1 --help | grep -oE '^(  -[a-zA-Z], |      )--[a-z-]+' | grep -oE -- '--[a-z-]+'; }
all_opts=$(for cmd in "" record play dump drill check stacks report diff; do help_opts "$cmd"; done | sort -u)
for cmd in "" record play dump drill check stacks report diff; do
	help=$("$BIN" $cmd --help); rc=$?
	check "'stormtop $cmd --help': exit 0, its own usage line" "[ $rc -eq 0 ] && grep -q '^Usage: stormtop${cmd:+ $cmd}' <<<\"\$help\"" "$help"
	mine=" $(help_opts "$cmd" | tr '\n' ' ')" wrong=""
	for opt in $all_opts; do
		# two bad words after it: it never runs, whatever it takes
		if "$BIN" $cmd "$opt" --nope --nope 2>&1 </dev/null | grep -q 'is not an option'; then
			[[ $mine == *" $opt "* ]] && wrong="$wrong $opt(refused)"
		else
			[[ $mine == *" $opt "* ]] || wrong="$wrong $opt(taken)"
		fi
	done
	check "'stormtop $cmd' takes the $(wc -w <<<"$mine") options its help lists, refuses the other $(($(wc -w <<<"$all_opts") - $(wc -w <<<"$mine")))" "[ -z \"$wrong\" ]" "$wrong"
done
usage_error "dump: --delay is not an option of dump; only live, record and stacks take it" dump x.rec -d 1
usage_error "record: --batch is not an option of record" record -o x.rec -b
usage_error "play: --batch is not an option of play" -b -r x.rec
out=$("$BIN" dump --help)
check "dump --help lists --metrics, not --delay" "grep -q -- '--metrics' <<<\"\$out\" && ! grep -q -- '--delay' <<<\"\$out\""
check "--version" "\"$BIN\" --version | grep -Eq '^stormtop [0-9]+\.[0-9]+'"

# dump json: each CPU's run-queue octaves (record 252) keyed by their lower
# bound, 0 or a power of two from 16, adding up to the CPU's rq_n; null in
# a recording made before them (a fixture) where the CPU had waits
recdir=$(mktemp -d); rec=$recdir/oct.rec
"$BIN" record -o "$rec" -d 0.1 -n 3 --synthetic 4 2>/dev/null
out=$("$BIN" dump "$rec" --format json | tail -1)
check "dump json: rq_hist_octaves per CPU, keys octave bounds, sum = rq_n" \
	"jq -e '[.cpus[] | (.rq_hist_octaves | to_entries) as \$o | (\$o | map(.value) | add) == .rq_n and .rq_n > 0 and (\$o | all(.key | tonumber | . == 0 or (. >= 16 and (log2 | . == floor))))] | length == 4 and all' <<<\"\$out\" >/dev/null" "$out"
out=$("$BIN" dump tests/fixtures/rec/seed-2cpu.rec --format json | sed -n 3p)
check "dump json: an old recording's CPUs with waits have rq_hist_octaves null" \
	"jq -e '[.cpus[] | select(.rq_n > 0)] | length > 0 and all(.rq_hist_octaves == null)' <<<\"\$out\" >/dev/null" "$out"
rm -rf "$recdir"

err=$("$BIN" -d 0.1 -n 1 2>&1 </dev/null >/dev/null); rc=$?
check "no terminal -> exit 1, one line, suggests -b" "[ $rc -eq 1 ] && grep -q 'use -b' <<<\"\$err\" && [ \$(wc -l <<<\"\$err\") -eq 1 ]" "rc=$rc $err"

out=$("$BIN" -b -d 0.1 -n 3); rc=$?
ncpu=$(getconf _NPROCESSORS_CONF)
check "batch: header + one line per CPU per tick" "[ $rc -eq 0 ] && [ \$(wc -l <<<\"\$out\") -eq $((1 + 3 * ncpu)) ]" "$out"
check "batch: stable column names" "head -1 <<<\"\$out\" | grep -q \$'^seq\ttime\tinterval_s\tcpu\tnode\tonline\ttlb\tcal\tres\tloc\tiommu\ttlb_per_s'"
# Ticks keep to a 0.1 s grid: a busy host may make one late (and the next
# short), but ten of them span ten intervals, give or take the last one.
ticks=$("$BIN" -b -d 0.1 -n 10 --cpus 0 2>/dev/null)
check "batch: intervals near 0.1 s (10 span $(awk -F'\t' 'NR>1 { s += $3 } END { printf "%.3f", s }' <<<"$ticks") s)" \
	"awk -F'\t' 'NR>1 { s += \$3; n++ } END { exit !(n == 10 && s >= 0.95 && s <= 1.2) }' <<<\"\$ticks\""
out=$("$BIN" -b -d 0.1 -n 2 --cpus 0)
check "--cpus 0 prints only CPU 0" "[ \$(awk -F'\t' 'NR>1 && \$4 != 0' <<<\"\$out\" | wc -l) -eq 0 ] && [ \$(wc -l <<<\"\$out\") -eq 3 ]" "$out"
tree=$(mktemp -d); mkdir -p "$tree/sys/devices/system/cpu"; echo 0-3 >"$tree/sys/devices/system/cpu/possible"
err=$("$BIN" -b -d 0.1 -n 1 --root "$tree" 2>&1 >/dev/null); rc=$?
rm -rf "$tree"
check "a tree without /proc still runs and says what is missing" "[ $rc -eq 0 ] && grep -q 'interrupts: no /proc/interrupts' <<<\"\$err\" && grep -q 'vmstat: no /proc/vmstat' <<<\"\$err\"" "rc=$rc $err"
err=$("$BIN" -b -n 1 --root /nonexistent 2>&1 >/dev/null); rc=$?
check "--root without a CPU list -> exit 1, one line" "[ $rc -eq 1 ] && [ \$(wc -l <<<\"\$err\") -eq 1 ] && grep -q 'no CPU list' <<<\"\$err\"" "rc=$rc $err"
out=$("$BIN" -b -d 0.1 -n 1 --root tests/fixtures/root-64cpu-2node 2>/dev/null)
check "--root: 64 CPUs on 2 nodes from the tree's sysfs" "[ \$(awk -F'\t' 'NR>1' <<<\"\$out\" | wc -l) -eq 64 ] && awk -F'\t' '\$4==31 && \$5!=0 || \$4==32 && \$5!=1 { bad=1 } END { exit bad }' <<<\"\$out\"" "$out"
# A host shape from a generated tree: $1 CPUs, all on node 0.
make_tree() {
	local dir=$1 n=$2 c
	mkdir -p "$dir/proc" "$dir/sys/devices/system/cpu"
	echo "0-$((n - 1))" >"$dir/sys/devices/system/cpu/possible"
	{
		for ((c = 0; c < n; c++)); do printf ' CPU%d' "$c"; done; echo
		printf 'TLB:'; for ((c = 0; c < n; c++)); do printf ' %d' $((c * 3)); done; echo ' TLB shootdowns'
		printf 'LOC:'; for ((c = 0; c < n; c++)); do printf ' 1'; done; echo ' Local timer'
	} >"$dir/proc/interrupts"
}
for n in 1 512; do
	tree=$(mktemp -d); make_tree "$tree" "$n"
	out=$("$BIN" -b -d 0.1 -n 2 --root "$tree" 2>/dev/null); rc=$?
	check "$n CPU(s): batch runs, every CPU on every tick" "[ $rc -eq 0 ] && [ \$(wc -l <<<\"\$out\") -eq $((1 + 2 * n)) ]" "rc=$rc"
	tm_start "h$n" 80 24 "$BIN -d 0.2 -n 10 --root $tree"
	check "$n CPU(s): the TUI counts all CPUs and draws from cpu0 (alone, or its block)" "tm_wait h$n 'CPUs $n/$n' 5 && tm_wait h$n '^ cpu0 |^ 0-[0-9]+ ' 1" "$(tm_cap h$n)"
	check "$n CPU(s): and exits cleanly" "tm_wait h$n 'EXITED 0' 10" "$(tm_cap h$n)"
	rm -rf "$tree"
done

err=$("$BIN" -b -d 0.1 -n 1 2>&1 >/dev/null)
check "batch on this host names only the sources that are missing" "! grep -q 'interrupts:' <<<\"\$err\"" "$err"

if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null; then
	out=$(setpriv --reuid=nobody --regid=nogroup --clear-groups ./stormtop -b -d 0.1 -n 1 2>/dev/null); rc=$?
	check "runs as an unprivileged user (nobody)" "[ $rc -eq 0 ] && [ \$(wc -l <<<\"\$out\") -eq $((1 + ncpu)) ]" "rc=$rc $out"
	err=$(setpriv --reuid=nobody --regid=nogroup --clear-groups ./stormtop -b -d 0.1 -n 1 2>&1 >/dev/null)
	check "unprivileged: procfs only, and says why" "grep -q 'bpf: not permitted: needs CAP_BPF and CAP_PERFMON (or root): procfs only' <<<\"\$err\" && grep -q 'perf: not permitted: needs CAP_PERFMON' <<<\"\$err\"" "$err"
	check "unprivileged: /proc/interrupts still read" "! grep -q 'interrupts:' <<<\"\$err\"" "$err"
else
	[ "${CI:-}" = true ] && bad "unprivileged run: CI must run as root (with setpriv and nobody)"
	skip "unprivileged run: needs root to drop to nobody"
fi

# Probes and --disable: one tracepoint off leaves every other one working.
if [ "$(id -u)" -eq 0 ]; then
	tmpo=$(mktemp)
	out=$(./stormtop --probes --disable sched_switch 2>&1); rc=$?
	check "--probes lists each tracepoint's state" "[ $rc -eq 0 ] && grep -Eq '^tlb	tlb_flush	(tp_btf|raw_tp)	[0-9]+	attached\$' <<<\"\$out\"" "$out"
	check "--probes lists the call-site sampler's programs, loaded and detached until asked for" "[ \$(grep -Ec '^stacks	(tlb_flush|sys_enter|csd_queue_cpu)	(tp_btf|raw_tp)	-	detached: ' <<<\"\$out\") -eq 3 ]" "$out"
	check "--disable: that tracepoint is off, and said" "grep -q '^rqlat	sched_switch	tp_btf	-	disabled\$' <<<\"\$out\" && grep -q 'bpf: .*disabled: sched_switch' <<<\"\$out\"" "$out"
	check "--disable: the others still attach" "[ \$(grep -c '	attached\$' <<<\"\$out\") -ge 18 ]" "$out"
	out=$(./stormtop --probes --raw-tp 2>&1)
	check "--raw-tp: the raw_tp twins attach" "grep -Eq '^rqlat	sched_switch	raw_tp	[0-9]+	attached\$' <<<\"\$out\" && ! grep -q '	tp_btf	' <<<\"\$out\"" "$out"
	# TLB still counted: on churn's CPU, the eBPF count (tlb_rx) agrees with
	# /proc/interrupts (tlb) over the same tick, whatever else is sent there
	tools/churn -c 1 -m 0 -t 2 -q >/dev/null &
	out=$(./stormtop -b -d 0.5 -n 3 --disable sched_switch,sched_wakeup 2>/dev/null)
	wait
	check "--disable sched_*: no run-queue figures ('-'), TLB still counted" "awk -F'\t' 'NR>1 && \$21 != \"-\" {bad=1} NR>1 && \$4==1 && \$17 > 50 && \$17 <= 1.1 * \$7 + 2 && \$17 + 2 >= 0.9 * \$7 {hot=1} END {exit bad || !hot}' <<<\"\$out\"" "$out"
	# Call sites named after the drop, through the opener: sitesim (root,
	# every capability: out of a capability-less stormtop's reach) is named
	# from its binary, the kernel frames from kallsyms, not "[unknown]".
	tools/sitesim -n 200000 >/dev/null & sim=$!
	out=$(./stormtop stacks --pid $sim --seconds 2 2>&1); rc=$?
	kill $sim 2>/dev/null; wait $sim 2>/dev/null
	stk_off=
	if [ $rc -ne 0 ] && grep -q 'stacks: off' <<<"$out"; then
		stk_off=$(head -1 <<<"$out")
		skip "stacks names frames after the drop: $stk_off"
	else
		check "stacks names frames after the drop: sitesim_unmap_here and flush_tlb_mm_range" "[ $rc -eq 0 ] && grep -q ';sitesim_unmap_here+0x[0-9a-f]*;' <<<\"\$out\" && grep -q ';flush_tlb_mm_range+0x[0-9a-f]*_\[k\]' <<<\"\$out\"" "rc=$rc: $(head -c 2000 <<<"$out")"
		# record --pid: the same sites in the file, read back by stacks FILE
		tools/sitesim -n 200000 >/dev/null & sim=$!
		./stormtop record --pid $sim -o "$tmpo.rec" --duration 2 >/dev/null 2>&1; rc=$?
		kill $sim 2>/dev/null; wait $sim 2>/dev/null
		out=$(./stormtop stacks "$tmpo.rec" 2>&1)
		check "record --pid keeps the call sites: stacks FILE names sitesim_unmap_here" "[ $rc -eq 0 ] && grep -q ';sitesim_unmap_here+0x[0-9a-f]*;__munmap' <<<\"\$out\"" "rc=$rc: $(head -c 2000 <<<"$out")"
		rm -f "$tmpo.rec"
		# a process that flushes nothing: no stacks, exit 0, said in one
		# line (empty output alone read as a sampler that did not run)
		sleep 30 & idle=$!
		err=$(./stormtop stacks --pid $idle --seconds 1 2>&1 >"$tmpo"); rc=$?
		kill $idle; wait $idle 2>/dev/null
		check "stacks on an idle process: exit 0, nothing on stdout, one line why" \
			"[ $rc -eq 0 ] && [ ! -s $tmpo ] && [ \$(wc -l <<<\"\$err\") -eq 1 ] && grep -q 'process $idle made no TLB flushes or map calls' <<<\"\$err\"" "rc=$rc: $err"
	fi
	# read once it has printed a sample: the collectors are open by then,
	# however long a busy host took to load them
	./stormtop -b -d 0.2 -n 25 >"$tmpo" 2>/dev/null & pid=$!
	for _ in $(seq 1 200); do [ "$(wc -l <"$tmpo")" -ge 2 ] && break; sleep 0.05; done
	# $pid is stormtop itself ($!), never its opener child; the opener
	# (collectors/privsep.h) keeps CAP_SYS_PTRACE, CAP_SYSLOG and
	# CAP_CHECKPOINT_RESTORE (bits 19, 34, 40) and goes with stormtop
	caps=$(awk '/^CapEff|^CapPrm/ {print $2}' /proc/$pid/status 2>/dev/null | sort -u)
	opener=$(grep -l "^PPid:	$pid\$" /proc/[0-9]*/status 2>/dev/null | xargs -r grep -l '^Name:	stormtop-open$' | cut -d/ -f3)
	ocaps=$( [ -n "$opener" ] && awk '/^CapEff|^CapPrm/ {print $2}' /proc/$opener/status 2>/dev/null | sort -u)
	wait $pid
	check "capabilities dropped once the collectors are open" "[ \"\$caps\" = 0000000000000000 ]" "caps: $caps"
	if [ -n "$stk_off" ]; then
		skip "the opener: none without the stack sampler ($stk_off)"
	else
		want=$(printf '%016x' $((0x$(awk '/^CapEff/ {print $2}' /proc/self/status) & 0x10400080000)))
		check "the opener holds only CAP_SYS_PTRACE, CAP_SYSLOG, CAP_CHECKPOINT_RESTORE" "[ \"\$ocaps\" = $want ]" "opener '$opener' caps: $ocaps, want $want"
		check "the opener is gone with stormtop" "[ -n \"\$opener\" ] && ! [ -e /proc/\$opener ]" "opener: $opener"
	fi
	rm -f "$tmpo"
	tools/churn -c 1 -m 0 -t 3 -q >/dev/null &
	err=$(./stormtop -b -d 0.1 -n 25 2>&1 >/dev/null)
	wait
	check "stormtop sends no TLB shootdowns itself during a storm" "grep -q 'own TLB shootdowns sent after start-up: 0\$' <<<\"\$err\"" "$err"
	err=$(./stormtop -b -n 1 --disable bpf,perf 2>&1 >/dev/null)
	check "--disable bpf,perf: both off, said" "grep -q 'bpf: turned off' <<<\"\$err\" && grep -q 'perf: turned off' <<<\"\$err\"" "$err"
else
	[ "${CI:-}" = true ] && bad "probes: CI must run as root"
	skip "probes and --disable: need root"
fi
check "--disable: an unknown name is a usage error" "./stormtop --disable bogus -b -n 1 2>&1 >/dev/null | grep -q \"unknown name 'bogus'\"; [ \${PIPESTATUS[0]} -eq 2 ]"
summary cli
