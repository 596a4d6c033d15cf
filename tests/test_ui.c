// SPDX-License-Identifier: GPL-2.0-only
/* The UI's pure parts: heat levels, number formatting, the CPU layout. */
#include "testlib.h"

#include <math.h>

#include "ui/format.h"
#include "ui/heat.h"
#include "core/metric.h"
#include "core/ring.h"
#include "ui/layout.h"
#include "collectors/topology.h"
#include "collectors/synth.h"
#include "core/config.h"
#include "ui/tui_internal.h"
#include "ui/timeaxis.h"
#include "core/hygiene.h"
#include "core/hist.h"
#include "record/codec.h"
#include "ui/keytable.h"

static void heat_levels_follow_thresholds(void **state)
{
	(void)state;
	assert_int_equal(heat_classify(-1, 5, 20), HEAT_NODATA);
	assert_int_equal(heat_classify(0, 5, 20), HEAT_ZERO);
	assert_int_equal(heat_classify(4.99, 5, 20), HEAT_LOW);
	assert_int_equal(heat_classify(5, 5, 20), HEAT_WARN);
	assert_int_equal(heat_classify(19.9, 5, 20), HEAT_WARN);
	assert_int_equal(heat_classify(20, 5, 20), HEAT_CRIT);
	assert_int_equal(heat_classify(199, 5, 20), HEAT_CRIT);
	assert_int_equal(heat_classify(200, 5, 20), HEAT_EXTREME);
	assert_int_equal(heat_classify(3, 1, 2), HEAT_CRIT); /* configurable */
	/* every level has a distinct glyph in both ramps */
	for (int a = HEAT_ZERO; a < HEAT_LEVELS; a++)
		for (int b = a + 1; b < HEAT_LEVELS; b++) {
			assert_string_not_equal(heat_glyph(a, 1), heat_glyph(b, 1));
			assert_string_not_equal(heat_glyph(a, 0), heat_glyph(b, 0));
		}
}

static void rates_fit_five_columns(void **state)
{
	static const struct { double v; const char *s; } cases[] = {
		{ 0, "0" }, { 4.2, "4.2" }, { 45.34, "45.3" }, { 312, "312" }, { 999.4, "999" },
		{ 999.6, "1.0k" }, { 20100, "20.1k" }, { 312000, "312k" }, { 1.2e6, "1.2M" },
		{ -1, "-" },
	};
	char buf[16];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fmt_rate(buf, sizeof(buf), cases[i].v);
		assert_string_equal(buf, cases[i].s);
	}
	fmt_rate(buf, sizeof(buf), 9.99e15);
	assert_true(strlen(buf) <= 5);
}

/* One layout's promises: every shown CPU on exactly one row (alone, in a
 * pair or in a labelled aggregate), rows grouped under their node in
 * ascending order, and AUTO scrolling only when not even a row per node
 * fits. */
static void check_one(const struct layout_in *in, const uint32_t *order, const struct grid_row *rows,
		      const struct layout *l, uint32_t want)
{
	uint32_t next = 0, nodes = 0;
	int32_t node = -1;
	char label[LAYOUT_LABEL_W + 8];

	assert_int_equal(l->nshown, want);
	for (uint32_t i = 0; i + 1 < want; i++) /* node, then CPU order */
		assert_true(in->node_of[order[i]] < in->node_of[order[i + 1]] ||
			    (in->node_of[order[i]] == in->node_of[order[i + 1]] && order[i] < order[i + 1]));
	for (uint32_t i = 0; i < l->nrows; i++) {
		const struct grid_row *r = &rows[i];

		layout_label(r, order, 1, label, LAYOUT_LABEL_W);
		assert_true(strlen(label) < LAYOUT_LABEL_W);
		if (r->kind == ROW_NODE || r->kind == ROW_AGG) {
			assert_true((int32_t)r->node > node);
			node = r->node;
			nodes++;
			assert_non_null(strstr(label, "node"));
		}
		if (r->kind == ROW_NODE && !r->count) { /* a memory-only node: one of those given */
			uint32_t k = 0;

			while (k < in->nmem && in->mem_nodes[k] != r->node)
				k++;
			assert_true(k < in->nmem);
		}
		if (r->kind == ROW_NODE)
			continue;
		assert_int_equal(r->node, node);
		assert_int_equal(r->first, next); /* no gap, no overlap */
		assert_true(r->count >= 1);
		if (r->kind == ROW_CPU)
			assert_int_equal(r->count, 1);
		if (r->kind == ROW_PAIR)
			assert_true(r->count <= 2 && in->fold);
		for (uint32_t k = 0; k < r->count; k++)
			assert_int_equal(in->node_of[order[r->first + k]], r->node);
		next += r->count;
	}
	assert_int_equal(next, want);
	if (in->density == DENSITY_AUTO && !in->expanded && l->nrows > (uint32_t)(in->rows > 0 ? in->rows : 0))
		assert_int_equal(l->nrows, nodes); /* only a row per node did not fit */
}

static void sweep_shape(uint32_t ncpu, uint32_t nnodes)
{
	static const int heights[] = { 1, 5, 10, 24, 40, 90, 300 };
	struct topology t;
	uint32_t *order = calloc(ncpu, sizeof(*order));
	struct grid_row *rows = calloc(LAYOUT_ROWS(ncpu), sizeof(*rows));
	uint8_t *mask = calloc(ncpu, 1), exp[64] = { 0 };

	assert_int_equal(topology_synthetic(&t, ncpu, nnodes), 0);
	for (uint32_t c = 0; c < ncpu; c++)
		mask[c] = c % 3 == 0;
	exp[nnodes > 1 ? 1 : 0] = 1;
	for (int m = 0; m < 2; m++)
		for (int e = 0; e < 2; e++)
			for (int d = 0; d < DENSITIES; d++)
				for (int fold = 0; fold < 2; fold++)
					for (size_t h = 0; h < sizeof(heights) / sizeof(heights[0]); h++) {
						struct layout_in in = {
							.ncpu = ncpu, .node_of = t.node_of, .mask = m ? mask : NULL,
							.expanded = e ? exp : NULL, .nodes = 64, .rows = heights[h],
							.cols = 80, .panels = 4, .fold = fold, .density = (enum density)d,
						};
						struct layout l;
						uint32_t want = 0;

						for (uint32_t c = 0; c < ncpu; c++)
							want += !m || mask[c];
						layout_build(&in, order, rows, &l);
						check_one(&in, order, rows, &l, want);
					}
	topology_free(&t);
	free(order);
	free(rows);
	free(mask);
}

/* CPU ids with holes (0-1,4-5,8-9,12-13 and 14-15) on sparse nodes 0, 2
 * and 9, and memory-only nodes 1, 5 and 12 between them: every CPU once,
 * no hole ever placed, each memory-only node one label row of its own in
 * id order, in every density, height and filter. */
static void layout_holes_and_memory_nodes(void **state)
{
	static const uint16_t mem[] = { 1, 5, 12 };
	uint16_t node_of[16];
	uint32_t order[16];
	struct grid_row rows[LAYOUT_ROWS(16)];
	uint8_t mask[16];

	(void)state;
	for (uint32_t c = 0; c < 16; c++) {
		node_of[c] = (c % 4 >= 2 && c < 12) ? LAYOUT_NO_CPU : c < 6 ? 0 : c < 14 ? 2 : 9;
		mask[c] = c != 1 && c != 8 && c != 9; /* node 2 keeps 12 and 13 */
	}
	for (int m = 0; m < 2; m++)
		for (int d = 0; d < DENSITIES; d++)
			for (int h = 1; h < 20; h += 3) {
				struct layout_in in = { .ncpu = 16, .node_of = node_of, .mem_nodes = mem, .nmem = 3,
							.mask = m ? mask : NULL, .rows = h, .cols = 80, .panels = 1,
							.fold = 1, .density = (enum density)d };
				struct layout l;
				uint32_t memrows = 0, last = 0;

				layout_build(&in, order, rows, &l);
				check_one(&in, order, rows, &l, m ? 7 : 10);
				for (uint32_t i = 0; i < l.nshown; i++)
					assert_int_not_equal(node_of[order[i]], LAYOUT_NO_CPU);
				for (uint32_t i = 0; i < l.nrows; i++)
					if (!rows[i].count) {
						assert_int_equal(rows[i].kind, ROW_NODE);
						assert_int_equal(rows[i].node, mem[memrows]);
						assert_true(i == 0 || rows[i].node > last);
						memrows++;
					} else {
						last = rows[i].node;
					}
				assert_int_equal(memrows, 3);
			}
}

static void layout_places_every_cpu_once(void **state)
{
	static const uint32_t shapes[][2] = { { 1, 1 }, { 2, 1 }, { 7, 3 }, { 64, 2 }, { 256, 4 },
					      { 256, 1 }, { 512, 8 }, { 1024, 16 }, { 4096, 32 } };

	(void)state;
	for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++)
		sweep_shape(shapes[i][0], shapes[i][1]);
}

/* AUTO picks the finest density that fits: one a row, then two, then
 * blocks, then nodes; two a row needs colours to tell the halves apart. */
static void layout_density_steps(void **state)
{
	struct topology t;
	uint32_t order[256];
	struct grid_row rows[513];
	struct layout l;
	struct layout_in in = { .ncpu = 256, .panels = 1, .cols = 120, .fold = 1 };

	(void)state;
	assert_int_equal(topology_synthetic(&t, 256, 4), 0);
	in.node_of = t.node_of;
	in.rows = 260;
	layout_build(&in, order, rows, &l);
	assert_int_equal(l.used, DENSITY_FULL);
	assert_int_equal(l.nrows, 260);
	in.rows = 132;
	layout_build(&in, order, rows, &l);
	assert_int_equal(l.used, DENSITY_FOLD);
	assert_int_equal(l.nrows, 132);
	in.fold = 0;
	layout_build(&in, order, rows, &l);
	assert_int_equal(l.used, DENSITY_NODE);
	assert_int_equal(l.block, 4); /* 4 labels + 4 x 16 blocks of 4 */
	assert_int_equal(l.nrows, 68);
	in.rows = 3;
	layout_build(&in, order, rows, &l);
	assert_int_equal(l.block, 0);
	assert_int_equal(l.nrows, 4); /* a row per node, scrolling */
	assert_int_equal(rows[2].kind, ROW_AGG);
	assert_int_equal(rows[2].count, 64);
	topology_free(&t);
}

/* Panels side by side only while each keeps LAYOUT_MIN_TICKS columns,
 * and never wider than the screen. */
static void layout_columns_fit(void **state)
{
	struct topology t;
	uint32_t order[8];
	struct grid_row rows[17];
	struct layout l;

	(void)state;
	assert_int_equal(topology_synthetic(&t, 8, 1), 0);
	for (int cols = 40; cols <= 300; cols++) {
		struct layout_in in = { .ncpu = 8, .node_of = t.node_of, .rows = 20, .cols = cols, .panels = 4 };

		layout_build(&in, order, rows, &l);
		assert_true(l.panels >= 1 && l.panels <= 4);
		assert_true(layout_panel_x(&l, l.panels - 1) + l.ticks + LAYOUT_VALUE_W <= cols);
		if (l.panels > 1)
			assert_true(l.ticks >= LAYOUT_MIN_TICKS);
		if (l.panels < 4) /* one more would not have kept the minimum */
			assert_true((cols - LAYOUT_LABEL_W - (l.panels + 1) * (LAYOUT_VALUE_W + 1) + 1) / (l.panels + 1) <
				    LAYOUT_MIN_TICKS);
	}
	topology_free(&t);
}

static void metric_needs_a_real_delta(void **state)
{
	struct frame_ring r;
	struct frame *f;

	(void)state;
	assert_int_equal(ring_init(&r, 1, 2), 0);
	f = ring_begin(&r);
	f->interval_ns = 250000000;
	f->irq_present = 1u << IRQ_TLB;
	f->cpu[0] = (struct frame_cpu){ .online = 1 };
	f->cpu[0].irq[IRQ_TLB] = 50;
	f->cpu[1] = (struct frame_cpu){ .online = 1, .fresh = 1 };
	assert_true(metric_tlb_rx.per_cpu(f, 0) == 200.0);
	assert_true(metric_tlb_rx.per_cpu(f, 1) < 0);  /* just came online */
	assert_true(metric_tlb_rx.per_cpu(f, 5) < 0);  /* no such CPU */
	f->irq_present = 0;
	assert_true(metric_tlb_rx.per_cpu(f, 0) < 0);  /* no TLB line here */
	ring_free(&r);
}


static void fill_table_and_findings(struct frame *f);

/* A synthetic host's ring, full enough for every panel to have history. */
struct scene {
	struct topology topo;
	struct frame_ring ring;
	struct synth s;
	struct config cfg;
	int ascii;                 /* draw as on an ASCII-only terminal */
};

/* bare: a host without eBPF or an attached app, as most first runs are
 * (the panels then say why instead of drawing). */
static void scene_init(struct scene *sc, uint32_t ncpu, uint32_t nodes, int ticks, int bare)
{
	config_defaults(&sc->cfg);
	sc->ascii = 0;
	assert_int_equal(topology_synthetic(&sc->topo, ncpu, nodes), 0);
	assert_int_equal(ring_init(&sc->ring, 400, ncpu), 0);
	synth_init(&sc->s, &sc->topo, 1000000000);
	for (int i = 0; i < ticks; i++) {
		struct frame *f = ring_begin(&sc->ring);

		synth_fill(&sc->s, f);
		if (bare) {
			f->signals &= ~((1u << SIG_APP_PHASE) | (1u << SIG_RUNQ) | (1u << SIG_TLB_RX));
			f->status[SRC_BPF].state = SOURCE_ERROR;
			snprintf(f->status[SRC_BPF].reason, sizeof(f->status[SRC_BPF].reason),
				 "the verifier refused rqlat: R1 invalid mem access 'scalar' at insn 42 of 311");
		}
		ring_commit(&sc->ring);
	}
}

static void scene_free(struct scene *sc)
{
	ring_free(&sc->ring);
	topology_free(&sc->topo);
}

static void dump_screen(const struct tui *t)
{
	char row[4096];

	for (int y = 0; y < t->scr.h; y++) {
		screen_row(&t->scr, y, row, sizeof(row));
		print_message("%2d|%s|\n", y, row);
	}
}

/* Renders the scene at w x h after keys; fails on a split word or text
 * drawn over text (ui/seg.c audits every text drawn). */
static int render_clean(struct scene *sc, int w, int h, const char *keys, int playback, int quiet)
{
	struct tui_opts o = { .ncpu = sc->topo.ncpu, .cfg = &sc->cfg, .cfg_path = "" };
	struct view v = { .interval_s = 1, .warn = 5, .crit = 20, .host = "sweep-host",
			  .kernel = "6.18.0-13-amd64", .playback = playback,
			  .status_line = playback ? "playback 12:00:01 / 12:05:00" : NULL };
	char err[256];
	struct tui *t = tui_headless(&o, w, h, DEPTH_256, err, sizeof(err));
	int bad;

	assert_non_null(t);
	if (sc->ascii) /* LANG=C: ASCII glyphs, '~' for the ellipsis */
		t->utf8 = 0, t->scr.ascii = 1;
	tui_render(t, &sc->ring, &v); /* the keys act on what is on screen */
	tui_feed(t, keys, strlen(keys));
	tui_render(t, &sc->ring, &v);
	bad = t->audit.cut || t->audit.overwrite;
	if (bad && !quiet)
		dump_screen(t);
	if (bad)
		print_message("%dx%d keys '%s'%s: %u split, %u overwritten; first at row %d col %d: \"%s\"\n", w, h,
			      keys, playback ? " playback" : "", t->audit.cut, t->audit.overwrite, t->audit.y,
			      t->audit.x, t->audit.what);
	tui_close(t);
	return bad;
}

/* Every view at every width from the smallest the UI draws to 300, at the
 * heights people use, on a small and a many-core host, live and playback. */
static void layout_sweep_no_cut_words(void **state)
{
	static const char *const keys[] = { "", "1", "4", "p", "y", "e", "\033[Be" };
	static const int heights[] = { 24, 40, 60 };
	static const uint32_t cpus[] = { 2, 8, 64 };
	struct scene sc;
	int bad = 0;

	(void)state;
	for (size_t c = 0; c < sizeof(cpus) / sizeof(cpus[0]); c++) {
		scene_init(&sc, cpus[c], 2, 320, c == 0);
		sc.ascii = c == 2;
		if (c == 1) /* a full table and findings to explain */
			fill_table_and_findings((struct frame *)ring_at_age(&sc.ring, 0));
		for (int w = MIN_COLS; w <= 300; w++)
			for (size_t h = 0; h < sizeof(heights) / sizeof(heights[0]); h++)
				for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
					bad += render_clean(&sc, w, heights[h], keys[k], (w + (int)k) % 2, bad > 0);
		scene_free(&sc);
	}
	assert_int_equal(bad, 0);
}

/* The audit itself: a word split by the edge and text over text count. */
static void audit_sees_cut_and_overwritten_words(void **state)
{
	struct config cfg;
	struct tui_opts o = { .ncpu = 1, .cfg = &cfg, .cfg_path = "" };
	char err[256], row[256];
	struct tui *t;

	(void)state;
	config_defaults(&cfg);
	t = tui_headless(&o, 20, 3, DEPTH_256, err, sizeof(err));
	assert_non_null(t);
	screen_resize(&t->scr, 20, 3);
	ui_seg(t, 0, 0, ui_plain(0), "alpha beta gamma delta");
	screen_row(&t->scr, 0, row, sizeof(row));
	assert_string_equal(row, "alpha beta gamma\xe2\x80\xa6   "); /* on a word, marked */
	assert_int_equal(t->audit.cut, 0);
	ui_seg(t, 1, 0, ui_plain(0), "supercalifragilistic-x");
	assert_int_equal(t->audit.cut, 1);
	ui_seg(t, 0, 2, ui_plain(0), "X");
	assert_int_equal(t->audit.overwrite, 1);
	assert_int_equal(ui_wrap(t, 2, 0, 20, 1, ui_plain(0), "one two three four five six"), 1);
	screen_row(&t->scr, 2, row, sizeof(row));
	assert_string_equal(row, "one two three four\xe2\x80\xa6 ");
	tui_close(t);
}

/* Live: ages before the newest column, by hand from 1 s columns; a round
 * step whose labels keep apart; "now" at the newest column. */
static void axis_live_ages(void **state)
{
	int64_t at[60];
	struct axis_mark m[AXIS_MARKS];
	int n;

	(void)state;
	for (int i = 0; i < 60; i++) /* 1 s apart, a little jitter */
		at[i] = 5000000000LL + i * 1000000000LL + (i % 3) * 7000000LL;
	n = axis_marks(at, 60, 0, m, AXIS_MARKS);
	assert_true(n >= 5);
	assert_int_equal(m[0].col, 59);
	assert_string_equal(m[0].text, "now");
	/* 60 columns: the step is 10 s, the column of age 10 s is 49 */
	assert_string_equal(m[1].text, "-10s");
	assert_int_equal(m[1].col, 49);
	assert_string_equal(m[5].text, "-50s");
	assert_int_equal(m[5].col, 9);
	for (int k = 1; k < n; k++) /* a space between labels */
		assert_true(m[k].col < m[k - 1].col - (int)strlen(m[k - 1].text));
	/* empty columns on the left (a young ring) get no label */
	for (int i = 0; i < 30; i++)
		at[i] = AXIS_NONE;
	n = axis_marks(at, 60, 0, m, AXIS_MARKS);
	for (int k = 0; k < n; k++)
		assert_true(m[k].col >= 30);
	assert_int_equal(axis_span(at, 60, 1000000000LL), 30 * 1000000000LL + 2 * 7000000LL); /* col 30 to 59, plus one */
}

/* Playback: the wall clock at round instants, where the columns cross
 * them (readings from 12:00:03.5, 1 s apart: 12:00:15 falls between
 * columns 11 and 12). */
static void axis_wall_clock(void **state)
{
	int64_t at[60], base = (12 * 3600 + 3) * 1000000000LL + 500000000LL;
	struct axis_mark m[AXIS_MARKS];
	int n;
	char span[16];

	(void)state;
	for (int i = 0; i < 60; i++)
		at[i] = base + i * 1000000000LL;
	n = axis_marks(at, 60, 1, m, AXIS_MARKS);
	assert_true(n >= 3);
	assert_string_equal(m[n - 1].text, "12:00:15");
	assert_int_equal(m[n - 1].col, 11);
	assert_string_equal(m[n - 2].text, "12:00:30");
	assert_int_equal(m[n - 2].col, 26);
	axis_duration(span, sizeof(span), axis_span(at, 60, 1000000000LL));
	assert_string_equal(span, "60s");
	axis_duration(span, sizeof(span), 300 * 1000000000LL);
	assert_string_equal(span, "5.0m");
	axis_duration(span, sizeof(span), 3 * 3600 * 1000000000LL);
	assert_string_equal(span, "3.0h");
}

/* A screen's rows as text, for looking for what a panel drew. */
static int screen_has(const struct tui *t, const char *what, int *row)
{
	char buf[4096];

	for (int y = 0; y < t->scr.h; y++) {
		screen_row(&t->scr, y, buf, sizeof(buf));
		if (strstr(buf, what)) {
			*row = y;
			return 1;
		}
	}
	return 0;
}

/* The newest frame of the scene with a full process table (20, the most a
 * frame carries) and two hygiene findings. */
static void fill_table_and_findings(struct frame *f)
{
	f->procs.n = FRAME_TOP_PROCS;
	for (int i = 0; i < FRAME_TOP_PROCS; i++) {
		f->procs.top[i].tgid = 4000 + i;
		snprintf(f->procs.top[i].comm, sizeof(f->procs.top[i].comm), "worker-%02d", i);
		f->procs.top[i].sent = (uint64_t)(100 - i);
	}
	f->hygiene.n = 3;
	f->hygiene.item[0] = (struct frame_hyg_item){ .check = HYG_THP_ENABLED, .state = HYG_FINDING };
	f->hygiene.item[1] = (struct frame_hyg_item){ .check = HYG_SWAP, .state = HYG_OK };
	f->hygiene.item[2] = (struct frame_hyg_item){ .check = HYG_NUMA_BALANCING, .state = HYG_FINDING };
}

/* 160x50 and 200x60 on a 2-CPU host: every one of the 20 processes shown,
 * and each finding's why and fix whole (their last words on screen). */
static void free_rows_go_to_table_and_findings(void **state)
{
	static const int size[][2] = { { 160, 50 }, { 200, 60 }, { 120, 40 } };
	struct scene sc;

	(void)state;
	scene_init(&sc, 2, 2, 120, 0);
	fill_table_and_findings((struct frame *)ring_at_age(&sc.ring, 0));
	for (size_t k = 0; k < sizeof(size) / sizeof(size[0]); k++) {
		struct tui_opts o = { .ncpu = 2, .cfg = &sc.cfg, .cfg_path = "" };
		struct view v = { .interval_s = 1, .warn = 5, .crit = 20, .host = "h", .kernel = "k" };
		char err[256], last[64];
		struct tui *t = tui_headless(&o, size[k][0], size[k][1], DEPTH_256, err, sizeof(err));
		int row, head;

		tui_render(t, &sc.ring, &v);
		assert_true(screen_has(t, "    PID COMM", &head));
		for (int i = 0; i < FRAME_TOP_PROCS; i++) {
			snprintf(last, sizeof(last), "worker-%02d", i);
			assert_true(screen_has(t, last, &row));
			assert_true(row > head);
		}
		for (int c = 0; c < 2; c++) { /* the last word of why and of fix */
			const struct hyg_info *info = hyg_info(c ? HYG_NUMA_BALANCING : HYG_THP_ENABLED);
			const char *w = strrchr(info->why, ' '), *x = strrchr(info->fix, ' ');

			if (size[k][1] < 50)
				break;
			assert_true(screen_has(t, w ? w + 1 : info->why, &row));
			assert_true(screen_has(t, x ? x + 1 : info->fix, &row));
		}
		assert_int_equal(t->audit.cut + t->audit.overwrite, 0);
		tui_close(t);
	}
	scene_free(&sc);
}

/* The slot whose midpoint is nearest ns (a loglin histogram's). */
static unsigned int slot_near(double ns)
{
	unsigned int best = 0;

	for (unsigned int s = 0; s < LOGLIN_SLOTS; s++)
		if (fabs(log((double)hist_mid(s) + 1) - log(ns)) < fabs(log((double)hist_mid(best) + 1) - log(ns)))
			best = s;
	return best;
}

/* The cursor core's own octaves at 200x60 (97 columns of bars, 6
 * decades: an octave spans 97 / 6 * log10(2) = 4.87 columns): two
 * neighbouring octaves of 1000 each fill every column they cover, with
 * no gap; a column only part-covered rises by the part covered (its
 * height worked out here from the axis formula); a third octave of 10
 * far to the right shows too, at least one eighth. */
static void drill_draws_the_cores_octaves(void **state)
{
	struct scene sc;
	struct frame *f;
	struct tui_opts o = { .ncpu = 4, .cfg = &sc.cfg, .cfg_path = "" };
	struct view v = { .interval_s = 1, .warn = 5, .crit = 20, .host = "h", .kernel = "k" };
	char err[256], row[4096], want[96];
	struct tui *t;
	unsigned int cpu = 999;
	int head, title, w = 200 / 2 - 3;
	double a = (log10((double)hist_octave_low(11)) - 2) / 6 * w, b = (log10((double)hist_octave_high(12)) - 2) / 6 * w;
	double far = (log10((double)hist_octave_low(20)) - 2) / 6 * w;
	double far_end = (log10((double)hist_octave_high(20)) - 2) / 6 * w;

	(void)state;
	scene_init(&sc, 4, 1, 10, 0);
	f = (struct frame *)ring_at_age(&sc.ring, 0);
	for (uint32_t c = 0; c < f->ncpu; c++) {
		memset(f->cpu[c].rq_oct, 0, sizeof(f->cpu[c].rq_oct));
		f->cpu[c].rq_oct[11] = 1000; /* [16384, 32768) ns */
		f->cpu[c].rq_oct[12] = 1000; /* [32768, 65536) ns */
		f->cpu[c].rq_oct[20] = 10;   /* [8.4, 16.8) ms */
		f->cpu[c].rq_count = 2010;
	}
	t = tui_headless(&o, 200, 60, DEPTH_256, err, sizeof(err));
	assert_non_null(t);
	tui_render(t, &sc.ring, &v);
	tui_feed(t, "e", 1);
	tui_render(t, &sc.ring, &v);
	assert_true(screen_has(t, "(Enter or Esc closes)", &head));
	screen_row(&t->scr, head, row, sizeof(row));
	assert_int_equal(sscanf(row, " cpu%u", &cpu), 1);
	snprintf(want, sizeof(want), "run-queue delay, cpu%u this tick (2010 waits)", cpu);
	if (!screen_has(t, want, &title))
		dump_screen(t);
	assert_true(screen_has(t, want, &title));
	for (int c = 0; c < w; c++) {
		double lo = c > a ? c : a, hi = c + 1 < b ? c + 1 : b;
		/* each octave holds 1000 over (b - a) / 2 columns: a column wholly
		 * covered is the tallest; a part-covered one its part of 24 eighths */
		int level = hi > lo ? (int)ceil((hi - lo) * 24 - 1e-9) : 0;

		if (c >= (int)far && c < far_end) { /* 10 over ~5 columns: one eighth each */
			assert_int_equal(screen_at(&t->scr, title + 4, 1 + c)->ch, 0x2581);
			continue;
		}
		for (int r = 0; r < 3; r++) {
			int e = level - (2 - r) * 8;
			uint32_t ch = screen_at(&t->scr, title + 2 + r, 1 + c)->ch;

			e = e < 0 ? 0 : e > 8 ? 8 : e;
			if (ch != (e ? 0x2580u + (uint32_t)e : ' '))
				fail_msg("column %d row %d: U+%04X, want %d eighths", c, r, ch, e);
		}
	}
	assert_true(b - a > 9); /* two octaves: nine columns and more, no gap */
	assert_int_equal(t->audit.cut + t->audit.overwrite, 0);
	tui_close(t);
	scene_free(&sc);
}

/* An htop user's first keys on a 2-CPU host: the cursor starts on the
 * first core, not on the "node 0" label above it, so Down then Enter
 * opens cpu1's details; Up from cpu0 stays on cpu0 (the label has no job). */
static void cursor_starts_on_the_first_core(void **state)
{
	struct scene sc;
	struct tui_opts o = { .ncpu = 2, .cfg = &sc.cfg, .cfg_path = "" };
	struct view v = { .interval_s = 1, .warn = 5, .crit = 20, .host = "h", .kernel = "k" };
	char err[256], row[4096];
	struct tui *t;
	unsigned int cpu = 999;
	int head;

	(void)state;
	scene_init(&sc, 2, 1, 10, 0);
	t = tui_headless(&o, 200, 60, DEPTH_256, err, sizeof(err));
	assert_non_null(t);
	tui_render(t, &sc.ring, &v);
	assert_int_equal(t->rows[0].kind, ROW_NODE); /* the label is drawn ... */
	assert_non_null(ui_cursor_row(t));
	assert_int_equal(ui_cursor_row(t)->kind, ROW_CPU); /* ... the cursor is on a core */
	assert_int_equal(t->order[ui_cursor_row(t)->first], 0);
	tui_feed(t, "\x1b[A", 3); /* Up: nowhere to go */
	tui_render(t, &sc.ring, &v);
	assert_int_equal(ui_cursor_row(t)->kind, ROW_CPU);
	tui_feed(t, "\x1b[B\r", 4);
	tui_render(t, &sc.ring, &v);
	if (!screen_has(t, "(Enter or Esc closes)", &head))
		dump_screen(t);
	assert_true(screen_has(t, "(Enter or Esc closes)", &head));
	screen_row(&t->scr, head, row, sizeof(row));
	assert_int_equal(sscanf(row, " cpu%u", &cpu), 1);
	assert_int_equal(cpu, 1);
	tui_close(t);
	scene_free(&sc);
}

/* The word in the regime strip's value column of the row that starts with
 * label, or "" when no row does. */
static void strip_state(const struct tui *t, const char *label, char *out, size_t n)
{
	char buf[4096];
	size_t k = 0;

	out[0] = '\0';
	for (int y = 0; y < t->scr.h; y++) {
		int x = layout_panel_x(&t->lay, 0) + t->lay.ticks + 1;

		screen_row(&t->scr, y, buf, sizeof(buf));
		if (strncmp(buf, label, strlen(label)))
			continue;
		for (; k + 1 < n && x < t->scr.w && screen_at(&t->scr, y, x)->ch > ' '; x++)
			out[k++] = (char)screen_at(&t->scr, y, x)->ch;
		out[k] = '\0';
		return;
	}
}

/* The regime strips name the machines as the header's badges do (TLB,
 * IOMMU) and each state by the frame's name (field table, dump, drill),
 * or, where the 6-column value cell has no room, by a word of it that
 * the help (?) lists next to the full name. */
static void regime_strips_use_the_frames_names(void **state)
{
	struct scene sc;
	struct tui_opts o = { .ncpu = 4, .cfg = &sc.cfg, .cfg_path = "" };
	struct view v = { .interval_s = 1, .warn = 5, .crit = 20, .host = "h", .kernel = "k" };
	char err[256], shown[32], want[64], row[4096];
	struct frame *f;
	struct tui *t, *help;
	int y, abbreviated = 0;

	(void)state;
	scene_init(&sc, 4, 1, 10, 0);
	f = (struct frame *)ring_at_age(&sc.ring, 0);
	t = tui_headless(&o, 200, 60, DEPTH_256, err, sizeof(err));
	help = tui_headless(&o, 200, 400, DEPTH_256, err, sizeof(err));
	assert_non_null(t);
	assert_non_null(help);
	tui_render(help, &sc.ring, &v);
	tui_feed(help, "?", 1);
	tui_render(help, &sc.ring, &v);
	for (int m = 0; m < 2; m++)
		for (int s = 0; s < (m ? IOMMU_REGIMES : TLB_REGIMES); s++) {
			const char *full = m ? iommu_regime_names[s] : tlb_regime_names[s];

			f->regime.tlb = m ? 0 : (uint8_t)s;
			f->regime.iommu = m ? (uint8_t)s : 0;
			tui_render(t, &sc.ring, &v);
			strip_state(t, m ? " IOMMU " : " TLB ", shown, sizeof(shown));
			if (!shown[0])
				dump_screen(t);
			assert_true(shown[0]);
			assert_non_null(strstr(full, shown)); /* the name, or a word of it */
			if (!strcmp(full, shown))
				continue;
			abbreviated++;
			assert_true(strlen(full) > REGIME_BRIEF_W); /* shortened only for want of room */
			snprintf(want, sizeof(want), "%s %s ", m ? "IOMMU" : "TLB", shown);
			if (!screen_has(help, want, &y))
				fail_msg("? help has no legend line '%s'", want);
			screen_row(&help->scr, y, row, sizeof(row));
			if (!strstr(row, full))
				fail_msg("? help: '%s' does not say %s", row, full);
		}
	assert_true(abbreviated >= 4); /* SAFE_DEGRADED, MAP_STABLE, FLUSH_STORM ... */
	tui_close(help);
	tui_close(t);
	scene_free(&sc);
}

/* Metric 4 has one name: its panel, its title, the keys' help. */
static void iommu_metric_has_one_name(void **state)
{
	char line[512] = "";

	(void)state;
	assert_string_equal(metrics[METRIC_IOTLB]->brief, METRIC_IOTLB_NAME);
	assert_int_equal(strncmp(metrics[METRIC_IOTLB]->title, METRIC_IOTLB_NAME ":", strlen(METRIC_IOTLB_NAME) + 1), 0);
	for (size_t i = 0; i < key_help_count; i++)
		if (key_help[i].keys && (!strcmp(key_help[i].keys, "0") || !strcmp(key_help[i].keys, "1-6"))) {
			assert_non_null(strstr(key_help[i].what, METRIC_IOTLB_NAME));
			strcat(line, key_help[i].what);
		}
	assert_non_null(strstr(line, "4 " METRIC_IOTLB_NAME ","));
	assert_null(strstr(line, "IOTLB flushes"));
}

/* The drill-down's pictures, drawn from a frame that went through the
 * recorder's codec (what playback shows): the run-queue and app
 * histograms as bars where their slots fall on the 100 ns .. 100 ms log
 * axis, heights by hand (1000 samples: a full 3-row bar; 100: 3 eighths
 * of 24 in the bottom row), and r at each of the 11 lags. */
static void drill_draws_histograms_and_lags(void **state)
{
	static const char *const eighth[] = { "", "\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83" };
	struct scene sc;
	struct frame *f, *g;
	uint8_t *buf = malloc(1 << 20);
	size_t len;
	unsigned int fast = slot_near(2000), slow = slot_near(200000);
	struct tui_opts o = { .ncpu = 8, .cfg = &sc.cfg, .cfg_path = "" };
	struct view v = { .interval_s = 1, .warn = 5, .crit = 20, .host = "h", .kernel = "k", .playback = 1 };
	char err[256], row[4096];
	struct tui *t;
	int title, w, cfast, cslow, lagrow;

	(void)state;
	scene_init(&sc, 8, 2, 60, 0);
	f = (struct frame *)ring_at_age(&sc.ring, 0);
	for (uint32_t c = 0; c < f->ncpu; c++) /* a recording made before the per-core octaves */
		memset(f->cpu[c].rq_oct, 0, sizeof(f->cpu[c].rq_oct));
	memset(f->sys.rq_hist, 0, sizeof(f->sys.rq_hist));
	f->sys.rq_hist[fast] = 1000;
	f->sys.rq_hist[slow] = 100;
	memcpy(f->app_hist, f->sys.rq_hist, sizeof(f->app_hist));
	f->signals |= 1u << SIG_APP_LAT;
	f->corr.window = 60;
	f->corr.nlags = FRAME_CORR_LAGS;
	for (int k = 0; k < FRAME_CORR_LAGS; k++)
		f->corr.lag_rs[k] = k == 3 ? NAN : (float)(k - 5) / 10;
	f->corr.lag = 5;
	f->corr.lag_r = 0.5f;
	/* through the codec, as a recording is played back */
	len = frame_encode(f, buf, 1 << 20);
	assert_true(len > 0);
	g = ring_begin(&sc.ring);
	assert_int_equal(frame_decode(buf, len, g), 0);
	ring_commit(&sc.ring);
	t = tui_headless(&o, 120, 44, DEPTH_256, err, sizeof(err));
	tui_render(t, &sc.ring, &v);
	tui_feed(t, "e", 1);
	tui_render(t, &sc.ring, &v);
	/* 57 columns: the short title, still naming whose bars these are */
	assert_true(screen_has(t, " all CPUs (cpu", &title));
	assert_true(screen_has(t, "'s own not recorded)", &title));
	w = 120 / 2 - 3; /* the left half, as the panel lays it out */
	cfast = 1 + (int)((log10((double)hist_mid(fast)) - 2) / 6 * w);
	cslow = 1 + (int)((log10((double)hist_mid(slow)) - 2) / 6 * w);
	for (int r = 0; r < 3; r++) { /* bars on rows title+2 .. title+4 */
		screen_row(&t->scr, title + 2 + r, row, sizeof(row));
		assert_int_equal(screen_at(&t->scr, title + 2 + r, cfast)->ch, 0x2588);
		assert_int_equal(screen_at(&t->scr, title + 2 + r, cslow)->ch,
				 r == 2 ? 0x2583 /* 100 of 1000: 3 eighths of 24 */ : ' ');
		assert_int_equal(screen_at(&t->scr, title + 2 + r, cfast + 3)->ch, ' ');
	}
	(void)eighth;
	screen_row(&t->scr, title + 5, row, sizeof(row));
	assert_non_null(strstr(row, "1us"));
	assert_non_null(strstr(row, "1ms"));
	assert_true(screen_has(t, "app latency this tick (1100 samples)", &title));
	assert_true(screen_has(t, "r(app p99, TLB IPIs) by lag", &lagrow));
	screen_row(&t->scr, lagrow + 3, row, sizeof(row));
	assert_non_null(strstr(row, "-5"));
	assert_non_null(strstr(row, "+5"));
	screen_row(&t->scr, lagrow + 4, row, sizeof(row));
	assert_non_null(strstr(row, "-0.5 ")); /* lag -5 */
	assert_non_null(strstr(row, "n/a")); /* lag -2 has no r */
	assert_non_null(strstr(row, "+0.5 ")); /* lag +5 */
	assert_int_equal(t->audit.cut + t->audit.overwrite, 0);
	tui_close(t);
	free(buf);
	scene_free(&sc);
}

/* The window's first ticks: r over the window but no lag with enough
 * pairs yet (lag_r NAN) is said, never printed as "nan". */
static void corr_line_without_a_lag(void **state)
{
	struct scene sc;
	struct frame *f;
	struct tui_opts o = { .ncpu = 4, .cfg = &sc.cfg, .cfg_path = "" };
	struct view v = { .interval_s = 1, .warn = 5, .crit = 20, .host = "h", .kernel = "k" };
	char err[256], row[4096];
	struct tui *t;
	int y;

	(void)state;
	scene_init(&sc, 4, 1, 60, 0);
	f = (struct frame *)ring_at_age(&sc.ring, 0);
	f->napps = 1; /* an attached app, its panel shown */
	f->apps[0] = (struct frame_app){ .state = APP_OK, .name = "gw", .pid = 7 };
	f->corr.window = 6;
	f->corr.r_tlb = 0.25f;
	f->corr.lag = 0;
	f->corr.lag_r = NAN;
	t = tui_headless(&o, 200, 60, DEPTH_256, err, sizeof(err));
	assert_non_null(t);
	tui_render(t, &sc.ring, &v);
	if (!screen_has(t, " vs TLB IPIs", &y))
		dump_screen(t);
	assert_true(screen_has(t, " vs TLB IPIs", &y));
	screen_row(&t->scr, y, row, sizeof(row));
	assert_non_null(strstr(row, ": r +0.25, best lag: too few ticks yet"));
	assert_null(strstr(row, "nan"));
	tui_close(t);
	scene_free(&sc);
}

/* The heatmap draws its cells by code point (heat_glyph_cp, screen_set);
 * every level must give the very cell the glyph string drawn through
 * screen_text (the text rule of text.h) gives, in UTF-8 and ASCII. */
static void heat_cells_by_code_point(void **state)
{
	struct screen a = { 0 }, b = { 0 };
	struct style st = { .fg = 3, .bg = 5, .attr = 1 };

	(void)state;
	assert_int_equal(screen_resize(&a, 4, 1), 0);
	assert_int_equal(screen_resize(&b, 4, 1), 0);
	for (int ascii = 0; ascii < 2; ascii++)
		for (int l = 0; l < HEAT_LEVELS + 1; l++) {
			a.ascii = b.ascii = ascii;
			screen_clear(&a);
			screen_clear(&b);
			screen_text(&a, 0, 1, st, heat_glyph((enum heat_level)l, !ascii));
			screen_set(&b, 0, 1, heat_glyph_cp((enum heat_level)l, !ascii), st);
			for (int x = 0; x < 4; x++)
				assert_memory_equal(screen_at(&a, 0, x), screen_at(&b, 0, x), sizeof(struct cell));
		}
	screen_free(&a);
	screen_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(heat_levels_follow_thresholds),
		cmocka_unit_test(rates_fit_five_columns),
		cmocka_unit_test(layout_places_every_cpu_once),
		cmocka_unit_test(layout_holes_and_memory_nodes),
		cmocka_unit_test(layout_density_steps),
		cmocka_unit_test(layout_columns_fit),
		cmocka_unit_test(metric_needs_a_real_delta),
		cmocka_unit_test(audit_sees_cut_and_overwritten_words),
		cmocka_unit_test(layout_sweep_no_cut_words),
		cmocka_unit_test(free_rows_go_to_table_and_findings),
		cmocka_unit_test(drill_draws_histograms_and_lags),
		cmocka_unit_test(corr_line_without_a_lag),
		cmocka_unit_test(drill_draws_the_cores_octaves),
		cmocka_unit_test(cursor_starts_on_the_first_core),
		cmocka_unit_test(regime_strips_use_the_frames_names),
		cmocka_unit_test(iommu_metric_has_one_name),
		cmocka_unit_test(axis_live_ages),
		cmocka_unit_test(axis_wall_clock),
		cmocka_unit_test(heat_cells_by_code_point),
	};
	return cmocka_run_group_tests_name("ui", tests, NULL, NULL);
}
