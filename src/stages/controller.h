/* SPDX-License-Identifier: GPL-2.0-only */
/* The regime controller stage: every tick, the desk metrics over the
 * window (src/stages/desk.h) and the TLB and IOMMU state machines
 * (src/stages/regime.h), into frame.regime.  It reads only frames, so replaying a
 * recording through it (stormtop drill) gives what the live run gave. */
#ifndef STORMTOP_CONTROLLER_H
#define STORMTOP_CONTROLLER_H

#include "core/config.h"
#include "core/frame.h"
#include "core/ring.h"

struct controller;

/* cap: the ring's size, which bounds the window.  NULL when out of memory. */
struct controller *controller_new(const struct config *cfg, uint32_t cap);
void controller_free(struct controller *c);
/* Fills cur->regime from cur and the ring's newest frames before it. */
void controller_run(struct controller *c, const struct frame_ring *r, struct frame *cur);
/* How many ticks re-summed the window's run-queue histograms in full (the
 * first, and each break in the sequence: stages/rqpool.h) rather than
 * sliding them by one tick: for the tests and bench/ctrl_cost. */
uint64_t controller_resums(const struct controller *c);

#endif
