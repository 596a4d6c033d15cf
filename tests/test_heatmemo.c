// SPDX-License-Identifier: GPL-2.0-only
/* The heatmap drawn from the cells kept per column (ui/heatmemo.c) is the
 * heatmap with every cell worked out again at every tick (the memo freed:
 * the path before it, kept as the reference): the same glyph and style in
 * every cell, tick after tick, while the grid scrolls, the density, view
 * and thresholds change, a CPU goes offline, and after a seek that hands
 * a column's slot a different frame with the seq its old one had. */
#include "testlib.h"

#include "collectors/synth.h"
#include "collectors/topology.h"
#include "core/config.h"
#include "core/ring.h"
#include "ui/tui_internal.h"

#define NCPU 96
#define RING 40 /* small: frames on the time axis get overwritten */
#define OFF_CPU 7

struct pair {
	struct topology topo;
	struct frame_ring ring;
	struct synth s;
	struct config cfg;
	struct view v;
	struct tui *kept, *ref; /* with the memo; without */
	int offline, compared;
};

static void tick(struct pair *p)
{
	struct frame *f = ring_begin(&p->ring);

	synth_fill(&p->s, f);
	if (p->offline)
		f->cpu[OFF_CPU].online = 0, f->online--;
	ring_commit(&p->ring);
}

static void both_feed(struct pair *p, const char *keys)
{
	tui_feed(p->kept, keys, strlen(keys));
	tui_feed(p->ref, keys, strlen(keys));
}

static void pair_init(struct pair *p, int w, int h)
{
	struct tui_opts o = { .ncpu = NCPU, .cfg = &p->cfg, .cfg_path = "" };
	char err[256];

	memset(p, 0, sizeof(*p));
	config_defaults(&p->cfg);
	p->v = (struct view){ .interval_s = 1, .warn = 5, .crit = 20, .host = "memo", .kernel = "6.18" };
	assert_int_equal(topology_synthetic(&p->topo, NCPU, 3), 0);
	assert_int_equal(ring_init(&p->ring, RING, NCPU), 0);
	synth_init(&p->s, &p->topo, 1000000000);
	for (int i = 0; i < RING - 1; i++)
		tick(p);
	p->kept = tui_headless(&o, w, h, DEPTH_256, err, sizeof(err));
	p->ref = tui_headless(&o, w, h, DEPTH_256, err, sizeof(err));
	assert_non_null(p->kept);
	assert_non_null(p->ref);
	tui_render(p->kept, &p->ring, &p->v);
	tui_render(p->ref, &p->ring, &p->v);
	heatmemo_free(&p->ref->memo); /* allocated on a resize only: stays off */
}

static void pair_free(struct pair *p)
{
	tui_close(p->kept);
	tui_close(p->ref);
	ring_free(&p->ring);
	topology_free(&p->topo);
}

/* Every cell of the screen alike, and the kept one drew from its memo. */
static void same_screen(struct pair *p, const char *when)
{
	const struct tui *a = p->kept, *b = p->ref;
	int kept = 0;

	tui_render(p->kept, &p->ring, &p->v);
	tui_render(p->ref, &p->ring, &p->v);
	assert_int_equal(a->scroll, b->scroll);
	for (int y = 0; y < a->scr.h; y++)
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
		kept += a->tick_cells[0][i] != NULL;
	assert_true(a->view == VIEW_PROCS || kept > 0);
	assert_null(b->tick_cells[0][a->lay.ticks - 1]);
}

/* Per tick, one of these keys (both UIs): scrolling by rows and pages,
 * the density, a metric view and back, a panel over, a node opened. */
static const char *const step[] = {
	"", "j", "jjjjjjjjjjjjjjjjjjjj", "\033[6~", "", "f", "2", "\033[C", "0", "e",
	"", "k", "\033[5~", "f", "\033[6~\033[6~", "4", "0", "\033[D", "e", "ff",
};

static void run_shape(int w, int h)
{
	struct pair p;
	uint64_t d, c0, ticks;
	char when[64];

	pair_init(&p, w, h);
	for (int i = 0; i < RING + 20; i++) {
		p.offline = i >= 10 && i < 30;
		tick(&p);
		both_feed(&p, step[i % 20]);
		if (i == 25)
			p.v.warn = 2, p.v.crit = 8;
		snprintf(when, sizeof(when), "%dx%d tick %d", w, h, i);
		same_screen(&p, when);
	}
	/* a seek: each column's slot (commit number % ticks) gets another
	 * frame carrying the seq of the one it held */
	c0 = p.ring.commits;
	d = ring_at_age(&p.ring, 0)->seq - ring_serial(&p.ring, 0);
	ticks = (uint64_t)p.kept->lay.ticks;
	ring_reset(&p.ring);
	for (int i = 0; i < RING - 1; i++) {
		struct frame *f = ring_begin(&p.ring);

		synth_fill(&p.s, f);
		for (uint32_t c = 0; c < NCPU; c += 3)
			f->cpu[c].online = 0;
		f->seq = d + c0 - ticks + (uint64_t)i % ticks;
		ring_commit(&p.ring);
	}
	snprintf(when, sizeof(when), "%dx%d after the seek", w, h);
	same_screen(&p, when);
	print_message("%dx%d: %d cells alike\n", w, h, p.compared);
	pair_free(&p);
}

static void memo_draws_as_every_tick(void **state)
{
	(void)state;
	run_shape(200, 60);  /* blocks, scrolling */
	run_shape(200, 150); /* one CPU a row */
	run_shape(120, 40);
	run_shape(80, 24);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(memo_draws_as_every_tick),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
