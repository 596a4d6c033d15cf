// SPDX-License-Identifier: GPL-2.0-only
#include "ui/layout.h"

#include <stdio.h>

#include "core/frame.h"

static int shown(const struct layout_in *in, uint32_t c)
{
	return in->node_of[c] != LAYOUT_NO_CPU && (!in->mask || in->mask[c]);
}

/* Shown CPUs in node order (counting sort would need a node-count array;
 * nodes come sorted by repeated minimum, O(ncpu * nodes) as rows.c did). */
static uint32_t sort_by_node(const struct layout_in *in, uint32_t *order)
{
	uint32_t n = 0;
	int32_t node = -1;

	for (;;) {
		int32_t next = -1;

		for (uint32_t c = 0; c < in->ncpu; c++)
			if (shown(in, c) && in->node_of[c] > node && (next < 0 || in->node_of[c] < next))
				next = in->node_of[c];
		if (next < 0)
			return n;
		for (uint32_t c = 0; c < in->ncpu; c++)
			if (shown(in, c) && in->node_of[c] == next)
				order[n++] = c;
		node = next;
	}
}

static int is_expanded(const struct layout_in *in, uint16_t node)
{
	return in->expanded && node < in->nodes && in->expanded[node];
}

/* Rows for one node's CPUs [first, first + n) at per CPUs a row (1, 2 =
 * fold, more = blocks, 0 = the whole node on one row). */
static uint32_t node_rows(uint32_t n, uint32_t per)
{
	return per == 0 ? 1 : (n + per - 1) / per;
}

/* One node's run of order[]; a memory-only node's is empty. */
struct span { uint16_t node; uint32_t first, count; };
#define SPAN_MAX (FRAME_MAX_NODES + LAYOUT_MEM_NODES) /* and the memory-only ones */

/* Before the first CPU of node `before` (or at the end): the memory-only
 * nodes with smaller ids, each an empty span at `at`. */
static uint32_t mem_spans(const struct layout_in *in, uint32_t *m, int32_t before, uint32_t at,
			  struct span *sp, uint32_t k)
{
	for (; *m < in->nmem && *m < LAYOUT_MEM_NODES && (before < 0 || in->mem_nodes[*m] < before) &&
	       k < SPAN_MAX; (*m)++)
		sp[k++] = (struct span){ in->mem_nodes[*m], at, 0 };
	return k;
}

static uint32_t spans(const struct layout_in *in, const uint32_t *order, uint32_t n, struct span *sp)
{
	uint32_t k = 0, m = 0;

	for (uint32_t i = 0; i < n; i++) {
		uint16_t node = in->node_of[order[i]];

		if (k && sp[k - 1].node == node && sp[k - 1].count) {
			sp[k - 1].count++;
			continue;
		}
		k = mem_spans(in, &m, node, i, sp, k);
		if (k < SPAN_MAX)
			sp[k++] = (struct span){ node, i, 1 };
		else
			sp[k - 1].count++;
	}
	return mem_spans(in, &m, -1, n, sp, k);
}

/* Whether a node gets a label row: always, but when it is one aggregate
 * row (which names it itself); a memory-only node is its label. */
static int labelled(const struct layout_in *in, const struct span *sp, uint32_t per)
{
	return per != 0 || sp->count == 0 || is_expanded(in, sp->node);
}

/* CPUs a row for a node: per, or fine where the user expanded it. */
static uint32_t step_for(const struct layout_in *in, uint16_t node, uint32_t per, uint32_t fine)
{
	return (per == 0 || per > 2) && is_expanded(in, node) ? fine : per;
}

static uint32_t rows_needed(const struct layout_in *in, const struct span *sp, uint32_t k, uint32_t per,
			    uint32_t fine)
{
	uint32_t total = 0;

	for (uint32_t i = 0; i < k; i++)
		total += (uint32_t)labelled(in, &sp[i], per) +
			 (sp[i].count ? node_rows(sp[i].count, step_for(in, sp[i].node, per, fine)) : 0);
	return total;
}

static void emit(struct grid_row *rows, uint32_t *nrows, uint8_t kind, uint16_t node, uint32_t first,
		 uint32_t count)
{
	rows[(*nrows)++] = (struct grid_row){ kind, node, first, count };
}

static void fill(const struct layout_in *in, const struct span *sp, uint32_t k, uint32_t per,
		 uint32_t fine, struct grid_row *rows, struct layout *out)
{
	for (uint32_t i = 0; i < k; i++) {
		uint32_t step = step_for(in, sp[i].node, per, fine);
		uint8_t kind = step == 1 ? ROW_CPU : step == 2 ? ROW_PAIR : step == 0 ? ROW_AGG : ROW_BLOCK;

		if (labelled(in, &sp[i], per))
			emit(rows, &out->nrows, ROW_NODE, sp[i].node, sp[i].first, sp[i].count);
		if (!sp[i].count)
			continue;
		if (step == 0) {
			emit(rows, &out->nrows, ROW_AGG, sp[i].node, sp[i].first, sp[i].count);
			continue;
		}
		for (uint32_t c = 0; c < sp[i].count; c += step) {
			uint32_t left = sp[i].count - c;

			emit(rows, &out->nrows, kind, sp[i].node, sp[i].first + c, left < step ? left : step);
		}
	}
}

/* Panels side by side: as many of those wanted as leave each at least
 * LAYOUT_MIN_TICKS columns of time. */
static void columns(const struct layout_in *in, struct layout *out)
{
	int want = in->panels < 1 ? 1 : in->panels;

	for (int p = want; p >= 1; p--) {
		int ticks = (in->cols - LAYOUT_LABEL_W - p * LAYOUT_VALUE_W - (p - 1)) / p;

		if (ticks >= LAYOUT_MIN_TICKS || p == 1) {
			out->panels = p;
			out->ticks = ticks < 1 ? 1 : ticks > LAYOUT_MAX_TICKS ? LAYOUT_MAX_TICKS : ticks;
			return;
		}
	}
}

/* AUTO: one CPU a row if it fits, then two, then the smallest block of
 * 4, 8, 16... that fits, and at worst a row per node (scrolling). */
static uint32_t choose(const struct layout_in *in, const struct span *sp, uint32_t k, uint32_t biggest,
		       uint32_t fine, struct layout *out)
{
	uint32_t rows = in->rows > 0 ? (uint32_t)in->rows : 0;

	switch (in->density) {
	case DENSITY_FULL: out->used = DENSITY_FULL; return 1;
	case DENSITY_FOLD: out->used = in->fold ? DENSITY_FOLD : DENSITY_FULL; return fine;
	case DENSITY_NODE: out->used = DENSITY_NODE; return 0;
	default: break;
	}
	if (rows_needed(in, sp, k, 1, 1) <= rows)
		return out->used = DENSITY_FULL, 1;
	if (in->fold && rows_needed(in, sp, k, 2, 2) <= rows)
		return out->used = DENSITY_FOLD, 2;
	out->used = DENSITY_NODE;
	for (uint32_t per = 4; per < biggest; per *= 2)
		if (rows_needed(in, sp, k, per, fine) <= rows)
			return per;
	return 0;
}

void layout_build(const struct layout_in *in, uint32_t *order, struct grid_row *rows, struct layout *out)
{
	struct span sp[SPAN_MAX];
	uint32_t n = sort_by_node(in, order), k, biggest = 0, per, fine = in->fold ? 2 : 1;

	*out = (struct layout){ .nshown = n };
	columns(in, out);
	k = spans(in, order, n, sp);
	for (uint32_t i = 0; i < k; i++)
		biggest = sp[i].count > biggest ? sp[i].count : biggest;
	per = choose(in, sp, k, biggest, fine, out);
	out->block = per > 2 ? per : 0;
	fill(in, sp, k, per, fine, rows, out);
}

void layout_label(const struct grid_row *row, const uint32_t *order, int expanded, char *buf, int len)
{
	uint32_t a = row->count ? order[row->first] : 0, b = row->count ? order[row->first + row->count - 1] : 0;

	switch (row->kind) {
	case ROW_NODE: snprintf(buf, (size_t)len, "node %u %s", row->node, expanded ? "-" : ""); break;
	case ROW_CPU: snprintf(buf, (size_t)len, " cpu%u", a); break;
	case ROW_PAIR:
		if (row->count == 1)
			snprintf(buf, (size_t)len, " cpu%u", a);
		else
			snprintf(buf, (size_t)len, a < 100 ? " cpu%u+%u" : "%u+%u", a, b);
		break;
	case ROW_BLOCK: /* a range only when the CPUs are consecutive */
		if (b - a + 1 == row->count)
			snprintf(buf, (size_t)len, " %u-%u", a, b);
		else
			snprintf(buf, (size_t)len, " %u+%u", a, row->count - 1);
		break;
	default: snprintf(buf, (size_t)len, "node %u +", row->node); break;
	}
}

int layout_panel_x(const struct layout *l, int p)
{
	return LAYOUT_LABEL_W + p * (l->ticks + LAYOUT_VALUE_W + 1);
}
