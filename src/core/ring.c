// SPDX-License-Identifier: GPL-2.0-only
#include "core/ring.h"
#include "util/mem.h"

#include <stdlib.h>

int ring_init(struct frame_ring *r, uint32_t cap, uint32_t ncpu)
{
	*r = (struct frame_ring){0};
	if (cap == 0 || ncpu == 0 || ncpu > FRAME_MAX_CPUS)
		return -1;
	r->frames = mem_zalloc(cap, sizeof(*r->frames));
	r->cpu_pool = mem_zalloc((size_t)cap * ncpu, sizeof(*r->cpu_pool));
	if (!r->frames || !r->cpu_pool) {
		ring_free(r);
		return -1;
	}
	for (uint32_t i = 0; i < cap; i++) {
		r->frames[i].cpu = r->cpu_pool + (size_t)i * ncpu;
		r->frames[i].ncpu = ncpu;
	}
	r->cap = cap;
	r->ncpu = ncpu;
	return 0;
}

void ring_free(struct frame_ring *r)
{
	free(r->frames);
	free(r->cpu_pool);
	*r = (struct frame_ring){0};
}

struct frame *ring_begin(struct frame_ring *r)
{
	struct frame *f = &r->frames[r->head];

	frame_clear(f);
	return f;
}

void ring_commit(struct frame_ring *r)
{
	r->head = (r->head + 1) % r->cap;
	r->commits++;
	if (r->count < r->cap)
		r->count++;
}

const struct frame *ring_at_age(const struct frame_ring *r, uint32_t age)
{
	if (age >= r->count)
		return NULL;
	return &r->frames[(r->head + r->cap - 1 - age) % r->cap];
}

void ring_reset(struct frame_ring *r)
{
	r->head = 0;
	r->count = 0;
}
