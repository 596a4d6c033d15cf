/* SPDX-License-Identifier: GPL-2.0-only */
/* A ring of the last N frames: the history the heatmaps draw from.
 * Frames and their per-CPU slots are reserved once, in ring_init (one
 * mapping each, set-up only), and become resident slot by slot as
 * ring_begin first fills them: memory grows with the frames held, up to
 * cap * (sizeof(struct frame) + ncpu * sizeof(struct frame_cpu)). */
#ifndef STORMTOP_RING_H
#define STORMTOP_RING_H

#include "core/frame.h"

struct frame_ring {
	struct frame *frames;
	struct frame_cpu *cpu_pool; /* cap * ncpu slots, one allocation */
	uint32_t cap;
	uint32_t ncpu;
	uint32_t head;   /* index of the next slot to fill */
	uint32_t count;  /* frames held, <= cap */
	/* Frames committed since ring_init, never reset: the frame at age a
	 * is commit number commits - 1 - a, a number no frame held before it
	 * (overwritten, or forgotten by ring_reset) had.  Readers that keep
	 * what they derived from a frame key it by this (ui/heatseries.c). */
	uint64_t commits;
};

int ring_init(struct frame_ring *r, uint32_t cap, uint32_t ncpu);
void ring_free(struct frame_ring *r);

/* The slot the next frame goes into, cleared; it is not visible until
 * ring_commit.  Overwrites the oldest frame once the ring is full. */
struct frame *ring_begin(struct frame_ring *r);
void ring_commit(struct frame_ring *r);
/* Forgets every frame (playback jumps); keeps the memory. */
void ring_reset(struct frame_ring *r);

/* age 0 is the newest frame; NULL past the oldest one held. */
const struct frame *ring_at_age(const struct frame_ring *r, uint32_t age);
static inline uint32_t ring_count(const struct frame_ring *r) { return r->count; }
/* The commit number of the frame at age (valid while age < count). */
static inline uint64_t ring_serial(const struct frame_ring *r, uint32_t age)
{
	return r->commits - 1 - age;
}
/* Frames still readable while the next is being filled (between
 * ring_begin and ring_commit a full ring has given up its oldest). */
static inline uint32_t ring_history(const struct frame_ring *r)
{
	return r->count < r->cap ? r->count : r->cap - 1;
}

#endif
