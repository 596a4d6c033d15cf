/* SPDX-License-Identifier: GPL-2.0-only */
/* The heatmap's per-CPU values, each converted once: a tick in the ring
 * never changes, yet the grid draws it again at every tick until it
 * leaves the time axis.  One float per (panel, time column, CPU), of the
 * level of the figure core/metric.c's per_cpu returned for that CPU of
 * that frame (kept by the ring as its cells, core/ring.h). */
#ifndef STORMTOP_HEATSERIES_H
#define STORMTOP_HEATSERIES_H

#include <stdint.h>

#include "core/ring.h"

#define HEATSERIES_PANELS 4

struct heatseries {
	float *val;              /* [panel][column][cpu], cap columns in all */
	uint64_t *serial;        /* [panel][column]: ring_serial of the frame held, + 1; 0 none */
	uint64_t *seq;           /* [panel][column]: that frame's seq */
	uint32_t ncpu, cap;      /* CPUs a column, columns allocated over all panels */
	uint32_t ticks, panels;  /* the shape in use: ticks columns a panel */
	const struct frame_ring *ring;
	int metric[HEATSERIES_PANELS];
	double warn[HEATSERIES_PANELS], crit[HEATSERIES_PANELS];
};

/* Room for cols columns (all panels together: the screen's width) of
 * ncpu CPUs: cols * (ncpu * 4 + 16) bytes, from mem_zalloc (so at set-up
 * or on a resize, never while drawing).  Frees what s held; -1 when out
 * of memory (s is then empty and heatseries_column returns NULL). */
int heatseries_alloc(struct heatseries *s, uint32_t ncpu, uint32_t cols);
void heatseries_free(struct heatseries *s);

/* Panel p's values (metric, an enum metric_id, at thresholds warn and
 * crit) of the frame at age in r: ncpu floats, negative where the frame
 * holds none (as per_cpu; -1 for CPUs past the frame's ncpu).  Read off
 * the ring's cells the first time that tick is asked for, then
 * kept while it stays on the time axis (ticks columns a panel, of
 * panels).  Each float classifies (heat_classify at warn, crit) as the
 * double it stands for; a new ring, shape, metric or threshold starts
 * over.  NULL when there is no such frame or no room (p, ticks, panels
 * past what was allocated), a ring without cells, or when thresholds
 * closer than a float's step leave no such float: the caller then reads
 * the cells (or the full frame) itself. */
const float *heatseries_column(struct heatseries *s, const struct frame_ring *r, uint32_t age, int p,
			       int metric, double warn, double crit, uint32_t ticks, uint32_t panels);

#endif
