/* SPDX-License-Identifier: GPL-2.0-only */
/* The heatmap's cells, each worked out once: a column of the grid is one
 * frame, which never changes while it crosses the time axis, so a cell's
 * level (the hottest of its row's CPUs, heat_classify at the panel's
 * thresholds) is the same at every tick until the column leaves.  One
 * byte per (panel, time column, shown row): the level, or a pair cell's
 * two levels (low nibble the upper CPU's).  Keyed like heatseries: the
 * ring's commit number of the column's frame and the frame's seq; a new
 * ring, layout, scroll window, metric or threshold starts over. */
#ifndef STORMTOP_HEATMEMO_H
#define STORMTOP_HEATMEMO_H

#include <stdint.h>

#define HEATMEMO_PANELS 4

struct heatmemo {
	uint8_t *lvl;            /* [panel][slot][row]: cols slots over all panels, rows rows */
	uint64_t *serial, *seq;  /* [panel][slot]: the column held (commit number + 1; 0 none) */
	uint32_t cols, rows;     /* allocated: the screen's width and height */
	/* what the bytes mean */
	const void *ring;
	uint32_t ticks, first, nrows, gen;
	int panels;
	int metric[HEATMEMO_PANELS];
	double warn[HEATMEMO_PANELS], crit[HEATMEMO_PANELS];
};

/* Room for cols columns (all panels together) of rows rows: cols * (rows
 * + 16) bytes from mem_zalloc, at set-up or on a resize, never while
 * drawing.  Frees what m held; -1 when out of memory (m is then empty
 * and heatmemo_slot returns NULL: the caller works each cell out). */
int heatmemo_alloc(struct heatmemo *m, uint32_t cols, uint32_t rows);
void heatmemo_free(struct heatmemo *m);
/* What the columns mean: ring, ticks columns a panel of panels, grid rows
 * [first, first + nrows) of layout generation gen.  A change forgets all. */
void heatmemo_shape(struct heatmemo *m, const void *ring, uint32_t ticks, int panels, uint32_t first,
		    uint32_t nrows, uint32_t gen);
/* Panel p's metric and thresholds; a change forgets that panel's columns. */
void heatmemo_panel(struct heatmemo *m, int p, int metric, double warn, double crit);
/* Panel p's nrows bytes for the frame of commit number serial and seq:
 * *hit is 1 when they hold it already, else 0 and the caller fills them
 * and calls heatmemo_keep.  NULL when the shape does not fit the room. */
uint8_t *heatmemo_slot(struct heatmemo *m, int p, uint64_t serial, uint64_t seq, int *hit);
void heatmemo_keep(struct heatmemo *m, int p, uint64_t serial, uint64_t seq);

#endif
