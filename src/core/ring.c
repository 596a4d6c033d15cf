// SPDX-License-Identifier: GPL-2.0-only
#include "core/ring.h"

#include <sys/mman.h>

/* One private anonymous mapping, reserved at set-up and never written
 * here: a slot's pages become resident when ring_begin first clears it,
 * so a ring holds only the frames it has been given (a short session, a
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

int ring_init(struct frame_ring *r, uint32_t cap, uint32_t ncpu)
{
	*r = (struct frame_ring){0};
	if (cap == 0 || ncpu == 0 || ncpu > FRAME_MAX_CPUS)
		return -1;
	r->frames = reserve((size_t)cap * sizeof(*r->frames));
	r->cpu_pool = reserve((size_t)cap * ncpu * sizeof(*r->cpu_pool));
	r->cap = cap;
	r->ncpu = ncpu;
	if (!r->frames || !r->cpu_pool) {
		ring_free(r);
		return -1;
	}
	/* Every slot knows its CPUs from the start (callers may fill
	 * r->frames[i] directly).  Written, not read: one page per slot
	 * becomes resident now, the rest when ring_begin clears the slot. */
	for (uint32_t i = 0; i < cap; i++) {
		r->frames[i].cpu = r->cpu_pool + (size_t)i * ncpu;
		r->frames[i].ncpu = ncpu;
	}
	return 0;
}

void ring_free(struct frame_ring *r)
{
	if (r->frames)
		munmap(r->frames, (size_t)r->cap * sizeof(*r->frames));
	if (r->cpu_pool)
		munmap(r->cpu_pool, (size_t)r->cap * r->ncpu * sizeof(*r->cpu_pool));
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
