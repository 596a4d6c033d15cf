// SPDX-License-Identifier: GPL-2.0
/* IOMMU DMA map/unmap churn and the IOTLB invalidations it costs. */
#include "twin.bpf.h"
#include "iotlb_shared.h"

char LICENSE[] SEC("license") = "GPL";

BANK_MAP(iotlb_banks, struct iotlb_bank);

static __always_inline int on_map(__u64 size)
{
	struct iotlb_bank *b = this_bank(&iotlb_banks);

	if (b) {
		b->map++;
		b->map_bytes += size;
	}
	return 0;
}
TWIN(map, "map", on_map(size), unsigned long iova, phys_addr_t paddr, size_t size)

static __always_inline int on_unmap(__u64 unmapped)
{
	struct iotlb_bank *b = this_bank(&iotlb_banks);

	if (b) {
		b->unmap++;
		b->unmap_bytes += unmapped;
	}
	return 0;
}
TWIN(unmap, "unmap", on_unmap(unmapped), unsigned long iova, size_t size, size_t unmapped)

/* A cache-tag flush submits queued invalidations itself: the two are kept
 * apart so that user space counts one of them, not both. */
static __always_inline int on_inval(int tag)
{
	struct iotlb_bank *b = this_bank(&iotlb_banks);

	if (b && tag)
		b->tag_flush++;
	else if (b)
		b->inval++;
	return 0;
}
/* intel_iommu events: only counted, so no argument types are needed. */
TWIN(qi_submit, "qi_submit", on_inval(0))
TWIN(tag_all, "cache_tag_flush_all", on_inval(1))
TWIN(tag_range, "cache_tag_flush_range", on_inval(1))
TWIN(tag_range_np, "cache_tag_flush_range_np", on_inval(1))
