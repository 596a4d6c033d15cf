// SPDX-License-Identifier: GPL-2.0-only
#include "stages/desk.h"

#include <math.h>

static double burst_weight(double sum_rate_dt, double len_s, double crit)
{
	double mean = len_s > 0 ? sum_rate_dt / len_s : 0;

	return log2(1 + mean / crit) * (1 + log(1 + len_s));
}

/* desk_sbi, with the seconds its ticks span (summed oldest first) in *span. */
static double sbi_span(const double *rate, const double *dt, size_t n, double crit, double window_s,
		       double *span)
{
	double total_s = 0, sum = 0, len = 0, area = 0;

	for (size_t i = 0; i < n; i++) {
		int hot = !isnan(rate[i]) && rate[i] >= crit;

		total_s += dt[i];
		if (hot) {
			len += dt[i];
			area += rate[i] * dt[i];
		}
		if ((!hot || i + 1 == n) && len > 0) {
			sum += burst_weight(area, len, crit);
			len = area = 0;
		}
	}
	*span = total_s;
	/* per minute of the whole window, even before it has filled: a
	 * young window must not make one burst look like many */
	total_s = total_s > window_s ? total_s : window_s;
	return total_s > 0 ? sum * 60 / total_s : NAN;
}

double desk_sbi(const double *rate, const double *dt, size_t n, double crit, double window_s)
{
	double span;

	return sbi_span(rate, dt, n, crit, window_s, &span);
}

double desk_sbi_fall_s(const double *rate, const double *dt, size_t n, double crit, double window_s,
		       double below)
{
	double after = 0; /* seconds of the window at and after tick k */
	double span = INFINITY; /* of the last window judged in full */

	for (size_t k = 0; k < n; k++)
		after += dt[k];
	for (size_t k = 0; k <= n; k++) {
		/* ticks 0..k-1 have left once the window's start passed them */
		double s = window_s - after;

		/* A cold tick k after a cold tick k-1 that was judged: the same
		 * bursts, and both spans (rounded sums of fewer non-negative
		 * terms never grow) under window_s, so the same SBI to the bit
		 * and the same answer (were the spans over it, the later one,
		 * no longer, would give an SBI no lower: the same answer still).
		 * Storm tails hold by the SBI for a whole
		 * window: this makes their quiet ticks O(1), not O(n), each. */
		int same = k > 0 && k < n && span <= window_s && !(rate[k] >= crit) && !(rate[k - 1] >= crit);

		if (!same && !(sbi_span(rate + k, dt + k, n - k, crit, window_s, &span) >= below))
			return s > 0 ? s : 0;
		if (k < n)
			after -= dt[k];
	}
	return window_s;
}

double desk_cv(const double *x, size_t n)
{
	double sum = 0, sq = 0, mean;
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (!isnan(x[i])) {
			sum += x[i];
			k++;
		}
	if (k < 3 || sum == 0)
		return NAN;
	mean = sum / (double)k;
	for (size_t i = 0; i < n; i++)
		if (!isnan(x[i]))
			sq += (x[i] - mean) * (x[i] - mean);
	return sqrt(sq / (double)k) / fabs(mean);
}

double desk_cbr(uint64_t late, uint64_t dispatches)
{
	return dispatches ? (double)late / (double)dispatches : NAN;
}
