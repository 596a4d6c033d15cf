/* SPDX-License-Identifier: GPL-2.0-only */
/* The correlator stage: each live tick, the attached app's latency
 * against the storms over the last `window` ticks, into frame.corr (so
 * recordings keep what was shown).  Runs between the collectors and the
 * consumers; reads only frames. */
#ifndef STORMTOP_CORRELATOR_H
#define STORMTOP_CORRELATOR_H

#include "core/frame.h"
#include "core/ring.h"

#define CORR_WINDOW 60   /* ticks */
#define CORR_MAX_LAG FRAME_CORR_MAXLAG   /* ticks either way (the frame keeps r at each) */
/* A tick is a TLB burst when its per-core rate is at least the red
 * threshold and BURST_OVER_BASE times the window's 25th percentile. */
#define CORR_BURST_OVER_BASE 4.0

struct correlator;

/* crit: the per-core TLB IPI rate (/s) where the heatmap turns red. */
struct correlator *correlator_new(double crit);
void correlator_free(struct correlator *c);
/* Fills cur->corr from cur and the ring's newest frames before it. */
void correlator_run(struct correlator *c, const struct frame_ring *r, struct frame *cur);

#endif
