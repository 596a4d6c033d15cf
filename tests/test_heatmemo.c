// SPDX-License-Identifier: GPL-2.0-only
/* The heatmap drawn from the cells kept per column (ui/heatmemo.c) is the
 * heatmap with every cell worked out again at every tick (the memo freed:
 * the path before it, kept as the reference): the same glyph and style in
 * every cell, tick after tick, while the grid scrolls, the density, view
 * and thresholds change, a CPU goes offline, and after a seek that hands
 * a column's slot a different frame with the seq its old one had. */
#include "tuipair.h"

#define NCPU 96
#define RING 40 /* small: frames on the time axis get overwritten */

/* The default ring: 16 full frames, then summaries and cells. */
static void pair_init(struct tui_pair *p, int w, int h)
{
	tui_pair_init(p, NCPU, 3, RING, RING_FULL, 1000000000, w, h);
	p->off_cpu = 7;
	tui_pair_render(p);
	heatmemo_free(&p->ref->memo); /* allocated on a resize only: stays off */
}

/* Every cell of the screen alike, and the kept one drew from its memo. */
static void same_screen(struct tui_pair *p, const char *when)
{
	const struct tui *a = p->kept, *b = p->ref;
	int kept = 0;

	tui_pair_render(p);
	assert_int_equal(a->scroll, b->scroll);
	tui_pair_same(p, 0, a->scr.h, when);
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
	struct tui_pair p;
	char when[64];

	pair_init(&p, w, h);
	for (int i = 0; i < RING + 20; i++) {
		p.offline = i >= 10 && i < 30;
		tui_pair_tick(&p);
		tui_pair_feed(&p, step[i % 20]);
		if (i == 25)
			p.v.warn = 2, p.v.crit = 8;
		snprintf(when, sizeof(when), "%dx%d tick %d", w, h, i);
		same_screen(&p, when);
	}
	tui_pair_seek(&p);
	snprintf(when, sizeof(when), "%dx%d after the seek", w, h);
	same_screen(&p, when);
	print_message("%dx%d: %d cells alike\n", w, h, p.compared);
	tui_pair_free(&p);
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
