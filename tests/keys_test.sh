#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# One key list: README.md's key table and the man page's KEYS section say
# what --help says (all from ui/keytable.c; test_keytable holds it to what
# the UI does).  And the words users read name sources as they would read
# them (a desk metric by its definition in docs/REGIME.md), never our
# internal names ("seed 002", "the seeds' desk metrics").
set -u
export LC_ALL=C.UTF-8
cd "$(dirname "$0")/.."
. tests/lib.sh
BIN=${STORMTOP_BIN:-./stormtop}

# --help's key list as "KEYS<TAB>TEXT" lines, the wrapped text joined.
help_keys() {
	sed -n '/^Keys/,/^$/p' | tail -n +2 | awk '
	/^[A-Z][a-z]*:$/ { next }
	/^  [^ ]/ { if (k != "") print k "\t" t; line = substr($0, 3); i = index(line, "  ")
		k = substr(line, 1, i - 1); t = substr(line, i); sub(/^ +/, "", t); next }
	/^    / { sub(/^ +/, ""); t = t " " $0; next }
	END { if (k != "") print k "\t" t }'
}
readme_keys() {
	sed -n '/<!-- keys:begin -->/,/<!-- keys:end -->/p' "$1" | grep '^| ' | tail -n +3 |
		sed 's/^| \(.*\) | \(.*\) |$/\1\t\2/'
}
man_keys() {
	sed -n '/^\.SH KEYS/,/^\.SH /p' "$1" | awk '/^\.TP/ { getline k; getline t
		sub(/^\.B "/, "", k); sub(/"$/, "", k); print k "\t" t }' | sed 's/\\-/-/g; s/\\e/\\/g'
}

live=$("$BIN" --help | help_keys)
n=$(wc -l <<<"$live")
check "--help lists the keys ($n entries, 1-6, p, y, 0, f, a, j J among them)" \
	"[ $n -ge 30 ] && grep -q \$'^1-6\\t' <<<\"\$live\" && grep -q \$'^p\\t' <<<\"\$live\" && grep -q \$'^y\\t' <<<\"\$live\" && grep -q \$'^0\\t' <<<\"\$live\" && grep -q \$'^f\\t' <<<\"\$live\" && grep -q \$'^a\\t' <<<\"\$live\" && grep -q \$'^j J\\t' <<<\"\$live\"" "$live"
check "play --help lists the same keys" "[ \"\$(\"\$BIN\" play --help | help_keys)\" = \"\$live\" ]"
out=$(diff <(readme_keys README.md) <(echo "$live"))
check "README.md's key table is --help's list" "[ -z \"\$out\" ]" "$out"
out=$(diff <(man_keys man/stormtop.1) <(echo "$live"))
check "man stormtop's KEYS are --help's list" "[ -z \"\$out\" ]" "$out"
# the comparison can fail: a README without the y row
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; tm_cleanup' EXIT
grep -v '^| y |' README.md >"$tmp/README.md"
check "a README missing the y row is caught" "! diff -q <(readme_keys $tmp/README.md) <(echo \"\$live\") >/dev/null"

# Users' words: the docs, the man page, every command's --help, the
# config file's comments and F1's sources.
seeds() {
	grep -Hin 'seed' README.md docs/GUIDE.md docs/REGIME.md man/*.1 ui/keytable.c ui/help.c ui/proccols.c "$@"
	for cmd in "" record play dump drill check; do "$BIN" $cmd --help | grep -in 'seed' | sed "s/^/stormtop $cmd --help:/"; done
	grep -n 'KEY(\|RANGE(\|TEXT(' src/core/config.c | grep -i 'seed' | sed 's/^/config comments:/'
}
out=$(seeds)
check "user-facing text never says 'seed'" "[ -z \"\$out\" ]" "$out"
printf 'SBI as in seed 002\n' >"$tmp/probe.md"
check "the grep finds one where there is one" "seeds $tmp/probe.md | grep -q probe.md"
summary keys
