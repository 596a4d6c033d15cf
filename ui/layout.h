/* SPDX-License-Identifier: GPL-2.0-only */
/* Where every CPU goes on screen: a pure function of the CPUs, the NUMA
 * nodes, the rows and columns there are, and the density asked for.
 * Rows are grouped by node.  When one CPU per row does not fit, two share
 * a row (half blocks, when there are colours to tell them apart), then
 * blocks of CPUs or whole nodes share one, labelled with the range they
 * stand for and drawn as its hottest CPU.  A CPU is never dropped: it is
 * on a row of its own, in a pair, or in a labelled aggregate.  A node
 * without CPUs (memory only) is a label row of its own, with no CPUs. */
#ifndef STORMTOP_LAYOUT_H
#define STORMTOP_LAYOUT_H

#include <stdint.h>

enum density { DENSITY_AUTO, DENSITY_FULL, DENSITY_FOLD, DENSITY_NODE, DENSITIES };

enum row_kind {
	ROW_NODE,      /* a node's label (an expanded node, any node in FULL/FOLD, a memory-only node: count 0) */
	ROW_CPU,       /* one CPU */
	ROW_PAIR,      /* two CPUs, upper and lower half of each cell (count 1 at an odd tail) */
	ROW_BLOCK,     /* a run of a node's CPUs, drawn as the hottest */
	ROW_AGG,       /* a whole node, drawn as its hottest CPU */
};

struct grid_row {
	uint8_t kind;
	uint16_t node;
	uint32_t first, count;  /* CPUs order[first .. first + count) */
};

#define LAYOUT_LABEL_W 10
#define LAYOUT_VALUE_W 7
#define LAYOUT_MIN_TICKS 8
#define LAYOUT_MAX_TICKS 1024   /* columns of time a panel shows at most */

/* node_of's mark for a slot that is not a CPU (not in the possible set). */
#define LAYOUT_NO_CPU 0xffff
/* Memory-only nodes a layout places at most. */
#define LAYOUT_MEM_NODES 64

struct layout_in {
	uint32_t ncpu;
	const uint16_t *node_of;   /* ncpu entries; LAYOUT_NO_CPU for a hole in the CPU ids */
	const uint16_t *mem_nodes; /* ids of the nodes without CPUs, ascending */
	uint32_t nmem;             /* entries in mem_nodes (at most LAYOUT_MEM_NODES) */
	const uint8_t *mask;       /* CPUs shown; NULL = all */
	const uint8_t *expanded;   /* per node (up to nodes): drawn CPU by CPU; NULL = none */
	uint32_t nodes;            /* entries in expanded */
	int rows, cols;            /* for the CPU rows; the whole width */
	int panels;                /* heatmaps wanted side by side (1..4) */
	int fold;                  /* colours can tell the two halves of a cell apart */
	enum density density;
};

struct layout {
	uint32_t nrows;            /* rows filled (may exceed in->rows: scroll) */
	uint32_t nshown;           /* CPUs placed */
	enum density used;         /* what AUTO chose */
	uint32_t block;            /* CPUs per ROW_BLOCK (0: none) */
	int panels;                /* side by side that fit (1..in->panels) */
	int ticks;                 /* time columns per panel */
};

/* Rows layout_build may fill for ncpu CPU slots. */
#define LAYOUT_ROWS(ncpu) (2 * (size_t)(ncpu) + 1 + LAYOUT_MEM_NODES)
/* Fills order (ncpu entries: the shown CPUs in node, then CPU order) and
 * rows (capacity LAYOUT_ROWS(ncpu)).  Never allocates. */
void layout_build(const struct layout_in *in, uint32_t *order, struct grid_row *rows, struct layout *out);
/* A row's label, at most LAYOUT_LABEL_W - 1 columns. */
void layout_label(const struct grid_row *row, const uint32_t *order, int expanded, char *buf, int len);
/* Columns: where panel p's cells start, given the layout. */
int layout_panel_x(const struct layout *l, int p);

#endif
