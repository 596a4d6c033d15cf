/* The per-core heatmap: one row per CPU grouped under node labels, one
 * column per tick, newest at the right, current rate at the end. */
#include "tui_internal.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "format.h"
#include "metric.h"

#define LABEL_W HEAT_LABEL_W
#define VALUE_W HEAT_VALUE_W

/* Rebuilds the row list only when the node map or the CPU filter changed. */
static void relayout(struct tui *t, const struct frame *f, const uint8_t *mask)
{
	int same = t->layout_valid && t->layout_mask == mask;

	for (uint32_t c = 0; same && c < f->ncpu; c++)
		same = t->layout_nodes[c] == f->cpu[c].node;
	if (same)
		return;
	t->nrows = rows_build(f, mask, t->rows);
	for (uint32_t c = 0; c < f->ncpu; c++)
		t->layout_nodes[c] = f->cpu[c].node;
	t->layout_mask = mask;
	t->layout_valid = 1;
	if (t->scroll >= t->nrows)
		t->scroll = 0;
}

static void draw_cells(const struct tui *t, const struct frame_ring *r, const struct view *v,
		       int y, uint32_t cpu, int width)
{
	const struct metric *m = metrics[t->metric];
	double warn, crit;

	ui_thresholds(t, v, &warn, &crit);
	for (int i = 0; i < width; i++) {
		const struct frame *f = ring_at_age(r, (uint32_t)(width - 1 - i));
		enum heat_level l = f ? heat_classify(m->per_cpu(f, cpu), warn, crit) : HEAT_NODATA;

		attrset(ui_attr(t, PAIR_HEAT + l, l == HEAT_EXTREME ? A_BOLD : 0));
		mvaddstr(y, LABEL_W + i, heat_glyph(l, t->utf8));
	}
	attrset(A_NORMAL);
}

static void draw_cpu_row(const struct tui *t, const struct frame_ring *r, const struct view *v,
			 int y, uint32_t cpu, int width)
{
	const struct frame *now = ring_at_age(r, 0);
	double rate = metrics[t->metric]->per_cpu(now, cpu);
	char label[16], val[16];
	double warn, crit;

	ui_thresholds(t, v, &warn, &crit);
	snprintf(label, sizeof(label), " cpu%-4u", cpu);
	mvaddnstr(y, 0, label, LABEL_W);
	draw_cells(t, r, v, y, cpu, width);
	if (!now->cpu[cpu].online) {
		attrset(ui_attr(t, PAIR_DIM, 0));
		mvaddstr(y, LABEL_W + width, " offln");
		attrset(A_NORMAL);
		return;
	}
	fmt_rate(val, sizeof(val), rate);
	attrset(ui_attr(t, PAIR_HEAT + heat_classify(rate, warn, crit), 0));
	mvprintw(y, LABEL_W + width, "%*s", VALUE_W - 1, val);
	attrset(A_NORMAL);
}

static void draw_node_row(const struct tui *t, int y, uint16_t node)
{
	attrset(ui_attr(t, PAIR_TITLE, A_BOLD));
	mvprintw(y, 0, "node %u", node);
	attrset(A_NORMAL);
}

/* The title, and which rows are shown when not all fit; the row range
 * wins over the title's tail on a narrow screen.  A metric this frame
 * cannot show says why. */
static void draw_title(const struct tui *t, const struct frame *f, int y, uint32_t first,
		       uint32_t last)
{
	const struct metric *m = metrics[t->metric];
	const char *missing = metric_missing(m, f);
	char title[FRAME_REASON_LEN + 96], range[64] = "";
	int rlen = 0;

	if (missing)
		snprintf(title, sizeof(title), "%d %s: unavailable (%s)", t->metric + 1, m->title, missing);
	else
		snprintf(title, sizeof(title), "%d %s per CPU (%s), newest right", t->metric + 1,
			 m->title, m->unit);
	if (first > 0 || last < t->nrows)
		rlen = snprintf(range, sizeof(range), "  rows %u-%u of %u", first + 1, last, t->nrows);
	attrset(ui_attr(t, missing ? PAIR_BAD : PAIR_TITLE, A_BOLD));
	mvaddnstr(y, 0, title, COLS - rlen > 0 ? COLS - rlen : 0);
	attrset(A_NORMAL);
	if (rlen && COLS > rlen)
		mvaddstr(y, COLS - rlen, range);
}

void ui_heatmap(struct tui *t, const struct frame_ring *r, const struct view *v,
		int top, int height)
{
	const struct frame *now = ring_at_age(r, 0);
	int width = COLS - LABEL_W - VALUE_W;
	int body = height - 1;
	uint32_t first, last;

	relayout(t, now, v->cpu_mask);
	t->page = body > 2 ? body - 1 : 1;
	/* Keep the scroll inside what fits: never leave rows blank below. */
	if (t->nrows > (uint32_t)body && t->scroll > t->nrows - (uint32_t)body)
		t->scroll = t->nrows - (uint32_t)body;
	if (t->nrows <= (uint32_t)body)
		t->scroll = 0;
	first = t->scroll;
	last = first + (uint32_t)body < t->nrows ? first + (uint32_t)body : t->nrows;
	draw_title(t, now, top, first, last);
	for (uint32_t i = first; i < last; i++) {
		int y = top + 1 + (int)(i - first);
		const struct heat_row *row = &t->rows[i];

		if (row->cpu < 0)
			draw_node_row(t, y, row->node);
		else
			draw_cpu_row(t, r, v, y, (uint32_t)row->cpu, width);
	}
}
