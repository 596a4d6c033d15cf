#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# make install puts libstormprobe where pkg-config finds it: a program built
# only from the installed header, library and .pc file (static and shared)
# publishes samples a reader sees.  It also installs the man pages, shell
# completions and systemd unit for its PREFIX, and an installed stormtop
# finds its themes from any directory.
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh
TMP=$(mktemp -d)
# install rebuilds the tree's binary for PREFIX=/usr: rebuild it back after
trap 'rm -rf "$TMP"; make -s all >/dev/null 2>&1' EXIT

# scripts/deps.sh as a user: `run` needs runtime+build only, so a missing
# test tool (prometheus, tmux) does not fail it; `test` names what is missing.
mkdir -p "$TMP/fakebin"
cat >"$TMP/fakebin/dpkg-query" <<'Q'
#!/bin/sh
for p in $FAKE_MISSING; do [ "$p" = "$3" ] && exit 1; done
printf 'install ok installed'
Q
chmod 755 "$TMP/fakebin" "$TMP/fakebin/dpkg-query" "$TMP"
as_user() { if [ "$(id -u)" -eq 0 ]; then setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; else "$@"; fi; }
out=$(as_user env PATH="$TMP/fakebin:$PATH" FAKE_MISSING="prometheus tmux" sh scripts/deps.sh run 2>&1); rc=$?
check "deps.sh run as a user, test tools missing: exit 0 (rc=$rc)" "[ $rc -eq 0 ]" "$out"
out=$(as_user env PATH="$TMP/fakebin:$PATH" FAKE_MISSING="prometheus tmux" sh scripts/deps.sh test 2>&1); rc=$?
check "deps.sh test as a user names them: exit 1" "[ $rc -eq 1 ] && grep -q 'apt-get install -y.* prometheus' <<<\"\$out\" && grep -q ' tmux' <<<\"\$out\"" "rc=$rc $out"
out=$(as_user env PATH="$TMP/fakebin:$PATH" FAKE_MISSING="libbpf1" sh scripts/deps.sh run 2>&1); rc=$?
check "deps.sh run as a user, a runtime library missing: exit 1" "[ $rc -eq 1 ] && grep -q 'libbpf1' <<<\"\$out\"" "rc=$rc $out"
check "no daemon in what make run installs" "! grep -qw prometheus <<<\"\$(sh scripts/deps.sh list runtime) \$(sh scripts/deps.sh list build)\""

make -s install DESTDIR="$TMP/root" PREFIX=/usr >"$TMP/log" 2>&1
check "make install into a DESTDIR" "[ -f $TMP/root/usr/include/stormtop/probe.h ] && [ -f $TMP/root/usr/lib/libstormprobe.a ] && [ -f $TMP/root/usr/lib/libstormprobe.so.1 ] && [ -f $TMP/root/usr/lib/pkgconfig/stormprobe.pc ]  && [ -x $TMP/root/usr/bin/stormtop-dispatch-sim ] && [ \$(ls $TMP/root/usr/share/stormtop/themes/*.theme | wc -l) -ge 5 ]" "$(cat "$TMP/log")"

R=$TMP/root/usr
check "PREFIX=/usr is built in, not /usr/local" "grep -aq '/usr/share/stormtop' stormtop && ! grep -aq '/usr/local/share/stormtop' stormtop"
check "man pages, completions and unit installed" "[ -f $R/share/man/man1/stormtop.1 ] && [ -f $R/share/man/man3/stormprobe.3 ] && [ -f $R/share/bash-completion/completions/stormtop ] && [ -f $R/share/zsh/site-functions/_stormtop ] && [ -f $R/lib/systemd/system/stormtop-record.service ]"
for m in $R/share/man/man1/stormtop.1 $R/share/man/man3/stormprobe.3; do
	w=$(MANWIDTH=80 man --warnings -l "$m" 2>&1 >/dev/null)
	check "$(basename "$m") renders without a groff warning" "[ -z \"\$w\" ] && MANWIDTH=80 man -l $m 2>/dev/null | grep -q 'EXIT STATUS\\|RETURN VALUE'" "$w"
done
unit=$R/lib/systemd/system/stormtop-record.service
check "unit runs \$BINDIR/stormtop ($(grep ^ExecStart= "$unit" | cut -c1-40))" "grep -q '^ExecStart=/usr/bin/stormtop record' $unit && grep -q '^CapabilityBoundingSet=CAP_BPF CAP_PERFMON\$' $unit"
if command -v systemd-analyze >/dev/null; then
	sed "s|^ExecStart=/usr/bin/|ExecStart=$R/bin/|" "$unit" >"$TMP/stormtop-record.service"
	v=$(systemd-analyze verify --man=no "$TMP/stormtop-record.service" 2>&1)
	check "systemd-analyze verify passes" "[ -z \"\$v\" ]" "$v"
	score=$(systemd-analyze security --offline=true "$TMP/stormtop-record.service" 2>/dev/null | grep -o 'level for [^:]*: [0-9.]*' | grep -o '[0-9.]*$')
	check "systemd-analyze security exposure ${score:-?} is at most 2.5" "[ -n \"$score\" ] && awk 'BEGIN{exit !($score <= 2.5)}'"
else
	skip "systemd-analyze: not installed"
fi

# From a directory with no themes/, by the installed binary's own path.
out=$(cd / && HOME=$TMP XDG_CONFIG_HOME=$TMP "$R/bin/stormtop" --theme dark --synthetic 2 -b -n 1 -d 0.05 2>&1 >/dev/null); rc=$?
check "installed stormtop finds --theme dark from / (rc=$rc)" "[ $rc -eq 0 ]" "$out"
out=$(cd / && HOME=$TMP XDG_CONFIG_HOME=$TMP "$R/bin/stormtop" --theme no-such --synthetic 2 -b -n 1 2>&1 >/dev/null); rc=$?
check "an unknown --theme is exit 2, one line (rc=$rc)" "[ $rc -eq 2 ] && [ \$(wc -l <<<\"\$out\") -eq 1 ] && grep -q \"no theme 'no-such'\" <<<\"\$out\"" "$out"

if [ -f /usr/share/bash-completion/bash_completion ]; then
	mkdir -p "$TMP/cwd" && touch "$TMP/cwd/night.rec" "$TMP/cwd/notes.txt"
	comp=$(cd "$TMP/cwd" && PATH=$R/bin:$PATH bash -c '
		. /usr/share/bash-completion/bash_completion; . "$1"
		c() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		      _stormtop stormtop "${!#}" "${COMP_WORDS[COMP_CWORD-1]}"; echo "${COMPREPLY[*]}"; }
		c stormtop --theme d; c stormtop play ""; c stormtop dr; c stormtop --prometheus-t' _ "$R/share/bash-completion/completions/stormtop")
	check "bash completes themes, .rec files, subcommands, options" "[ \"\$comp\" = \$'dark default\\nnight.rec\\ndrill\\n--prometheus-top' ]" "$comp"
else
	skip "bash completion: bash-completion not installed (make test-deps)"
fi
if command -v zsh >/dev/null; then
	z=$(zsh -f -c "fpath=($R/share/zsh/site-functions \$fpath); autoload -Uz compinit && compinit -u -d $TMP/zcd && print -r -- \${_comps[stormtop]}" 2>&1)
	check "zsh: compinit binds _stormtop to stormtop ($z)" "[ \"\$z\" = _stormtop ] && zsh -n $R/share/zsh/site-functions/_stormtop"
else
	skip "zsh completion: no zsh (make test-deps)"
fi

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
