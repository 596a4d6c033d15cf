/* SPDX-License-Identifier: GPL-2.0-only */
/* The window's run-queue delays pooled by class, kept up to date as the
 * window slides: the controller's DVR (burst ticks' variance over clean
 * ticks') reads them every tick.  Re-adding a 600-frame window of 528-slot
 * histograms every tick was a third of stormtop's own CPU (issue 22); each
 * tick now adds the new tick's rq_hist and subtracts the ticks
 * that left.  The counts are uint32_t sums, exact modulo 2^32 in either
 * order, so the pools are bit-identical to a full re-sum. */
#ifndef STORMTOP_RQPOOL_H
#define STORMTOP_RQPOOL_H

#include <stddef.h>
#include <stdint.h>

#include "core/frame.h"
#include "core/ring.h"
#include "stormtop/loglin.h"

/* A pooled tick, as it was when pooled: which frame (seq and mono_ns
 * name it) and its class (-1: no run-queue data, 0 clean, 1 burst). */
struct rqpool_tick {
	uint64_t seq;
	int64_t mono_ns;
	int8_t cls;
};

struct rqpool {
	uint32_t pool[2][LOGLIN_SLOTS]; /* [clean, burst] summed rq_hist slots */
	uint32_t ticks[2];              /* ticks with run-queue data in each */
	/* the pooled window, oldest first: a ring of `size` entries */
	struct rqpool_tick *tick;
	uint32_t size, first, n;
	int valid;
	/* the oldest pooled frame's histogram, copied while the frame ring
	 * still holds it: a ring no longer than the window overwrites that
	 * frame on the next tick, before it leaves the window */
	struct rqpool_tick kept_tick;
	uint32_t kept[LOGLIN_SLOTS];
	uint64_t resums;                /* full re-sums so far (first tick, breaks) */
};

/* cap: the most frames a window holds (cur included).  0, or -1 when out
 * of memory.  Allocates once (mem_zalloc); rqpool_update never does. */
int rqpool_init(struct rqpool *p, uint32_t cap);
void rqpool_free(struct rqpool *p);
/* The next update re-sums the whole window (a tick that skipped it). */
static inline void rqpool_forget(struct rqpool *p) { p->valid = 0; }
/* Brings the pools to win[0..n-1] (oldest first, the new tick last; every
 * one but the last read from r, the last n-1 ticks r holds, in order, as
 * their summaries, core/ticksum.h).  A tick is a burst when its
 * regime rate >= burst_rate.  Adds the
 * new tick and subtracts those gone; re-sums the window when the sequence
 * breaks: the first tick, a gap in seq or a restart, a ring that no longer
 * holds what was pooled (playback seeking), a class that changed. */
void rqpool_update(struct rqpool *p, const struct tick_sum *const *win, size_t n, const struct frame_ring *r,
		   double burst_rate);

#endif
