#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Nothing already recorded is lost to an output: report -o and diff
# --html -o (stacks -o opens its file the same way, app_open_out) aimed
# at a recording (the input itself, another one, the
# input under a second name through a symlinked directory) exit non-zero
# with one line and leave it byte for byte (cmp against a copy); aimed at
# an old page they still replace it.
set -u
export LC_ALL=C.UTF-8
cd "$(dirname "$0")/.."
. tests/lib.sh

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp tests/fixtures/rec/seed-2cpu.rec "$work/a.rec"
cp tests/fixtures/rec/step-back-60s.rec "$work/b.rec"
cp "$work/a.rec" "$work/a.ref"
cp "$work/b.rec" "$work/b.ref"
ln -s . "$work/same"

# run NAME OUT ARGS...: stormtop ARGS, then whether OUT still holds what
# it held before (its .ref copy)
run() {
	local name=$1 out=$2 ref=${2%.rec}.ref rc lines
	shift 2
	cp "$work/a.ref" "$work/a.rec" && cp "$work/b.ref" "$work/b.rec"
	"$BIN" "$@" >/dev/null 2>"$work/err"
	rc=$?
	lines=$(wc -l <"$work/err")
	check "$name: refused (exit $rc, $lines line: $(head -c 120 "$work/err"))" \
		"[ $rc -ne 0 ] && [ $lines -eq 1 ] && grep -q 'recording' '$work/err'"
	check "$name: the recording is intact" "cmp -s '$out' '$ref'"
}

run "report -o its input" "$work/a.rec" report "$work/a.rec" -o "$work/a.rec"
run "report -o another recording" "$work/b.rec" report "$work/a.rec" -o "$work/b.rec"
run "report -o its input by another path" "$work/same/a.rec" report "$work/a.rec" -o "$work/same/a.rec"
run "diff --html -o its B" "$work/b.rec" diff "$work/a.rec" "$work/b.rec" --html -o "$work/b.rec"

# an old page or any file that is not a recording is still replaced
cp "$work/a.ref" "$work/a.rec"
echo "an old page" >"$work/old.html"
"$BIN" report "$work/a.rec" -o "$work/old.html" 2>"$work/err"
check "report -o an old page replaces it (exit $?)" "head -c 15 '$work/old.html' | grep -qi '<!doctype html'" \
	"$(head -c 200 "$work/old.html") / $(cat "$work/err")"
summary clobber
