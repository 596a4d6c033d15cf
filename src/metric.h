/* Per-CPU figures a heatmap can show, read off a frame.  Shared by every
 * consumer (UI today; exporter and correlator later) so a number means the
 * same thing everywhere. */
#ifndef STORMTOP_METRIC_H
#define STORMTOP_METRIC_H

#include "frame.h"

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

enum metric_id {
	METRIC_TLB_RX,     /* TLB shootdown IPIs received /s */
	METRIC_IPI_SENT,   /* TLB IPIs sent /s */
	METRIC_IPI_TAX,    /* time in call-function IPI handlers, µs/s */
	METRIC_IOTLB,      /* IOMMU map/unmap and IOTLB invalidations /s */
	METRIC_RUNQ_P99,   /* run-queue delay p99, µs */
	METRIC_JITTER,     /* attached apps' dispatch phase error p99, µs */
	METRIC_COUNT
};

extern const struct metric metric_tlb_rx;
extern const struct metric *const metrics[METRIC_COUNT];

#endif
