#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Installs the Debian packages stormtop needs, by use:
#   scripts/deps.sh run    what `make run` needs: the runtime libraries and
#                          the compilers and headers to build (no daemon)
#   scripts/deps.sh test   that plus the test and packaging tools (`make test`)
#   scripts/deps.sh lab    that plus what `make lab` needs (QEMU, the guest's tools)
#   scripts/deps.sh list runtime|build|test   print one group
# As root it installs what is missing; otherwise it prints the one line to run
# and fails only when a package the asked use needs is missing.
set -eu

# What the stormtop binary and libstormprobe link against (the .deb's
# Depends come from these through dpkg-shlibdeps), and the tools stormtop
# itself calls or tells the user to call (setcap; lscpu for `check`).
RUNTIME="libncursesw6 libbpf1 libelf1 libdw1 zlib1g libpfm4 libzstd1 libnuma1 libinih1
	libmicrohttpd12 libcap2-bin util-linux"
# To build from source: compilers, the BPF toolchain, headers.  The same
# list is debian/control's Build-Depends.
BUILD="build-essential pkg-config clang bpftool libbpf-dev libelf-dev libdw-dev zlib1g-dev
	libncurses-dev libnuma-dev libpfm4-dev libzstd-dev libinih-dev libmicrohttpd-dev"
# Only the tests: the Prometheus server (its package ships an enabled
# prometheus.service, so `make run` never installs it), load generators,
# bpftrace (bench/bpf_cost's peer programs), htop (bench/mon_cost's peer),
# the packaging tools tests/package_test.sh drives, and the browser (and
# bc) tests/report_test.sh opens the report pages in, and GNU time for
# a child's peak RSS (tests/trigger_test.sh).
TEST="libcmocka-dev tmux stress-ng linux-perf jq curl prometheus bpftrace htop
	debhelper dpkg-dev fakeroot lintian bash-completion zsh chromium bc time"
# The kernel lab (tests/lab): QEMU, the guest's initramfs tools, the archive
# key that signs the Debian kernels it fetches.
LAB="qemu-system-x86 busybox-static cpio kmod xz-utils zstd debian-archive-keyring
	iproute2 util-linux binutils"

case "${1:-run}" in
run) PKGS="$RUNTIME $BUILD" ;;
test) PKGS="$RUNTIME $BUILD $TEST" ;;
lab) PKGS="$RUNTIME $BUILD $TEST $LAB" ;;
list)
	case "${2:-}" in
	runtime) echo $RUNTIME ;;
	build) echo $BUILD ;;
	test) echo $TEST ;;
	lab) echo $LAB ;;
	*) echo "usage: scripts/deps.sh list runtime|build|test|lab" >&2; exit 2 ;;
	esac
	exit 0 ;;
*) echo "usage: scripts/deps.sh [run|test|lab|list GROUP]" >&2; exit 2 ;;
esac

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "stormtop: missing packages; run:  sudo apt-get install -y$missing" >&2
	exit 1
fi
echo "stormtop: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
