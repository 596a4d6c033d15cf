// SPDX-License-Identifier: GPL-2.0-only
#include "hist.h"

#include <math.h>

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
	uint64_t total = hist_total(slots), seen = 0, rank;

	if (total == 0)
		return 0;
	/* rank of the sample wanted, 1-based: ceil(q * n), at least 1 */
	rank = (uint64_t)ceil(q * (double)total);
	if (rank < 1)
		rank = 1;
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
