// SPDX-License-Identifier: GPL-2.0-only
#include "stages/correlator.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stages/correlate.h"
#include "core/hist.h"
#include "util/mem.h"
#include "core/metric.h"

enum { S_TLB, S_IOTLB, S_RUNQ, S_APP, SERIES };

struct correlator {
	double crit;
	double v[SERIES][CORR_WINDOW];
	double scratch[CORR_WINDOW];
	uint32_t pool[2][LOGLIN_SLOTS];  /* app latency: clean ticks, burst ticks */
	const uint32_t *app_hist[CORR_WINDOW]; /* each tick's frame.app_hist */
};

struct correlator *correlator_new(double crit)
{
	struct correlator *c = mem_zalloc(1, sizeof(*c));

	if (c)
		c->crit = crit;
	return c;
}

void correlator_free(struct correlator *c)
{
	free(c);
}

/* Oldest first, the current frame last: the older ticks' figures from
 * the ring's summaries (the same accessors, applied at commit). */
static size_t gather(struct correlator *c, const struct frame_ring *r, const struct frame *cur)
{
	size_t held = ring_history(r);
	size_t n = held + 1 < CORR_WINDOW ? held + 1 : CORR_WINDOW;

	for (size_t i = 0; i + 1 < n; i++) {
		const struct tick_sum *t = ring_tick_at_age(r, (uint32_t)(n - 2 - i));

		c->app_hist[i] = t->app_hist;
		c->v[S_TLB][i] = t->tlb_per_core;
		c->v[S_IOTLB][i] = t->iotlb_rate;
		c->v[S_RUNQ][i] = t->runq_p99_ns;
		c->v[S_APP][i] = t->app_p99_ns;
	}
	c->app_hist[n - 1] = cur->app_hist;
	c->v[S_TLB][n - 1] = tick_tlb_per_core(cur);
	c->v[S_IOTLB][n - 1] = tick_iotlb_rate(cur);
	c->v[S_RUNQ][n - 1] = tick_runq_p99_ns(cur);
	c->v[S_APP][n - 1] = tick_app_p99_ns(cur);
	return n;
}

/* Pools the app's latency histograms of burst and of clean ticks. */
static void split(struct correlator *c, size_t n, struct frame_corr *out)
{
	double base = corr_quantile(c->v[S_TLB], n, 0.25, c->scratch);
	double thr = fmax(c->crit, CORR_BURST_OVER_BASE * (isnan(base) ? 0 : base));

	memset(c->pool, 0, sizeof(c->pool));
	for (size_t i = 0; i < n; i++) {
		int burst = !isnan(c->v[S_TLB][i]) && c->v[S_TLB][i] >= thr;

		if (isnan(c->v[S_APP][i]))
			continue;
		burst ? out->n_in++ : out->n_out++;
		for (unsigned int s = 0; s < LOGLIN_SLOTS; s++)
			c->pool[burst][s] += c->app_hist[i][s];
	}
	hist_coarsen(c->pool[0], out->clean_hist, CORR_BUCKETS);
	hist_coarsen(c->pool[1], out->burst_hist, CORR_BUCKETS);
	out->p99_in_ns = out->n_in ? hist_quantile(c->pool[1], 0.99) : 0;
	out->p99_out_ns = out->n_out ? hist_quantile(c->pool[0], 0.99) : 0;
	if (out->n_in && out->n_out)
		out->dvr = (float)(hist_variance(c->pool[1]) / hist_variance(c->pool[0]));
}

void correlator_run(struct correlator *c, const struct frame_ring *r, struct frame *cur)
{
	struct frame_corr *out = &cur->corr;
	size_t n;
	double lr;

	memset(out, 0, sizeof(*out));
	if (!frame_has(cur, SIG_APP_LAT))
		return;
	n = gather(c, r, cur);
	out->window = (uint16_t)n;
	out->r_tlb = (float)corr_pearson_min(c->v[S_TLB], c->v[S_APP], n, CORR_MIN_PAIRS);
	out->r_iotlb = (float)corr_pearson_min(c->v[S_IOTLB], c->v[S_APP], n, CORR_MIN_PAIRS);
	out->r_runq = (float)corr_pearson_min(c->v[S_RUNQ], c->v[S_APP], n, CORR_MIN_PAIRS);
	out->lag = (int16_t)corr_best_lag(c->v[S_TLB], c->v[S_APP], n, CORR_MAX_LAG, &lr);
	out->lag_r = (float)lr;
	for (int k = 0; k < FRAME_CORR_LAGS; k++) /* the whole curve, for the drill-down */
		out->lag_rs[k] = (float)corr_at_lag(c->v[S_TLB], c->v[S_APP], n, k - FRAME_CORR_MAXLAG);
	out->nlags = FRAME_CORR_LAGS;
	split(c, n, out);
}
