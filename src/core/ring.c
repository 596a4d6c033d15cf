// SPDX-License-Identifier: GPL-2.0-only
#include "core/ring.h"

#include <sys/mman.h>

#include "core/metric.h"

/* One private anonymous mapping, reserved at set-up and never written
 * here: a slot's pages become resident when it is first written (a full
 * frame by ring_begin's clear, a summary and its cells by ring_commit),
 * so a ring holds only the ticks it has been given (a short session, a
 * short recording or a long --history costs what it keeps, not what it
 * could keep).  The first access to every page is that write, from the
 * thread that samples, so no page ever maps the shared zero page that a
 * later write would replace with a TLB flush (util/mem.h).  No huge
 * pages: khugepaged collapsing a half-filled range flushes too. */
static void *reserve(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	madvise(p, len, MADV_NOHUGEPAGE); /* best effort: a kernel without THP refuses */
	return p;
}

static size_t cells_len(const struct frame_ring *r)
{
	return (size_t)r->cap * METRIC_COUNT * r->ncpu * sizeof(*r->cells);
}

int ring_init_full(struct frame_ring *r, uint32_t cap, uint32_t full, uint32_t ncpu, int cells)
{
	*r = (struct frame_ring){0};
	if (cap == 0 || ncpu == 0 || ncpu > FRAME_MAX_CPUS || full == 0)
		return -1;
	r->cap = cap;
	r->full = full < cap ? full : cap;
	r->ncpu = ncpu;
	r->frames = reserve((size_t)r->full * sizeof(*r->frames));
	r->cpu_pool = reserve((size_t)r->full * ncpu * sizeof(*r->cpu_pool));
	r->ticks = reserve((size_t)cap * sizeof(*r->ticks));
	if (cells)
		r->cells = reserve(cells_len(r));
	if (!r->frames || !r->cpu_pool || !r->ticks || (cells && !r->cells)) {
		ring_free(r);
		return -1;
	}
	/* Every slot knows its CPUs from the start (callers may fill
	 * r->frames[i] directly).  Written, not read: one page per slot
	 * becomes resident now, the rest when ring_begin clears the slot. */
	for (uint32_t i = 0; i < r->full; i++) {
		r->frames[i].cpu = r->cpu_pool + (size_t)i * ncpu;
		r->frames[i].ncpu = ncpu;
	}
	return 0;
}

uint64_t ring_bytes(uint32_t cap, uint32_t full, uint32_t ncpu, int cells)
{
	uint64_t f = full < cap ? full : cap;

	return f * (sizeof(struct frame) + (uint64_t)ncpu * sizeof(struct frame_cpu)) +
	       (uint64_t)cap * sizeof(struct tick_sum) +
	       (cells ? (uint64_t)cap * METRIC_COUNT * ncpu * sizeof(double) : 0);
}

int ring_init(struct frame_ring *r, uint32_t cap, uint32_t ncpu)
{
	return ring_init_full(r, cap, RING_FULL, ncpu, 1);
}

void ring_free(struct frame_ring *r)
{
	if (r->frames)
		munmap(r->frames, (size_t)r->full * sizeof(*r->frames));
	if (r->cpu_pool)
		munmap(r->cpu_pool, (size_t)r->full * r->ncpu * sizeof(*r->cpu_pool));
	if (r->ticks)
		munmap(r->ticks, (size_t)r->cap * sizeof(*r->ticks));
	if (r->cells)
		munmap(r->cells, cells_len(r));
	*r = (struct frame_ring){0};
}

struct frame *ring_begin(struct frame_ring *r)
{
	struct frame *f = &r->frames[r->commits % r->full];

	frame_clear(f);
	return f;
}

/* Each metric's per_cpu of every CPU slot, as the heatmap read them off
 * the frame (-1 past the frame's ncpu). */
static void fill_cells(double *v, uint32_t ncpu, const struct frame *f)
{
	for (int m = 0; m < METRIC_COUNT; m++, v += ncpu)
		for (uint32_t c = 0; c < ncpu; c++)
			v[c] = c < f->ncpu ? metrics[m]->per_cpu(f, c) : -1;
}

void ring_commit(struct frame_ring *r)
{
	const struct frame *f = &r->frames[r->commits % r->full];
	size_t slot = r->commits % r->cap;

	tick_sum_fill(&r->ticks[slot], f);
	if (r->cells)
		fill_cells(r->cells + slot * METRIC_COUNT * r->ncpu, r->ncpu, f);
	r->commits++;
	if (r->count < r->cap)
		r->count++;
}

const struct frame *ring_at_age(const struct frame_ring *r, uint32_t age)
{
	if (age >= ring_full_count(r))
		return NULL;
	return &r->frames[(r->commits - 1 - age) % r->full];
}

const struct tick_sum *ring_tick_at_age(const struct frame_ring *r, uint32_t age)
{
	if (age >= r->count)
		return NULL;
	return &r->ticks[(r->commits - 1 - age) % r->cap];
}

const double *ring_cells_at_age(const struct frame_ring *r, uint32_t age, int metric)
{
	if (!r->cells || age >= r->count || metric < 0 || metric >= METRIC_COUNT)
		return NULL;
	return r->cells + ((r->commits - 1 - age) % r->cap * METRIC_COUNT + (size_t)metric) * r->ncpu;
}

void ring_reset(struct frame_ring *r)
{
	r->count = 0;
}
