/* SPDX-License-Identifier: GPL-2.0-only */
/* One tick of the history, compact: what the readers of older ticks use
 * (the controller's and correlator's windows, the heatmap's time axis and
 * strips, the regime log, the cost line's csd gap), derived once from the
 * full frame when the ring commits it (core/ring.h).  A full frame is
 * ~37 KB + 496 B a CPU; this is ~5 KB whatever the CPU count, so the ring
 * keeps --history of these and full frames only for the newest few ticks.
 * Every figure is the one the frame gives through core/metric.c (or the
 * frame field named), not computed another way. */
#ifndef STORMTOP_TICKSUM_H
#define STORMTOP_TICKSUM_H

#include <stdint.h>

#include "core/frame.h"

/* A node's hottest core's TLB IPIs/s (frame_regime.nodes[].rate). */
struct tick_node_rate {
	uint16_t node;
	float rate;
};

struct tick_sum {
	/* frame.seq, mono_ns, wall_ns, interval_ns, signals */
	uint64_t seq;
	int64_t mono_ns, wall_ns, interval_ns;
	uint32_t signals;
	/* frame.regime: states after and before the tick, the hottest core's
	 * TLB IPIs/s and DFI, per node rates, the transition's why */
	uint8_t tlb, iommu, tlb_was, iommu_was;
	float rate, dfi;
	uint32_t nnodes;
	struct tick_node_rate nodes[FRAME_NODES];
	char why[FRAME_REASON_LEN];
	/* core/metric.c's tick_tlb_per_core, tick_iotlb_rate,
	 * tick_runq_p99_ns, tick_app_p99_ns (NAN where the frame lacks them) */
	double tlb_per_core, iotlb_rate, runq_p99_ns, app_p99_ns;
	/* STORMPROBE_PHASE series not reset this tick: dispatches, of them
	 * late (frame_series.n, .late), and whether there was any */
	uint64_t phase_n, phase_late;
	uint8_t phase_any;
	/* tlb_rx_gap summed over the CPUs that have it: the kernel's TLB IPIs
	 * (irq[IRQ_TLB]) and the gap; gap_any 0 when no CPU had it */
	uint8_t gap_any;
	uint64_t gap_irq;
	int64_t gap;
	uint32_t rq_hist[LOGLIN_SLOTS];  /* frame.sys.rq_hist */
	uint32_t app_hist[LOGLIN_SLOTS]; /* frame.app_hist */
};

/* The whole summary of a finished frame (its stages have run). */
void tick_sum_fill(struct tick_sum *s, const struct frame *f);
/* Only what the controller's window reads (seq, times, signals, regime
 * rate/dfi/nodes, phase dispatches, rq_hist): for the tick being judged,
 * after its hottest-core figures are in f->regime. */
void tick_sum_window(struct tick_sum *s, const struct frame *f);
/* regime.nodes' rate of node id, NAN when the tick has none. */
double tick_node_rate(const struct tick_sum *s, uint16_t node);
/* Dispatches per second of the tick, NAN without a phase series. */
double tick_dispatch_rate(const struct tick_sum *s);

#endif
