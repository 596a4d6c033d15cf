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

/* Octaves: a CPU's run-queue histogram as the frame keeps it per tick.
 * Octave k is the LOGLIN_SUB loglin slots k * LOGLIN_SUB .. + LOGLIN_SUB - 1,
 * one power of two: octave 0 holds [0, 16) ns (the exact slots), octave
 * k >= 1 holds [2^(k+3), 2^(k+4)) ns, and the last, HIST_OCTAVES - 1 (32),
 * [2^35 ns, unbounded) because the last slot takes everything above.
 * Why octaves and not the 528 slots: 528 x 4 B per CPU per frame is
 * 324 MB over the default 600-frame ring on a 256-CPU host (past the
 * ring's 256 MB cap, app_history), 33 x 4 B is 20 MB; and the drill-down's
 * log axis gives an octave only 2-5 columns (80-200 column screens), so
 * finer slots would not show.  An octave boundary is a slot boundary, so
 * folding loses nothing else: the counts add up exactly. */
#define HIST_OCTAVES (LOGLIN_SLOTS / LOGLIN_SUB)
/* Adds the LOGLIN_SLOTS slots into HIST_OCTAVES octaves (out is added to,
 * not cleared: the caller zeroes it for one histogram). */
void hist_fold_octaves(const uint32_t *slots, uint32_t *out);
/* Octave k's bounds in ns: [hist_octave_low(k), hist_octave_high(k));
 * the last octave's high is UINT64_MAX (it has none). */
uint64_t hist_octave_low(unsigned int k);
uint64_t hist_octave_high(unsigned int k);

#endif
