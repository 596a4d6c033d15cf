#!/bin/sh
# Installs the Debian packages stormtop builds and tests with.  As root it
# installs what is missing; otherwise it prints the one line to run.
set -eu

PKGS="build-essential pkg-config libncurses-dev libnuma-dev libcmocka-dev tmux
      libbpf-dev bpftool clang libelf-dev zlib1g-dev libpfm4-dev libzstd-dev stress-ng
      linux-perf jq libinih-dev libmicrohttpd-dev prometheus curl libcap2-bin util-linux"

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
