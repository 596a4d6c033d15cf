/* The UI's pure parts: heat levels, number formatting, row layout. */
#include "testlib.h"

#include "format.h"
#include "heat.h"
#include "metric.h"
#include "ring.h"
#include "rows.h"
#include "topology.h"

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

/* Every selected CPU lands in exactly one row, under its own node label,
 * nodes ascending, for host shapes from 1 to 4096 CPUs. */
static void check_layout(uint32_t ncpu, uint32_t nnodes, int masked)
{
	struct topology t;
	struct frame_ring r;
	struct frame *f;
	struct heat_row *rows = calloc(2 * ncpu, sizeof(*rows));
	uint8_t *mask = calloc(ncpu, 1), *seen = calloc(ncpu, 1);
	uint32_t n, want = 0, got = 0;
	int32_t node = -1;

	assert_int_equal(topology_synthetic(&t, ncpu, nnodes), 0);
	assert_int_equal(ring_init(&r, 1, ncpu), 0);
	f = ring_begin(&r);
	for (uint32_t c = 0; c < ncpu; c++) {
		f->cpu[c].node = t.node_of[c];
		mask[c] = !masked || c % 3 == 0;
		want += mask[c];
	}
	n = rows_build(f, masked ? mask : NULL, rows);
	for (uint32_t i = 0; i < n; i++) {
		if (rows[i].cpu < 0) {
			assert_true((int32_t)rows[i].node > node);
			node = rows[i].node;
			continue;
		}
		assert_int_equal(rows[i].node, node);
		assert_int_equal(f->cpu[rows[i].cpu].node, node);
		assert_true(mask[rows[i].cpu]);
		assert_false(seen[rows[i].cpu]);
		seen[rows[i].cpu] = 1;
		got++;
	}
	assert_int_equal(got, want);
	ring_free(&r);
	topology_free(&t);
	free(rows);
	free(mask);
	free(seen);
}

static void layout_places_every_cpu_once(void **state)
{
	static const uint32_t shapes[][2] = { { 1, 1 }, { 2, 1 }, { 64, 2 }, { 256, 4 },
					      { 512, 8 }, { 1024, 16 }, { 4096, 32 }, { 7, 3 } };

	(void)state;
	for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		check_layout(shapes[i][0], shapes[i][1], 0);
		check_layout(shapes[i][0], shapes[i][1], 1);
	}
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
		cmocka_unit_test(metric_needs_a_real_delta),
	};
	return cmocka_run_group_tests_name("ui", tests, NULL, NULL);
}
