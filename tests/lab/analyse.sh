#!/bin/bash
# Judges what guest.sh collected in DIR (one kernel's results):
#   analyse.sh DIR
# Each check prints "check: NAME: stormtop X vs reference Y", then
# "pass NAME" or "FAIL NAME: why", and appends one line to DIR/checks.tsv
# (name, pass|fail, stormtop's figure, the reference's, why).  lab.sh runs
# it on the host after each guest; run by hand it re-judges a saved run.
# The last check dumps the guest's recording with this tree's stormtop:
# it must give what the guest's dump of it gave.
# Exit status: the number of failed checks (0 = all passed).
set -u
R=${1:?usage: analyse.sh DIR}
HERE=$(cd "$(dirname "$0")" && pwd)
export LC_ALL=C.UTF-8
# shellcheck source=tests/lab/checks.sh
. "$HERE/checks.sh"
for c in probes iommu tlb runq numa playback; do
	# shellcheck source=/dev/null
	. "$HERE/check-$c.sh"
done

rm -f "$R/checks.tsv"
frames_tsv "$R"
check_probes
check_iommu
check_tlb
check_runq
check_numa
check_playback
echo "$(head -1 "$R/guest-info.txt"): $PASSED passed, $FAILED failed"
exit "$FAILED"
