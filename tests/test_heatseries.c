// SPDX-License-Identifier: GPL-2.0-only
/* The heatmap drawn from its per-CPU series (ui/heatseries.c) is the
 * heatmap drawn by reading every cell off its frame with the metric's
 * per_cpu (the path before the series, kept as the reference): the same
 * glyph and style in every cell, tick after tick, at every density, with
 * a CPU going offline, thresholds changing and a playback-like seek. */
#include "testlib.h"

#include <math.h>

#include "collectors/synth.h"
#include "collectors/topology.h"
#include "core/config.h"
#include "core/metric.h"
#include "core/ring.h"
#include "ui/tui_internal.h"

#define NCPU 64
#define RING 48 /* small: frames on the time axis get overwritten */
#define OFF_CPU 5

struct pair {
	struct topology topo;
	struct frame_ring ring;
	struct synth s;
	struct config cfg;
	struct view v;
	struct tui *kept, *ref;  /* from the series; off the frames */
	int offline;             /* OFF_CPU is offline in new frames */
	int compared;            /* cells compared */
};

static void tick(struct pair *p)
{
	struct frame *f = ring_begin(&p->ring);

	synth_fill(&p->s, f);
	if (p->offline)
		f->cpu[OFF_CPU].online = 0, f->online--;
	ring_commit(&p->ring);
}

static void pair_init(struct pair *p, int w, int h, const char *keys, int64_t interval_ns)
{
	struct tui_opts o = { .ncpu = NCPU, .cfg = &p->cfg, .cfg_path = "" };
	char err[256];

	memset(p, 0, sizeof(*p));
	config_defaults(&p->cfg);
	p->v = (struct view){ .interval_s = 1, .warn = 5, .crit = 20, .host = "series", .kernel = "6.18" };
	assert_int_equal(topology_synthetic(&p->topo, NCPU, 2), 0);
	/* every frame kept full: the reference reads each cell off its frame */
	assert_int_equal(ring_init_full(&p->ring, RING, RING, NCPU, 1), 0);
	synth_init(&p->s, &p->topo, interval_ns);
	for (int i = 0; i < RING - 1; i++)
		tick(p);
	p->kept = tui_headless(&o, w, h, DEPTH_256, err, sizeof(err));
	p->ref = tui_headless(&o, w, h, DEPTH_256, err, sizeof(err));
	assert_non_null(p->kept);
	assert_non_null(p->ref);
	p->ref->series_off = 1;
	tui_render(p->kept, &p->ring, &p->v);
	tui_render(p->ref, &p->ring, &p->v);
	tui_feed(p->kept, keys, strlen(keys));
	tui_feed(p->ref, keys, strlen(keys));
}

static void pair_free(struct pair *p)
{
	tui_close(p->kept);
	tui_close(p->ref);
	ring_free(&p->ring);
	topology_free(&p->topo);
}

/* Both drawn; every heatmap cell alike (glyph, colours, attributes), and
 * the kept one really drew from its series. */
static void same_cells(struct pair *p, const char *when)
{
	const struct tui *a = p->kept, *b = p->ref;
	int from_series = 0;

	tui_render(p->kept, &p->ring, &p->v);
	tui_render(p->ref, &p->ring, &p->v);
	assert_int_equal(a->heat_top, b->heat_top);
	assert_int_equal(a->heat_rows, b->heat_rows);
	assert_true(a->heat_rows > 0);
	for (int y = a->heat_top; y < a->heat_top + a->heat_rows; y++)
		for (int x = 0; x < a->scr.w; x++) {
			const struct cell *ca = screen_at(&a->scr, y, x), *cb = screen_at(&b->scr, y, x);

			if (memcmp(ca, cb, sizeof(*ca))) {
				print_message("%s: cell (%d,%d) U+%04X fg %x bg %x, reference U+%04X fg %x bg %x\n", when,
					      y, x, ca->ch, ca->fg, ca->bg, cb->ch, cb->fg, cb->bg);
				fail();
			}
			p->compared++;
		}
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
	struct pair p;
	uint64_t d, c0, ticks;
	char when[64];

	pair_init(&p, w, h, keys, 1000000000);
	for (int i = 0; i < RING + 10; i++) {
		p.offline = i >= 10 && i < 30;
		tick(&p);
		snprintf(when, sizeof(when), "%dx%d '%s' tick %d", w, h, keys, i);
		same_cells(&p, when);
	}
	p.v.warn = 2, p.v.crit = 8;
	same_cells(&p, "thresholds moved");
	c0 = p.ring.commits;
	d = ring_at_age(&p.ring, 0)->seq - ring_serial(&p.ring, 0); /* seq - serial, before */
	ticks = (uint64_t)p.kept->lay.ticks;
	ring_reset(&p.ring);
	p.offline = 1;
	for (int i = 0; i < RING - 1; i++) {
		struct frame *f = ring_begin(&p.ring);

		synth_fill(&p.s, f);
		for (uint32_t c = 0; c < NCPU; c += 3) /* other values than before the seek */
			f->cpu[c].online = 0;
		/* the seq the column's last frame had: serial c0 - ticks + i % ticks */
		f->seq = d + c0 - ticks + (uint64_t)i % ticks;
		ring_commit(&p.ring);
	}
	snprintf(when, sizeof(when), "%dx%d '%s' after the seek", w, h, keys);
	same_cells(&p, when);
	print_message("%dx%d '%s': %d cells alike\n", w, h, keys, p.compared);
	pair_free(&p);
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
	struct pair p;
	double lo = INFINITY, hi = -1;

	(void)state;
	pair_init(&p, 200, 90, "1", 333333333); /* rates no float holds */
	tick(&p);
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
	pair_free(&p);
}

/* The cost line's "TLB rx csd gap G of T" sums the newest 60 frames;
 * kept per frame, it must still follow new ticks and a seek.  The
 * reference: the kernel's TLB count minus the csd program's, summed here. */
static void gap_line_follows_the_ring(void **state)
{
	struct pair p;
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
			tick(&p);
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
	pair_free(&p);
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
