// SPDX-License-Identifier: GPL-2.0-only
/* The correlation engine against hand-computed values, and the correlator
 * stage over synthetic frames. */
#include "testlib.h"

#include <math.h>

#include "stages/correlate.h"
#include "stages/correlator.h"
#include "core/hist.h"
#include "core/ring.h"

/* x = 1..5, y = 2 4 5 4 5: Sxy = 6, Sxx = 10, Syy = 6, r = 6 / sqrt(60). */
static void pearson_by_hand(void **state)
{
	double x[] = { 1, 2, 3, 4, 5 }, y[] = { 2, 4, 5, 4, 5 };
	double flat[] = { 3, 3, 3, 3, 3 }, gap[] = { 2, NAN, 5, 4, 5 };

	(void)state;
	assert_true(fabs(corr_pearson(x, y, 5) - 6 / sqrt(60)) < 1e-12);
	assert_true(fabs(corr_pearson(y, x, 5) - 6 / sqrt(60)) < 1e-12);
	assert_true(isnan(corr_pearson(x, flat, 5)));
	assert_true(isnan(corr_pearson(x, y, 2)));
	/* the NAN pair drops out: (1,3,4,5) vs (2,5,4,5) -> Sxy 6, Sxx 8.75, Syy 6 */
	assert_true(fabs(corr_pearson(x, gap, 5) - 6 / sqrt(8.75 * 6)) < 1e-12);
}

/* A planted lag: y repeats x three ticks later (with noise); the lag
 * found is 3 and r there is high; negated lag for the swapped pair. */
static void planted_lag_is_found(void **state)
{
	double x[120], y[120], r;
	uint64_t s = 12345;

	(void)state;
	for (int t = 0; t < 120; t++) {
		s = s * 6364136223846793005ull + 1;
		x[t] = (t / 7) % 3 == 0 ? 500 + (double)(s >> 58) : (double)(s >> 60); /* bursts */
	}
	for (int t = 0; t < 120; t++) {
		s = s * 6364136223846793005ull + 1;
		y[t] = 1000 + (t >= 3 ? 4 * x[t - 3] : 0) + (double)(s >> 56);
	}
	assert_int_equal(corr_best_lag(x, y, 120, 5, &r), 3);
	assert_true(r > 0.95);
	assert_int_equal(corr_best_lag(y, x, 120, 5, &r), -3);
	assert_true(corr_at_lag(x, y, 120, 0) < 0.5);
}

/* The window's first ticks: at lag 5 of 9 ticks only 4 pairs overlap,
 * and these 4 lie on a line (r = +1 by hand) while lag 0 has none; the
 * best lag must not be that chance.  With 14 ticks lag 4 has 10 pairs
 * and counts, lag 5's 9 still do not. */
static void few_pairs_make_no_lag(void **state)
{
	double x[14] = { 9, 1, 7, 2, 8, 3, 5, 1, 4, 6, 2, 9, 3, 7 };
	double y[14] = { 0, 0, 0, 0, 0, 9, 1, 7, 2, 3, 8, 1, 5, 2 };
	double r;

	(void)state;
	/* y[t + 5] = x[t] for t = 0..3: 9 1 7 2 */
	assert_true(fabs(corr_pearson(x, y + 5, 4) - 1) < 1e-12);
	assert_true(isnan(corr_at_lag(x, y, 9, 5)));
	assert_true(isnan(corr_at_lag(x, y, 9, 0))); /* 9 pairs: fewer than 10 */
	corr_best_lag(x, y, 9, 5, &r);
	assert_true(isnan(r));
	assert_false(isnan(corr_at_lag(x, y, 14, 4)));
	assert_true(isnan(corr_at_lag(x, y, 14, 5)));
	/* the window's own r: the same floor through corr_pearson_min */
	assert_true(isnan(corr_pearson_min(x, y + 5, 4, CORR_MIN_PAIRS)));
	assert_false(isnan(corr_pearson_min(x, y, 14, CORR_MIN_PAIRS)));
}

static void quantile_and_variance_by_hand(void **state)
{
	double v[] = { 5, NAN, 1, 4, 2, 3 }, scratch[6];
	uint32_t slots[LOGLIN_SLOTS] = { 0 };

	(void)state;
	assert_true(corr_quantile(v, 6, 0.5, scratch) == 3);
	assert_true(corr_quantile(v, 6, 0.25, scratch) == 2);
	assert_true(corr_quantile(v, 6, 1.0, scratch) == 5);
	/* exact slots below 16: values 2 (x3) and 8 (x1): mean 3.5, var 6.75 */
	slots[2] = 3;
	slots[8] = 1;
	assert_true(fabs(hist_variance(slots) - 6.75) < 1e-9);
}

/* Frames with a TLB rate and an app latency histogram per tick. */
static void tick(struct frame_ring *r, struct correlator *c, double tlb_per_s, unsigned lat_slot,
		 uint32_t n)
{
	struct frame *f = ring_begin(r);

	f->interval_ns = 1000000000;
	f->irq_present = 1u << IRQ_TLB;
	f->signals = 1u << SIG_APP_LAT;
	for (uint32_t cpu = 0; cpu < f->ncpu; cpu++) {
		f->cpu[cpu].online = 1;
		f->cpu[cpu].irq[IRQ_TLB] = (uint64_t)tlb_per_s;
	}
	f->app_hist[10] = n;          /* the bulk: 10 ns */
	f->app_hist[lat_slot] += n / 50; /* the tail: 2 % of samples */
	correlator_run(c, r, f);
	ring_commit(r);
}

/* Bursts of 2000 IPIs/s per core with a slow tail, clean ticks at 3/s
 * with a fast one: r > 0, p99 inside bursts is the slow slot's, outside
 * the fast slot's, and DVR is the ratio of the pooled variances. */
static void stage_splits_bursts(void **state)
{
	struct frame_ring r;
	struct correlator *c = correlator_new(20);
	const struct frame *f;
	uint32_t in[LOGLIN_SLOTS] = { 0 }, out[LOGLIN_SLOTS] = { 0 };

	(void)state;
	assert_int_equal(ring_init(&r, 100, 2), 0);
	for (int t = 0; t < 40; t++) {
		int burst = (t / 5) % 2;

		tick(&r, c, burst ? 2000 : 3, burst ? 200 : 20, 1000);
		(burst ? in : out)[10] += 1000;
		(burst ? in : out)[burst ? 200 : 20] += 20;
	}
	f = ring_at_age(&r, 0);
	assert_int_equal(f->corr.window, 40);
	assert_int_equal(f->corr.n_in, 20);
	assert_int_equal(f->corr.n_out, 20);
	assert_true(f->corr.r_tlb > 0.9);
	assert_int_equal(f->corr.p99_in_ns, hist_mid(200));
	assert_int_equal(f->corr.p99_out_ns, hist_mid(20));
	assert_true(fabs(f->corr.dvr - hist_variance(in) / hist_variance(out)) <
		    1e-3 * f->corr.dvr);
	assert_true(f->corr.dvr > 1);
	correlator_free(c);
	ring_free(&r);
}

/* r at every lag, kept in the frame: the app's p99 follows 5-tick bursts
 * exactly, so by hand r is +1 at lag 0 and -1 at lags -5 and +5 (the
 * series half a period apart), and the best lag's r is the curve's top. */
static void stage_keeps_r_at_every_lag(void **state)
{
	struct frame_ring r;
	struct correlator *c = correlator_new(40);
	const struct frame *f;
	float top = -2;

	(void)state;
	assert_int_equal(ring_init(&r, 100, 2), 0);
	for (int t = 0; t < 40; t++)
		tick(&r, c, (t / 5) % 2 ? 2000 : 3, (t / 5) % 2 ? 200 : 20, 1000);
	f = ring_at_age(&r, 0);
	assert_int_equal(f->corr.nlags, FRAME_CORR_LAGS);
	assert_true(fabs(f->corr.lag_rs[FRAME_CORR_MAXLAG] - 1) < 1e-5);
	assert_true(fabs(f->corr.lag_rs[0] + 1) < 1e-5);
	assert_true(fabs(f->corr.lag_rs[FRAME_CORR_LAGS - 1] + 1) < 1e-5);
	for (int k = 0; k < FRAME_CORR_LAGS; k++)
		top = f->corr.lag_rs[k] > top ? f->corr.lag_rs[k] : top;
	assert_true(fabs(top - f->corr.lag_r) < 1e-6);
	assert_true(fabs(f->corr.lag_rs[f->corr.lag + FRAME_CORR_MAXLAG] - f->corr.lag_r) < 1e-6);
	correlator_free(c);
	ring_free(&r);
}

/* Without an attached app there is nothing to correlate: all zero. */
static void stage_needs_an_app(void **state)
{
	struct frame_ring r;
	struct correlator *c = correlator_new(20);
	struct frame *f;

	(void)state;
	assert_int_equal(ring_init(&r, 10, 2), 0);
	f = ring_begin(&r);
	f->interval_ns = 1000000000;
	correlator_run(c, &r, f);
	assert_int_equal(f->corr.window, 0);
	assert_int_equal(f->corr.nlags, 0);
	correlator_free(c);
	ring_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pearson_by_hand),
		cmocka_unit_test(planted_lag_is_found),
		cmocka_unit_test(few_pairs_make_no_lag),
		cmocka_unit_test(quantile_and_variance_by_hand),
		cmocka_unit_test(stage_splits_bursts),
		cmocka_unit_test(stage_needs_an_app),
		cmocka_unit_test(stage_keeps_r_at_every_lag),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
