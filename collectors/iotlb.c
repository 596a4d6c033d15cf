// SPDX-License-Identifier: GPL-2.0-only
#include "collectors/iotlb.h"

#include <errno.h>
#include <stdlib.h>
#include <linux/types.h>
#include <bpf/libbpf.h>

#include "collectors/bank.h"
#include "core/delta.h"
#include "iotlb_shared.h"
#include "iotlb.skel.h"
#include "iotlb_nocore.skel.h"
#include "util/mem.h"

struct iotlb_coll {
	struct banked b;
	uint32_t signals;
	int qi;                  /* qi_submit attached: it counts the invalidations */
};

UNIT_GLUE(iotlb)
UNIT_GLUE(iotlb_nocore)

static struct bpf_map *bank_of(void *skel)
{
	return ((struct iotlb_bpf *)skel)->maps.iotlb_banks;
}

static struct bpf_map *bank_nocore(void *skel)
{
	return ((struct iotlb_nocore_bpf *)skel)->maps.iotlb_banks;
}

static void prepare(void *skel, void *arg)
{
	const struct bpf_setup *setup = arg;

	bpf_map__set_max_entries(setup->env.vmlinux ? bank_of(skel) : bank_nocore(skel), setup->nslots);
}

static uint32_t signals_of(const struct bpf_unit *u)
{
	static const char *const inval[] = { "qi_submit", "cache_tag_flush_all",
					     "cache_tag_flush_range", "cache_tag_flush_range_np" };
	uint32_t s = 0;

	/* iommu:map/unmap, or before 5.11 intel-iommu's own map_single/unmap_single */
	if ((unit_attached(u, "map") && unit_attached(u, "unmap")) ||
	    (unit_attached(u, "map_single") && unit_attached(u, "unmap_single")))
		s |= 1u << SIG_IOMMU_MAP;
	for (size_t i = 0; i < sizeof(inval) / sizeof(inval[0]); i++)
		if (unit_attached(u, inval[i]))
			s |= 1u << SIG_IOTLB_INVAL;
	return s;
}

struct iotlb_coll *iotlb_open(const struct bpf_setup *s, int *err)
{
	struct iotlb_coll *t = mem_zalloc(1, sizeof(*t));

	if (!t) {
		*err = -ENOMEM;
		return NULL;
	}
	/* without kernel BTF, the object built to need none */
	if (s->env.vmlinux)
		t->b.unit = (struct bpf_unit){ UNIT_OF(iotlb), .prepare = prepare, .arg = (void *)s };
	else
		t->b.unit = (struct bpf_unit){ UNIT_OF(iotlb_nocore), .prepare = prepare, .arg = (void *)s };
	t->b.unit.name = "iotlb";
	/* on failure the unit stays, saying why, with nothing to sample */
	*err = banked_open(&t->b, s, s->env.vmlinux ? bank_of : bank_nocore, sizeof(struct iotlb_bank));
	t->signals = signals_of(&t->b.unit);
	t->qi = unit_attached(&t->b.unit, "qi_submit");
	return t;
}

void iotlb_sample(struct iotlb_coll *t, struct frame *f)
{
	struct iotlb_bank *prev = t->b.prev;
	uint32_t n = f->ncpu < t->b.bank.n ? f->ncpu : t->b.bank.n;

	for (uint32_t c = 0; c < n; c++) {
		const struct iotlb_bank *cur = bank_slot(&t->b.bank, c);
		struct frame_cpu *fc = &f->cpu[c];

		if (t->b.primed) {
			fc->io_map = delta_u64(prev[c].map, cur->map);
			fc->io_map_bytes = delta_u64(prev[c].map_bytes, cur->map_bytes);
			fc->io_unmap = delta_u64(prev[c].unmap, cur->unmap);
			fc->io_unmap_bytes = delta_u64(prev[c].unmap_bytes, cur->unmap_bytes);
			/* a cache-tag flush and the submissions it makes are one
			 * invalidation: count the submissions (perf's
			 * intel_iommu:qi_submit) where they can be seen */
			fc->io_inval = t->qi ? delta_u64(prev[c].inval, cur->inval) :
					       delta_u64(prev[c].tag_flush, cur->tag_flush);
		}
		prev[c] = *cur;
	}
	t->b.primed = 1;
	f->signals |= t->signals;
}

const struct bpf_unit *iotlb_unit(const struct iotlb_coll *t)
{
	return &t->b.unit;
}

void iotlb_close(struct iotlb_coll *t)
{
	if (t)
		banked_close(&t->b);
	free(t);
}
