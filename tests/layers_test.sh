#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The data flow as the includes draw it: each folder may include only the
# folders below it in the flow (docs/ARCHITECTURE.md), so nothing points
# back up the flow and no consumer (stages, record, export, ui) reaches
# into a collector.  Every include of ours names its folder.
set -u
export LC_ALL=C.UTF-8
cd "$(dirname "$0")/.."
. tests/lib.sh

# folder: the folders its files may include (besides itself and
# include/stormtop, the public ABI)
allowed() {
	case $1 in
	util) echo "" ;;
	core) echo "util" ;;
	collectors) echo "core util" ;;
	stages | record | export | ui) echo "core util" ;;
	probe) echo "util" ;;
	cmd) echo "core util collectors stages record export ui probe" ;;
	*) echo "?" ;;
	esac
}

# Every include against the flow in the tree under $1, one per line.
against_flow() (
	cd "$1" || exit 1
	grep -Ho '^#include "[^"]*"' src/*/*.[ch] collectors/*.[ch] ui/*.[ch] 2>/dev/null |
		sed 's/:#include "\(.*\)"/ \1/' | while read -r file target; do
		from=$(dirname "$file"); from=${from#src/}
		case $target in
		stormtop/*) continue ;;
		*_shared.h | *.skel.h) [ "$from" = collectors ] && continue ;;
		esac
		to=${target%%/*}
		if [ "$to" = "$target" ]; then
			echo "$file includes \"$target\" without its folder"
		elif [ "$to" != "$from" ]; then
			case " $(allowed "$from") " in
			*" $to "*) ;;
			*) echo "$file ($from) includes $target ($to): against the flow" ;;
			esac
		fi
	done
)

n=$(cat src/*/*.[ch] collectors/*.[ch] ui/*.[ch] | grep -c '^#include "')
check "the include graph was read ($n includes)" "[ $n -gt 300 ]"
found=$(against_flow .)
check "no include points back up the flow or from a consumer into a collector" "[ -z \"\$found\" ]" "$found"
# the check itself can fail: a tree with one back edge and one bare name
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
mkdir -p "$probe/src/core" "$probe/ui"
printf '#include "stages/controller.h"\n#include "core/ring.h"\n' > "$probe/src/core/x.c"
printf '#include "frame.h"\n#include "collectors/tlb.h"\n' > "$probe/ui/y.c"
found=$(against_flow "$probe")
check "a tree with a core->stages edge, a ui->collectors edge and a bare name: all three found" \
	"[ \$(wc -l <<<\"\$found\") -eq 3 ] && grep -q 'src/core/x.c (core) includes stages/controller.h' <<<\"\$found\" && grep -q 'ui/y.c (ui) includes collectors/tlb.h' <<<\"\$found\"" "$found"
summary layers
