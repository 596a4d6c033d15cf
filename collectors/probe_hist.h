/* SPDX-License-Identifier: GPL-2.0-only */
/* Figures from stormprobe histograms (include/stormtop/probe.h): the
 * interval histogram is the difference of two cumulative copies. */
#ifndef STORMTOP_PROBE_HIST_H
#define STORMTOP_PROBE_HIST_H

#include <stdint.h>

#include "stormtop/probe.h"

/* Midpoint of bucket b: the value reported for samples in it (exact
 * below 256 ns, within 0.4 % above). */
uint64_t probe_bucket_mid(unsigned int b);
/* out = cur - prev, bucket by bucket; the total, or -1 when any bucket
 * went backwards (the writer restarted the slot). */
int64_t probe_hist_delta(const uint64_t *cur, const uint64_t *prev, uint64_t *out);
/* The value below which a fraction q of total samples lie; 0 when empty. */
uint64_t probe_hist_quantile(const uint64_t *h, uint64_t total, double q);
uint64_t probe_hist_max(const uint64_t *h);
/* Adds h into loglin slots (include/stormtop/loglin.h) by bucket midpoint. */
void probe_hist_to_loglin(const uint64_t *h, uint32_t *slots);

#endif
