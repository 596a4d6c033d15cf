// SPDX-License-Identifier: GPL-2.0-only
#include "stages/correlate.h"

#include <math.h>
#include <stdlib.h>

#include "core/frame.h"
#include "core/hist.h"

double corr_pearson_min(const double *x, const double *y, size_t n, size_t min)
{
	double mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0;
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (!isnan(x[i]) && !isnan(y[i])) {
			mx += x[i];
			my += y[i];
			k++;
		}
	if (k < min)
		return NAN;
	mx /= (double)k;
	my /= (double)k;
	for (size_t i = 0; i < n; i++)
		if (!isnan(x[i]) && !isnan(y[i])) {
			sxx += (x[i] - mx) * (x[i] - mx);
			syy += (y[i] - my) * (y[i] - my);
			sxy += (x[i] - mx) * (y[i] - my);
		}
	if (sxx <= 0 || syy <= 0)
		return NAN;
	return sxy / sqrt(sxx * syy);
}

double corr_pearson(const double *x, const double *y, size_t n)
{
	return corr_pearson_min(x, y, n, 3);
}

double corr_at_lag(const double *x, const double *y, size_t n, int lag)
{
	size_t shift = (size_t)abs(lag);

	if (shift >= n)
		return NAN;
	/* pair x[t] with y[t + lag] over the overlap; a few pairs give an r
	 * near +-1 by chance, which the best lag would then pick */
	return lag >= 0 ? corr_pearson_min(x, y + shift, n - shift, CORR_MIN_PAIRS)
			: corr_pearson_min(x + shift, y, n - shift, CORR_MIN_PAIRS);
}

int corr_best_lag(const double *x, const double *y, size_t n, int maxlag, double *r)
{
	int best = 0;

	*r = NAN;
	for (int a = 0; a <= maxlag; a++)
		for (int sign = 1; sign >= -1; sign -= 2) {
			int lag = a * sign;
			double v = corr_at_lag(x, y, n, lag);

			if (!isnan(v) && (isnan(*r) || v > *r + 1e-12)) {
				*r = v;
				best = lag;
			}
			if (!a)
				break;
		}
	return best;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double corr_quantile(const double *x, size_t n, double q, double *scratch)
{
	size_t k = 0, rank;

	for (size_t i = 0; i < n; i++)
		if (!isnan(x[i]))
			scratch[k++] = x[i];
	if (!k)
		return NAN;
	qsort(scratch, k, sizeof(*scratch), cmp_double);
	rank = (size_t)ceil(q * (double)k - 1e-9);
	return scratch[rank ? rank - 1 : 0];
}
