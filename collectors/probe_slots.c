// SPDX-License-Identifier: GPL-2.0-only
#include "collectors/probe_slots.h"

#include <stdlib.h>
#include <string.h>

#include "collectors/probe_check.h"
#include "collectors/probe_hist.h"

int probe_slots_size(struct probe_slots *ps, uint32_t n)
{
	if (!ps->snap) {
		ps->snap = malloc(sizeof(*ps->snap));
		ps->delta = malloc(sizeof(uint64_t) * STORMPROBE_BUCKETS);
		if (!ps->snap || !ps->delta)
			return -1;
	}
	if (n > ps->n) {
		struct slot_base *b = realloc(ps->base, sizeof(*b) * n);

		if (!b)
			return -1;
		ps->base = b;
		ps->n = n;
	}
	probe_slots_forget(ps);
	return 0;
}

void probe_slots_forget(struct probe_slots *ps)
{
	ps->primed = 0;
	for (uint32_t i = 0; i < ps->n; i++)
		ps->base[i].valid = 0;
}

void probe_slots_free(struct probe_slots *ps)
{
	free(ps->base);
	free(ps->snap);
	free(ps->delta);
	memset(ps, 0, sizeof(*ps));
}

struct snap_job {
	const struct stormprobe_slot *src;
	struct stormprobe_slot *dst;
	int torn;
};

/* The writer stores the count last with release: loading it first with
 * acquire means the histogram copy holds at least count samples.  A
 * generation that moved during the copy means the slot was reused. */
static void snap(void *arg)
{
	struct snap_job *j = arg;
	const struct stormprobe_slot *s = j->src;
	struct stormprobe_slot *d = j->dst;

	d->state = __atomic_load_n(&s->state, __ATOMIC_ACQUIRE);
	d->generation = __atomic_load_n(&s->generation, __ATOMIC_ACQUIRE);
	if (d->state != STORMPROBE_SLOT_ACTIVE && d->state != STORMPROBE_SLOT_RETIRED)
		return;
	memcpy(d, s, offsetof(struct stormprobe_slot, count));
	/* count then sum, back to back: they agree to within a sample */
	d->count = __atomic_load_n(&s->count, __ATOMIC_ACQUIRE);
	d->sum = __atomic_load_n(&s->sum, __ATOMIC_RELAXED);
	d->overflow = __atomic_load_n(&s->overflow, __ATOMIC_RELAXED);
	memcpy(d->hist, s->hist, sizeof(d->hist));
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	j->torn = __atomic_load_n(&s->generation, __ATOMIC_RELAXED) != d->generation ||
		  __atomic_load_n(&s->state, __ATOMIC_RELAXED) != d->state;
}

static void rebase(struct slot_base *b, const struct stormprobe_slot *s)
{
	b->valid = 1;
	b->generation = s->generation;
	b->state = s->state;
	b->count = s->count;
	b->sum = s->sum;
	b->overflow = s->overflow;
	memcpy(b->hist, s->hist, sizeof(b->hist));
}

static void describe(struct frame_series *out, const struct stormprobe_slot *s)
{
	memset(out, 0, sizeof(*out));
	out->kind = (uint8_t)s->kind;
	out->cpu = (int16_t)(s->cpu < -1 || s->cpu > 32767 ? -1 : s->cpu);
	out->tid = s->tid;
	memcpy(out->label, s->label, sizeof(out->label) - 1);
	out->label[sizeof(out->label) - 1] = '\0';
}

/* n and sum come from the count and sum loaded together; the histogram,
 * copied after them, may already hold a few samples of the next interval,
 * which only nudges the quantiles (and is conserved: the next interval
 * does not count them again). */
static void figures(struct frame_series *out, const uint64_t *delta, uint64_t in_hist,
		    const struct stormprobe_slot *s, const struct slot_base *b, unsigned int late_bucket)
{
	static const double qs[SERIES_QUANTILES] = { 0.50, 0.90, 0.99, 0.999 };

	out->n = s->count - b->count;
	out->sum_ns = s->sum - b->sum;
	out->overflow = s->overflow - b->overflow;
	for (int q = 0; q < SERIES_QUANTILES; q++)
		out->q[q] = probe_hist_quantile(delta, in_hist, qs[q]);
	out->max_ns = probe_hist_max(delta);
	for (unsigned int b = late_bucket; b < STORMPROBE_BUCKETS; b++)
		out->late += delta[b];
}

int probe_slots_read(struct probe_slots *ps, struct probe_seg *seg, uint32_t i,
		     struct frame_series *out)
{
	struct slot_base *b = &ps->base[i];
	struct snap_job j = { probe_seg_at(seg, probe_slot_offset(&seg->hdr, i), sizeof(*ps->snap)),
			      ps->snap, 0 };
	int64_t n;

	if (!j.src || probe_seg_guard(seg, snap, &j) < 0)
		return -1;
	if ((ps->snap->state != STORMPROBE_SLOT_ACTIVE && ps->snap->state != STORMPROBE_SLOT_RETIRED) ||
	    (ps->snap->kind != STORMPROBE_LATENCY && ps->snap->kind != STORMPROBE_PHASE)) {
		b->valid = 0;
		return 0;
	}
	if (b->valid && b->state == STORMPROBE_SLOT_RETIRED && ps->snap->state == STORMPROBE_SLOT_RETIRED &&
	    b->generation == ps->snap->generation)
		return 0; /* finished, and its last interval already told */
	describe(out, ps->snap);
	if (!j.torn && ps->primed && (!b->valid || b->generation != ps->snap->generation)) {
		/* claimed since we last looked: its counters began at zero */
		memset(b, 0, sizeof(*b));
		b->valid = 1;
		b->generation = ps->snap->generation;
	}
	if (j.torn || !b->valid || b->generation != ps->snap->generation ||
	    ps->snap->count < b->count ||
	    (n = probe_hist_delta(ps->snap->hist, b->hist, ps->delta)) < 0) {
		/* there before we looked, torn by a reuse, or went backwards:
		 * this copy is the next baseline */
		out->reset = 1;
		if (!j.torn)
			rebase(b, ps->snap);
		else
			b->valid = 0;
		return 1;
	}
	figures(out, ps->delta, (uint64_t)n, ps->snap, b, ps->late_bucket);
	rebase(b, ps->snap);
	/* a retired slot's last interval is worth telling only if it has one */
	return ps->snap->state == STORMPROBE_SLOT_ACTIVE || out->n ? 1 : 0;
}
