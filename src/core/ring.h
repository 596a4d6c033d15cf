/* SPDX-License-Identifier: GPL-2.0-only */
/* The history: the last `cap` ticks (--history), kept in two depths.
 * - Full frames for the newest `full` ticks only (RING_FULL by default):
 *   what readers of the present and the last few ticks use (the panels,
 *   the drill-down, the recorder, the exporter).
 * - For all `cap` ticks a compact summary (core/ticksum.h, ~5 KB) and,
 *   when asked for, each heatmap metric's per-CPU value (core/metric.c's
 *   per_cpu: the cells the heatmaps draw), both derived from the full
 *   frame once, at ring_commit.
 * So a full history costs cap * (5 KB + cells * METRIC_COUNT * 8 B a
 * CPU) + full * (sizeof(struct frame) + 496 B a CPU), not cap full
 * frames.  Memory is reserved once, in ring_init (one mapping each,
 * set-up only), and becomes resident slot by slot as it is first
 * written, by the sampling thread: memory grows with the ticks held. */
#ifndef STORMTOP_RING_H
#define STORMTOP_RING_H

#include "core/frame.h"
#include "core/ticksum.h"

/* Full frames kept by default: the readers of full frames look at most a
 * few ticks back (deeper readers use the summaries). */
#define RING_FULL 16

struct frame_ring {
	struct frame *frames;       /* full slots; commit k is in k % full */
	struct frame_cpu *cpu_pool; /* full * ncpu slots, one allocation */
	struct tick_sum *ticks;     /* cap slots; commit k is in k % cap */
	double *cells;              /* [cap][METRIC_COUNT][ncpu], or NULL */
	uint32_t cap;               /* ticks of history (summaries, cells) */
	uint32_t full;              /* full frames, <= cap */
	uint32_t ncpu;
	uint32_t count;             /* ticks held, <= cap */
	/* Frames committed since ring_init, never reset: the tick at age a
	 * is commit number commits - 1 - a, a number no tick held before it
	 * (overwritten, or forgotten by ring_reset) had.  Readers that keep
	 * what they derived from a frame key it by this (ui/heatseries.c). */
	uint64_t commits;
};

/* cap ticks of history, min(cap, RING_FULL) full frames, with cells.
 * 0, or -1 (cap or ncpu 0, ncpu past FRAME_MAX_CPUS, out of memory). */
int ring_init(struct frame_ring *r, uint32_t cap, uint32_t ncpu);
/* The same with `full` full frames (1..cap) and cells only when asked:
 * batch and record modes draw no heatmap; tests keep every frame full
 * to compare with. */
int ring_init_full(struct frame_ring *r, uint32_t cap, uint32_t full, uint32_t ncpu, int cells);
void ring_free(struct frame_ring *r);
/* Bytes a ring of that shape holds once every slot is filled (what
 * ring_init_full reserves): the figure --history is checked against. */
uint64_t ring_bytes(uint32_t cap, uint32_t full, uint32_t ncpu, int cells);

/* The slot the next frame goes into, cleared; it is not visible until
 * ring_commit.  Overwrites the oldest full frame once those are all
 * held. */
struct frame *ring_begin(struct frame_ring *r);
/* Makes the frame from ring_begin the newest; derives its summary and
 * cells (the frame must be complete: stages have run). */
void ring_commit(struct frame_ring *r);
/* Forgets every tick (playback jumps); keeps the memory. */
void ring_reset(struct frame_ring *r);

/* age 0 is the newest tick.  The full frame: NULL past the oldest full
 * frame held (min(count, full)). */
const struct frame *ring_at_age(const struct frame_ring *r, uint32_t age);
/* The summary: NULL past the oldest tick held. */
const struct tick_sum *ring_tick_at_age(const struct frame_ring *r, uint32_t age);
/* Metric (enum metric_id)'s per_cpu values of the tick at age, ncpu
 * doubles (negative where the frame held none, as per_cpu); NULL past
 * the oldest tick held, or in a ring without cells. */
const double *ring_cells_at_age(const struct frame_ring *r, uint32_t age, int metric);
static inline uint32_t ring_count(const struct frame_ring *r) { return r->count; }
/* Full frames held. */
static inline uint32_t ring_full_count(const struct frame_ring *r)
{
	return r->count < r->full ? r->count : r->full;
}
/* The commit number of the tick at age (valid while age < count). */
static inline uint64_t ring_serial(const struct frame_ring *r, uint32_t age)
{
	return r->commits - 1 - age;
}
/* Ticks a window may read while the next frame is being filled (as when
 * every tick was a full frame: a full ring then had given up its
 * oldest); the windows (controller, correlator) read them as summaries. */
static inline uint32_t ring_history(const struct frame_ring *r)
{
	return r->count < r->cap ? r->count : r->cap - 1;
}

#endif
