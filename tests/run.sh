#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Runs every test program and shell test, then prints one closing line.
# cmocka suites are counted by their own summary lines.
set -u
cd "$(dirname "$0")/.."
export LC_ALL=C.UTF-8 STORMTOP_CHURN=$PWD/tools/churn STORMTOP_DISPATCH_SIM=$PWD/tools/dispatch-sim
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp
pass=0 fail=0 skipped=0 broken=""
log=$(mktemp)
trap 'rm -f "$log"' EXIT

count() { grep -Eo "$1" "$log" | grep -Eo '[0-9]+' | head -1; }

for t in "$@" tests/fields_test.sh tests/cli_test.sh tests/keys_test.sh tests/topo_test.sh tests/missing_test.sh tests/timesel_test.sh tests/nobtf_test.sh tests/tui_test.sh tests/rec_test.sh tests/trigger_test.sh tests/report_test.sh tests/clobber_test.sh tests/container_test.sh tests/regime_test.sh tests/prom_test.sh tests/hygiene_test.sh tests/text_test.sh tests/locale_test.sh tests/caps_test.sh tests/hardening_test.sh tests/lab_test.sh tests/install_test.sh tests/fuzz_test.sh tests/alloc_test.sh tests/package_test.sh tests/rules_test.sh tests/dashboard_test.sh tests/completions_test.sh tests/layers_test.sh; do
	echo "=== $t"
	"$t" >"$log" 2>&1
	rc=$?
	cat "$log"
	if grep -q '^\[==========\]' "$log"; then        # cmocka
		p=$(count '\[  PASSED  \] [0-9]+'); f=$(count '\[  FAILED  \] [0-9]+'); s=$(count '\[  SKIPPED \] [0-9]+')
	else                                            # our shell tests
		p=$(count '[0-9]+ passed'); f=$(count '[0-9]+ failed'); s=$(count '[0-9]+ skipped')
	fi
	pass=$((pass + ${p:-0})) fail=$((fail + ${f:-0})) skipped=$((skipped + ${s:-0}))
	if [ $rc -ne 0 ] && [ "${f:-0}" -eq 0 ]; then # crashed or sanitizer abort
		fail=$((fail + 1))
	fi
	[ $rc -ne 0 ] && broken="$broken $t"
done
[ -n "$broken" ] && echo "failing:$broken"
echo "tests: $pass passed, $fail failed, $skipped skipped"
[ "$fail" -eq 0 ]
