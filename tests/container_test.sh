#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# stormtop as a container on the host, without a container engine: a
# recorder in new mount and PID namespaces (unshare) reads the host's /proc
# and /sys bound at a prefix (--root), as docs/CONTAINER.md runs it, while
# a second recorder runs on the host and tools/churn makes a storm on the
# host.  Both recordings must agree: CPUs and NUMA nodes (and the kernel's
# own count of them), churn under its HOST pid with its name, its sent
# count, per-CPU TLB IPIs, and churn's cgroup path: churn runs in a test
# cgroup made for it, and both must name that cgroup's path (the host's
# cgroup2 mount, found from the host's pid 1 at the prefix).
set -u
export LC_ALL=C.UTF-8
cd "$(dirname "$0")/.."
. tests/lib.sh
dir=$(mktemp -d)
# the bind mounts live only in the namespace and go with it; rmdir, never
# rm -r, so a mount left by accident is never emptied
cg= view=
trap 'tm_cleanup; cg_gone "$cg" "$view"; rm -f "$dir"/*.rec "$dir"/*.json "$dir"/*.err "$dir"/nspid; rmdir "$dir"/host/proc "$dir"/host/sys "$dir"/host "$dir" 2>/dev/null' EXIT

py_ok=$(command -v python3 || true)
if [ "$(id -u)" -ne 0 ] || ! command -v unshare >/dev/null || [ -z "$py_ok" ]; then
	skip "container: needs root, unshare(1) and python3 (namespaces, bind mounts, BPF)"
	summary container_test
	exit
fi
if ! unshare --mount --pid --fork true 2>/dev/null; then
	skip "container: unshare --mount --pid refused here (nested without CAP_SYS_ADMIN?)"
	summary container_test
	exit
fi
mkdir -p "$dir/host/proc" "$dir/host/sys"
cg=$(cg_make "stormtop-container-$$")

# 16 ticks of 0.5 s each; churn runs 4 s from the third tick on, so both
# recorders see it start and end.  churn -b 1,1 -t 4 storms in seconds 0-1
# and 2-3 and is quiet the last second, so every storm send is counted by
# a tick before it exits; only the flushes of its exit (one per thread's
# teardown, at most 2 seen) can fall after one recorder's last tick.
# A container's own cgroup2 mount shows its own cgroup as the root (cgroup
# namespace); here an empty test cgroup is bound over the cgroup2 mount in
# the namespace, after /sys is bound at the prefix.  Its /proc/mounts still
# names that mount first, so the cgroup2 mount must come from the host's
# pid 1 and be opened under the prefix, or churn's cgroup is not found.
hide=
[ -n "$cg" ] && view=$(cg_make "stormtop-container-$$-view") && [ -n "$view" ] &&
	hide="mount --bind '$view' '$(cg2_mount)' &&"
ns_cmd="echo \$\$ >$dir/nspid && mount --rbind /proc $dir/host/proc && mount --rbind /sys $dir/host/sys &&
	$hide mount -t proc proc /proc && exec $BIN record --root $dir/host -o $dir/ns.rec -d 0.5 -n 16"
unshare --mount --pid --fork sh -c "$ns_cmd" 2>"$dir/ns.err" &
nsrec=$!
$BIN record -o "$dir/host.rec" -d 0.5 -n 16 2>"$dir/host.err" &
hostrec=$!
wait_grown "$dir/ns.rec" 2 20
wait_grown "$dir/host.rec" 2 20
if [ -n "$cg" ]; then
	cg_run "$cg" tools/churn -c 1 -m 0 -t 4 -b 1,1 -q >/dev/null 2>"$dir/churn.err" &
else
	tools/churn -c 1 -m 0 -t 4 -b 1,1 -q >/dev/null 2>"$dir/churn.err" &
fi
churn=$!
wait $churn
wait $nsrec
nsrc=$?
wait $hostrec
check "container: recorder in its own PID namespace (pid $(cat "$dir/nspid" 2>/dev/null) there) exits 0" \
	"[ $nsrc -eq 0 ] && [ \"\$(cat $dir/nspid)\" = 1 ]" "$(cat "$dir/ns.err")"

$BIN dump "$dir/ns.rec" --format json >"$dir/ns.json" 2>>"$dir/ns.err"
$BIN dump "$dir/host.rec" --format json >"$dir/host.json" 2>>"$dir/host.err"

# One summary line per recording: what the checks below compare.
sum() {
	python3 - "$1" "$churn" <<'EOF'
import json, sys
path, pid = sys.argv[1], int(sys.argv[2])
frames = [json.loads(l) for l in open(path)]
ncpu = sorted({f["ncpu"] for f in frames}); nodes = sorted({f["numa_nodes"] for f in frames})
sent = 0; comms = set(); cg = set(); per = {}; edge = {}
for i, f in enumerate(frames):
    for p in f.get("procs") or []:
        if p["pid"] == pid:
            sent += p["sent"]
            # name and cgroup from the ticks it storms in: before its exec
            # the same pid is the shell that moved itself into the cgroup
            # ("sh", still in "/"), which one recorder may catch and the
            # other not, as their ticks fall
            if not p["sent"]:
                continue
            comms.add(p["comm"])
            # its cgroup id, named by the frame's per-cgroup table
            cgs = (f.get("cgroups") or {}).get("list") or []
            cg |= {c["path"] for c in cgs if p.get("cgroup_id") and c.get("cgroup_id") == p["cgroup_id"]}
    for c in f["cpus"]:
        per[c["cpu"]] = per.get(c["cpu"], 0) + (c["tlb"] or 0)
        # the first and last two ticks: before churn starts, after it ends
        if i < 2 or i >= len(frames) - 2:
            edge[c["cpu"]] = max(edge.get(c["cpu"], 0), c["tlb"] or 0)
bpf = frames[-1]["status"]["bpf"]["state"]
print(json.dumps({"ncpu": ncpu, "nodes": nodes, "sent": sent, "comm": sorted(comms), "cgroup": sorted(cg),
                  "tlb": per, "edge": edge, "bpf": bpf}))
EOF
}
ns=$(sum "$dir/ns.json")
host=$(sum "$dir/host.json")
echo "# namespace: $ns"
echo "# host:      $host"
get() { python3 -c 'import json,sys; v=json.loads(sys.argv[1]); print(eval(sys.argv[2], {}, {"v": v}))' "$1" "$2"; }

if [ "$(get "$host" 'v["bpf"]')" != ok ] && [ "$(get "$host" 'v["bpf"]')" != partial ]; then
	skip "container: BPF does not load on this host ($(get "$host" 'v["bpf"]')): nothing to compare"
	summary container_test
	exit
fi
check "container: BPF on at the prefix ($(get "$ns" 'v["bpf"]'), not off as for a copied tree)" \
	"[ \"$(get "$ns" 'v["bpf"]')\" = \"$(get "$host" 'v["bpf"]')\" ]"

# the kernel's own counts: possible CPUs (the frame's CPU slots) and nodes
kcpu=$(python3 -c 'import sys
n = 0
for r in open("/sys/devices/system/cpu/possible").read().strip().split(","):
    a, _, b = r.partition("-"); n += int(b or a) - int(a) + 1
print(n)')
knodes=$(ls -d /sys/devices/system/node/node[0-9]* 2>/dev/null | wc -l)
[ "$knodes" -gt 0 ] || knodes=1
check "container: CPUs $(get "$ns" 'v["ncpu"]') = host run $(get "$host" 'v["ncpu"]') = kernel's possible $kcpu" \
	"[ \"$(get "$ns" 'v["ncpu"]')\" = \"[$kcpu]\" ] && [ \"$(get "$host" 'v["ncpu"]')\" = \"[$kcpu]\" ]"
check "container: NUMA nodes $(get "$ns" 'v["nodes"]') = host run $(get "$host" 'v["nodes"]') = /sys node dirs $knodes" \
	"[ \"$(get "$ns" 'v["nodes"]')\" = \"[$knodes]\" ] && [ \"$(get "$host" 'v["nodes"]')\" = \"[$knodes]\" ]"

# churn's HOST pid (the namespace never saw it), named from the host's /proc
nsent=$(get "$ns" 'v["sent"]'); hsent=$(get "$host" 'v["sent"]')
check "container: churn's host pid $churn among the senders, named churn ($(get "$ns" 'v["comm"]'))" \
	"[ \"$(get "$ns" 'v["comm"]')\" = \"['churn']\" ] && [ $nsent -gt 1000 ]"
check "container: churn's sent $nsent = host run's $hsent within 2 (its exit's flushes)" \
	"[ \$(( $nsent > $hsent ? $nsent - $hsent : $hsent - $nsent )) -le 2 ]"

# Per-CPU TLB IPIs (/proc/interrupts) are the whole host's: the two
# recorders' windows differ by under a tick at each end, outside churn's
# run, so the slop is two quiet ticks: 2 x the largest edge tick of either.
for c in $(get "$host" '" ".join(v["tlb"])'); do
	n=$(get "$ns" "v['tlb'].get('$c', -1)"); h=$(get "$host" "v['tlb']['$c']")
	slop=$(get "$ns" "2 * max(v['edge'].get('$c', 0), $(get "$host" "v['edge']['$c']"))")
	check "container: cpu$c TLB IPIs $n = host run's $h within $slop (2 quiet ticks)" \
		"[ $n -ge 0 ] && [ \$(( $n > $h ? $n - $h : $h - $n )) -le $slop ]"
done

# churn's cgroup: the test cgroup it ran in, by its path below the
# cgroup2 mount, the same inside the namespaces as on the host
if [ -z "$cg" ]; then
	skip "container: churn's cgroup: no cgroup2 mount in /proc/mounts or mkdir refused there"
else
	want="['/${cg##*/}']"
	check "container: churn's cgroup $(get "$ns" 'v["cgroup"]') = host run's $(get "$host" 'v["cgroup"]') = $want" \
		"[ \"$(get "$ns" 'v["cgroup"]')\" = \"$want\" ] && [ \"$(get "$host" 'v["cgroup"]')\" = \"$want\" ]"
fi

# stacks --pid HOST_PID at the prefix names its frames as on the host: the
# opener that reads maps, binaries and kallsyms after the capability drop
# once took only paths under "" and refused every one under --root, so
# each frame was [unknown].  References: churn's own symbol storm_run
# (nm) and the kernel's flush_tlb_mm_range (kallsyms).
tools/churn -c 1 -m 0 -t 4 -r 3000 -q >/dev/null 2>&1 &
churn=$!
ns_cmd="mount --rbind /proc $dir/host/proc && mount --rbind /sys $dir/host/sys && mount -t proc proc /proc &&
	exec $BIN stacks --root $dir/host --pid $churn --seconds 2"
out=$(unshare --mount --pid --fork sh -c "$ns_cmd" 2>&1)
wait $churn
flush=$(grep -F ';__munmap+' <<<"$out" | grep -F '_[k]' | head -1)
if ! nm tools/churn | grep -qw storm_run || ! grep -qw flush_tlb_mm_range /proc/kallsyms; then
	skip "container: stacks at the prefix: no storm_run in tools/churn or no flush_tlb_mm_range in kallsyms"
else
	check "container: stacks --root names churn's flush site (storm_run;__munmap ... flush_tlb_mm_range_[k])" \
		"grep -q '^churn;storm_run+0x[0-9a-f]*;__munmap+.*;flush_tlb_mm_range+0x[0-9a-f]*_\[k\]' <<<\"\$flush\" && ! grep -qF '[unknown]' <<<\"\$flush\"" "$out"
fi
summary container_test
