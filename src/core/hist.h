/* SPDX-License-Identifier: GPL-2.0-only */
/* Quantiles of stormtop's log-linear histograms (include/stormtop/loglin.h). */
#ifndef STORMTOP_HIST_H
#define STORMTOP_HIST_H

#include <stdint.h>

#include "stormtop/loglin.h"

/* The value below which a fraction q (0..1) of the samples lie, as the
 * midpoint of the slot that holds it (exact below 16).  0 when empty. */
uint64_t hist_quantile(const uint32_t *slots, double q);
/* Midpoint of the highest non-empty slot (so never below a quantile);
 * 0 when empty. */
uint64_t hist_max(const uint32_t *slots);
uint64_t hist_total(const uint32_t *slots);
/* The value reported for samples in slot s: its midpoint (exact below 16). */
uint64_t hist_mid(unsigned int s);
/* Variance of the samples a histogram holds, at slot midpoints (ns^2);
 * NAN with fewer than two samples. */
double hist_variance(const uint32_t *slots);
/* Adds the slots into nbuckets power-of-two buckets: bucket b holds
 * [2^b, 2^(b+1)) ns by slot midpoint, the last also everything above. */
void hist_coarsen(const uint32_t *slots, uint32_t *out, unsigned int nbuckets);

#endif
