#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# contrib/prometheus/stormtop.rules.yml: promtool accepts the rules, and its
# unit test walks one host through a storm (recording rules against hand
# rates, every alert pending, firing and resolved at the expected minute),
# and the rules name only families stormtop exports (docs/PROMETHEUS.md).
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh
R=contrib/prometheus
if ! command -v promtool >/dev/null; then
	skip "rules: no promtool (scripts/deps.sh test installs prometheus)"
	summary rules
	exit 0
fi
out=$(promtool check rules $R/stormtop.rules.yml 2>&1)
check "promtool check rules" "grep -q SUCCESS <<<\"\$out\"" "$out"
out=$(cd $R && promtool test rules stormtop.rules.test.yml 2>&1)
check "promtool test rules: a storm walked through" "grep -q SUCCESS <<<\"\$out\" && ! grep -q FAILED <<<\"\$out\"" "$out"
missing=""
for m in $(grep -oP '(?<![:a-z_])stormtop_[a-z_]*' $R/stormtop.rules.yml | sort -u); do
	grep -q "$m" docs/PROMETHEUS.md || grep -rq "\"$m" src/ || missing="$missing $m"
done
check "every family the rules read is exported" "[ -z \"$missing\" ]" "not found:$missing"
summary rules
