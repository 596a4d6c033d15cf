#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# docs/FORMAT.md's field list and docs/PROMETHEUS.md's per-CPU families
# are the field table (src/core/field.c) as tools/fieldlist prints them: a
# row added, renamed or re-gated without `make fields-doc` fails here.  With
# --write, puts each list between its file's markers instead (what
# `make fields-doc` runs).
set -u
export LC_ALL=C.UTF-8
cd "$(dirname "$0")/.."
. tests/lib.sh
gen=tools/fieldlist
# file, marker, generator option: each generated section
lists=("docs/FORMAT.md fields" "docs/PROMETHEUS.md families --prometheus")

# The text between the markers $2 of file $1.
section() { awk -v m="$2" '$0 ~ "^<!-- " m ":end" { on = 0 } on; $0 ~ "^<!-- " m ":begin" { on = 1 }' "$1"; }

# Puts the generator's list (option $3) between the markers $2 of file $1.
splice() {
	local doc=$1 m=$2 t
	t=$(mktemp)
	"$gen" ${3:-} > "$t" || { rm -f "$t"; echo "fields-doc: $gen failed" >&2; return 1; }
	awk -v t="$t" -v m="$m" '$0 ~ "^<!-- " m ":begin" { print; while ((getline l < t) > 0) print l; skip = 1; next }
		$0 ~ "^<!-- " m ":end" { skip = 0 } !skip' "$doc" > "$doc.tmp"
	rm -f "$t"
	grep -q "^<!-- $m:end" "$doc.tmp" || { rm -f "$doc.tmp"; echo "fields-doc: $doc has no $m markers" >&2; return 1; }
	mv "$doc.tmp" "$doc"
}

if [ "${1:-}" = --write ]; then
	for l in "${lists[@]}"; do
		splice $l || exit 1
	done
	exit 0
fi

[ -x "$gen" ] || { skip "$gen not built (make all)"; summary fields; exit; }
rows=$("$gen" | grep -c '^| [0-9]')
check "the generator prints every field of the table ($rows rows)" "[ $rows -gt 150 ]"
for l in "${lists[@]}"; do
	set -- $l
	want=$("$gen" ${3:-})
	have=$(section "$1" "$2")
	check "$1's $2 list is the table's (make fields-doc writes it)" "[ \"\$want\" = \"\$have\" ]" \
		"$(diff <(echo "$have") <(echo "$want") | head -20)"
done
# the check itself can fail: one row changed in a copy of the doc
probe=$(mktemp)
trap 'rm -f "$probe"' EXIT
sed 's/^| 126 | `iommu_unmap` |/| 126 | `io_unmap` |/' docs/FORMAT.md > "$probe"
check "a copy with one field renamed by hand differs" "[ \"\$("$gen")\" != \"\$(section "$probe" fields)\" ]"
summary fields
