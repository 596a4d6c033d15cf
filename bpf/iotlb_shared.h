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
	__u64 inval;      /* intel_iommu:qi_submit: queued-invalidation submissions */
	__u64 tag_flush;  /* intel_iommu:cache_tag_flush_*: the flushes that submit them */
} __attribute__((aligned(64)));

#endif
