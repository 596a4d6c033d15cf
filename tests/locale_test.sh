#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Machine formats are locale-free (docs/TEXT.md): under de_DE.UTF-8, whose
# decimal separator is a comma, the TUI still parses PSI, setup writes a
# config the next start reads, and batch, dump, drill, check and /metrics
# print exactly what they print in the C locale for the same input.  The
# locale is made here with localedef (LOCPATH), not installed.
set -u
export LC_ALL=C.UTF-8
cd "$(dirname "$0")/.."
. tests/lib.sh

dir=$(mktemp -d)
pids=""
cleanup() { for p in $pids; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$dir"; tm_cleanup; }
trap cleanup EXIT

if ! command -v localedef >/dev/null || [ ! -e /usr/share/i18n/locales/de_DE ]; then
	skip "locale: localedef or the de_DE source missing (Debian package locales)"
	summary locale
	exit 0
fi
mkdir -p "$dir/loc"
localedef -i de_DE -f UTF-8 "$dir/loc/de_DE.UTF-8" 2>/dev/null
# the two locales each command runs under (LC_ALL would override LANG)
C=(env -u LC_ALL LANG=C.UTF-8)
DE=(env -u LC_ALL LOCPATH="$dir/loc" LANG=de_DE.UTF-8)
check "the made locale writes 1,0 for 1 (so the checks below can fail)" "[ \"\$(\"\${DE[@]}\" bash -c 'printf %.1f 1')\" = 1,0 ]"
check "stormtop never calls setlocale (the only way LC_NUMERIC gets in)" "! nm -D $BIN | grep -qw setlocale"

# A fixture tree with PSI files: their avg10=0.06 needs a '.' to parse.
ROOT=$dir/root
cp -r tests/fixtures/root-64cpu-2node "$ROOT"
mkdir -p "$ROOT/proc/pressure"
cp tests/fixtures/psi-cpu-vm "$ROOT/proc/pressure/cpu"
cp tests/fixtures/psi-cpu-vm "$ROOT/proc/pressure/memory"

# --- the TUI under de_DE: PSI, setup's file, /metrics -----------------------
# $1: C or DE; serves /metrics, writes the config on F2 Esc; leaves the
# screen in $dir/screen.$1 and /metrics in $dir/metrics.$1
tui_under() {
	local s=tu$1 i url
	local -n envv=$1
	: >"$dir/rc.$1"
	tm_start "$s" 140 40 "${envv[*]@Q} $BIN -d 0.2 --root $ROOT --config $dir/rc.$1 --prometheus 127.0.0.1:0 2>$dir/err.$1"
	tm_wait "$s" 'cpu0|0-7 ' 5
	for i in $(seq 1 50); do
		url=$(grep -o 'http://[^ ]*/metrics' "$dir/err.$1") && curl -sf "$url" >"$dir/metrics.$1" && break
		sleep 0.1
	done
	tm_wait "$s" 'psi-cpu [0-9]' 3
	tm_cap "$s" >"$dir/screen.$1"
	tm send-keys -t "$s" F2
	tm_wait "$s" 'Setup' 2
	tm send-keys -t "$s" Escape
	tm_wait "$s" 'settings saved' 2
	tm send-keys -t "$s" q
	tm_wait "$s" 'EXITED' 5
}
tui_under C
tui_under DE
check "TUI under de_DE: PSI parses (psi-cpu shown, no malformed line)" \
	"grep -q 'psi-cpu [0-9.]*%' $dir/screen.DE && ! grep -q 'malformed' $dir/screen.DE" "$(cat $dir/screen.DE)"
check "setup under de_DE writes numbers with a point" \
	"grep -q '^tlb_watch_sbi_off = 0.5\$' $dir/rc.DE && ! grep -Eq '^[a-z_]+ = [0-9]+,[0-9]' $dir/rc.DE" "$(grep -v '^#' $dir/rc.DE | grep ,)"
check "setup under de_DE writes the file C writes" "cmp -s $dir/rc.C $dir/rc.DE" "$(diff $dir/rc.C $dir/rc.DE)"
err=$("${DE[@]}" "$BIN" -b -n 1 --root "$ROOT" --config "$dir/rc.DE" 2>&1 >/dev/null)
check "the next start reads it back without a complaint" "! grep -q 'not a number' <<<\"\$err\"" "$err"
# /metrics from the same tree: equal but for the clock, our CPU time and frame count
strip() { grep -v '^stormtop_last_frame_timestamp_seconds \|^stormtop_self_cpu_seconds_total \|^stormtop_frames_total ' "$1"; }
check "/metrics under de_DE: the C locale's text ($(grep -c . "$dir/metrics.C") lines)" \
	"[ -s $dir/metrics.C ] && cmp -s <(strip $dir/metrics.C) <(strip $dir/metrics.DE)" "$(diff <(strip $dir/metrics.C) <(strip $dir/metrics.DE) | head)"
check "/metrics under de_DE: every value a Prometheus float" \
	"! grep -v '^#' $dir/metrics.DE | grep -Evq '^[a-z_]+(\\{[^}]*\\})? (NaN|[+-]Inf|-?[0-9]+(\\.[0-9]+)?(e[+-][0-9]+)?)\$'" \
	"$(grep -v '^#' $dir/metrics.DE | grep -Ev '^[a-z_]+(\{[^}]*\})? (NaN|[+-]Inf|-?[0-9]+(\.[0-9]+)?(e[+-][0-9]+)?)$' | head -3)"

# --- the case's file, written by setup under de_DE before the fix -----------
err=$("$BIN" -b -n 1 --root "$ROOT" --config tests/fixtures/config/stormtoprc-written-under-de_DE 2>&1 >/dev/null); rc=$?
check "a config with decimal commas: each such line named with file and line, the rest loads" \
	"[ $rc -eq 0 ] && [ \$(grep -c \"stormtoprc-written-under-de_DE:[0-9]*: [a-z_]*: '[0-9],[0-9]' is not a number\" <<<\"\$err\") -eq 5 ]" "$err"

# --- batch, dump, drill and check: byte for byte the C locale's -------------
same() { # $1 what, the rest the command
	local what=$1
	shift
	"${C[@]}" "$@" >"$dir/c.out" 2>/dev/null
	"${DE[@]}" "$@" >"$dir/de.out" 2>/dev/null
	check "$what under de_DE: the C locale's output ($(wc -c <"$dir/c.out") bytes)" \
		"[ -s $dir/c.out ] && cmp -s $dir/c.out $dir/de.out" "$(diff $dir/c.out $dir/de.out | head -c 600)"
}
REC=tests/fixtures/rec/seed-2cpu.rec
same "dump csv" "$BIN" dump "$REC" --format csv
same "dump json" "$BIN" dump "$REC" --format json
same "drill text" "$BIN" drill "$REC"
same "drill json" "$BIN" drill "$REC" --format json
same "check json" "$BIN" check --prefix "$ROOT" --format json
same "check text" "$BIN" check --prefix "$ROOT"
# batch: the clock columns (time, interval) differ from run to run
"${C[@]}" "$BIN" -b -n 3 -d 0.05 --root "$ROOT" 2>/dev/null | cut -f1,4- >"$dir/c.out"
"${DE[@]}" "$BIN" -b -n 3 -d 0.05 --root "$ROOT" 2>/dev/null | cut -f1,4- >"$dir/de.out"
check "batch under de_DE: the C locale's rows but for the clock" "[ -s $dir/c.out ] && cmp -s $dir/c.out $dir/de.out" "$(diff $dir/c.out $dir/de.out | head -5)"
"${DE[@]}" "$BIN" -b -n 2 -d 0.05 --root "$ROOT" 2>/dev/null | cut -f2,3 | tail -n +2 >"$dir/clock"
check "batch under de_DE: time and interval with a point" "! grep -q , $dir/clock && grep -q '^[0-9]*\\.[0-9]*	[0-9]*\\.[0-9]*\$' $dir/clock" "$(cat $dir/clock)"
summary locale
