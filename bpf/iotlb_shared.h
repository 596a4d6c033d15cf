/* SPDX-License-Identifier: GPL-2.0-only */
/* IOMMU map/unmap and IOTLB invalidations, per CPU: shared by
 * iotlb.bpf.c and collectors/iotlb.c. */
#ifndef STORMTOP_IOTLB_BPF_SHARED_H
#define STORMTOP_IOTLB_BPF_SHARED_H

struct iotlb_bank {
	__u64 map;
	__u64 map_bytes;
	__u64 unmap;
	__u64 unmap_bytes;
	__u64 inval;      /* intel_iommu queued invalidations and cache-tag flushes */
} __attribute__((aligned(64)));

#endif
