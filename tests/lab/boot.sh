#!/bin/bash
# Boots one lab guest and runs OUT/cmd.sh inside it as root.
#
#   boot.sh KERNEL_DIR OUT       # KERNEL_DIR from fetch-kernel.sh + initramfs.sh
#
# The guest: q35 with an emulated Intel IOMMU (interrupt remapping, caching
# mode, device IOTLB) and intel_iommu=on iommu=nopt iommu.strict=1, so DMA
# is remapped and every unmap invalidates the IOTLB at once; 8 vCPUs in 2
# sockets; NUMA node 0 = CPUs 0-3, node 1 = CPUs 4-7, node 2 = memory and
# no CPUs (a CXL expander's shape); a sparse scratch disk /dev/vda
# (virtio-blk behind the IOMMU: iommu_platform=on); the host's / read-only
# over 9p as the guest's root (under a tmpfs overlay) and OUT writable as
# /lab.  No network device.  QEMU's TCG (nested KVM does not boot stock
# kernels on this machine kind); rates inside are not realistic.
# The serial console goes to OUT/console.log; exit status is QEMU's (124 on
# LAB_TIMEOUT, default 900 s).
set -euo pipefail
kdir=${1:?usage: boot.sh KERNEL_DIR OUT}
out=${2:?usage: boot.sh KERNEL_DIR OUT}
mem=${LAB_MEM:-640,640,512}     # MiB on nodes 0, 1, 2
IFS=, read -r m0 m1 m2 <<< "$mem"
disk=$(dirname "$kdir")/../scratch.img
[ -f "$disk" ] || truncate -s 256M "$disk"

numa=(-object memory-backend-ram,id=m0,size=${m0}M -numa node,nodeid=0,cpus=0-3,memdev=m0
      -object memory-backend-ram,id=m1,size=${m1}M -numa node,nodeid=1,cpus=4-7,memdev=m1
      -object memory-backend-ram,id=m2,size=${m2}M -numa node,nodeid=2,memdev=m2
      -numa dist,src=0,dst=1,val=21 -numa dist,src=0,dst=2,val=30 -numa dist,src=1,dst=2,val=30)
# no_timer_check: under TCG on a busy host the IO-APIC timer test can miss
# its ticks, and with interrupt remapping the kernel then panics at boot
# ("timer doesn't work through Interrupt-remapped IO-APIC", seen on 6.1 and 6.12)
append="console=ttyS0 intel_iommu=on iommu=nopt iommu.strict=1 no_timer_check panic=-1 loglevel=4 rdinit=/init"
# One TCG thread for all 8 vCPUs (LAB_TCG_THREAD=multi for one each): with
# a thread each, a 6.12 guest oopsed on an int3 in __schedule while
# stormtop --probes attached its programs (the kernel patching its code
# while another vCPU ran it), and a 5.10 guest once hung in --probes; one
# thread was no slower on this 2-core host and used half the host CPU.
rm -f "$out/console.log" "$out/rc"
exec timeout "${LAB_TIMEOUT:-900}" nice -n 10 qemu-system-x86_64 \
	-nodefaults -display none -no-reboot \
	-accel "tcg,thread=${LAB_TCG_THREAD:-single},tb-size=256" -cpu max -machine q35 \
	-device intel-iommu,intremap=on,caching-mode=on,device-iotlb=on \
	-smp 8,sockets=2,cores=4,threads=1 -m $((m0 + m1 + m2))M "${numa[@]}" \
	-kernel "$kdir/vmlinuz" -initrd "$kdir/initramfs.cpio.gz" -append "$append" \
	-chardev file,id=con,path="$out/console.log" -serial chardev:con \
	-fsdev local,id=fsroot,path=/,security_model=none,readonly=on,multidevs=remap \
	-device virtio-9p-pci,fsdev=fsroot,mount_tag=hostroot \
	-fsdev local,id=fsout,path="$out",security_model=none \
	-device virtio-9p-pci,fsdev=fsout,mount_tag=labout \
	-drive file="$disk",if=none,id=d0,format=raw \
	-device virtio-blk-pci,drive=d0,iommu_platform=on,disable-legacy=on,ats=on
