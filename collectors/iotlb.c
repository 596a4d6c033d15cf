#include "iotlb.h"

#include <errno.h>
#include <stdlib.h>
#include <linux/types.h>
#include <bpf/libbpf.h>

#include "bank.h"
#include "delta.h"
#include "iotlb_shared.h"
#include "iotlb.skel.h"

struct iotlb_coll {
	struct bpf_unit unit;
	struct bank bank;
	struct iotlb_bank *prev;
	uint32_t signals;
	int primed;
};

UNIT_GLUE(iotlb)

static void prepare(void *skel, void *arg)
{
	const struct bpf_setup *setup = arg;

	bpf_map__set_max_entries(((struct iotlb_bpf *)skel)->maps.iotlb_banks, setup->nslots);
}

static uint32_t signals_of(const struct bpf_unit *u)
{
	static const char *const inval[] = { "qi_submit", "cache_tag_flush_all",
					     "cache_tag_flush_range", "cache_tag_flush_range_np" };
	uint32_t s = 0;

	if (unit_attached(u, "map") && unit_attached(u, "unmap"))
		s |= 1u << SIG_IOMMU_MAP;
	for (size_t i = 0; i < sizeof(inval) / sizeof(inval[0]); i++)
		if (unit_attached(u, inval[i]))
			s |= 1u << SIG_IOTLB_INVAL;
	return s;
}

struct iotlb_coll *iotlb_open(const struct bpf_setup *s, int *err)
{
	struct iotlb_coll *t = calloc(1, sizeof(*t));

	if (!t || !(t->prev = calloc(s->nslots, sizeof(*t->prev)))) {
		free(t);
		*err = -ENOMEM;
		return NULL;
	}
	t->unit = (struct bpf_unit){ UNIT_OF(iotlb), .prepare = prepare, .arg = (void *)s };
	*err = unit_load(&t->unit, &s->env);
	if (*err >= 0)
		*err = bank_map(&t->bank, bpf_map__fd(((struct iotlb_bpf *)t->unit.skel)->maps.iotlb_banks),
				sizeof(struct iotlb_bank), s->nslots);
	if (*err < 0) {
		iotlb_close(t);
		return NULL;
	}
	t->signals = signals_of(&t->unit);
	return t;
}

void iotlb_sample(struct iotlb_coll *t, struct frame *f)
{
	uint32_t n = f->ncpu < t->bank.n ? f->ncpu : t->bank.n;

	for (uint32_t c = 0; c < n && t->primed; c++) {
		const struct iotlb_bank *cur = bank_slot(&t->bank, c);
		const struct iotlb_bank *prev = &t->prev[c];
		struct frame_cpu *fc = &f->cpu[c];

		fc->io_map = delta_u64(prev->map, cur->map);
		fc->io_map_bytes = delta_u64(prev->map_bytes, cur->map_bytes);
		fc->io_unmap = delta_u64(prev->unmap, cur->unmap);
		fc->io_unmap_bytes = delta_u64(prev->unmap_bytes, cur->unmap_bytes);
		fc->io_inval = delta_u64(prev->inval, cur->inval);
	}
	for (uint32_t c = 0; c < n; c++)
		t->prev[c] = *(const struct iotlb_bank *)bank_slot(&t->bank, c);
	t->primed = 1;
	f->signals |= t->signals;
}

const struct bpf_unit *iotlb_unit(const struct iotlb_coll *t)
{
	return &t->unit;
}

void iotlb_close(struct iotlb_coll *t)
{
	if (!t)
		return;
	bank_unmap(&t->bank);
	unit_close(&t->unit);
	free(t->prev);
	free(t);
}
