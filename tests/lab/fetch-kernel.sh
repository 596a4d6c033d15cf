#!/bin/bash
# Fetches one Debian stock kernel for the lab, installing nothing.
#
#   fetch-kernel.sh SUITE        # bullseye (5.10), bookworm (6.1), trixie (6.12)
#
# A private apt configuration under $LAB_CACHE/apt adds the suite next to
# (not into) the system's sources: the mirror is the one the system already
# uses (/etc/apt/sources.list.d/debian.sources or sources.list), the keys
# Debian's archive keyring.  `apt-get download` fetches the concrete
# linux-image-<ver>-amd64 package the suite's linux-image-amd64 depends on;
# `dpkg -x` unpacks it to a scratch directory, from which the lab keeps
# $LAB_CACHE/kernels/<release>/vmlinuz and mods/: the guest's modules
# (virtio disk, 9p, overlay) with their dependencies, numbered in load order
# (busybox insmod resolves nothing) and decompressed (trixie ships .ko.xz).
# Prints the kernel release (e.g. 6.1.0-50-amd64) on stdout; exit 1 with one
# line on stderr when the archive or a tool cannot be had.
set -euo pipefail
suite=${1:?usage: fetch-kernel.sh SUITE}
cache=${LAB_CACHE:-build/lab}
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
apt_dir=$cache/apt
# What the guest's init loads: the disk, the 9p shares, the overlay root.
WANT="drivers/virtio/virtio_pci drivers/block/virtio_blk net/9p/9pnet_virtio fs/9p/9p fs/overlayfs/overlay"
die() { echo "lab: $*" >&2; exit 1; }

mirror() {
	local uri
	uri=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
	[ -n "$uri" ] || uri=$(awk '$1 == "deb" { print ($2 ~ /^\[/ ? $3 : $2); exit }' /etc/apt/sources.list 2>/dev/null || true)
	echo "${uri:-http://deb.debian.org/debian}"
}

# apt with every path of its own: the system's lists, caches and sources
# are neither read nor written.
papt() {
	local cmd=$1; shift
	"$cmd" -q -o Dir::Etc::SourceList="$apt_dir/sources.list" -o Dir::Etc::SourceParts=/dev/null \
		-o Dir::State::Lists="$apt_dir/lists" -o Dir::Cache="$apt_dir/cache" \
		-o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts=/dev/null \
		-o Acquire::Languages=none -o APT::Architectures=amd64 -o APT::Sandbox::User=root "$@"
}

# The concrete kernel package linux-image-amd64 of $suite depends on.
kernel_package() {
	local meta
	meta=$(papt apt-cache madison linux-image-amd64 |
		awk -F' *[|] *' -v s=" $suite/main " '{ if (index($3 " ", s)) { print $2; exit } }')
	[ -n "$meta" ] || die "no linux-image-amd64 in $suite"
	papt apt-cache show "linux-image-amd64=$meta" | awk '/^Depends:/ {
		n = split(substr($0, 10), d, /, */)
		for (i = 1; i <= n; i++) if (d[i] ~ /^ *linux-image-[0-9]/) { sub(/^ */, "", d[i]); sub(/ .*/, "", d[i]); print d[i]; exit }
	}'
}

# Copies the wanted modules of the unpacked tree $1 (release $2) to $3,
# dependencies first, named NN-name.ko.
keep_modules() {
	local root=$1 kver=$2 out=$3 mods n=0 m
	mods=$root/lib/modules/$kver
	[ -d "$mods" ] || mods=$root/usr/lib/modules/$kver
	[ -d "$mods" ] || die "the package has no modules directory"
	# depmod -b wants BASE/lib/modules: point it at wherever the package put them
	mkdir -p "$root/depmod/lib"
	ln -sfn "$mods/.." "$root/depmod/lib/modules"
	depmod -b "$root/depmod" "$kver"
	mkdir -p "$out"
	for m in $(for w in $WANT; do
			awk -v w="kernel/$w.ko" '{ sub(/:$/, "", $1) } $1 == w || $1 == w ".xz" || $1 == w ".zst" {
				for (i = NF; i >= 2; i--) print $i; print $1 }' "$mods/modules.dep"
		done | awk '!seen[$0]++'); do
		n=$((n + 1))
		case $m in
		*.xz) xz -dc "$mods/$m" ;;
		*.zst) zstd -qdc "$mods/$m" ;;
		*) cat "$mods/$m" ;;
		esac > "$out/$(printf %02d $n)-$(basename "${m%.xz}" .zst)"
	done
}

command -v apt-get >/dev/null && command -v dpkg >/dev/null || die "no apt-get/dpkg: cannot fetch Debian kernels"
command -v depmod >/dev/null || die "no depmod (apt-get install kmod)"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$cache/debs"
list="deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $(mirror) $suite main"
if ! grep -qxF "$list" "$apt_dir/sources.list" 2>/dev/null; then
	echo "$list" >> "$apt_dir/sources.list"
	rm -f "$apt_dir/updated"
fi
# the index is refreshed once a day at most
if [ -z "$(find "$apt_dir/updated" -mmin -1440 2>/dev/null)" ]; then
	papt apt-get update >&2 || die "apt-get update of the lab's suites failed (no network or mirror?)"
	touch "$apt_dir/updated"
fi
pkg=$(kernel_package)
[ -n "$pkg" ] || die "cannot tell which kernel linux-image-amd64 of $suite depends on"
kver=${pkg#linux-image-}
kver=${kver%-unsigned}
dir=$cache/kernels/$kver
if [ ! -f "$dir/ready" ]; then
	deb=$(ls "$cache/debs/${pkg}"_*.deb 2>/dev/null | head -1 || true)
	if [ -z "$deb" ]; then
		(cd "$cache/debs" && papt apt-get download "$pkg" >&2) || die "apt-get download $pkg failed"
		deb=$(ls "$cache/debs/${pkg}"_*.deb | head -1)
	fi
	rm -rf "$dir" "$dir.tmp"
	mkdir -p "$dir.tmp"
	dpkg -x "$deb" "$dir.tmp/root"
	keep_modules "$dir.tmp/root" "$kver" "$dir.tmp/mods"
	cp "$dir.tmp/root/boot/vmlinuz-$kver" "$dir.tmp/vmlinuz"
	rm -rf "$dir.tmp/root"
	echo "$suite $pkg $(basename "$deb")" > "$dir.tmp/ready"
	mv "$dir.tmp" "$dir"
fi
echo "$kver"
