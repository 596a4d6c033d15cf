/* SPDX-License-Identifier: GPL-2.0-only */
/* Per-CPU figures a heatmap can show, read off a frame.  Shared by every
 * consumer (UI today; exporter and correlator later) so a number means the
 * same thing everywhere. */
#ifndef STORMTOP_METRIC_H
#define STORMTOP_METRIC_H

#include "core/frame.h"

struct metric {
	const char *key;     /* stable id: config files, recordings */
	const char *title;
	const char *brief;   /* a panel's title in the overview, <= 14 columns */
	const char *unit;    /* of the value per_cpu returns */
	/* Heat thresholds in that unit; 0 = the user's --thresholds. */
	double warn, crit;
	/* The figure for one CPU, or a negative value when the frame holds
	 * none (CPU offline, first tick, source missing). */
	double (*per_cpu)(const struct frame *f, uint32_t cpu);
	/* The eBPF/perf signal the metric is made of (or -1); a frame without
	 * it cannot show the metric. */
	int needs;
	/* Why not, for metrics with other sources (NULL: use needs). */
	const char *(*missing)(const struct frame *f);
};

/* NULL when the frame can show m, else why not. */
const char *metric_missing(const struct metric *m, const struct frame *f);

/* Metric 4's one name, wherever it is shown (panel, title, keys, help):
 * IOMMU map, unmap and IOTLB invalidation calls /s, summed (not only
 * flushes: a map flushes nothing). */
#define METRIC_IOTLB_NAME "IOMMU ops"

enum metric_id {
	METRIC_TLB_RX,     /* TLB shootdown IPIs received /s */
	METRIC_IPI_SENT,   /* TLB IPIs sent /s */
	METRIC_IPI_TAX,    /* time in call-function IPI handlers, µs/s */
	METRIC_IOTLB,      /* METRIC_IOTLB_NAME: IOMMU map + unmap + IOTLB invalidations /s */
	METRIC_RUNQ_P99,   /* run-queue delay p99, µs */
	METRIC_JITTER,     /* attached apps' dispatch phase error p99, µs */
	METRIC_COUNT
};

extern const struct metric metric_tlb_rx;

/* TLB IPIs received on cpu this tick, counted twice: by the kernel
 * (/proc/interrupts TLB line, irq_tlb_count, bumped in flush_tlb_func) and
 * by stormtop's csd:csd_function_entry program for flush_tlb_func
 * (tlb_rx).  *gap = kernel - csd: IPIs the BPF program did not see (the
 * kernel skips it for about 1-3 in 100k on 6.18), give or take the few
 * that land between the two reads of a tick.  1 when the frame has both
 * for cpu, else 0 and *gap is 0.  The window sums of the gap telescope:
 * only the edges of the whole window remain. */
int tlb_rx_gap(const struct frame *f, uint32_t cpu, int64_t *gap);
extern const struct metric *const metrics[METRIC_COUNT];

/* Per-tick figures of a whole frame (NAN when the frame lacks them): what
 * the correlator and controller correlate and the UI's time series draw,
 * so all mean the same thing.  The mean per online core of TLB IPIs/s
 * (METRIC_TLB_RX), the host's IOTLB operations/s (METRIC_IOTLB), and the
 * p99 of run-queue delay and of the attached app's latency, ns
 * (hist_quantile of the tick's histograms). */
double tick_tlb_per_core(const struct frame *f);
double tick_iotlb_rate(const struct frame *f);
double tick_runq_p99_ns(const struct frame *f);
double tick_app_p99_ns(const struct frame *f);

#endif
