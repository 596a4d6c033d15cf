/* Which rows the heatmap shows: a label row per NUMA node, then its CPUs.
 * Pure (no curses) so the layout can be tested for any CPU count. */
#ifndef STORMTOP_ROWS_H
#define STORMTOP_ROWS_H

#include <stdint.h>

#include "frame.h"

struct heat_row {
	int32_t cpu;    /* -1 for a node label row */
	uint16_t node;
};

/* Fills rows (capacity >= 2 * f->ncpu) with the CPUs that mask selects
 * (NULL = all), grouped by node in node then CPU order.  Returns the row
 * count.  Never allocates. */
uint32_t rows_build(const struct frame *f, const uint8_t *mask, struct heat_row *rows);

#endif
