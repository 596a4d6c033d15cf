#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The Debian packages: dpkg-buildpackage builds stormtop, libstormprobe1 and
# libstormprobe-dev from a copy of this tree; lintian finds no error; each
# package holds what it should; installed (on this host as root with dpkg
# -i, else unpacked with dpkg -x into a scratch root) stormtop answers
# --version and check, finds its themes and man page from /, its unit
# verifies, a program built from the installed stormprobe.pc reads what
# the installed stormtop publishes; then dpkg -r removes every file.
# Outside CI it skips, saying why, when the packaging tools are missing.
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh
TMP=$(mktemp -d)
INSTALLED=""
cleanup() {
	[ -n "$INSTALLED" ] && dpkg -P $INSTALLED >/dev/null 2>&1
	[ -n "${PUB:-}" ] && kill "$PUB" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

for t in dpkg-buildpackage dh fakeroot; do
	if ! command -v $t >/dev/null; then
		[ -n "${CI:-}" ] && { bad "$t is installed (scripts/deps.sh test)"; summary package; exit; }
		skip "package: no $t (scripts/deps.sh test installs debhelper, dpkg-dev, fakeroot)"
		summary package
		exit 0
	fi
done

ver=$(dpkg-parsechangelog -S Version 2>/dev/null)
SRC=$TMP/stormtop-$ver
mkdir -p "$SRC"
git ls-files -co --exclude-standard | grep -v '^build/' | tar -cf - -T - | tar -xf - -C "$SRC"
start=$(date +%s)
(cd "$SRC" && DEB_BUILD_OPTIONS="parallel=2 nocheck" dpkg-buildpackage -us -uc -b >"$TMP/build.log" 2>&1)
rc=$?
check "dpkg-buildpackage -us -uc -b ($(( $(date +%s) - start )) s)" "[ $rc -eq 0 ]" "$(tail -20 "$TMP/build.log")"
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
MA=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
DEBS="$TMP/stormtop_${ver}_$arch.deb $TMP/libstormprobe1_${ver}_$arch.deb $TMP/libstormprobe-dev_${ver}_$arch.deb"
for d in $DEBS; do
	[ -f "$d" ] || { bad "built $(basename "$d")"; summary package; exit; }
done

if command -v lintian >/dev/null; then
	lint=$(lintian "$TMP/stormtop_${ver}_$arch.changes" 2>&1 | grep -v '^running with root')
	check "lintian: no error ($(grep -c '^W:' <<<"$lint") warnings)" "! grep -q '^E:' <<<\"\$lint\"" "$lint"
else
	skip "lintian: not installed"
fi

has() { dpkg-deb -c "$1" | awk '{print $6}' | grep -qx "./$2"; }
S=$TMP/stormtop_${ver}_$arch.deb D=$TMP/libstormprobe-dev_${ver}_$arch.deb L=$TMP/libstormprobe1_${ver}_$arch.deb
check "stormtop: binary, themes, man page, completions, unit" "has $S usr/bin/stormtop && has $S usr/share/stormtop/themes/dark.theme && has $S usr/share/man/man1/stormtop.1.gz && has $S usr/share/bash-completion/completions/stormtop && has $S usr/share/zsh/vendor-completions/_stormtop && has $S lib/systemd/system/stormtop-record.service"
check "libstormprobe1: the shared library" "has $L usr/lib/$MA/libstormprobe.so.1"
check "libstormprobe-dev: header, static, .so link, .pc, stormprobe.3" "has $D usr/include/stormtop/probe.h && has $D usr/lib/$MA/libstormprobe.a && dpkg-deb -c $D | grep -q ' ./usr/lib/$MA/libstormprobe.so -> libstormprobe.so.1' && has $D usr/lib/$MA/pkgconfig/stormprobe.pc && has $D usr/share/man/man3/stormprobe.3.gz"
check "stormtop depends on its runtime libraries" "dpkg-deb -f $S Depends | grep -q libbpf1 && dpkg-deb -f $S Depends | grep -q libmicrohttpd"

# On this host when root and nothing of ours is installed; else (or with
# PACKAGE_TEST_SCRATCH=1) a scratch root.
R="" LIBDIR=/usr/lib/$MA
if [ -z "${PACKAGE_TEST_SCRATCH:-}" ] && [ "$(id -u)" -eq 0 ] && ! dpkg-query -W stormtop libstormprobe1 libstormprobe-dev >/dev/null 2>&1; then
	for i in $(seq 30); do # another apt/dpkg run holds the lock: wait
		dpkg -i $DEBS >"$TMP/dpkg.log" 2>&1 && break
		grep -q 'lock' "$TMP/dpkg.log" || break
		sleep 2
	done
	check "dpkg -i the three packages" "dpkg-query -W -f='\${Status}' stormtop | grep -q 'install ok installed'" "$(cat "$TMP/dpkg.log")"
	INSTALLED="stormtop libstormprobe-dev libstormprobe1"
	BIN_PATH=/usr/bin/stormtop
else
	R=$TMP/root
	for d in $DEBS; do dpkg -x "$d" "$R"; done
	echo "# not root or already installed: unpacked into a scratch root"
	BIN_PATH=$R/usr/bin/stormtop
fi

out=$(cd / && "$BIN_PATH" --version 2>&1)
check "stormtop --version says ${ver%%-*} ($out)" "grep -qF '${ver%%-*}' <<<\"\$out\""
out=$(cd / && "$BIN_PATH" check 2>&1); rc=$?
check "stormtop check: 0 clean or 3 findings (rc=$rc)" "[ $rc -eq 0 ] || [ $rc -eq 3 ]" "$out"
out=$(cd / && HOME=$TMP XDG_CONFIG_HOME=$TMP "$BIN_PATH" --theme light --synthetic 2 -b -n 1 -d 0.05 2>&1 >/dev/null); rc=$?
check "--theme light from / with no user themes (rc=$rc)" "[ $rc -eq 0 ]" "$out"
if [ -z "$R" ]; then
	check "man stormtop and man 3 stormprobe" "MANWIDTH=80 man stormtop 2>/dev/null | grep -q 'EXIT STATUS' && MANWIDTH=80 man 3 stormprobe 2>/dev/null | grep -q 'RETURN VALUE'"
	if command -v systemd-analyze >/dev/null; then
		v=$(systemd-analyze verify /lib/systemd/system/stormtop-record.service 2>&1)
		check "systemd-analyze verify on the installed unit" "[ -z \"\$v\" ]" "$v"
	fi
fi

# The probe example and a writer, built from the installed .pc only.
export PKG_CONFIG_PATH=$R$LIBDIR/pkgconfig
[ -n "$R" ] && export PKG_CONFIG_SYSROOT_DIR=$R LD_LIBRARY_PATH=$R$LIBDIR
flags=$(pkg-config --cflags --libs stormprobe)
cc -Wall -Werror -o "$TMP/regime-reader" tools/regime-reader.c $flags 2>"$TMP/cc1"
check "tools/regime-reader.c builds against stormprobe.pc ($flags)" "[ -x $TMP/regime-reader ]" "$(cat "$TMP/cc1")"
check "it links the installed libstormprobe.so.1" "ldd $TMP/regime-reader | grep -Eq '=> $R(/usr)?/lib/$MA/libstormprobe\\.so\\.1 '" "$(ldd "$TMP/regime-reader")"
STORMPROBE_DIR=$TMP "$BIN_PATH" --publish pkgtest --synthetic 2 -b -n 100 -d 0.1 >/dev/null 2>&1 &
PUB=$!
for i in $(seq 50); do [ -e "$TMP/stormprobe.pkgtest" ] && break; sleep 0.1; done
sleep 0.5
line=$(STORMPROBE_DIR=$TMP timeout 1.5 "$TMP/regime-reader" pkgtest | head -1)
check "it reads the regime the installed stormtop publishes ($line)" "grep -Eq 'tlb [0-9]+ iommu [0-9]+ .*heartbeat [1-9]' <<<\"\$line\""
kill "$PUB" 2>/dev/null; wait "$PUB" 2>/dev/null; PUB=""

if [ -n "$INSTALLED" ]; then
	dpkg -r $INSTALLED >"$TMP/dpkg.log" 2>&1
	left=$(ls -d /usr/bin/stormtop /usr/share/stormtop /usr/include/stormtop $LIBDIR/libstormprobe* /lib/systemd/system/stormtop-record.service /usr/share/man/man1/stormtop.1.gz 2>/dev/null)
	check "dpkg -r removes every installed file" "[ -z \"\$left\" ] && ! dpkg-query -W -f='\${Status}' stormtop 2>/dev/null | grep -q 'ok installed'" "$left $(cat "$TMP/dpkg.log")"
	dpkg -P $INSTALLED >/dev/null 2>&1
	INSTALLED=""
fi
summary package
