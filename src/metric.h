/* Per-CPU figures a heatmap can show, read off a frame.  Shared by every
 * consumer (UI today; exporter and correlator later) so a number means the
 * same thing everywhere. */
#ifndef STORMTOP_METRIC_H
#define STORMTOP_METRIC_H

#include "frame.h"

struct metric {
	const char *key;     /* stable id: config files, recordings */
	const char *title;
	const char *unit;
	/* The figure for one CPU, or a negative value when the frame holds
	 * none (CPU offline, first tick, source missing). */
	double (*per_cpu)(const struct frame *f, uint32_t cpu);
};

extern const struct metric metric_tlb_rx;

#endif
