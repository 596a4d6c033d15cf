#!/bin/busybox sh
# PID 1 of the lab guest (the initramfs's /init).  Loads the modules the
# initramfs carries (/mods, in load order), mounts the host's / from 9p
# read-only under a tmpfs overlay as the new root, the writable result
# share at /lab, and runs /lab/cmd.sh there as root; its exit status goes
# to /lab/rc.  Then the guest powers off.  Progress lines start "lab-init:".
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
say() { echo "lab-init: $*" > /dev/ttyS0; }
say "up $(cut -d' ' -f1 /proc/uptime) s"
for m in /mods/*.ko; do insmod "$m" || say "insmod $m failed"; done
mkdir -p /mnt/lower /mnt/rw /newroot
if ! mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144,cache=loose hostroot /mnt/lower; then
	say "cannot mount the host's root over 9p"
	poweroff -f
fi
mount -t tmpfs -o size=1g,mode=755 tmpfs /mnt/rw
mkdir -p /mnt/rw/upper /mnt/rw/work
mount -t overlay overlay -o lowerdir=/mnt/lower,upperdir=/mnt/rw/upper,workdir=/mnt/rw/work /newroot ||
	say "overlay failed"
N=/newroot
mount -t proc proc $N/proc
mount -t sysfs sysfs $N/sys
mount -t devtmpfs devtmpfs $N/dev
mkdir -p $N/dev/pts $N/dev/shm $N/lab $N/tmp
mount -t devpts devpts $N/dev/pts
# what udev would make: bash's <(...) needs /dev/fd
ln -sf /proc/self/fd $N/dev/fd
ln -sf /proc/self/fd/0 $N/dev/stdin
ln -sf /proc/self/fd/1 $N/dev/stdout
ln -sf /proc/self/fd/2 $N/dev/stderr
mount -t tmpfs -o mode=1777 tmpfs $N/dev/shm
mount -t tmpfs -o mode=755 tmpfs $N/run
mount -t tmpfs -o mode=1777 tmpfs $N/tmp
mount -t tracefs tracefs $N/sys/kernel/tracing
mount -t debugfs debugfs $N/sys/kernel/debug
mount -t bpf bpf $N/sys/fs/bpf
mount -t cgroup2 cgroup2 $N/sys/fs/cgroup
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 labout $N/lab || say "no result share"
say "root ready $(cut -d' ' -f1 /proc/uptime) s"
if [ -f $N/lab/cmd.sh ]; then
	chroot $N /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root TERM=xterm-256color LANG=C.UTF-8 TZ=UTC /bin/bash /lab/cmd.sh
	echo $? > $N/lab/rc
else
	say "no /lab/cmd.sh"
fi
sync
umount $N/lab
say "poweroff $(cut -d' ' -f1 /proc/uptime) s"
poweroff -f
