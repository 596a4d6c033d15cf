/* SPDX-License-Identifier: GPL-2.0-only */
/* The one rank rule every bucketed quantile in stormtop uses: the
 * log-linear histograms (core/hist.c, include/stormtop/loglin.h) and the
 * stormprobe interval histograms (collectors/probe_hist.c) both walk their
 * buckets to the sample this names, so the two never round differently. */
#ifndef STORMTOP_QUANTILE_H
#define STORMTOP_QUANTILE_H

#include <stdint.h>

/* The 1-based rank of the q-quantile (q in 0..1) among n samples: the
 * nearest-rank rule ceil(q * n), clamped to 1..n.  A product that is a
 * whole number but came out a hair above it in double (0.07 * 100 =
 * 7.0000000000000009) counts as that whole number.  0 when n is 0. */
uint64_t quantile_rank(uint64_t n, double q);

#endif
