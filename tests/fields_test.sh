#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# docs/FORMAT.md's field list is the field table (src/core/field.c) as
# tools/fieldlist prints it: a row added, renamed or re-gated without
# `make fields-doc` fails here.  With --write, puts the list between the
# file's markers instead (what `make fields-doc` runs).
set -u
export LC_ALL=C.UTF-8
cd "$(dirname "$0")/.."
. tests/lib.sh
doc=docs/FORMAT.md
gen=tools/fieldlist

# The text between the markers of file $1.
section() { awk '/^<!-- fields:end/ { on = 0 } on; /^<!-- fields:begin/ { on = 1 }' "$1"; }

if [ "${1:-}" = --write ]; then
	t=$(mktemp)
	"$gen" > "$t" || { rm -f "$t"; echo "fields-doc: $gen failed" >&2; exit 1; }
	awk -v t="$t" '/^<!-- fields:begin/ { print; while ((getline l < t) > 0) print l; skip = 1; next }
		/^<!-- fields:end/ { skip = 0 } !skip' "$doc" > "$doc.tmp"
	grep -q '^<!-- fields:end' "$doc.tmp" || { rm -f "$doc.tmp" "$t"; echo "fields-doc: $doc has no fields markers" >&2; exit 1; }
	mv "$doc.tmp" "$doc"
	rm -f "$t"
	exit 0
fi

[ -x "$gen" ] || { skip "$gen not built (make all)"; summary fields; exit; }
want=$("$gen")
have=$(section "$doc")
rows=$(grep -c '^| [0-9]' <<<"$want")
check "the generator prints every field of the table ($rows rows)" "[ $rows -gt 150 ]"
check "$doc's field list is the table's (make fields-doc writes it)" "[ \"\$want\" = \"\$have\" ]" \
	"$(diff <(echo "$have") <(echo "$want") | head -20)"
# the check itself can fail: one row changed in a copy of the doc
probe=$(mktemp)
trap 'rm -f "$probe"' EXIT
sed 's/^| 126 | `iommu_unmap` |/| 126 | `io_unmap` |/' "$doc" > "$probe"
check "a copy with one field renamed by hand differs" "[ \"\$want\" != \"\$(section "$probe")\" ]"
summary fields
