#!/bin/bash
# make lab: stormtop on the host shapes people run, in QEMU guests.
#
#   tests/lab/lab.sh [SUITE...]     # default: bullseye bookworm trixie
#
# For each Debian suite: fetch its stock kernel (fetch-kernel.sh; nothing is
# installed), build the guest's initramfs, boot a guest with an IOMMU and
# three NUMA nodes (boot.sh) that runs guest.sh on this tree, then check
# on this host that the recording made in the guest plays back with the
# same figures.  Results of the last run: $LAB_CACHE/results/<release>/
# (checks.tsv, guest.log, console.log, the recording) and
# $LAB_CACHE/results/summary.tsv; tests/lab/kernels-table.sh turns them
# into README's Kernels table.
# Ends with "lab: N passed, N failed"; exit 0 only if nothing failed.
# Without QEMU or a kernel: skipped with the reason (exit 0), except in CI
# (CI=true), where that is a failure.
set -u
cd "$(dirname "$0")/../.." || exit 1
export LAB_CACHE=${LAB_CACHE:-build/lab}
SUITES=${*:-${LAB_SUITES:-bullseye bookworm trixie}}
results=$LAB_CACHE/results
passed=0 failed=0

# not_here REASON: the lab cannot run on this host.
not_here() {
	if [ "${CI:-}" = true ]; then
		echo "lab: cannot run in CI: $1"
		echo "lab: $passed passed, $((failed + 1)) failed"
		exit 1
	fi
	echo "lab: skipped: $1"
	echo "lab: $passed passed, $failed failed"
	exit 0
}

for tool in qemu-system-x86_64 cpio gzip depmod xz apt-get dpkg perf tmux jq curl bpftool readelf taskset; do
	command -v "$tool" >/dev/null || not_here "no $tool (scripts/deps.sh lab installs the lab's packages)"
done
[ -x stormtop ] && [ -x tools/churn ] && ls build/bpf/*.bpf.o >/dev/null 2>&1 || not_here "stormtop is not built (make lab builds it)"
[ "$(id -u)" = 0 ] || not_here "the guests' mounts and the fetch need root"

mkdir -p "$results"
: > "$results/summary.tsv.tmp"
for suite in $SUITES; do
	start=$(date +%s.%N)
	if ! kver=$(tests/lab/fetch-kernel.sh "$suite"); then
		not_here "no $suite kernel (see the line above)"
	fi
	kdir=$LAB_CACHE/kernels/$kver
	out=$results/$kver
	rm -rf "$out"; mkdir -p "$out"
	tests/lab/initramfs.sh "$kdir" || not_here "cannot build the initramfs for $kver"
	printf 'cd %q && R=/lab tests/lab/guest.sh > /lab/guest.log 2>&1\n' "$PWD" > "$out/cmd.sh"
	echo "lab: $suite: booting $kver"
	boot0=$(date +%s.%N)
	tests/lab/boot.sh "$kdir" "$out" > "$out/qemu.log" 2>&1
	qrc=$?
	boot1=$(date +%s.%N)
	tests/lab/analyse.sh "$out" 2> "$out/analyse.err" | grep -E "^(check|pass|FAIL)"
	p=$(grep -c $'\tpass\t' "$out/checks.tsv" 2>/dev/null); f=$(grep -c $'\tfail\t' "$out/checks.tsv" 2>/dev/null)
	p=${p:-0} f=${f:-0}
	if [ "$qrc" -ne 0 ] || [ ! -f "$out/rc" ] || [ "$p" -eq 0 ]; then
		echo "FAIL guest: QEMU exit $qrc, guest script $(cat "$out/rc" 2>/dev/null || echo 'did not finish'); see $out/console.log"
		f=$((f + 1))
	fi
	end=$(date +%s.%N)
	wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.0f", b - a }')
	boot=$(awk -v a="$boot0" -v b="$boot1" 'BEGIN { printf "%.0f", b - a }')
	echo "lab: $suite $kver: $p passed, $f failed, wall ${wall} s (guest ${boot} s)"
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$suite" "$kver" "$p" "$f" "$wall" "$boot" >> "$results/summary.tsv.tmp"
	passed=$((passed + p)) failed=$((failed + f))
done
mv "$results/summary.tsv.tmp" "$results/summary.tsv"
echo "lab: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
