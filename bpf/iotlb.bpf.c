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

/* Linux before 5.11: intel-iommu had DMA ops of its own, which never call
 * iommu_map(), and traced them as intel_iommu:map_single, map_sg (one event
 * per scatterlist entry), unmap_single, unmap_sg and their bounce_ twins.
 * Where they exist they are the DMA map/unmap churn; where they do not,
 * the loader says "no tracepoint". */
TWIN(map_single, "map_single", on_map(size), struct device *dev, dma_addr_t dev_addr,
     phys_addr_t phys_addr, size_t size)
TWIN(bounce_map_single, "bounce_map_single", on_map(size), struct device *dev, dma_addr_t dev_addr,
     phys_addr_t phys_addr, size_t size)
#ifdef STORMTOP_NO_CORE
/* struct scatterlist's head, unchanged since 4.17 (page_link, offset,
 * length): without kernel BTF nothing relocates it. */
struct sg_head {
	unsigned long page_link;
	unsigned int offset, length;
};
static __always_inline __u64 sg_length(const void *sg)
{
	struct sg_head h = {};

	bpf_probe_read_kernel(&h, sizeof(h), sg);
	return h.length;
}
#else
#define sg_length(sg) BPF_CORE_READ((struct scatterlist *)(sg), length)
#endif
TWIN(map_sg, "map_sg", on_map(sg_length(sg)), struct device *dev, int index, int total,
     struct scatterlist *sg)
TWIN(bounce_map_sg, "bounce_map_sg", on_map(sg_length(sg)), struct device *dev, int index,
     int total, struct scatterlist *sg)
TWIN(unmap_single, "unmap_single", on_unmap(size), struct device *dev, dma_addr_t dev_addr, size_t size)
TWIN(unmap_sg, "unmap_sg", on_unmap(size), struct device *dev, dma_addr_t dev_addr, size_t size)
TWIN(bounce_unmap_single, "bounce_unmap_single", on_unmap(size), struct device *dev, dma_addr_t dev_addr,
     size_t size)

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
