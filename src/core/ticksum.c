// SPDX-License-Identifier: GPL-2.0-only
#include "core/ticksum.h"

#include <math.h>
#include <string.h>

#include "core/metric.h"
#include "stormtop/probe.h"

void tick_sum_window(struct tick_sum *s, const struct frame *f)
{
	s->seq = f->seq;
	s->mono_ns = f->mono_ns;
	s->wall_ns = f->wall_ns;
	s->interval_ns = f->interval_ns;
	s->signals = f->signals;
	s->rate = f->regime.rate;
	s->dfi = f->regime.dfi;
	s->nnodes = f->regime.nnodes <= FRAME_NODES ? f->regime.nnodes : FRAME_NODES;
	for (uint32_t i = 0; i < s->nnodes; i++)
		s->nodes[i] = (struct tick_node_rate){ f->regime.nodes[i].node, f->regime.nodes[i].rate };
	s->phase_n = s->phase_late = 0;
	s->phase_any = 0;
	for (uint32_t i = 0; i < f->nseries && i < FRAME_SERIES; i++)
		if (f->series[i].kind == STORMPROBE_PHASE && !f->series[i].reset) {
			s->phase_n += f->series[i].n;
			s->phase_late += f->series[i].late;
			s->phase_any = 1;
		}
	memcpy(s->rq_hist, f->sys.rq_hist, sizeof(s->rq_hist));
}

/* The cost line's csd gap over the CPUs (core/metric.h tlb_rx_gap). */
static void gap_of(struct tick_sum *s, const struct frame *f)
{
	s->gap_any = 0;
	s->gap_irq = 0;
	s->gap = 0;
	for (uint32_t c = 0; c < f->ncpu; c++) {
		int64_t d;

		if (tlb_rx_gap(f, c, &d)) {
			s->gap_irq += f->cpu[c].irq[IRQ_TLB];
			s->gap += d;
			s->gap_any = 1;
		}
	}
}

void tick_sum_fill(struct tick_sum *s, const struct frame *f)
{
	tick_sum_window(s, f);
	s->tlb = f->regime.tlb;
	s->iommu = f->regime.iommu;
	s->tlb_was = f->regime.tlb_was;
	s->iommu_was = f->regime.iommu_was;
	memcpy(s->why, f->regime.why, sizeof(s->why));
	s->tlb_per_core = tick_tlb_per_core(f);
	s->iotlb_rate = tick_iotlb_rate(f);
	s->runq_p99_ns = tick_runq_p99_ns(f);
	s->app_p99_ns = tick_app_p99_ns(f);
	gap_of(s, f);
	memcpy(s->app_hist, f->app_hist, sizeof(s->app_hist));
}

double tick_node_rate(const struct tick_sum *s, uint16_t node)
{
	for (uint32_t i = 0; i < s->nnodes; i++)
		if (s->nodes[i].node == node)
			return s->nodes[i].rate;
	return NAN;
}

double tick_dispatch_rate(const struct tick_sum *s)
{
	return s->phase_any && s->interval_ns > 0 ? (double)s->phase_n * 1e9 / (double)s->interval_ns : NAN;
}
