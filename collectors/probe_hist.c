// SPDX-License-Identifier: GPL-2.0-only
#include "collectors/probe_hist.h"

#include "stormtop/loglin.h"
#include "util/quantile.h"

uint64_t probe_bucket_mid(unsigned int b)
{
	uint64_t lo = stormprobe_bucket_low(b), hi = stormprobe_bucket_high(b);

	return lo + (hi - 1 - lo) / 2;
}

int64_t probe_hist_delta(const uint64_t *cur, const uint64_t *prev, uint64_t *out)
{
	uint64_t total = 0;

	for (unsigned int b = 0; b < STORMPROBE_BUCKETS; b++) {
		if (cur[b] < prev[b])
			return -1;
		out[b] = cur[b] - prev[b];
		total += out[b];
	}
	return (int64_t)total;
}

uint64_t probe_hist_quantile(const uint64_t *h, uint64_t total, double q)
{
	uint64_t rank = quantile_rank(total, q), seen = 0;

	if (!total)
		return 0;
	for (unsigned int b = 0; b < STORMPROBE_BUCKETS; b++) {
		seen += h[b];
		if (seen >= rank)
			return probe_bucket_mid(b);
	}
	return probe_bucket_mid(STORMPROBE_BUCKETS - 1);
}

uint64_t probe_hist_max(const uint64_t *h)
{
	for (unsigned int b = STORMPROBE_BUCKETS; b-- > 0;)
		if (h[b])
			return probe_bucket_mid(b);
	return 0;
}

void probe_hist_to_loglin(const uint64_t *h, uint32_t *slots)
{
	for (unsigned int b = 0; b < STORMPROBE_BUCKETS; b++)
		if (h[b])
			slots[loglin_slot(probe_bucket_mid(b))] += (uint32_t)h[b];
}
