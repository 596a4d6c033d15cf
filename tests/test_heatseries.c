// SPDX-License-Identifier: GPL-2.0-only
/* The heatmap drawn from its per-CPU series (ui/heatseries.c) is the
 * heatmap drawn by reading every cell off its frame with the metric's
 * per_cpu (the path before the series, kept as the reference): the same
 * glyph and style in every cell, tick after tick, at every density, with
 * a CPU going offline, thresholds changing and a playback-like seek. */
#include <math.h>

#include "core/metric.h"
#include "tuipair.h"

#define NCPU 64
#define RING 48 /* small: frames on the time axis get overwritten */

/* Every frame kept full: the reference reads each cell off its frame. */
static void pair_init(struct tui_pair *p, int w, int h, const char *keys, int64_t interval_ns)
{
	tui_pair_init(p, NCPU, 2, RING, RING, interval_ns, w, h);
	p->off_cpu = 5;
	p->ref->series_off = 1;
	tui_pair_render(p);
	tui_pair_feed(p, keys);
}

/* Both drawn; every heatmap cell alike (glyph, colours, attributes), and
 * the kept one really drew from its series. */
static void same_cells(struct tui_pair *p, const char *when)
{
	const struct tui *a = p->kept, *b = p->ref;
	int from_series = 0;

	tui_pair_render(p);
	assert_int_equal(a->heat_top, b->heat_top);
	assert_int_equal(a->heat_rows, b->heat_rows);
	assert_true(a->heat_rows > 0);
	tui_pair_same(p, a->heat_top, a->heat_top + a->heat_rows, when);
	for (int i = 0; i < a->lay.ticks; i++)
		from_series += a->tick_vals[0][i] != NULL;
	assert_true(from_series > 0);
	assert_null(b->tick_vals[0][0]);
}

/* Ticks past the ring's size (frames on the axis overwritten), a CPU
 * going offline and coming back, the thresholds moving, then a seek: the
 * ring forgotten and refilled with other values, each frame carrying the
 * seq of the frame drawn last in the same series column (the series
 * keeps column ring_serial % ticks), as a player jumping back does: a
 * series keyed by column and seq alone draws the old values. */
static void run_shape(int w, int h, const char *keys)
{
	struct tui_pair p;
	char when[64];

	pair_init(&p, w, h, keys, 1000000000);
	for (int i = 0; i < RING + 10; i++) {
		p.offline = i >= 10 && i < 30;
		tui_pair_tick(&p);
		snprintf(when, sizeof(when), "%dx%d '%s' tick %d", w, h, keys, i);
		same_cells(&p, when);
	}
	p.v.warn = 2, p.v.crit = 8;
	same_cells(&p, "thresholds moved");
	tui_pair_seek(&p);
	snprintf(when, sizeof(when), "%dx%d '%s' after the seek", w, h, keys);
	same_cells(&p, when);
	print_message("%dx%d '%s': %d cells alike\n", w, h, keys, p.compared);
	tui_pair_free(&p);
}

static void series_draws_as_the_frames(void **state)
{
	(void)state;
	run_shape(200, 90, "");   /* one CPU a row */
	run_shape(200, 60, "f");  /* density steps: one a row, */
	run_shape(200, 60, "ff"); /* two CPUs a row (upper/lower half), */
	run_shape(200, 60, "fff"); /* node rows (the hottest CPU) */
	run_shape(200, 24, "");   /* auto: blocks */
	run_shape(120, 90, "1");  /* one metric, wider time axis */
}

/* Thresholds a double's step from the values: a float cast alone would
 * move cells across warn and crit; the series keeps every cell's level. */
static void series_keeps_levels_at_thresholds(void **state)
{
	const struct metric *m = metrics[METRIC_TLB_RX];
	struct tui_pair p;
	double lo = INFINITY, hi = -1;

	(void)state;
	pair_init(&p, 200, 90, "1", 333333333); /* rates no float holds */
	tui_pair_tick(&p);
	for (uint32_t c = 0; c < NCPU; c++) {
		double x = m->per_cpu(ring_at_age(&p.ring, 0), c);

		if (x > 0 && x < lo)
			lo = x;
		if (x > hi)
			hi = x;
	}
	assert_true(lo < hi);
	for (int k = 0; k < 2; k++) {
		/* the quietest CPU just under warn, the hottest exactly at crit;
		 * then just over and just under */
		p.v.warn = k ? nextafter(lo, 0) : nextafter(lo, INFINITY);
		p.v.crit = k ? nextafter(hi, INFINITY) : hi;
		same_cells(&p, k ? "thresholds a step over and under" : "thresholds a step over and at");
	}
	tui_pair_free(&p);
}

/* The cost line's "TLB rx csd gap G of T" sums the newest 60 frames;
 * kept per frame, it must still follow new ticks and a seek.  The
 * reference: the kernel's TLB count minus the csd program's, summed here. */
static void gap_line_follows_the_ring(void **state)
{
	struct tui_pair p;
	char want[64], row[4096];

	(void)state;
	pair_init(&p, 200, 60, "", 1000000000);
	for (int step = 0; step < 70; step++) {
		int64_t gap = 0, g, found = 0;

		if (step == 65) { /* a seek: forgotten, refilled with a gap of 3 a CPU */
			ring_reset(&p.ring);
			for (int i = 0; i < 5; i++) {
				struct frame *f = ring_begin(&p.ring);

				synth_fill(&p.s, f);
				for (uint32_t c = 0; c < NCPU; c++)
					f->cpu[c].irq[IRQ_TLB] = f->cpu[c].tlb_rx + 3;
				ring_commit(&p.ring);
			}
		} else {
			tui_pair_tick(&p);
		}
		for (uint32_t age = 0; age < ring_count(&p.ring) && age < 60; age++)
			for (uint32_t c = 0; c < NCPU; c++)
				gap += tlb_rx_gap(ring_at_age(&p.ring, age), c, &g) ? g : 0;
		tui_render(p.kept, &p.ring, &p.v);
		snprintf(want, sizeof(want), "TLB rx csd gap %lld of ", (long long)gap);
		for (int y = 0; y < p.kept->scr.h && !found; y++) {
			screen_row(&p.kept->scr, y, row, sizeof(row));
			found = strstr(row, want) != NULL;
		}
		if (!found)
			print_message("step %d: no \"%s\"\n", step, want);
		assert_true(found);
	}
	tui_pair_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(series_draws_as_the_frames),
		cmocka_unit_test(series_keeps_levels_at_thresholds),
		cmocka_unit_test(gap_line_follows_the_ring),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
