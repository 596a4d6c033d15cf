#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# stormtop check against fixture /proc and /sys trees (--prefix): a host
# with every finding, a well-kept host with none, and the live host.
set -u
export LC_ALL=C.UTF-8
cd "$(dirname "$0")/.."
. tests/lib.sh

dir=$(mktemp -d)
trap 'rm -rf "$dir"; tm_cleanup' EXIT

# put TREE PATH CONTENT: one file of a fixture tree.
put() { mkdir -p "$(dirname "$1/$2")"; printf '%s\n' "$3" >"$1/$2"; }

# Two nodes of four CPUs; a NIC on node 1 whose IRQs 24 and 25 run on
# node 0 and are allowed on every CPU, the isolated ones too.
base() {
	local t=$1
	put "$t" sys/devices/system/cpu/possible 0-7
	put "$t" sys/devices/system/node/node0/cpulist 0-3
	put "$t" sys/devices/system/node/node1/cpulist 4-7
	put "$t" sys/class/net/lo/flags 0x9
	put "$t" proc/1/comm systemd
	for irq in 24 25; do mkdir -p "$t/proc/irq/$irq/eth0-rx-$irq"; put "$t" "proc/irq/$irq/smp_affinity_list" 0-7; done
	mkdir -p "$t/proc/irq/30"; put "$t" proc/irq/30/smp_affinity_list 2 # no handler: unused
	put "$t" sys/class/net/eth0/device/msi_irqs/24 msi
	put "$t" sys/class/net/eth0/device/msi_irqs/25 msi
	mkdir -p "$t/sys/class/iommu/dmar0"
	printf 'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n' >"$t/proc/swaps"
}

bad=$dir/bad; base "$bad"
put "$bad" proc/cmdline "BOOT_IMAGE=/vmlinuz root=/dev/sda1 isolcpus=nohz,domain,2-3 nohz_full=2 rcu_nocbs=2"
put "$bad" sys/devices/system/cpu/isolated 2-3
put "$bad" sys/devices/system/cpu/nohz_full 2
put "$bad" sys/kernel/mm/transparent_hugepage/enabled "[always] madvise never"
put "$bad" sys/kernel/mm/transparent_hugepage/defrag "[always] defer defer+madvise madvise never"
put "$bad" proc/sys/kernel/numa_balancing 1
put "$bad" sys/kernel/mm/numa/demotion_enabled true
put "$bad" proc/4242/comm irqbalance
put "$bad" proc/irq/24/effective_affinity_list 2
put "$bad" proc/irq/25/effective_affinity_list 0
put "$bad" sys/devices/system/clocksource/clocksource0/current_clocksource hpet
for c in 0 1 2 3; do put "$bad" sys/devices/system/cpu/cpu$c/cpufreq/scaling_governor performance; done
for c in 4 5 6 7; do put "$bad" sys/devices/system/cpu/cpu$c/cpufreq/scaling_governor powersave; done
put "$bad" sys/kernel/iommu_groups/0/type DMA
put "$bad" sys/kernel/iommu_groups/1/type DMA-FQ
printf '/dev/sda2                               partition\t8388604\t\t0\t\t-2\n' >>"$bad/proc/swaps"
put "$bad" sys/class/net/eth0/device/numa_node 1

good=$dir/good; base "$good"
put "$good" proc/cmdline "root=/dev/sda1 isolcpus=6-7 nohz_full=6-7 rcu_nocbs=6-7 iommu=pt"
put "$good" sys/devices/system/cpu/isolated 6-7
put "$good" sys/devices/system/cpu/nohz_full 6-7
put "$good" sys/kernel/mm/transparent_hugepage/enabled "always [madvise] never"
put "$good" sys/kernel/mm/transparent_hugepage/defrag "always defer [defer+madvise] madvise never"
put "$good" proc/sys/kernel/numa_balancing 0
put "$good" sys/kernel/mm/numa/demotion_enabled false
put "$good" proc/irq/24/effective_affinity_list 4
put "$good" proc/irq/25/effective_affinity_list 5
put "$good" proc/irq/24/smp_affinity_list 4-5
put "$good" proc/irq/25/smp_affinity_list 4-5
put "$good" sys/devices/system/clocksource/clocksource0/current_clocksource tsc
for c in 0 1 2 3 4 5 6 7; do put "$good" sys/devices/system/cpu/cpu$c/cpufreq/scaling_governor performance; done
put "$good" sys/kernel/iommu_groups/0/type identity
put "$good" sys/class/net/eth0/device/numa_node 1

out=$("$BIN" check --prefix "$bad"); rc=$?
check "a badly kept host: exit 3" "[ $rc -eq 3 ]" "rc=$rc"
check "says how many findings" "head -1 <<<\"\$out\" | grep -q '13 findings in 14 checks'" "$(head -1 <<<"$out")"
finding() { check "finding $1: $2" "grep -E '^finding +$1 ' <<<\"\$out\" | grep -qF -- \"$2\"" "$(grep -E " $1 " <<<"$out")"; }
finding nohz_full "2 (not every isolated core)"
finding rcu_nocbs "2 (not every isolated core)"
finding thp_enabled "always"
finding thp_defrag "always"
finding numa_balancing "on across 2 nodes"
finding memory_tiering "demotion on"
finding irqbalance "running (pid 4242)"
finding irq_affinity "IRQ 24,25 may run on isolated 2-3"
finding clocksource "hpet"
finding cpufreq_governor "powersave on CPUs 4-7"
finding iommu_mode "strict in 1 groups (lazy 1, passthrough 0)"
finding swap "on: /dev/sda2"
finding nic_numa "eth0 on node 1: IRQ 24,25 on other nodes"
check "isolcpus with flags is read: ok 2-3" "grep -Eq '^ok +isolcpus +2-3$' <<<\"\$out\""
check "IRQ 30 has no handler: not listed" "! grep -q '30' <<<\"\$(grep irq_affinity <<<\"\$out\")\""
check "each finding says why and how to fix it" "[ \$(grep -c '  why: ' <<<\"\$out\") -eq 13 ] && [ \$(grep -c '  fix: ' <<<\"\$out\") -eq 13 ] && grep -q 'fix: echo madvise > /sys/kernel/mm/transparent_hugepage/enabled' <<<\"\$out\""

json=$("$BIN" check --prefix "$bad" --format json); rc=$?
check "json: exit 3, valid, 14 checks, 13 findings" \
	"[ $rc -eq 3 ] && [ \"\$(jq '.checks | length' <<<\"\$json\")\" = 14 ] && [ \"\$(jq '.findings' <<<\"\$json\")\" = 13 ]" "$json"
check "json: each check has observed, why and fix" \
	"[ \"\$(jq '[.checks[] | select(.observed != \"\" and .why != \"\" and .fix != \"\")] | length' <<<\"\$json\")\" = 14 ]"
check "json: the NIC finding by name" \
	"[ \"\$(jq -r '.checks[] | select(.check == \"nic_numa\") | .state' <<<\"\$json\")\" = finding ]"

out=$("$BIN" check --prefix "$good"); rc=$?
check "a well-kept host: exit 0, no findings" "[ $rc -eq 0 ] && head -1 <<<\"\$out\" | grep -q '0 findings'" "rc=$rc $out"
okline() { check "ok $1: $2" "grep -E '^ok +$1 ' <<<\"\$out\" | grep -qF -- \"$2\"" "$(grep -E " $1 " <<<"$out")"; }
okline isolcpus "6-7"
okline rcu_nocbs "6-7"
okline irq_affinity "none on isolated 6-7"
okline iommu_mode "passthrough (1 groups)"
okline nic_numa "1 NIC, IRQs on their own node"
okline cpufreq_governor "performance on all 8"

# a one-node host with balancing on: nothing to balance, so no finding
one=$dir/one; base "$one"; rm -rf "$one/sys/devices/system/node/node1"
put "$one" sys/devices/system/node/node0/cpulist 0-7
put "$one" proc/sys/kernel/numa_balancing 1
out=$("$BIN" check --prefix "$one")
check "one node: numa_balancing is not a finding" "grep -Eq '^ok +numa_balancing +1, but one node' <<<\"\$out\"" "$out"
check "a tree without the files says n/a, not ok" "grep -Eq '^n/a +thp_enabled' <<<\"\$out\" && grep -Eq '^n/a +clocksource' <<<\"\$out\""

err=$("$BIN" check --format csv 2>&1 >/dev/null); rc=$?
check "check --format csv -> exit 2, one line" "[ $rc -eq 2 ] && [ \$(wc -l <<<\"\$err\") -eq 1 ]" "rc=$rc $err"
err=$("$BIN" check --prefix /nonexistent 2>&1 >/dev/null); rc=$?
check "check on a missing tree -> exit 1, one line" "[ $rc -eq 1 ] && [ \$(wc -l <<<\"\$err\") -eq 1 ]" "rc=$rc $err"

json=$("$BIN" check --format json); rc=$?
check "the live host: valid json, exit matches findings" \
	"f=\$(jq '.findings' <<<\"\$json\") && { { [ \$f -gt 0 ] && [ $rc -eq 3 ]; } || { [ \$f -eq 0 ] && [ $rc -eq 0 ]; }; }" "rc=$rc $json"
live_thp=$(sed 's/.*\[\(.*\)\].*/\1/' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null)
check "the live host: THP as the kernel reports it ($live_thp)" \
	"[ -z '$live_thp' ] || [ \"\$(jq -r '.checks[] | select(.check == \"thp_enabled\") | .observed' <<<\"\$json\")\" = '$live_thp' ]"

# the report travels in the frame: a recording from the bad tree replays it
"$BIN" record -o "$dir/h.rec" -n 2 -d 0.1 --prefix "$bad" 2>/dev/null
n=$("$BIN" dump "$dir/h.rec" --format json | tail -1 | jq '[.hygiene[] | select(.state == "finding")] | length')
check "recorded frames carry the report (13 findings replayed, got $n)" "[ \"$n\" = 13 ]"

summary hygiene_test
