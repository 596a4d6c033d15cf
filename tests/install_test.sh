#!/bin/bash
# make install puts libstormprobe where pkg-config finds it: a program built
# only from the installed header, library and .pc file (static and shared)
# publishes samples a reader sees.
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

make -s install DESTDIR="$TMP/root" PREFIX=/usr >"$TMP/log" 2>&1
check "make install into a DESTDIR" "[ -f $TMP/root/usr/include/stormtop/probe.h ] && [ -f $TMP/root/usr/lib/libstormprobe.a ] && [ -f $TMP/root/usr/lib/libstormprobe.so.1 ] && [ -f $TMP/root/usr/lib/pkgconfig/stormprobe.pc ]  && [ -x $TMP/root/usr/bin/stormtop-dispatch-sim ] && [ \$(ls $TMP/root/usr/share/stormtop/themes/*.theme | wc -l) -ge 5 ]" "$(cat "$TMP/log")"

cat >"$TMP/app.c" <<'C'
#include <stdio.h>
#include <stormtop/probe.h>
int main(void)
{
	struct stormprobe *p = stormprobe_create("install-test", 1);
	struct stormprobe_slot *s = p ? stormprobe_slot_open(p, STORMPROBE_LATENCY, "x", -1) : NULL;
	if (!s)
		return 1;
	for (int i = 0; i < 1000; i++)
		stormprobe_record(s, 1000 + i);
	printf("%llu %llu\n", (unsigned long long)s->count, (unsigned long long)s->sum);
	stormprobe_close(p, 1);
	return 0;
}
C
export PKG_CONFIG_PATH="$TMP/root/usr/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$TMP/root"
flags=$(pkg-config --cflags --libs stormprobe)
check "pkg-config names the header and library ($flags)" "grep -q -- '-lstormprobe' <<<\"\$flags\""
cc -Wall -Werror -o "$TMP/app-shared" "$TMP/app.c" $flags 2>"$TMP/cc1"
cc -Wall -Werror -static -o "$TMP/app-static" "$TMP/app.c" $flags 2>"$TMP/cc2"
check "builds against the shared library" "[ -x $TMP/app-shared ]" "$(cat "$TMP/cc1")"
check "builds against the static library" "[ -x $TMP/app-static ]" "$(cat "$TMP/cc2")"
out=$(STORMPROBE_DIR=$TMP LD_LIBRARY_PATH=$TMP/root/usr/lib "$TMP/app-shared")
check "shared: 1000 samples, sum 1499500 ($out)" "[ \"$out\" = '1000 1499500' ]"
out=$(STORMPROBE_DIR=$TMP "$TMP/app-static")
check "static: the same ($out)" "[ \"$out\" = '1000 1499500' ]"
summary install
