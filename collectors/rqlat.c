#include "rqlat.h"

#include <errno.h>
#include <stdlib.h>
#include <linux/types.h>
#include <bpf/libbpf.h>

#include "bank.h"
#include "delta.h"
#include "hist.h"
#include "mem.h"
#include "rqlat_shared.h"
#include "rqlat.skel.h"

struct rqlat_coll {
	struct banked b;
	uint32_t tick[LOGLIN_SLOTS];   /* one CPU's histogram this tick */
	uint32_t signals;
};

UNIT_GLUE(rqlat)

static const double quantile[RQ_QUANTILES] = {
	[RQ_P50] = 0.50, [RQ_P95] = 0.95, [RQ_P99] = 0.99, [RQ_P999] = 0.999,
};

static void prepare(void *skel, void *arg)
{
	const struct bpf_setup *setup = arg;

	bpf_map__set_max_entries(((struct rqlat_bpf *)skel)->maps.rq_banks, setup->nslots);
}

static struct bpf_map *bank_of(void *skel)
{
	return ((struct rqlat_bpf *)skel)->maps.rq_banks;
}

struct rqlat_coll *rqlat_open(const struct bpf_setup *s, int *err)
{
	struct rqlat_coll *t = mem_zalloc(1, sizeof(*t));
	const struct bpf_unit *u;

	if (!t) {
		*err = -ENOMEM;
		return NULL;
	}
	t->b.unit = (struct bpf_unit){ UNIT_OF(rqlat), .prepare = prepare, .arg = (void *)s };
	*err = banked_open(&t->b, s, bank_of, sizeof(struct rq_bank));
	if (*err < 0) {
		free(t);
		return NULL;
	}
	u = &t->b.unit;
	/* Delays need both ends: a wakeup and the switch that runs it. */
	if (unit_attached(u, "sched_switch") && unit_attached(u, "sched_wakeup"))
		t->signals = 1u << SIG_RUNQ;
	return t;
}

/* Slot counts are 32-bit and read while the CPU adds to them: differences
 * mod 2^32 stay right, and the tick's total is the sum of the slots. */
static void cpu_sample(struct rqlat_coll *t, struct frame *f, uint32_t c)
{
	const struct rq_bank *cur = bank_slot(&t->b.bank, c);
	struct rq_bank *prev = (struct rq_bank *)t->b.prev + c;
	struct frame_cpu *fc = &f->cpu[c];

	for (unsigned int s = 0; s < LOGLIN_SLOTS; s++) {
		uint32_t now = cur->slot[s];

		t->tick[s] = t->b.primed ? now - prev->slot[s] : 0;
		f->sys.rq_hist[s] += t->tick[s];
		prev->slot[s] = now;
	}
	fc->rq_count = hist_total(t->tick);
	for (int q = 0; q < RQ_QUANTILES; q++)
		fc->rq_q[q] = hist_quantile(t->tick, quantile[q]);
	fc->rq_max = hist_max(t->tick);
	fc->rq_preempt = t->b.primed ? delta_u64(prev->preempt, cur->preempt) : 0;
	fc->rq_negative = t->b.primed ? delta_u64(prev->negative, cur->negative) : 0;
	prev->preempt = cur->preempt;
	prev->negative = cur->negative;
}

void rqlat_sample(struct rqlat_coll *t, struct frame *f)
{
	uint32_t n = f->ncpu < t->b.bank.n ? f->ncpu : t->b.bank.n;

	for (uint32_t c = 0; c < n; c++)
		cpu_sample(t, f, c);
	t->b.primed = 1;
	f->signals |= t->signals;
}

const struct bpf_unit *rqlat_unit(const struct rqlat_coll *t)
{
	return &t->b.unit;
}

void rqlat_close(struct rqlat_coll *t)
{
	if (t)
		banked_close(&t->b);
	free(t);
}
