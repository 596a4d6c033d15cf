// SPDX-License-Identifier: GPL-2.0-only
/* The per-core heatmaps: a row per CPU (or pair, block or node) grouped
 * by NUMA node, a column per tick with the newest at the right, the
 * current value after it; in the overview four metrics side by side on
 * the same rows and the same time axis. */
#include "ui/tui_internal.h"

#include <stdio.h>
#include <string.h>

#include "ui/format.h"
#include "ui/timeaxis.h"
#include "util/when.h"
#include "core/metric.h"

static const int overview_metrics[OVERVIEW_PANELS] = {
	METRIC_TLB_RX, METRIC_IOTLB, METRIC_RUNQ_P99, METRIC_JITTER,
};

void ui_thresholds(int metric, const struct view *v, double *warn, double *crit)
{
	const struct metric *m = metrics[metric];

	*warn = m->warn > 0 ? m->warn : v->warn;
	*crit = m->crit > 0 ? m->crit : v->crit;
}

static int panel_metric(const struct tui *t, int p)
{
	return t->view == VIEW_METRIC ? t->metric : overview_metrics[(t->panel_first + p) % OVERVIEW_PANELS];
}

/* The node a slot is drawn under, or LAYOUT_NO_CPU when it is no CPU. */
static uint16_t slot_node(const struct frame *f, uint32_t c)
{
	return frame_cpu_exists(f, c) ? f->cpu[c].node : LAYOUT_NO_CPU;
}

/* The frame's memory-only nodes into mem (LAYOUT_MEM_NODES at most). */
static uint32_t memory_nodes(const struct frame *f, uint16_t *mem)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < f->topo.nlist && i < FRAME_TOPO_NODES && n < LAYOUT_MEM_NODES; i++)
		if (!f->topo.node[i].cpus)
			mem[n++] = f->topo.node[i].node;
	return n;
}

/* Whether the layout built last holds for in.  Rows between the rows it
 * fills and the rows it was built for give the same layout (layout.c's
 * AUTO takes the first density that fits, and what each needs does not
 * depend on the rows): draw_main asks with the room, then ui_heatmaps
 * with the rows the grid took, and neither rebuilds it. */
static int same_input(const struct tui *t, const struct frame *f, const struct layout_in *in,
		      const uint16_t *mem)
{
	struct layout_in was;

	memcpy(&was, in, sizeof(was)); /* padding too: compared with memcmp */
	was.rows = t->lay_in.rows;
	if (!t->lay_valid || memcmp(&was, &t->lay_in, sizeof(was)) ||
	    memcmp(mem, t->mem_nodes, in->nmem * sizeof(*mem)))
		return 0;
	if (in->rows != t->lay_in.rows && (in->rows > t->lay_in.rows || in->rows < (int)t->lay.nrows))
		return 0;
	for (uint32_t c = 0; c < in->ncpu; c++)
		if (t->node_of[c] != slot_node(f, c))
			return 0;
	return 1;
}

void ui_heat_relayout(struct tui *t, const struct frame *f, const struct view *v, int rows)
{
	uint16_t mem[LAYOUT_MEM_NODES];
	struct layout_in in;

	/* zeroed whole, padding too: same_input compares it with memcmp */
	memset(&in, 0, sizeof(in));
	in.ncpu = f->ncpu < t->ncpu ? f->ncpu : t->ncpu;
	in.node_of = t->node_of;
	in.mem_nodes = t->mem_nodes;
	in.mask = v->cpu_mask;
	in.expanded = t->expanded;
	in.nodes = TUI_NODES;
	in.rows = rows;
	in.cols = t->scr.w;
	in.panels = t->view == VIEW_METRIC ? 1 : OVERVIEW_PANELS;
	in.fold = ui_color(t);
	in.density = t->density;
	in.nmem = memory_nodes(f, mem);
	if (same_input(t, f, &in, mem))
		return;
	for (uint32_t c = 0; c < in.ncpu; c++)
		t->node_of[c] = slot_node(f, c);
	memcpy(t->mem_nodes, mem, in.nmem * sizeof(*mem));
	t->nmem = in.nmem;
	layout_build(&in, t->order, t->rows, &t->lay);
	t->lay_gen++;
	t->lay_in = in;
	t->lay_valid = 1;
	if (t->panel_first + t->lay.panels > OVERVIEW_PANELS)
		t->panel_first = OVERVIEW_PANELS - t->lay.panels;
	ui_cursor_move(t, 0);
}

/* A node's label row takes the cursor only when Enter does something
 * there (closes a node opened from its aggregate); otherwise the cursor,
 * as in htop, sits on cores. */
static int row_takes_cursor(const struct tui *t, uint32_t i)
{
	const struct grid_row *row = &t->rows[i];

	return row->kind != ROW_NODE ||
	       (row->node < TUI_NODES && t->expanded[row->node] && t->lay.used == DENSITY_NODE);
}

void ui_cursor_move(struct tui *t, long delta)
{
	long n = (long)t->lay.nrows, c = (long)t->cursor + delta, step = delta < 0 ? -1 : 1;

	c = c < 0 ? 0 : c >= n ? n - 1 : c;
	if (n <= 0) {
		t->cursor = 0;
		return;
	}
	for (long i = c; i >= 0 && i < n; i += step)
		if (row_takes_cursor(t, (uint32_t)i)) {
			t->cursor = (uint32_t)i;
			return;
		}
	for (long i = c; i >= 0 && i < n; i -= step) /* none that way: the nearest back */
		if (row_takes_cursor(t, (uint32_t)i)) {
			t->cursor = (uint32_t)i;
			return;
		}
	t->cursor = (uint32_t)c;
}

const struct grid_row *ui_cursor_row(const struct tui *t)
{
	return t->cursor < t->lay.nrows ? &t->rows[t->cursor] : NULL; /* the rows drawn last */
}

/* The row's value at one tick: its CPU's, or the hottest of its CPUs.
 * Read off the frame: the current value (printed) and the columns the
 * series could not keep (ui/heatseries.h). */
static double row_value(const struct tui *t, const struct grid_row *row, const struct metric *m,
			const struct frame *f)
{
	double best = -1;

	for (uint32_t i = 0; i < row->count; i++) {
		uint32_t cpu = t->order[row->first + i];
		double x = cpu < f->ncpu ? m->per_cpu(f, cpu) : -1;

		best = x > best ? x : best;
	}
	return best;
}

/* The same from a column of the series: a float of the same level. */
static float row_value_kept(const struct tui *t, const struct grid_row *row, const float *col)
{
	float best = -1;

	for (uint32_t i = 0; i < row->count; i++) {
		float x = col[t->order[row->first + i]];

		best = x > best ? x : best;
	}
	return best;
}

static enum heat_level level_of(const struct metric *m, const struct frame *f, const float *col, uint32_t cpu,
				double warn, double crit)
{
	if (col)
		return heat_classify(col[cpu], warn, crit);
	return f && cpu < f->ncpu ? heat_classify(m->per_cpu(f, cpu), warn, crit) : HEAT_NODATA;
}

/* A column the series could not keep whose full frame the ring no longer
 * holds: its cells, as the ring kept them (core/ring.h). */
static enum heat_level cells_level(const struct tui *t, const struct grid_row *row, const double *cells,
				   uint32_t first, uint32_t count, double warn, double crit)
{
	double best = -1;

	if (!cells)
		return HEAT_NODATA;
	for (uint32_t i = 0; i < count && i < row->count; i++) {
		uint32_t cpu = t->order[first + i];
		double x = cpu < t->ring->ncpu ? cells[cpu] : -1;

		best = x > best ? x : best;
	}
	return heat_classify(best, warn, crit);
}

static enum heat_level row_level(const struct tui *t, const struct grid_row *row, const struct metric *m,
				 const struct frame *f, const float *col, double warn, double crit)
{
	if (col)
		return heat_classify(row_value_kept(t, row, col), warn, crit);
	return f ? heat_classify(row_value(t, row, m, f), warn, crit) : HEAT_NODATA;
}

/* What each level draws, looked up once a row rather than once a cell. */
struct heat_pens {
	uint32_t ch[HEAT_LEVELS], half;
	int w[HEAT_LEVELS], half_w;
	struct style st[HEAT_LEVELS];
};

static void heat_pens(const struct tui *t, struct heat_pens *p)
{
	for (int l = 0; l < HEAT_LEVELS; l++) {
		p->ch[l] = heat_glyph_cp((enum heat_level)l, t->utf8);
		p->w[l] = screen_glyph(&t->scr, &p->ch[l]);
		p->st[l] = ui_heat(t, (enum heat_level)l);
	}
	p->half = 0x2580; /* upper half block */
	p->half_w = screen_glyph(&t->scr, &p->half);
}

/* Two CPUs in one cell: the upper half is the first, the lower half the
 * second.  Quiet cells keep the glyph ramp so calm areas look alike. */
static void pair_cell(struct tui *t, const struct heat_pens *pen, int y, int x, enum heat_level a,
		      enum heat_level b)
{
	struct style st;

	if (a <= HEAT_ZERO && b <= HEAT_ZERO) {
		enum heat_level l = a > b ? a : b;

		screen_put(&t->scr, y, x, pen->ch[l], pen->w[l], pen->st[l]);
		return;
	}
	st = pen->st[a];
	st.bg = pen->st[b].fg;
	st.attr = 0;
	screen_put(&t->scr, y, x, pen->half, pen->half_w, st);
}

/* A cell's level, or a pair cell's two levels (the upper CPU's in the
 * low nibble): what ui/heatmemo.h keeps. */
static uint8_t cell_code(const struct tui *t, const struct grid_row *row, const struct metric *m,
			 const struct frame *f, const float *col, const double *cells, double warn, double crit)
{
	if (row->kind == ROW_NODE) /* a title row: no cells */
		return HEAT_NODATA;
	if (!f && !col) { /* the full frame is gone and the series kept none: the ring's cells */
		if (row->kind == ROW_PAIR && row->count == 2)
			return (uint8_t)(cells_level(t, row, cells, row->first, 1, warn, crit) |
					 cells_level(t, row, cells, row->first + 1, 1, warn, crit) << 4);
		return (uint8_t)cells_level(t, row, cells, row->first, row->count, warn, crit);
	}
	if (row->kind == ROW_PAIR && row->count == 2)
		return (uint8_t)(level_of(m, f, col, t->order[row->first], warn, crit) |
				 level_of(m, f, col, t->order[row->first + 1], warn, crit) << 4);
	return (uint8_t)row_level(t, row, m, f, col, warn, crit);
}

/* Row k of the shown rows (grid row scroll + k), panel p. */
static void draw_cells(struct tui *t, const struct view *v, const struct grid_row *row, uint32_t k, int p,
		       int metric, int y, int x0)
{
	const struct metric *m = metrics[metric];
	int ticks = t->lay.ticks, pair = row->kind == ROW_PAIR && row->count == 2;
	struct heat_pens pen;
	double warn, crit;

	ui_thresholds(metric, v, &warn, &crit);
	heat_pens(t, &pen);
	for (int i = 0; i < ticks; i++) {
		const uint8_t *kept = t->tick_cells[p][i];
		const struct frame *f = t->tick_frames[i];
		const float *col = t->tick_vals[p][i];
		uint8_t code = kept ? kept[k]
				    : cell_code(t, row, m, f, col,
						f || col ? NULL : ring_cells_at_age(t->ring, (uint32_t)(ticks - 1 - i), metric),
						warn, crit);

		if (pair)
			pair_cell(t, &pen, y, x0 + i, (enum heat_level)(code & 15), (enum heat_level)(code >> 4));
		else
			screen_put(&t->scr, y, x0 + i, pen.ch[code], pen.w[code], pen.st[code]);
	}
}

static void draw_value(struct tui *t, const struct frame *now, const struct view *v,
		       const struct grid_row *row, int metric, int y, int x)
{
	double warn, crit, val = row_value(t, row, metrics[metric], now);
	char buf[16];

	ui_thresholds(metric, v, &warn, &crit);
	if (row->count == 1 && !now->cpu[t->order[row->first]].online) {
		/* possible but not plugged in, or plugged in and offline */
		ui_seg(t, y, x, ui_role(t, ROLE_DIM, 0), now->topo.possible && !now->cpu[t->order[row->first]].present ?
			" absnt" : " offln");
		return;
	}
	fmt_rate(buf, sizeof(buf), val);
	ui_seg(t, y, x, ui_heat(t, heat_classify(val, warn, crit)), "%*s", LAYOUT_VALUE_W - 1, buf);
}

static void draw_row(struct tui *t, const struct frame_ring *r, const struct view *v, uint32_t i, int y,
		     const char *const *missing)
{
	const struct grid_row *row = &t->rows[i];
	int exp = row->node < TUI_NODES && t->expanded[row->node];
	char label[LAYOUT_LABEL_W + 4];
	struct style st = row->kind == ROW_NODE || row->kind == ROW_AGG ? ui_role(t, ROLE_TITLE, ATTR_BOLD)
									 : ui_plain(0);

	layout_label(row, t->order, exp && t->lay.used == DENSITY_NODE, label, LAYOUT_LABEL_W);
	if (i == t->cursor)
		st = ui_role(t, ROLE_CURSOR, ATTR_BOLD);
	ui_seg(t, y, 0, st, "%-*s", LAYOUT_LABEL_W - 1, label);
	if (row->kind == ROW_NODE && !row->count)
		ui_memory_node(t, ring_at_age(r, 0), row->node, y, LAYOUT_LABEL_W);
	if (row->kind == ROW_NODE)
		return;
	for (int p = 0; p < t->lay.panels; p++) {
		int x = layout_panel_x(&t->lay, p), metric = panel_metric(t, p);

		if (missing[p])
			continue;
		draw_cells(t, v, row, i - t->scroll, p, metric, y, x);
		draw_value(t, ring_at_age(r, 0), v, row, metric, y, x + t->lay.ticks);
	}
}

/* Panel titles; a metric this frame cannot show says why in its panel,
 * wrapped between words.  The metric view's title leaves room for the
 * extent note at the right (extent_cols).  The why takes at most the
 * grid's rows: the time axis is under them. */
static void draw_titles(struct tui *t, const struct frame *f, int y, const char **missing, int extent_cols,
			int rows)
{
	for (int p = 0; p < t->lay.panels; p++) {
		const struct metric *m = metrics[panel_metric(t, p)];
		int x = layout_panel_x(&t->lay, p), w = t->lay.ticks + LAYOUT_VALUE_W;
		char title[FRAME_STATUS_LEN + 96];

		missing[p] = metric_missing(m, f);
		if (t->view == VIEW_METRIC && missing[p])
			snprintf(title, sizeof(title), "%d %s: unavailable (%s)", t->metric + 1, m->title, missing[p]);
		else if (t->view == VIEW_METRIC)
			snprintf(title, sizeof(title), "%d %s per CPU (%s), newest right", t->metric + 1, m->title, m->unit);
		else
			snprintf(title, sizeof(title), "%s %s", m->brief, m->unit);
		if (t->view == VIEW_METRIC) {
			int room = t->scr.w - (extent_cols ? extent_cols + 2 : 0);
			int whole = !missing[p] || text_cols(title, t->scr.ascii) <= room;

			if (!whole) /* a long why (a verifier's words) goes where the cells would be */
				snprintf(title, sizeof(title), "%d %s: unavailable", t->metric + 1, m->title);
			ui_segw(t, y, 0, room, ui_role(t, missing[p] ? ROLE_BAD : ROLE_TITLE, ATTR_BOLD), "%s", title);
			if (!whole)
				ui_wrap(t, y + 1, x, t->scr.w - x, rows, ui_role(t, ROLE_DIM, 0), missing[p]);
			continue;
		}
		ui_segw(t, y, x, w, ui_role(t, missing[p] ? ROLE_BAD : ROLE_TITLE, ATTR_BOLD), "%s", title);
		if (missing[p])
			ui_wrap(t, y + 1, x, w, rows, ui_role(t, ROLE_DIM, 0), missing[p]);
	}
}

/* What the grid shows when it is not one CPU a row, or not all of it:
 * never a silent average or a silent cut.  Into t->extent; its columns. */
static int extent_text(struct tui *t, uint32_t first, uint32_t last)
{
	char *buf = t->extent;
	int n = 0;

	if (t->lay.used == DENSITY_FOLD)
		n += snprintf(buf + n, sizeof(t->extent) - (size_t)n, "2 CPUs a row (upper/lower half)");
	else if (t->lay.used == DENSITY_NODE)
		n += snprintf(buf + n, sizeof(t->extent) - (size_t)n, "%s show their hottest CPU",
			      t->lay.block ? "blocks" : "node rows");
	if (first > 0 || last < t->lay.nrows)
		n += snprintf(buf + n, sizeof(t->extent) - (size_t)n, "%srows %u-%u of %u", n ? "  " : "", first + 1,
			      last, t->lay.nrows);
	if (t->view == VIEW_OVERVIEW && t->lay.panels < OVERVIEW_PANELS)
		n += snprintf(buf + n, sizeof(t->extent) - (size_t)n, "%spanels %d-%d of 4 (<- ->)", n ? "  " : "",
			      t->panel_first + 1, t->panel_first + t->lay.panels);
	buf[n] = '\0';
	return text_cols(buf, t->scr.ascii);
}

/* The metric view says it at the right of its title row (the overview's
 * titles fill the row: the legend row says it there). */
static int draw_extent(struct tui *t, int y, int n)
{
	if (!n || t->view != VIEW_METRIC || t->scr.w < n + 20)
		return 0;
	ui_seg(t, y, t->scr.w - n, ui_plain(ATTR_BOLD), "%s", t->extent);
	return n;
}

/* Keeps the cursor on screen and never leaves blank rows below. */
static void clamp_scroll(struct tui *t, uint32_t body)
{
	uint32_t top = t->cursor;

	while (top && !row_takes_cursor(t, top - 1) && t->cursor - top + 1 < body)
		top--; /* the labels above the cursor stay in sight */
	if (top < t->scroll)
		t->scroll = top;
	if (body && t->cursor >= t->scroll + body)
		t->scroll = t->cursor - body + 1;
	if (t->lay.nrows <= body)
		t->scroll = 0;
	else if (t->scroll > t->lay.nrows - body)
		t->scroll = t->lay.nrows - body;
}

/* Each shown panel's column values, from the series: read off a frame
 * the first time it is drawn.  NULL where the column has no frame or the
 * series could not keep it (draw_cells then reads the frame). */
static void series_columns(struct tui *t, const struct frame_ring *r, const struct view *v,
			   const char *const *missing)
{
	uint32_t ticks = (uint32_t)t->lay.ticks, panels = (uint32_t)t->lay.panels;

	for (int p = 0; p < t->lay.panels; p++) {
		int metric = panel_metric(t, p);
		double warn, crit;

		ui_thresholds(metric, v, &warn, &crit);
		for (uint32_t i = 0; i < ticks; i++)
			t->tick_vals[p][i] = missing[p] || t->series_off ? NULL :
				heatseries_column(&t->series, r, ticks - 1 - i, p, metric, warn, crit, ticks, panels);
	}
}

/* Each shown panel's cells of each column, worked out the first time the
 * column is drawn and kept while it crosses the axis.  NULL where the
 * column has no frame or there is no room (draw_cells works it out). */
static void cell_columns(struct tui *t, const struct frame_ring *r, const struct view *v,
			 const char *const *missing, uint32_t first, uint32_t last)
{
	uint32_t ticks = (uint32_t)t->lay.ticks;

	heatmemo_shape(&t->memo, r, ticks, t->lay.panels, first, last - first, t->lay_gen);
	for (int p = 0; p < t->lay.panels; p++) {
		int metric = panel_metric(t, p);
		const struct metric *m = metrics[metric];
		double warn, crit;

		ui_thresholds(metric, v, &warn, &crit);
		heatmemo_panel(&t->memo, p, metric, warn, crit);
		for (uint32_t i = 0; i < ticks; i++) {
			const struct frame *f = t->tick_frames[i];
			const float *col = t->tick_vals[p][i];
			uint32_t age = ticks - 1 - i;
			/* a column older than the ring's full frames is a summary */
			const struct tick_sum *ts = ring_tick_at_age(r, age);
			const double *rc = f || col ? NULL : ring_cells_at_age(r, age, metric);
			uint8_t *cells = NULL;
			int hit;

			if (ts && !missing[p] && (f || col || rc))
				cells = heatmemo_slot(&t->memo, p, ring_serial(r, age), ts->seq, &hit);
			if (cells && !hit) {
				for (uint32_t k = first; k < last; k++)
					cells[k - first] = cell_code(t, &t->rows[k], m, f, col, rc, warn, crit);
				heatmemo_keep(&t->memo, p, ring_serial(r, age), ts->seq);
			}
			t->tick_cells[p][i] = cells;
		}
	}
}

/* Under the grid: each panel's time ticks ("-30s" .. "now", or the wall
 * clock in playback) and, in the label column, the span the columns cover. */
static void draw_axis(struct tui *t, const struct view *v, int y)
{
	int64_t at[LAYOUT_MAX_TICKS], interval = 0;
	struct axis_mark mark[AXIS_MARKS];
	struct style dim = ui_role(t, ROLE_DIM, 0);
	int ticks = t->lay.ticks, n;
	char span[16];

	for (int i = 0; i < ticks; i++) {
		const struct tick_sum *f = ring_tick_at_age(t->ring, (uint32_t)(ticks - 1 - i));

		at[i] = !f ? AXIS_NONE : v->playback ? when_reading(f->wall_ns) : f->mono_ns;
		interval = f && f->interval_ns > 0 ? f->interval_ns : interval;
	}
	n = axis_marks(at, ticks, v->playback, mark, AXIS_MARKS);
	axis_duration(span, sizeof(span), axis_span(at, ticks, interval));
	ui_seg(t, y, 0, dim, "span %s", span);
	for (int p = 0; p < t->lay.panels; p++) {
		int x = layout_panel_x(&t->lay, p);

		for (int k = 0; k < n; k++)
			ui_seg(t, y, x + mark[k].col + 1 - (int)strlen(mark[k].text), dim, "%s", mark[k].text);
	}
}

void ui_heatmaps(struct tui *t, const struct frame_ring *r, const struct view *v, int top, int height)
{
	const struct frame *now = ring_at_age(r, 0);
	const char *missing[OVERVIEW_PANELS] = { 0 };
	/* a title row above the grid, the time axis below it */
	uint32_t body = height > 2 ? (uint32_t)height - 2 : 0, last;

	ui_heat_relayout(t, now, v, (int)body);
	clamp_scroll(t, body);
	last = t->scroll + body < t->lay.nrows ? t->scroll + body : t->lay.nrows;
	t->heat_top = top + 1;
	t->heat_rows = (int)body;
	/* each column's frame, looked up once rather than once a row */
	for (int i = 0; i < t->lay.ticks; i++)
		t->tick_frames[i] = ring_at_age(r, (uint32_t)(t->lay.ticks - 1 - i));
	draw_titles(t, now, top, missing, draw_extent(t, top, extent_text(t, t->scroll, last)), (int)(last - t->scroll));
	series_columns(t, r, v, missing);
	cell_columns(t, r, v, missing, t->scroll, last);
	for (uint32_t i = t->scroll; i < last; i++)
		draw_row(t, r, v, i, top + 1 + (int)(i - t->scroll), missing);
	if (height > 2)
		draw_axis(t, v, top + 1 + (int)(last - t->scroll));
}
