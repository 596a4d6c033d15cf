// SPDX-License-Identifier: GPL-2.0-only
/* The UI's pure parts: heat levels, number formatting, the CPU layout. */
#include "testlib.h"

#include "ui/format.h"
#include "ui/heat.h"
#include "core/metric.h"
#include "core/ring.h"
#include "ui/layout.h"
#include "collectors/topology.h"

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
	};
	return cmocka_run_group_tests_name("ui", tests, NULL, NULL);
}
