// SPDX-License-Identifier: GPL-2.0-only
#include "core/hist.h"

#include <math.h>

#include "util/quantile.h"

uint64_t hist_total(const uint32_t *slots)
{
	uint64_t n = 0;

	for (unsigned int s = 0; s < LOGLIN_SLOTS; s++)
		n += slots[s];
	return n;
}

uint64_t hist_mid(unsigned int s)
{
	if (s < LOGLIN_SUB || s == LOGLIN_SLOTS - 1)
		return loglin_low(s);
	return (loglin_low(s) + loglin_high(s) - 1) / 2;
}

uint64_t hist_quantile(const uint32_t *slots, double q)
{
	uint64_t total = hist_total(slots), seen = 0;
	uint64_t rank = quantile_rank(total, q);

	if (total == 0)
		return 0;
	for (unsigned int s = 0; s < LOGLIN_SLOTS; s++) {
		seen += slots[s];
		if (seen >= rank)
			return hist_mid(s);
	}
	return hist_mid(LOGLIN_SLOTS - 1);
}

uint64_t hist_max(const uint32_t *slots)
{
	for (unsigned int s = LOGLIN_SLOTS; s-- > 0;)
		if (slots[s])
			return hist_mid(s);
	return 0;
}

double hist_variance(const uint32_t *slots)
{
	double n = 0, mean = 0, m2 = 0;

	/* Welford over slots: stable for counts in the millions */
	for (unsigned int s = 0; s < LOGLIN_SLOTS; s++) {
		double c = slots[s], v = (double)hist_mid(s), d;

		if (!c)
			continue;
		n += c;
		d = v - mean;
		mean += d * c / n;
		m2 += c * d * (v - mean);
	}
	return n > 1 ? m2 / n : NAN;
}

void hist_coarsen(const uint32_t *slots, uint32_t *out, unsigned int nbuckets)
{
	for (unsigned int s = 0; s < LOGLIN_SLOTS; s++)
		if (slots[s]) {
			unsigned int b = loglin_log2(hist_mid(s) | 1);

			out[b < nbuckets ? b : nbuckets - 1] += slots[s];
		}
}

void hist_fold_octaves(const uint32_t *slots, uint32_t *out)
{
	for (unsigned int s = 0; s < LOGLIN_SLOTS; s++)
		out[s / LOGLIN_SUB] += slots[s];
}

uint64_t hist_octave_low(unsigned int k)
{
	return loglin_low(k * LOGLIN_SUB);
}

uint64_t hist_octave_high(unsigned int k)
{
	return k + 1 < HIST_OCTAVES ? loglin_low((k + 1) * LOGLIN_SUB) : UINT64_MAX;
}
