// SPDX-License-Identifier: GPL-2.0-only
#include "stages/rqpool.h"

#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

int rqpool_init(struct rqpool *p, uint32_t cap)
{
	memset(p, 0, sizeof(*p));
	p->kept_tick.cls = -1;
	p->size = cap ? cap : 1;
	p->tick = mem_zalloc(p->size, sizeof(*p->tick));
	return p->tick ? 0 : -1;
}

void rqpool_free(struct rqpool *p)
{
	free(p->tick);
	p->tick = NULL;
	p->valid = 0;
}

/* -1: no run-queue data; 0 clean; 1 burst (the controller's DVR split). */
static int8_t class_of(const struct tick_sum *f, double burst_rate)
{
	if (!(f->signals >> SIG_RUNQ & 1))
		return -1;
	return f->rate >= burst_rate;
}

static struct rqpool_tick *at(const struct rqpool *p, uint32_t i)
{
	return &p->tick[(p->first + i) % p->size];
}

/* A frame is named by its seq and mono_ns (seq alone repeats after a
 * restart or a seek). */
static int same(const struct rqpool_tick *t, const struct tick_sum *f)
{
	return t->seq == f->seq && t->mono_ns == f->mono_ns;
}

/* The kept copy is frame f's histogram. */
static int kept_is(const struct rqpool *p, const struct tick_sum *f)
{
	return p->kept_tick.cls >= 0 && same(&p->kept_tick, f);
}

static void add(struct rqpool *p, int cls, const uint32_t *h)
{
	if (cls < 0)
		return;
	for (unsigned int s = 0; s < LOGLIN_SLOTS; s++)
		p->pool[cls][s] += h[s];
	p->ticks[cls]++;
}

static void sub(struct rqpool *p, int cls, const uint32_t *h)
{
	if (cls < 0)
		return;
	for (unsigned int s = 0; s < LOGLIN_SLOTS; s++)
		p->pool[cls][s] -= h[s];
	p->ticks[cls]--;
}

static struct rqpool_tick tick_of(const struct tick_sum *f, double burst_rate)
{
	return (struct rqpool_tick){ .seq = f->seq, .mono_ns = f->mono_ns, .cls = class_of(f, burst_rate) };
}

/* The old way, and the fallback: every window frame added again. */
static void resum(struct rqpool *p, const struct tick_sum *const *win, size_t n, double burst_rate)
{
	memset(p->pool, 0, sizeof(p->pool));
	memset(p->ticks, 0, sizeof(p->ticks));
	p->first = p->n = 0;
	p->valid = n <= p->size; /* always, at the controller's cap */
	for (size_t k = 0; k < n; k++) {
		struct rqpool_tick t = tick_of(win[k], burst_rate);

		add(p, t.cls, win[k]->rq_hist);
		if (p->valid)
			*at(p, p->n++) = t;
	}
	p->resums++;
}

/* The histogram of pooled tick t, which was `age` frames back in r when
 * the window left it: still there if r has not reused its slot, else the
 * kept copy; NULL when neither holds it. */
static const uint32_t *left_hist(const struct rqpool *p, const struct frame_ring *r, size_t age,
				 const struct rqpool_tick *t)
{
	const struct tick_sum *f = age < UINT32_MAX ? ring_tick_at_age(r, (uint32_t)age) : NULL;

	if (f && same(t, f))
		return f->rq_hist;
	if (p->kept_tick.cls >= 0 && p->kept_tick.seq == t->seq && p->kept_tick.mono_ns == t->mono_ns)
		return p->kept; /* t names a frame r no longer holds */
	return NULL;
}

/* The window slid: the pooled ticks still in it must be the same frames,
 * in the same places and classes, with the previous tick newest and the
 * new one next in seq.  Subtracts the ticks that left, adds those the
 * window reached back to and the new one.  -1: re-sum instead (the pools
 * may be half done then; resum starts over). */
static int slide(struct rqpool *p, const struct tick_sum *const *win, size_t n, const struct frame_ring *r,
		 double burst_rate)
{
	const struct tick_sum *cur = win[n - 1];
	size_t old = n - 1, both, gone, grown;

	if (!p->valid || !p->n || n > p->size || cur->seq != at(p, p->n - 1)->seq + 1)
		return -1;
	/* pooled tick n-1-j is the frame j back from the previous one */
	both = p->n < old ? p->n : old;
	for (size_t j = 0; j < both; j++) {
		const struct rqpool_tick *t = at(p, (uint32_t)(p->n - 1 - j));
		const struct tick_sum *f = win[old - 1 - j];

		if (!same(t, f) || t->cls != class_of(f, burst_rate))
			return -1;
	}
	gone = p->n - both;
	for (size_t i = 0; i < gone; i++) {
		const struct rqpool_tick *t = at(p, (uint32_t)i);
		const uint32_t *h = t->cls < 0 ? NULL : left_hist(p, r, p->n - 1 - i, t);

		if (t->cls >= 0 && !h)
			return -1;
		sub(p, t->cls, h);
	}
	p->first = (p->first + (uint32_t)gone) % p->size;
	p->n -= (uint32_t)gone;
	/* a short tick can let the window reach further back than before */
	grown = old - both;
	p->first = (p->first + p->size - (uint32_t)grown) % p->size;
	p->n += (uint32_t)grown;
	for (size_t k = 0; k < grown; k++) {
		*at(p, (uint32_t)k) = tick_of(win[k], burst_rate);
		add(p, at(p, (uint32_t)k)->cls, win[k]->rq_hist);
	}
	*at(p, p->n) = tick_of(cur, burst_rate);
	add(p, at(p, p->n)->cls, cur->rq_hist);
	p->n++;
	return 0;
}

void rqpool_update(struct rqpool *p, const struct tick_sum *const *win, size_t n, const struct frame_ring *r,
		   double burst_rate)
{
	if (!n)
		return;
	if (slide(p, win, n, r, burst_rate) < 0)
		resum(p, win, n, burst_rate);
	/* the window reaches the oldest frame r holds: the next frame r takes
	 * may be written over it before it leaves the window */
	if (p->valid && n - 1 >= ring_history(r) && at(p, 0)->cls >= 0 && !kept_is(p, win[0])) {
		memcpy(p->kept, win[0]->rq_hist, sizeof(p->kept));
		p->kept_tick = *at(p, 0);
	}
}
