#!/bin/sh
# Builds the lab guest's initramfs for one fetched kernel:
#   initramfs.sh KERNEL_DIR      # $LAB_CACHE/kernels/<release>, from fetch-kernel.sh
# writes KERNEL_DIR/initramfs.cpio.gz: busybox-static as every tool, the
# kernel's modules as fetch-kernel.sh kept them (mods/NN-name.ko, load
# order), and tests/lab/init.sh as /init.
set -eu
kdir=${1:?usage: initramfs.sh KERNEL_DIR}
here=$(cd "$(dirname "$0")" && pwd)
bb=/bin/busybox
# /init and insmod run before any library exists: a static busybox only
if [ ! -x "$bb" ] || ldd "$bb" >/dev/null 2>&1; then
	echo "lab: no static busybox (apt-get install busybox-static)" >&2
	exit 1
fi
r=$kdir/initramfs.tmp
rm -rf "$r"
mkdir -p "$r/bin" "$r/mods" "$r/proc" "$r/sys" "$r/dev" "$r/mnt"
cp "$bb" "$r/bin/busybox"
cp "$kdir"/mods/*.ko "$r/mods/"
cp "$here/init.sh" "$r/init"
chmod 755 "$r/init"
(cd "$r" && find . | cpio -o -H newc --quiet | gzip -1) > "$kdir/initramfs.cpio.gz.tmp"
mv "$kdir/initramfs.cpio.gz.tmp" "$kdir/initramfs.cpio.gz"
rm -rf "$r"
