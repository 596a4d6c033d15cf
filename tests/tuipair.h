/* SPDX-License-Identifier: GPL-2.0-only */
/* Two headless TUIs over one synthetic ring, for tests that hold a faster
 * drawing path (kept) to the path it replaced (ref): the same glyph and
 * style in every cell.  Header-only: each test program includes it once. */
#ifndef STORMTOP_TEST_TUIPAIR_H
#define STORMTOP_TEST_TUIPAIR_H

#include "testlib.h"

#include "collectors/synth.h"
#include "collectors/topology.h"
#include "core/config.h"
#include "core/ring.h"
#include "ui/tui_internal.h"

struct tui_pair {
	struct topology topo;
	struct frame_ring ring;
	struct synth s;
	struct config cfg;
	struct view v;
	struct tui *kept, *ref;
	uint32_t ncpu, off_cpu;
	int offline;  /* off_cpu is offline in new frames */
	int compared; /* cells compared */
};

static void tui_pair_tick(struct tui_pair *p)
{
	struct frame *f = ring_begin(&p->ring);

	synth_fill(&p->s, f);
	if (p->offline)
		f->cpu[p->off_cpu].online = 0, f->online--;
	ring_commit(&p->ring);
}

/* ncpu CPUs on nodes nodes, a ring of cap ticks (full of them full
 * frames), filled to cap - 1 ticks of interval_ns; both TUIs w x h. */
static void tui_pair_init(struct tui_pair *p, uint32_t ncpu, int nodes, uint32_t cap, uint32_t full,
			  int64_t interval_ns, int w, int h)
{
	struct tui_opts o = { .ncpu = ncpu, .cfg = &p->cfg, .cfg_path = "" };
	char err[256];

	memset(p, 0, sizeof(*p));
	p->ncpu = ncpu;
	p->off_cpu = ncpu / 2 + 1;
	config_defaults(&p->cfg);
	p->v = (struct view){ .interval_s = 1, .warn = 5, .crit = 20, .host = "pair", .kernel = "6.18" };
	assert_int_equal(topology_synthetic(&p->topo, ncpu, nodes), 0);
	assert_int_equal(ring_init_full(&p->ring, cap, full, ncpu, 1), 0);
	synth_init(&p->s, &p->topo, interval_ns);
	for (uint32_t i = 0; i + 1 < cap; i++)
		tui_pair_tick(p);
	p->kept = tui_headless(&o, w, h, DEPTH_256, err, sizeof(err));
	p->ref = tui_headless(&o, w, h, DEPTH_256, err, sizeof(err));
	assert_non_null(p->kept);
	assert_non_null(p->ref);
}

static void tui_pair_feed(struct tui_pair *p, const char *keys)
{
	tui_feed(p->kept, keys, strlen(keys));
	tui_feed(p->ref, keys, strlen(keys));
}

static void tui_pair_free(struct tui_pair *p)
{
	tui_close(p->kept);
	tui_close(p->ref);
	ring_free(&p->ring);
	topology_free(&p->topo);
}

/* Both drawn, then rows y0 .. y1 - 1 compared cell by cell. */
static void tui_pair_same(struct tui_pair *p, int y0, int y1, const char *when)
{
	const struct tui *a = p->kept, *b = p->ref;

	for (int y = y0; y < y1; y++)
		for (int x = 0; x < a->scr.w; x++) {
			const struct cell *ca = screen_at(&a->scr, y, x), *cb = screen_at(&b->scr, y, x);

			if (memcmp(ca, cb, sizeof(*ca))) {
				print_message("%s: cell (%d,%d) U+%04X fg %x bg %x, reference U+%04X fg %x bg %x\n", when,
					      y, x, ca->ch, ca->fg, ca->bg, cb->ch, cb->fg, cb->bg);
				fail();
			}
			p->compared++;
		}
}

static void tui_pair_render(struct tui_pair *p)
{
	tui_render(p->kept, &p->ring, &p->v);
	tui_render(p->ref, &p->ring, &p->v);
}

/* A seek as a player jumping back makes one: the ring forgotten and
 * refilled with other values (every third CPU offline), each frame
 * carrying the seq of the frame drawn last in the same time column (a
 * column keeps commit number % ticks), so a cache keyed by column and
 * seq alone would draw the old values. */
static void tui_pair_seek(struct tui_pair *p)
{
	uint64_t c0 = p->ring.commits, ticks = (uint64_t)p->kept->lay.ticks;
	uint64_t d = ring_at_age(&p->ring, 0)->seq - ring_serial(&p->ring, 0); /* seq - serial, before */

	ring_reset(&p->ring);
	for (uint32_t i = 0; i + 1 < p->ring.cap; i++) {
		struct frame *f = ring_begin(&p->ring);

		synth_fill(&p->s, f);
		for (uint32_t c = 0; c < p->ncpu; c += 3)
			f->cpu[c].online = 0;
		f->seq = d + c0 - ticks + (uint64_t)i % ticks;
		ring_commit(&p->ring);
	}
}

#endif
