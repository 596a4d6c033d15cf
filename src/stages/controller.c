// SPDX-License-Identifier: GPL-2.0-only
#include "stages/controller.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stages/correlate.h"
#include "stages/correlator.h"
#include "stages/desk.h"
#include "core/hist.h"
#include "util/mem.h"
#include "core/metric.h"
#include "stages/regime.h"
#include "stages/rqpool.h"

enum input {
	IN_RATE = RIN_RATE, IN_SBI = RIN_SBI, IN_RQ_WIDEN = RIN_RQ_WIDEN, IN_APP_WIDEN = RIN_APP_WIDEN,
	IN_DFI = RIN_DFI, IN_DJS = RIN_DJS, IN_RATE_HELD = RIN_RATE_HELD, INPUTS = REGIME_INPUTS
};


struct baseline {
	double value;              /* EWMA of a p99 over clean ticks */
	uint32_t n;
};

struct controller {
	struct config cfg;
	struct ladder_cfg tlb_cfg, iommu_cfg;
	struct ladder tlb, iommu;
	int started;
	struct baseline rq, app;
	int contention;            /* run-queue widening without shootdown pressure */
	uint32_t cap;
	/* the window, oldest first: the ring's summaries, then cur's */
	const struct tick_sum **win;
	struct tick_sum cur;       /* the tick being judged, as the window reads it */
	double *rate, *dt, *x;
	struct rqpool pool;        /* the window's run-queue delays, by class */
};

#define RULE(in, on, off) { in, on, off, 0, 0 }
/* counts only while input g is at least min: widening qualifies pressure */
#define RULE_IF(in, on, off, g, min) { in, on, off, (g) + 1, min }

static void build_ladders(struct controller *c)
{
	const struct config *g = &c->cfg;
	struct ladder_cfg *t = &c->tlb_cfg, *m = &c->iommu_cfg;

	*t = (struct ladder_cfg){
		.level = {
			/* a rate that stays up (a rising storm keeps every
			 * tick hot; a build's few IPIs, 6-16/s on its hottest
			 * core, come and go), or shootdown bursts in the window
			 * short of the SBI rule with mild widening; widening
			 * beside a busy host's few IPIs is CPU contention */
			[1] = { { RULE(IN_RATE_HELD, g->tlb_watch_rate_on, g->tlb_watch_rate_off),
				  RULE(IN_SBI, g->tlb_watch_sbi_on, g->tlb_watch_sbi_off),
				  RULE_IF(IN_RQ_WIDEN, g->tlb_watch_widen_on, g->tlb_watch_widen_off,
					  IN_SBI, g->tlb_watch_sbi_off),
				  RULE_IF(IN_APP_WIDEN, g->tlb_watch_widen_on, g->tlb_watch_widen_off,
					  IN_SBI, g->tlb_watch_sbi_off) }, 4, 0 },
			[2] = { { RULE(IN_RATE, g->tlb_storm_rate_on, g->tlb_storm_rate_off),
				  RULE(IN_SBI, g->tlb_storm_sbi_on, g->tlb_storm_sbi_off) }, 2, 0 },
			/* entered on deadline risk after a long storm; held while
			 * the risk lasts with the storm's bursts still in the
			 * window, or while the storm itself lasts */
			[3] = { { RULE_IF(IN_APP_WIDEN, g->tlb_degrade_widen_on, g->tlb_degrade_widen_off,
					  IN_SBI, g->tlb_storm_sbi_off),
				  RULE_IF(IN_RQ_WIDEN, g->tlb_degrade_widen_on, g->tlb_degrade_widen_off,
					  IN_SBI, g->tlb_storm_sbi_off),
				  RULE(IN_RATE, INFINITY, g->tlb_storm_rate_off),
				  RULE(IN_SBI, INFINITY, g->tlb_storm_sbi_off) }, 4, g->tlb_degrade_after_s },
		},
		.min_dwell_s = g->tlb_min_dwell_s, .cooldown_s = g->tlb_cooldown_s,
		.level_names = tlb_regime_names, .input_names = regime_input_names,
	};
	*m = (struct ladder_cfg){
		.level = {
			[1] = { { RULE(IN_DFI, g->iommu_watch_dfi_on, g->iommu_watch_dfi_off) }, 1, 0 },
			[2] = { { RULE(IN_DFI, g->iommu_storm_dfi_on, g->iommu_storm_dfi_off) }, 1, 0 },
			/* the spread of a near-idle DFI is noise, not jitter */
			[3] = { { RULE_IF(IN_DJS, g->iommu_contain_djs_on, g->iommu_contain_djs_off,
					  IN_DFI, g->iommu_watch_dfi_off),
				  RULE(IN_DFI, INFINITY, g->iommu_storm_dfi_off) }, 2, g->iommu_contain_after_s },
		},
		.min_dwell_s = g->iommu_min_dwell_s, .cooldown_s = g->iommu_cooldown_s,
		.level_names = iommu_regime_names, .input_names = regime_input_names,
	};
}

struct controller *controller_new(const struct config *cfg, uint32_t cap)
{
	struct controller *c = mem_zalloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->cfg = *cfg;
	c->cap = cap;
	c->win = mem_zalloc(cap + 1, sizeof(*c->win));
	c->rate = mem_zalloc(cap + 1, sizeof(double));
	c->dt = mem_zalloc(cap + 1, sizeof(double));
	c->x = mem_zalloc(cap + 1, sizeof(double));
	if (rqpool_init(&c->pool, cap + 1) < 0 || !c->win || !c->rate || !c->dt || !c->x) {
		controller_free(c);
		return NULL;
	}
	build_ladders(c);
	return c;
}

void controller_free(struct controller *c)
{
	if (!c)
		return;
	free(c->win);
	free(c->rate);
	free(c->dt);
	free(c->x);
	rqpool_free(&c->pool);
	free(c);
}

uint64_t controller_resums(const struct controller *c)
{
	return c->pool.resums;
}

static void keep_max(float *m, double v)
{
	if (v >= 0 && (isnan(*m) || v > *m))
		*m = (float)v;
}

/* The desk entry of a node id (ids are sparse: 0, 2, 5 or 0, 100):
 * found or added; nodes past FRAME_NODES share the last entry. */
static struct frame_node_desk *node_desk(struct frame_regime *g, uint16_t node)
{
	uint32_t i = 0;

	while (i < g->nnodes && g->nodes[i].node != node)
		i++;
	if (i == g->nnodes && g->nnodes == FRAME_NODES)
		return &g->nodes[FRAME_NODES - 1];
	if (i == g->nnodes)
		g->nodes[g->nnodes++] = (struct frame_node_desk){ .node = node, .sbi = NAN, .dfi = NAN, .rate = NAN };
	return &g->nodes[i];
}

/* This tick's hottest-core figures, host-wide and per node, in one pass
 * over the CPUs.  They stay in the frame, so the window's older ticks are
 * read back rather than computed again every tick. */
static void tick_figures(const struct frame *f, struct frame_regime *g)
{
	const struct metric *tlb = metrics[METRIC_TLB_RX], *io = metrics[METRIC_IOTLB];
	struct frame_node_desk *d = NULL;

	g->rate = g->dfi = NAN;
	for (uint32_t cpu = 0; cpu < f->ncpu; cpu++) {
		double rate, dfi;

		if (!f->cpu[cpu].online)
			continue;
		if (!d || d->node != f->cpu[cpu].node) /* a node's CPUs mostly come together */
			d = node_desk(g, f->cpu[cpu].node);
		rate = tlb->per_cpu(f, cpu);
		dfi = io->per_cpu(f, cpu);
		keep_max(&d->rate, rate);
		keep_max(&d->dfi, dfi);
		keep_max(&g->rate, rate);
		keep_max(&g->dfi, dfi);
	}
}

/* The window: ticks covering desk_window_s, oldest first, cur last (its
 * summary taken now: tick_figures ran first).  desk_window_s is 60 s,
 * 600 ticks at 10 Hz: read as the ring's summaries, not full frames. */
static size_t gather(struct controller *c, const struct frame_ring *r, const struct frame *cur)
{
	uint32_t held = ring_history(r);
	double span = (double)cur->interval_ns / 1e9;
	size_t n = 1, k;

	while (n <= held && n <= c->cap && span < c->cfg.desk_window_s) {
		span += (double)ring_tick_at_age(r, (uint32_t)(n - 1))->interval_ns / 1e9;
		n++;
	}
	for (k = 0; k + 1 < n; k++)
		c->win[k] = ring_tick_at_age(r, (uint32_t)(n - 2 - k));
	tick_sum_window(&c->cur, cur);
	c->win[n - 1] = &c->cur;
	for (k = 0; k < n; k++)
		c->dt[k] = (double)c->win[k]->interval_ns / 1e9;
	return n;
}

/* The hottest core's rate held over the last s seconds: the lowest
 * per-tick hottest rate among the ticks covering them (cur's included:
 * tick_figures ran first); NAN until the window covers them or where a
 * tick measured none.  s <= 0: this tick's rate. */
static double held_rate(const struct controller *c, size_t n, double s)
{
	double span = 0, low = INFINITY;

	if (s <= 0)
		return c->win[n - 1]->rate;
	/* 1 % slack: ticks of 1 s measure 0.999-1.001 s */
	for (size_t k = n; k-- > 0 && span < s * 0.99;) {
		double r = c->win[k]->rate;

		if (isnan(r))
			return NAN;
		low = r < low ? r : low;
		span += c->dt[k];
	}
	return span >= s * 0.99 ? low : NAN;
}

/* SBI of the host (node < 0) or of one node, from the window's stored
 * hottest rates (cur's included: tick_figures ran first). */
static double sbi_of(struct controller *c, size_t n, int node)
{
	for (size_t k = 0; k < n; k++)
		c->rate[k] = node < 0 ? c->win[k]->rate : tick_node_rate(c->win[k], (uint16_t)node);
	return desk_sbi(c->rate, c->dt, n, c->cfg.desk_burst_rate, c->cfg.desk_window_s);
}

static double dispatch_rate(const struct tick_sum *t, uint64_t *late, uint64_t *total)
{
	*late += t->phase_late;
	*total += t->phase_n;
	return tick_dispatch_rate(t);
}

/* DJS, PSO and CBR over the window. */
static void spreads(struct controller *c, size_t n, struct frame_regime *g)
{
	uint64_t late = 0, total = 0;

	for (size_t k = 0; k < n; k++)
		c->x[k] = c->win[k]->dfi;
	g->djs = (float)desk_cv(c->x, n);
	for (size_t k = 0; k < n; k++)
		c->x[k] = dispatch_rate(c->win[k], &late, &total);
	g->pso = (float)desk_cv(c->x, n);
	g->cbr = (float)desk_cbr(late, total);
}

/* DVR: the app's (from the correlator) or, without one, the run queue's:
 * pooled delays of burst ticks over those of clean ticks.  The pools
 * follow the window tick by tick (stages/rqpool.h); while the app's DVR
 * is shown they are left alone, and re-summed when next needed. */
static double dvr(struct controller *c, const struct frame_ring *r, size_t n, const struct frame *cur)
{
	const struct rqpool *p = &c->pool;

	if (cur->corr.window) {
		rqpool_forget(&c->pool);
		return cur->corr.n_in && cur->corr.n_out ? cur->corr.dvr : NAN;
	}
	rqpool_update(&c->pool, c->win, n, r, c->cfg.desk_burst_rate);
	return p->ticks[0] && p->ticks[1] ? hist_variance(p->pool[1]) / hist_variance(p->pool[0]) : NAN;
}

/* A p99 over its rolling clean baseline.  Below the floor a baseline is
 * noise (3 us vs 6 us is not "twice as bad"). */
static double widen(const struct baseline *b, double p99, double floor_ns)
{
	double base = b->value > floor_ns ? b->value : floor_ns;

	return b->n >= 5 && !isnan(p99) ? p99 / base : NAN;
}

/* The baseline learns only from clean ticks that do not widen, so neither
 * a storm nor a busy spell can teach it that they are normal. */
static void learn(struct baseline *b, double p99, double w, double ticks, double widen_off)
{
	double a;

	if (isnan(p99) || p99 <= 0 || w >= widen_off)
		return;
	a = 1.0 / (b->n + 1 < ticks ? b->n + 1 : ticks);
	b->value = b->n ? b->value + a * (p99 - b->value) : p99;
	b->n++;
}

/* CPU contention: the run queue widens (with hysteresis) with no
 * shootdown bursts in the window (SBI under WATCH's exit), where the TLB
 * machine's gated widening rules do not count it. */
static int contended(struct controller *c, const struct frame_regime *g)
{
	const struct config *k = &c->cfg;
	int pressure = g->sbi >= k->tlb_watch_sbi_off;
	double t = c->contention ? k->tlb_watch_widen_off : k->tlb_watch_widen_on;

	c->contention = !pressure && g->rq_widen >= t;
	return c->contention;
}

/* The held input to show among those in mask: the one that will hold
 * longest (the SBI, whose bursts must leave the window), else the one
 * furthest over its threshold. */
static void hold_of(struct controller *c, size_t n, const struct ladder *l, const struct ladder_cfg *lc,
		    const double *in, int64_t now, uint8_t *input, float *value, float *thr, float *down)
{
	double th[INPUTS], wait = ladder_wait_s(l, lc, now), fall = 0, best = -1;
	unsigned int mask = ladder_holding(l, lc, in, th);
	int pick = -1;

	*input = 0;
	*value = *thr = NAN;
	*down = l->level ? (float)wait : NAN;
	if (!mask)
		return;
	for (int k = 0; k < INPUTS; k++) {
		double ratio = th[k] > 0 ? in[k] / th[k] : INFINITY;

		if (!(mask >> k & 1))
			continue;
		if (k == IN_SBI) {
			for (size_t i = 0; i < n; i++)
				c->rate[i] = c->win[i]->rate;
			fall = desk_sbi_fall_s(c->rate, c->dt, n, c->cfg.desk_burst_rate, c->cfg.desk_window_s,
					       th[k]);
			ratio = INFINITY;
		}
		if (ratio > best) {
			best = ratio;
			pick = k;
		}
	}
	*input = (uint8_t)(pick + 1);
	*value = (float)in[pick];
	*thr = (float)th[pick];
	/* every holding input must fall, then the whole cooldown must pass */
	*down = (float)(fall + lc->cooldown_s > wait ? fall + lc->cooldown_s : wait);
}

static void step(struct controller *c, struct frame *cur, const double *in)
{
	struct frame_regime *g = &cur->regime;
	char why[2][FRAME_REASON_LEN];

	if (!c->started) {
		ladder_init(&c->tlb, cur->mono_ns);
		ladder_init(&c->iommu, cur->mono_ns);
		c->started = 1;
	}
	g->tlb_was = (uint8_t)ladder_tick(&c->tlb, &c->tlb_cfg, in, cur->mono_ns, why[0], sizeof(why[0]));
	g->iommu_was = (uint8_t)ladder_tick(&c->iommu, &c->iommu_cfg, in, cur->mono_ns, why[1], sizeof(why[1]));
	g->tlb = (uint8_t)c->tlb.level;
	g->iommu = (uint8_t)c->iommu.level;
	/* both machines moving in one tick share the line */
	if (why[0][0] && why[1][0])
		snprintf(g->why, sizeof(g->why), "%.78s; %.78s", why[0], why[1]);
	else
		memcpy(g->why, why[0][0] ? why[0] : why[1], sizeof(g->why));
}

static void holds(struct controller *c, size_t n, struct frame *cur, const double *in)
{
	struct frame_regime *g = &cur->regime;

	hold_of(c, n, &c->tlb, &c->tlb_cfg, in, cur->mono_ns, &g->tlb_hold, &g->tlb_hold_value,
		&g->tlb_hold_threshold, &g->tlb_stepdown_s);
	hold_of(c, n, &c->iommu, &c->iommu_cfg, in, cur->mono_ns, &g->iommu_hold, &g->iommu_hold_value,
		&g->iommu_hold_threshold, &g->iommu_stepdown_s);
}

void controller_run(struct controller *c, const struct frame_ring *r, struct frame *cur)
{
	struct frame_regime *g = &cur->regime;
	double in[INPUTS], rq, app;
	size_t n;
	int clean;

	memset(g, 0, sizeof(*g));
	if (cur->interval_ns <= 0) {
		/* a source's first frame holds no deltas: nothing to judge, and
		 * recordings start after it, so the drill never sees it */
		g->rate = g->dfi = g->rate_held = NAN;
		g->tlb_hold_value = g->tlb_hold_threshold = g->tlb_stepdown_s = NAN;
		g->iommu_hold_value = g->iommu_hold_threshold = g->iommu_stepdown_s = NAN;
		g->tlb = g->tlb_was = (uint8_t)c->tlb.level;
		g->iommu = g->iommu_was = (uint8_t)c->iommu.level;
		rqpool_forget(&c->pool); /* a new sequence starts here */
		return;
	}
	tick_figures(cur, g);
	n = gather(c, r, cur);
	g->sbi = (float)sbi_of(c, n, -1);
	g->rate_held = (float)held_rate(c, n, c->cfg.tlb_watch_sustain_s);
	for (uint32_t i = 0; i < g->nnodes; i++)
		g->nodes[i].sbi = (float)sbi_of(c, n, g->nodes[i].node);
	spreads(c, n, g);
	g->dvr = (float)dvr(c, r, n, cur);
	clean = c->tlb.level == TLB_CLEAN && !(g->rate >= c->cfg.desk_burst_rate);
	rq = tick_runq_p99_ns(cur);
	app = tick_app_p99_ns(cur);
	g->rq_widen = (float)widen(&c->rq, rq, c->cfg.desk_runq_floor_us * 1e3);
	g->app_widen = (float)widen(&c->app, app, c->cfg.desk_app_floor_us * 1e3);
	g->contention = (uint8_t)contended(c, g);
	if (clean) {
		learn(&c->rq, rq, g->rq_widen, c->cfg.desk_baseline_ticks, c->cfg.tlb_watch_widen_off);
		learn(&c->app, app, g->app_widen, c->cfg.desk_baseline_ticks, c->cfg.tlb_watch_widen_off);
	}
	in[IN_RATE] = g->rate;
	in[IN_RATE_HELD] = g->rate_held;
	in[IN_SBI] = g->sbi;
	in[IN_RQ_WIDEN] = g->rq_widen;
	in[IN_APP_WIDEN] = g->app_widen;
	in[IN_DFI] = g->dfi;
	in[IN_DJS] = g->djs;
	step(c, cur, in);
	holds(c, n, cur, in);
}
