// SPDX-License-Identifier: GPL-2.0-only
#include "stages/drill.h"

#include <string.h>

#include "util/nstime.h"

void drill_init(struct drill *d, double flap_s)
{
	memset(d, 0, sizeof(*d));
	d->flap_s = flap_s;
}

/* A return to the state left within flap_s is a flap. */
static void transition(struct drill *d, const struct frame *f, int m, int from, int to)
{
	struct drill_transition *t = &d->t[d->n < DRILL_MAX_TRANSITIONS ? d->n : DRILL_MAX_TRANSITIONS - 1];

	if (d->total && d->last_at[m] && to == d->last_from[m] && from == d->last_to[m] &&
	    ns_diff_s(f->mono_ns, d->last_at[m]) < d->flap_s)
		d->flaps++;
	d->last_from[m] = (uint8_t)from;
	d->last_to[m] = (uint8_t)to;
	d->last_at[m] = f->mono_ns;
	*t = (struct drill_transition){ .wall_ns = f->wall_ns, .mono_ns = f->mono_ns, .machine = (uint8_t)m,
					.from = (uint8_t)from, .to = (uint8_t)to };
	memcpy(t->why, f->regime.why, sizeof(t->why));
	if (d->n < DRILL_MAX_TRANSITIONS)
		d->n++;
	d->total++;
	if (m == 0 && to == TLB_WATCH)
		d->watch_at = f->mono_ns;
	if (m == 0 && to == TLB_STORM && d->watch_at && d->nlead < 64)
		d->lead_s[d->nlead++] = ns_diff_s(f->mono_ns, d->watch_at);
}

void drill_add(struct drill *d, const struct frame *f, const struct frame_regime *recorded)
{
	const struct frame_regime *g = &f->regime;

	d->frames++;
	d->dwell_s[0][g->tlb_was < TLB_REGIMES ? g->tlb_was : 0] += (double)f->interval_ns / 1e9;
	d->dwell_s[1][g->iommu_was < IOMMU_REGIMES ? g->iommu_was : 0] += (double)f->interval_ns / 1e9;
	if (g->tlb != g->tlb_was)
		transition(d, f, 0, g->tlb_was, g->tlb);
	if (g->iommu != g->iommu_was)
		transition(d, f, 1, g->iommu_was, g->iommu);
	if (!recorded)
		return;
	d->recorded_transitions += (recorded->tlb != recorded->tlb_was) + (recorded->iommu != recorded->iommu_was);
	if (recorded->tlb != g->tlb || recorded->iommu != g->iommu) {
		if (!d->mismatched)
			d->first_mismatch_ns = f->wall_ns;
		d->mismatched++;
	}
}
