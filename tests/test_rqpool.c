// SPDX-License-Identifier: GPL-2.0-only
/* The controller's run-queue pools slide with the window (stages/rqpool.h)
 * instead of re-adding it every tick.  A long random run (storms, quiet,
 * ticks of every length, ticks without run-queue data, counts that wrap
 * uint32_t, a seq gap, a source restart, the app's DVR for a while, a
 * playback seek backwards), with windows shorter and longer than the ring
 * and the controller's cap under both: every tick, DVR is bit-identical to
 * the full re-sum below (the controller's code before issue 22), and every
 * regime field to a second controller that re-sums every tick. */
#include "testlib.h"

#include <math.h>
#include <string.h>

#include "core/config.h"
#include "core/hist.h"
#include "core/ring.h"
#include "stages/controller.h"

#define NCPU 4

struct rig {
	struct config cfg;
	struct frame_ring r;
	struct controller *a;      /* under test */
	struct controller *b;      /* the same, its sequence broken every tick */
	uint32_t cap;
	uint64_t seq, rng, breaks, judged;
	int64_t t;
	int storm, left;           /* phase, ticks left in it */
	long tick;
};

static uint64_t rnd(struct rig *g)
{
	g->rng = g->rng * 6364136223846793005ull + 1442695040888963407ull;
	return g->rng >> 33;
}

/* The window as the controller took it before issue 22: frames covering
 * desk_window_s, oldest first, cur last; returns how many. */
static size_t ref_window(const struct rig *g, const struct frame *cur, const struct frame **win)
{
	uint32_t held = ring_history(&g->r);
	double span = (double)cur->interval_ns / 1e9;
	size_t n = 1;

	while (n <= held && n <= g->cap && span < g->cfg.desk_window_s) {
		span += (double)ring_at_age(&g->r, (uint32_t)(n - 1))->interval_ns / 1e9;
		n++;
	}
	for (size_t k = 0; k + 1 < n; k++)
		win[k] = ring_at_age(&g->r, (uint32_t)(n - 2 - k));
	win[n - 1] = cur;
	return n;
}

/* DVR the old way: every window frame's rq_hist added again. */
static float ref_dvr(const struct rig *g, const struct frame *cur)
{
	static uint32_t pool[2][LOGLIN_SLOTS];
	static const struct frame *win[4096];
	size_t n = ref_window(g, cur, win);
	int any[2] = { 0, 0 };

	memset(pool, 0, sizeof(pool));
	for (size_t k = 0; k < n; k++) {
		const struct frame *f = win[k];
		int burst = f->regime.rate >= g->cfg.desk_burst_rate;

		if (!frame_has(f, SIG_RUNQ))
			continue;
		any[burst] = 1;
		for (unsigned int s = 0; s < LOGLIN_SLOTS; s++)
			pool[burst][s] += f->sys.rq_hist[s];
	}
	return (float)(any[0] && any[1] ? hist_variance(pool[1]) / hist_variance(pool[0]) : NAN);
}

/* One tick of interval_ns (0: a source's first frame): storms of 200 to
 * 5000 IPIs/s on the hottest core and quiet spells with a stray burst,
 * 10 % of ticks without run-queue data, now and then a count near 2^32. */
static void tick(struct rig *g, int64_t interval_ns, int app_dvr)
{
	static struct frame copy;
	struct frame *f = ring_begin(&g->r);
	double rate;

	if (!g->left--) {
		g->storm = !g->storm;
		g->left = 5 + (int)(rnd(g) % 80);
	}
	rate = g->storm ? 200 + (double)(rnd(g) % 4800) : rnd(g) % 40 ? (double)(rnd(g) % 60) : 150;
	g->t += interval_ns;
	f->seq = g->seq++;
	f->mono_ns = f->wall_ns = g->t;
	f->interval_ns = interval_ns;
	f->irq_present = 1u << IRQ_TLB;
	f->signals = rnd(g) % 10 ? 1u << SIG_RUNQ : 0;
	for (uint32_t cpu = 0; cpu < NCPU; cpu++) {
		f->cpu[cpu].online = 1;
		f->cpu[cpu].node = (uint16_t)(cpu / 2);
		f->cpu[cpu].irq[IRQ_TLB] = (uint64_t)(rate * (double)interval_ns / 1e9) >> (cpu == 3 ? 0 : 3);
	}
	for (int k = 0; k < 12; k++)
		f->sys.rq_hist[rnd(g) % LOGLIN_SLOTS] += rnd(g) % 500 ? (uint32_t)(rnd(g) % 3000) : 0xf0000000u;
	if (app_dvr)
		f->corr = (struct frame_corr){ .window = 10, .n_in = 4, .n_out = 6, .dvr = 2.5f };
	controller_run(g->a, &g->r, f);
	copy = *f;
	copy.seq = UINT64_MAX; /* never last + 1: b re-sums every tick */
	controller_run(g->b, &g->r, &copy);
	if (memcmp(&f->regime, &copy.regime, sizeof(f->regime)))
		fail_msg("tick %ld: regime differs from the re-summing controller's (dvr %a vs %a)", g->tick,
			 (double)f->regime.dvr, (double)copy.regime.dvr);
	if (interval_ns > 0 && !app_dvr) {
		float want = ref_dvr(g, f);

		g->judged++;
		if (memcmp(&want, &f->regime.dvr, sizeof(want)))
			fail_msg("tick %ld: dvr %a, the full re-sum gives %a", g->tick, (double)f->regime.dvr,
				 (double)want);
	}
	ring_commit(&g->r);
	g->tick++;
}

/* 0.09-0.11 s mostly; now and then 1-3 s (many ticks leave at once) or a
 * run of 0.02 s ticks (the window reaches further back again). */
static int64_t some_interval(struct rig *g)
{
	uint64_t k = rnd(g) % 100;

	if (k == 0)
		return 1000000000LL + (int64_t)(rnd(g) % 2000) * 1000000LL;
	if (k < 5)
		return 20000000LL;
	return 90000000LL + (int64_t)(rnd(g) % 20001) * 1000LL;
}

static void ticks(struct rig *g, int n)
{
	for (int i = 0; i < n; i++)
		tick(g, some_interval(g), 0);
}

static void run_rig(uint32_t ring_cap, uint32_t cap, double window_s)
{
	static struct rig g;

	memset(&g, 0, sizeof(g));
	g.rng = ring_cap * 31 + cap;
	config_defaults(&g.cfg);
	g.cfg.desk_window_s = window_s;
	g.cap = cap;
	/* every frame kept full: ref_window reads the whole window off them */
	assert_int_equal(ring_init_full(&g.r, ring_cap, ring_cap, NCPU, 0), 0);
	g.a = controller_new(&g.cfg, cap);
	g.b = controller_new(&g.cfg, cap);
	assert_non_null(g.a);
	assert_non_null(g.b);
	ticks(&g, 900);                 /* the first tick re-sums */
	g.seq += 7;                     /* a gap: frames lost */
	ticks(&g, 300);
	g.seq = 0;                      /* the source restarts */
	tick(&g, 0, 0);
	ticks(&g, 400);
	for (int i = 0; i < 20; i++)    /* an app attached: its DVR instead */
		tick(&g, some_interval(&g), 1);
	ticks(&g, 300);
	ring_reset(&g.r);               /* playback seeks back 10 s */
	g.seq -= 100;
	g.t -= 10000000000LL;
	ticks(&g, 600);
	/* five breaks: the rest slid, and b never did */
	assert_int_equal(controller_resums(g.a), 5);
	assert_int_equal(controller_resums(g.b), g.judged);
	controller_free(g.a);
	controller_free(g.b);
	ring_free(&g.r);
}

/* A 6 s window (about 60 ticks) in a ring of 200: the ticks that leave
 * are still in the ring. */
static void window_shorter_than_ring(void **state)
{
	(void)state;
	run_rig(200, 200, 6);
}

/* A minute's window in a ring of 100 (the default --history at -d 0.1 is
 * this case): the tick that leaves is the one the ring just reused. */
static void ring_shorter_than_window(void **state)
{
	(void)state;
	run_rig(100, 100, 60);
}

/* The controller's own cap under the ring's. */
static void cap_shorter_than_ring(void **state)
{
	(void)state;
	run_rig(100, 30, 60);
}

/* A ring of two: a window of two ticks at most, both gone a tick later. */
static void tiny_ring(void **state)
{
	(void)state;
	run_rig(2, 2, 60);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(window_shorter_than_ring),
		cmocka_unit_test(ring_shorter_than_window),
		cmocka_unit_test(cap_shorter_than_ring),
		cmocka_unit_test(tiny_ring),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
