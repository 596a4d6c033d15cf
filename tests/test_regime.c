// SPDX-License-Identifier: GPL-2.0-only
/* The regime ladder on synthetic inputs, the desk metrics against
 * hand-computed values, the config parser, and the controller over
 * synthetic frames. */
#include "testlib.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"
#include "core/hist.h"
#include "stages/controller.h"
#include "stages/desk.h"
#include "stages/drill.h"
#include "stages/regime.h"
#include "core/ring.h"

#define TICK 250000000LL /* 0.25 s */

static const char *const names[] = { "L0", "L1", "L2", "L3" };
static const char *const inputs[] = { "x", "y" };

/* x enters L1 at 5 (leaves under 3), L2 at 20 (under 10); L3 needs y >= 1
 * after 4 s in L2.  Dwell 1 s, cooldown 2 s. */
static const struct ladder_cfg cfg = {
	.level = {
		[1] = { { { 0, 5, 3 } }, 1, 0 },
		[2] = { { { 0, 20, 10 } }, 1, 0 },
		[3] = { { { 1, 1, 0.5 }, { 0, INFINITY, 10 } }, 2, 4 },
	},
	.min_dwell_s = 1, .cooldown_s = 2, .level_names = names, .input_names = inputs,
};

/* Runs ticks of (x, y) from time t; returns transitions made. */
static int run(struct ladder *l, int64_t *t, int ticks, double x, double y, double noise)
{
	int moves = 0;
	uint64_t s = 7;

	for (int i = 0; i < ticks; i++) {
		double in[2] = { x, y };
		char why[200];

		s = s * 6364136223846793005ull + 1;
		in[0] += noise * ((double)(s >> 11) / (double)(1ull << 53) * 2 - 1);
		*t += TICK;
		if (ladder_tick(l, &cfg, in, *t, why, sizeof(why)) != l->level)
			moves++;
	}
	return moves;
}

/* Noise of +-1.5 around the entry threshold 5: one entry, no exit, since
 * it never falls under 3. */
static void hysteresis_holds_under_noise(void **state)
{
	struct ladder l;
	int64_t t = 0;

	(void)state;
	ladder_init(&l, t);
	assert_int_equal(run(&l, &t, 400, 5, 0, 1.5), 1);
	assert_int_equal(l.level, 1);
	/* around the exit threshold 3 (+-1.5): leaving needs 2 s calm in a
	 * row, re-entering needs 5, which the noise never reaches: at most one
	 * move, never back and forth */
	assert_true(run(&l, &t, 400, 3, 0, 1.5) <= 1);
	/* truly calm: it leaves, once */
	assert_true(run(&l, &t, 40, 1, 0, 0) <= 1);
	assert_int_equal(l.level, 0);
}

static void dwell_is_respected(void **state)
{
	struct ladder l;
	int64_t t = 0;
	char why[200];

	(void)state;
	ladder_init(&l, t);
	assert_int_equal(run(&l, &t, 4, 0, 0, 0), 0);      /* 1 s quiet: dwell met */
	assert_int_equal(run(&l, &t, 1, 50, 0, 0), 1);     /* enters L1 at once */
	assert_int_equal(l.level, 1);
	assert_int_equal(run(&l, &t, 3, 50, 0, 0), 0);     /* 0.75 s: L2 must wait */
	t += TICK;
	assert_int_equal(ladder_tick(&l, &cfg, (double[]){ 50, 0 }, t, why, sizeof(why)), 1);
	assert_int_equal(l.level, 2);                       /* at 1 s in L1 */
	assert_string_equal(why, "L1 -> L2: x 50 >= 20");
}

/* From L0 at 2 s (the dwell met), one tick of x: L1, saying want. */
static void enters_saying(const struct ladder_cfg *c, double x, const char *want)
{
	struct ladder l;
	char why[200];

	ladder_init(&l, 0);
	ladder_tick(&l, c, (double[]){ x, 0 }, 2 * 1000000000LL, why, sizeof(why));
	assert_int_equal(l.level, 1);
	assert_string_equal(why, want);
}

/* The why text reads as the figure a user compares with the heatmap,
 * never with an exponent, by hand: 12345.6 reads "12346" (%.3g:
 * "1.23e+04"), 999.7 rounds to "1000", and a threshold under 1e-4 set by
 * --set keeps three significant digits (0.0000123). */
static void why_has_no_exponent(void **state)
{
	static const struct ladder_cfg tiny = {
		.level = { [1] = { { { 0, 0.0000123, 0.000005 } }, 1, 0 } },
		.min_dwell_s = 1, .cooldown_s = 2, .level_names = names, .input_names = inputs,
	};

	(void)state;
	enters_saying(&cfg, 12345.6, "L0 -> L1: x 12346 >= 5");
	enters_saying(&cfg, 999.7, "L0 -> L1: x 1000 >= 5");
	enters_saying(&tiny, 0.00004567, "L0 -> L1: x 0.0000457 >= 0.0000123");
}

/* The "now" line's figures (regime_hold_text) where %.3g printed an
 * exponent: 999.7 reads "1k", 999999 "1M", a threshold of 0.0000123
 * "0.0000123"; a float past 1e32 keeps its unit (no cut "M"). */
static void hold_text_has_no_exponent(void **state)
{
	struct frame_regime g = { .tlb = TLB_STORM, .tlb_hold = RIN_SBI + 1, .tlb_stepdown_s = 5 };
	char text[160];

	(void)state;
	g.tlb_hold_value = 999.7f;
	g.tlb_hold_threshold = 0.0000123f;
	regime_hold_text(&g, 0, text, sizeof(text));
	assert_string_equal(text, "SBI 1k/min >= 0.0000123, down in >= 5 s");
	g.tlb_hold_value = 999999.f;
	g.tlb_hold_threshold = 999.6f;
	regime_hold_text(&g, 0, text, sizeof(text));
	assert_string_equal(text, "SBI 1M/min >= 1k, down in >= 5 s");
	g.tlb_hold_value = 3e38f;
	regime_hold_text(&g, 0, text, sizeof(text));
	assert_null(strchr(text, 'e'));
	assert_non_null(strstr(text, "M/min >= 1k"));
}

/* A storm-sized input from L0 climbs one level at a time, and L3 comes
 * only after 4 s in L2 and with y. */
static void escalation_goes_in_order(void **state)
{
	struct ladder l;
	int64_t t = 0;
	int seen[4] = { 1, 0, 0, 0 }, last = 0;

	(void)state;
	ladder_init(&l, t - 10 * TICK);
	for (int i = 0; i < 60; i++) {
		double in[2] = { 1000, i >= 10 ? 2 : 0 };
		char why[200];

		t += TICK;
		ladder_tick(&l, &cfg, in, t, why, sizeof(why));
		assert_true(l.level == last || l.level == last + 1); /* never skips */
		if (l.level == 3)
			assert_true(seen[2] && (double)(t - 0) / 1e9 >= 4); /* after_s in L2 */
		seen[l.level] = 1;
		last = l.level;
	}
	assert_int_equal(l.level, 3);
}

/* Calm inputs: nothing moves until the cooldown has passed, then down to
 * the highest level something still holds. */
static void cooldown_before_de_escalating(void **state)
{
	struct ladder l;
	int64_t t = 0, calm_from;
	char why[200];

	(void)state;
	ladder_init(&l, t - 10 * TICK);
	run(&l, &t, 12, 50, 0, 0);
	assert_int_equal(l.level, 2);
	calm_from = t;
	for (;;) {
		t += TICK;
		if (ladder_tick(&l, &cfg, (double[]){ 4, 0 }, t, why, sizeof(why)) != l.level)
			break;
		assert_true(t - calm_from < 3 * 1000000000LL);
	}
	/* x = 4 still holds L1 (>= 3): down to it, after 2 s of calm */
	assert_int_equal(l.level, 1);
	assert_true(t - calm_from >= 2000000000LL);
	assert_non_null(strstr(why, "L2 -> L1: calm 2 s: x 4 < 10"));
}

/* rate 0 40 40 0 20 0 per second, crit 20, 1 s ticks, 6 s window:
 * burst 1: mean 40, 2 s: log2(3) * (1 + ln 3); burst 2: 20, 1 s:
 * log2(2) * (1 + ln 2); per minute: x10. */
static void sbi_by_hand(void **state)
{
	double r[] = { 0, 40, 40, 0, 20, 0 }, dt[] = { 1, 1, 1, 1, 1, 1 };
	double want = (log2(3) * (1 + log(3)) + 1 * (1 + log(2))) * 10;
	double flat[] = { 19, 19, 19, 19, 19, 19 };

	(void)state;
	assert_true(fabs(desk_sbi(r, dt, 6, 20, 6) - want) < 1e-9);
	assert_true(desk_sbi(flat, dt, 6, 20, 6) == 0);
	/* one burst in a young window counts per minute of the whole window */
	assert_true(fabs(desk_sbi(r, dt, 3, 20, 60) - log2(3) * (1 + log(3))) < 1e-9);
}

static void spreads_by_hand(void **state)
{
	double x[] = { 1, 2, NAN, 3, 4 }, z[] = { 0, 0, 0 };

	(void)state;
	assert_true(fabs(desk_cv(x, 5) - sqrt(1.25) / 2.5) < 1e-12);
	assert_true(isnan(desk_cv(z, 3)));
	assert_true(desk_cbr(5, 20) == 0.25);
	assert_true(isnan(desk_cbr(0, 0)));
}

static void config_files(void **state)
{
	char path[] = "/tmp/stormtop-rc-XXXXXX", err[200];
	struct config c;
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");

	(void)state;
	fputs("# thresholds\nconfig_version = 1\ntlb_storm_rate_on = 40\nno_such_key = 3\n"
	      "tlb_cooldown_s = soon\njust words\ntlb_min_dwell_s = 0.5 ; inline\n", f);
	fclose(f);
	config_defaults(&c);
	assert_true(c.tlb_storm_rate_on == 100);
	assert_int_equal(config_load(&c, path), 3); /* unknown key, not a number, no '=' */
	assert_true(c.tlb_storm_rate_on == 40);
	assert_true(c.tlb_cooldown_s == 10);        /* the bad line left the default */
	assert_true(c.tlb_min_dwell_s == 0.5);      /* lines after the bad ones still load */
	assert_int_equal(config_set_pair(&c, "tlb_watch_rate_on=7", err, sizeof(err)), 0);
	assert_true(c.tlb_watch_rate_on == 7);
	assert_int_equal(config_set_pair(&c, "tlb_watch_rate_on", err, sizeof(err)), -1);
	assert_int_equal(config_set_pair(&c, "bogus=1", err, sizeof(err)), -1);
	assert_string_equal(err, "unknown key 'bogus'");
	assert_int_equal(config_set_pair(&c, "tlb_cooldown_s=-1", err, sizeof(err)), -1);
	assert_int_equal(config_load(&c, "/nonexistent/stormtoprc"), 0);
	unlink(path);
}

/* Frames: cpu1 at `rate` TLB IPIs/s for one 0.25 s tick. */
static void frame_tick(struct frame_ring *r, struct controller *c, struct drill *d, int64_t *t,
		       double rate)
{
	struct frame *f = ring_begin(r);

	*t += TICK;
	f->mono_ns = f->wall_ns = *t;
	f->interval_ns = TICK;
	f->irq_present = 1u << IRQ_TLB;
	for (uint32_t cpu = 0; cpu < f->ncpu; cpu++)
		f->cpu[cpu].online = 1;
	f->cpu[1].irq[IRQ_TLB] = (uint64_t)(rate / 4);
	controller_run(c, r, f);
	ring_commit(r);
	drill_add(d, f, NULL);
}

/* A 6 s storm in a quiet minute: CLEAN -> WATCH -> STORM while it
 * lasts, back to CLEAN once the window has forgotten it and the cooldown
 * passed; the drill's bookkeeping sees the same. */
/* A controller with a 10 s window and a 4 s cooldown, its ring and
 * drill, after 20 quiet ticks. */
static struct controller *quiet_rig(struct config *cfg, struct frame_ring *r, struct drill *d, int64_t *t)
{
	struct controller *c;

	config_defaults(cfg);
	cfg->desk_window_s = 10;
	cfg->tlb_cooldown_s = 4;
	assert_int_equal(ring_init(r, 100, 2), 0);
	c = controller_new(cfg, 100);
	drill_init(d, cfg->drill_flap_s);
	for (int i = 0; i < 20; i++)
		frame_tick(r, c, d, t, 0);
	return c;
}

static void controller_storm_and_back(void **state)
{
	static struct drill d;
	struct config cfg;
	struct frame_ring r;
	struct controller *c;
	int64_t t = 0;

	(void)state;
	c = quiet_rig(&cfg, &r, &d, &t);
	assert_int_equal(ring_at_age(&r, 0)->regime.tlb, TLB_CLEAN);
	for (int i = 0; i < 24; i++)
		frame_tick(&r, c, &d, &t, 40000);
	assert_int_equal(ring_at_age(&r, 0)->regime.tlb, TLB_STORM);
	assert_true(ring_at_age(&r, 0)->regime.sbi >= cfg.tlb_storm_sbi_on);
	for (int i = 0; i < 120; i++)
		frame_tick(&r, c, &d, &t, 0);
	assert_int_equal(ring_at_age(&r, 0)->regime.tlb, TLB_CLEAN);
	assert_int_equal(d.total, 3);
	assert_int_equal(d.t[0].to, TLB_WATCH);
	assert_int_equal(d.t[1].to, TLB_STORM);
	assert_int_equal(d.t[2].to, TLB_CLEAN);
	assert_int_equal(d.nlead, 1);
	assert_true(fabs(d.lead_s[0] - cfg.tlb_min_dwell_s) < 1e-9);
	assert_int_equal(d.flaps, 0);
	/* back to CLEAN only after the burst left the 10 s window and 4 s calm */
	assert_true((double)(d.t[2].mono_ns - d.t[1].mono_ns) / 1e9 >= 10 + 4 - 6);
	controller_free(c);
	ring_free(&r);
}

/* IOMMU flushes on cpu0: MAP_STABLE -> PRESSURE_WATCH -> FLUSH_STORM,
 * and SAFE_DMA_CONTAIN only once the storm has lasted and its rate swings
 * (DJS); back to MAP_STABLE after the cooldown. */
static void iommu_machine(void **state)
{
	struct config cfg;
	struct frame_ring r;
	struct controller *c;
	int64_t t = 0;
	int seen[IOMMU_REGIMES] = { 0 };

	(void)state;
	config_defaults(&cfg);
	cfg.desk_window_s = 10;
	cfg.iommu_contain_after_s = 5;
	cfg.iommu_cooldown_s = 3;
	assert_int_equal(ring_init(&r, 200, 2), 0);
	c = controller_new(&cfg, 200);
	for (int i = 0; i < 160; i++) {
		struct frame *f = ring_begin(&r);
		/* quiet 2 s, then 1000-9000 unmaps/s swinging for 20 s, then quiet */
		double per_s = i < 8 ? 0 : i < 88 ? (i % 8 < 4 ? 9000 : 1000) : 0;

		t += TICK;
		f->mono_ns = f->wall_ns = t;
		f->interval_ns = TICK;
		f->signals = 1u << SIG_IOMMU_MAP;
		f->cpu[0].online = f->cpu[1].online = 1;
		f->cpu[0].io_unmap = (uint64_t)(per_s / 4);
		controller_run(c, &r, f);
		ring_commit(&r);
		if (f->regime.iommu != f->regime.iommu_was)
			assert_int_equal(abs((int)f->regime.iommu - (int)f->regime.iommu_was) == 1 ||
					 f->regime.iommu < f->regime.iommu_was, 1);
		seen[f->regime.iommu] = 1;
		if (i == 87)
			assert_int_equal(f->regime.iommu, IOMMU_SAFE_DMA_CONTAIN);
	}
	assert_true(seen[IOMMU_PRESSURE_WATCH] && seen[IOMMU_FLUSH_STORM]);
	assert_int_equal(ring_at_age(&r, 0)->regime.iommu, IOMMU_MAP_STABLE);
	assert_true(ring_at_age(&r, 0)->regime.tlb == TLB_CLEAN);
	controller_free(c);
	ring_free(&r);
}

/* Node ids are a set (0, 100, 200), not array indices: each node's desk
 * entry keeps its own id and its own hottest core. */
static void sparse_node_ids(void **state)
{
	static const uint16_t node[4] = { 0, 100, 100, 200 };
	struct config cfg;
	struct frame_ring r;
	struct controller *c;
	const struct frame_regime *g;
	int64_t t = 0;

	(void)state;
	config_defaults(&cfg);
	assert_int_equal(ring_init(&r, 10, 4), 0);
	c = controller_new(&cfg, 10);
	for (int i = 0; i < 3; i++) {
		struct frame *f = ring_begin(&r);

		t += TICK;
		f->mono_ns = f->wall_ns = t;
		f->interval_ns = TICK;
		f->irq_present = 1u << IRQ_TLB;
		for (uint32_t cpu = 0; cpu < 4; cpu++) {
			f->cpu[cpu].online = 1;
			f->cpu[cpu].node = node[cpu];
			f->cpu[cpu].irq[IRQ_TLB] = 25 * (cpu + 1); /* 100, 200, 300, 400 /s */
		}
		controller_run(c, &r, f);
		ring_commit(&r);
	}
	g = &ring_at_age(&r, 0)->regime;
	assert_int_equal(g->nnodes, 3);
	assert_int_equal(g->nodes[0].node, 0);
	assert_int_equal(g->nodes[1].node, 100);
	assert_int_equal(g->nodes[2].node, 200);
	assert_true(g->nodes[0].rate == 100.0f && g->nodes[1].rate == 300.0f && g->nodes[2].rate == 400.0f);
	controller_free(c);
	ring_free(&r);
}

/* The SBI's fall, by hand: two 40/s ticks (crit 20) then eight quiet
 * ones in a 10 s window weigh log2(3) * (1 + ln 3) * 6 = 19.96/min; with
 * the first tick gone log2(3) * (1 + ln 2) * 6 = 16.1, with both 0. */
static void sbi_fall_by_hand(void **state)
{
	double rate[10] = { 40, 40 }, dt[10];

	(void)state;
	for (int i = 0; i < 10; i++)
		dt[i] = 1;
	assert_true(fabs(desk_sbi(rate, dt, 10, 20, 10) - log2(3) * (1 + log(3)) * 6) < 1e-9);
	assert_true(fabs(desk_sbi_fall_s(rate, dt, 10, 20, 10, 5) - 2) < 1e-9);  /* both must go */
	assert_true(fabs(desk_sbi_fall_s(rate, dt, 10, 20, 10, 17) - 1) < 1e-9); /* the first is enough */
	assert_true(desk_sbi_fall_s(rate, dt, 10, 20, 10, 30) == 0);             /* under it already */
}

/* desk_sbi_fall_s before it skipped quiet ticks: every shorter window
 * judged in full. */
static double old_fall_s(const double *rate, const double *dt, size_t n, double crit, double window_s,
			 double below)
{
	double after = 0;

	for (size_t k = 0; k < n; k++)
		after += dt[k];
	for (size_t k = 0; k <= n; k++) {
		double s = window_s - after;

		if (!(desk_sbi(rate + k, dt + k, n - k, crit, window_s) >= below))
			return s > 0 ? s : 0;
		if (k < n)
			after -= dt[k];
	}
	return window_s;
}

/* The skip gives the old answer to the bit: random windows of quiet,
 * bursts, NaN ticks and jittered ticks, spanning a little under or over
 * window_s (so the span's rounding matters), at thresholds from 0.5 to
 * 40/min. */
static void sbi_fall_skips_quiet_ticks_exactly(void **state)
{
	static double rate[700], dt[700];
	uint64_t s = 99;
	int differ = 0, held = 0;

	(void)state;
	for (int run = 0; run < 400; run++) {
		size_t n = 1 + (size_t)(run * 7 % 650);
		double window_s = (double)n * 0.1 * (run % 3 ? 1 : 0.98), below = 0.5 + run % 80 * 0.5;
		int hot = 0;

		for (size_t i = 0; i < n; i++) {
			s = s * 6364136223846793005ull + 1442695040888963407ull;
			if ((s >> 40) % 30 == 0)
				hot = !hot;
			rate[i] = (s >> 20) % 97 == 0 ? NAN : hot ? 100 + (double)((s >> 33) % 5000) : (double)((s >> 33) % 99);
			dt[i] = run % 2 ? 0.1 : 0.09 + (double)((s >> 13) % 2001) * 1e-5;
		}
		{
			double a = desk_sbi_fall_s(rate, dt, n, 100, window_s, below);
			double b = old_fall_s(rate, dt, n, 100, window_s, below);

			differ += memcmp(&a, &b, sizeof(a)) != 0;
			held += b > 0;
		}
	}
	assert_int_equal(differ, 0);
	assert_true(held > 100); /* most windows held: the skip was exercised */
}

/* A tick of run-queue delays all at delay_ns (p99 = that slot's
 * midpoint) with cpu1 at `rate` TLB IPIs/s. */
static struct frame *rq_tick(struct frame_ring *r, struct controller *c, int64_t *t, double rate,
			     uint64_t delay_ns)
{
	struct frame *f = ring_begin(r);

	*t += TICK;
	f->mono_ns = f->wall_ns = *t;
	f->interval_ns = TICK;
	f->irq_present = 1u << IRQ_TLB;
	f->signals = 1u << SIG_RUNQ;
	for (uint32_t cpu = 0; cpu < f->ncpu; cpu++)
		f->cpu[cpu].online = 1;
	f->cpu[1].irq[IRQ_TLB] = (uint64_t)(rate / 4);
	memset(f->sys.rq_hist, 0, sizeof(f->sys.rq_hist));
	f->sys.rq_hist[loglin_slot(delay_ns)] = 1000;
	controller_run(c, r, f);
	ring_commit(r);
	return f;
}

/* CPU contention, the build's case: the run queue's p99 goes from 100 us
 * to 400 us (4x its clean baseline) with no shootdowns.  The TLB machine
 * stays CLEAN every tick and the contention flag is up; the baseline does
 * not learn the busy spell (the widening stays 4x).  Widening only
 * qualifies shootdown bursts: a build's own few IPIs (4/s here, under the
 * 5/s that enters WATCH alone, and no burst of 20/s in the window) with
 * the same widening are still contention, not WATCH. */
static void contention_is_not_a_storm(void **state)
{
	struct config cfg;
	struct frame_ring r;
	struct controller *c;
	const struct frame *f = NULL;
	double base, busy;
	int64_t t = 0;

	(void)state;
	config_defaults(&cfg);
	assert_int_equal(ring_init(&r, 400, 2), 0);
	c = controller_new(&cfg, 400);
	for (int i = 0; i < 20; i++)
		f = rq_tick(&r, c, &t, 0, 100000);
	assert_int_equal(f->regime.contention, 0);
	base = (double)hist_quantile(f->sys.rq_hist, 0.99);
	for (int i = 0; i < 240; i++) { /* a minute of it */
		f = rq_tick(&r, c, &t, 0, 400000);
		busy = (double)hist_quantile(f->sys.rq_hist, 0.99);
		assert_int_equal(f->regime.tlb, TLB_CLEAN);
		assert_int_equal(f->regime.contention, 1);
		assert_true(fabs(f->regime.rq_widen - busy / base) < 1e-3 * busy / base);
		assert_true(isnan(f->regime.tlb_stepdown_s) && f->regime.tlb_hold == 0);
	}
	assert_true(f->regime.rq_widen > 3.5);
	for (int i = 0; i < 12; i++) {
		f = rq_tick(&r, c, &t, 4, 400000);
		assert_int_equal(f->regime.tlb, TLB_CLEAN);
		assert_int_equal(f->regime.contention, 1);
	}
	controller_free(c);
	ring_free(&r);
}

/* WATCH's rate rule needs the rate to stay up for tlb_watch_sustain_s
 * (3 s): a build's IPIs, up to 36/s on the hottest core in one tick but
 * never 3 s in a row at 20/s and never a 100/s burst, leave a minute
 * CLEAN with SBI 0; a rate that stays at 24/s enters WATCH on the tick its
 * 12th quarter-second lands, named with its value.  rate_held is checked
 * by hand every tick: the lowest hottest rate of the last 12 ticks. */
static void watch_needs_a_rate_that_stays(void **state)
{
	static struct drill d;
	static const double build[] = { 36, 12, 8, 24, 12, 8, 4, 16 };
	double hist[16 + 256];
	struct config cfg;
	struct frame_ring r;
	struct controller *c;
	const struct frame *f;
	int64_t t = 0;
	int n = 0;

	(void)state;
	c = quiet_rig(&cfg, &r, &d, &t);
	for (int i = 0; i < 240; i++) {
		hist[n++] = build[i % 8];
		frame_tick(&r, c, &d, &t, build[i % 8]);
		f = ring_at_age(&r, 0);
		assert_int_equal(f->regime.tlb, TLB_CLEAN);
		assert_true(f->regime.rate_held < cfg.tlb_watch_rate_on);
		assert_float_equal(f->regime.sbi, 0, 0);
	}
	for (int i = 0; i < 12; i++) {
		double low = INFINITY;

		hist[n++] = 24;
		frame_tick(&r, c, &d, &t, 24);
		f = ring_at_age(&r, 0);
		for (int k = n - 12; k < n; k++)
			low = fmin(low, hist[k]);
		assert_float_equal(f->regime.rate_held, low, 1e-6);
		assert_int_equal(f->regime.tlb, i < 11 ? TLB_CLEAN : TLB_WATCH);
	}
	assert_non_null(strstr(f->regime.why, "CLEAN -> WATCH: sustained rate 24 >= 20"));
	assert_int_equal(f->regime.tlb_hold, RIN_RATE_HELD + 1);
	assert_float_equal(f->regime.tlb_hold_value, 24, 1e-6);
	controller_free(c);
	ring_free(&r);
}

/* Why the state holds, and when it can end: after a 6 s storm STORM is
 * held by the SBI alone (every core cold), the frame names it with its
 * value and the threshold, and the step down it predicts at the first
 * cold tick is when it happens (within a tick); then the cooldown counts
 * down with nothing holding. */
static void hold_and_earliest_step_down(void **state)
{
	static struct drill d;
	struct config cfg;
	struct frame_ring r;
	struct controller *c;
	const struct frame *f;
	double predicted = 0, cooldown_seen = -1;
	int64_t t = 0, down_at = 0;
	char text[96];

	(void)state;
	c = quiet_rig(&cfg, &r, &d, &t);
	for (int i = 0; i < 24; i++)
		frame_tick(&r, c, &d, &t, 40000);
	for (int i = 0; i < 120 && !down_at; i++) {
		frame_tick(&r, c, &d, &t, 0);
		f = ring_at_age(&r, 0);
		if (i == 0) {
			assert_int_equal(f->regime.tlb, TLB_STORM);
			assert_int_equal(f->regime.tlb_hold, RIN_SBI + 1);
			assert_true(f->regime.tlb_hold_value == f->regime.sbi);
			assert_true(f->regime.tlb_hold_threshold == (float)cfg.tlb_storm_sbi_off);
			predicted = (double)t / 1e9 + f->regime.tlb_stepdown_s;
			regime_hold_text(&f->regime, 0, text, sizeof(text));
			assert_non_null(strstr(text, "SBI "));
			assert_non_null(strstr(text, "/min >= 5, down in >= "));
		}
		if (f->regime.tlb == TLB_STORM && f->regime.tlb_hold == 0 && cooldown_seen < 0) {
			cooldown_seen = f->regime.tlb_stepdown_s;
			regime_hold_text(&f->regime, 0, text, sizeof(text));
			assert_string_equal(text, "cooldown 4 s");
		}
		if (f->regime.tlb != f->regime.tlb_was)
			down_at = t;
	}
	assert_true(down_at > 0);
	assert_true(cooldown_seen > 3.5 && cooldown_seen <= 4);
	assert_true(fabs((double)down_at / 1e9 - predicted) <= 0.25 + 1e-9);
	controller_free(c);
	ring_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sparse_node_ids),
		cmocka_unit_test(hysteresis_holds_under_noise),
		cmocka_unit_test(dwell_is_respected),
		cmocka_unit_test(why_has_no_exponent),
		cmocka_unit_test(hold_text_has_no_exponent),
		cmocka_unit_test(escalation_goes_in_order),
		cmocka_unit_test(cooldown_before_de_escalating),
		cmocka_unit_test(sbi_by_hand),
		cmocka_unit_test(spreads_by_hand),
		cmocka_unit_test(config_files),
		cmocka_unit_test(controller_storm_and_back),
		cmocka_unit_test(iommu_machine),
		cmocka_unit_test(sbi_fall_by_hand),
		cmocka_unit_test(sbi_fall_skips_quiet_ticks_exactly),
		cmocka_unit_test(contention_is_not_a_storm),
		cmocka_unit_test(watch_needs_a_rate_that_stays),
		cmocka_unit_test(hold_and_earliest_step_down),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
