/* SPDX-License-Identifier: GPL-2.0-only */
/* The correlation engine: pure functions over per-tick series.  Missing
 * points are NAN and drop out pairwise, so a tick without an app sample
 * neither helps nor hurts. */
#ifndef STORMTOP_CORRELATE_H
#define STORMTOP_CORRELATE_H

#include <stddef.h>
#include <stdint.h>

/* Pearson r of the pairs (x[i], y[i]) where both are numbers; NAN when
 * fewer than 3 pairs or either side is constant. */
double corr_pearson(const double *x, const double *y, size_t n);
/* The same, NAN below min pairs. */
double corr_pearson_min(const double *x, const double *y, size_t n, size_t min);
/* Pairs the correlator's r needs, over the window and at each lag: with
 * 3-4 (the window's first ticks, or lag 5 of 9) r is near +-1 by chance
 * (r +1.00 four ticks after attaching; a "best" lag of +5 at r 0.97). */
#define CORR_MIN_PAIRS 10
/* r of x[t] against y[t + lag]: positive lag means x moves first; NAN
 * with fewer than CORR_MIN_PAIRS pairs in the overlap. */
double corr_at_lag(const double *x, const double *y, size_t n, int lag);
/* The lag in [-maxlag, maxlag] with the largest r (ties: the smallest
 * |lag|); *r gets that r, NAN when no lag has one. */
int corr_best_lag(const double *x, const double *y, size_t n, int maxlag, double *r);
/* The q-quantile (0..1) of the numbers in x (NANs skipped), by sorting a
 * copy in scratch; NAN when there are none. */
double corr_quantile(const double *x, size_t n, double q, double *scratch);

#endif
