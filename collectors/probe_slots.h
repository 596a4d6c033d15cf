/* SPDX-License-Identifier: GPL-2.0-only */
/* A reader's view of a segment's slots: the previous copy of each slot's
 * cumulative counters, so every tick yields the interval between copies. */
#ifndef STORMTOP_PROBE_SLOTS_H
#define STORMTOP_PROBE_SLOTS_H

#include <stdint.h>

#include "core/frame.h"
#include "collectors/probe_seg.h"

struct slot_base {
	uint32_t generation;
	uint32_t state;
	int valid;                 /* holds a baseline */
	uint64_t count;
	uint64_t sum, overflow;
	uint64_t hist[STORMPROBE_BUCKETS];
};

struct probe_slots {
	uint32_t n;
	int primed;                    /* a first pass over this instance is done */
	unsigned int late_bucket;      /* samples from this bucket up count as late */
	struct slot_base *base;
	struct stormprobe_slot *snap;  /* this tick's copy of one slot */
	uint64_t *delta;               /* its interval histogram */
};

/* Room for n slots' baselines: allocated when a segment is first seen
 * (not per tick).  0, or -1 when out of memory. */
int probe_slots_size(struct probe_slots *ps, uint32_t n);
void probe_slots_forget(struct probe_slots *ps);
void probe_slots_free(struct probe_slots *ps);

/* Reads slot i and, when it is in use, its interval into *out (the
 * interval histogram stays in ps->delta).  1 when out was filled, 0 when
 * the slot is free, -1 when the segment failed under us. */
int probe_slots_read(struct probe_slots *ps, struct probe_seg *seg, uint32_t i,
		     struct frame_series *out);
/* After the first pass: slots claimed from now on started at zero, so
 * their first interval counts everything they hold. */
static inline void probe_slots_primed(struct probe_slots *ps) { ps->primed = 1; }

#endif
