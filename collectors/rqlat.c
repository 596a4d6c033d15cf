// SPDX-License-Identifier: GPL-2.0-only
#include "collectors/rqlat.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>
#include <bpf/libbpf.h>

#include "collectors/bank.h"
#include "core/delta.h"
#include "core/hist.h"
#include "util/mem.h"
#include "rqlat_shared.h"
#include "rqlat.skel.h"
#include "rqlat_tp.skel.h"
#include "collectors/tpformat.h"

/* Where the classic tracepoints' records keep what rqlat_tp.bpf.c reads. */
struct rq_offsets {
	uint32_t wakeup_pid, wakeup_new_pid, prev_pid, prev_state, prev_state_size, next_pid;
};

struct rqlat_coll {
	struct banked b;
	const struct bpf_setup *setup;
	struct rq_offsets off;
	char why[768];                 /* why a path is ruled out */
	uint32_t tick[LOGLIN_SLOTS];   /* one CPU's histogram this tick */
	uint32_t signals;
};

UNIT_GLUE(rqlat)
UNIT_GLUE(rqlat_tp)

static const double quantile[RQ_QUANTILES] = {
	[RQ_P50] = 0.50, [RQ_P95] = 0.95, [RQ_P99] = 0.99, [RQ_P999] = 0.999,
};

static void prepare_btf(void *skel, void *arg)
{
	struct rqlat_bpf *s = skel;
	const struct rqlat_coll *t = arg;

	bpf_map__set_max_entries(s->maps.rq_banks, t->setup->nslots);
}

static void prepare_tp(void *skel, void *arg)
{
	struct rqlat_tp_bpf *s = skel;
	const struct rqlat_coll *t = arg;

	bpf_map__set_max_entries(s->maps.rq_banks, t->setup->nslots);
	s->rodata->wakeup_pid_off = t->off.wakeup_pid;
	s->rodata->wakeup_new_pid_off = t->off.wakeup_new_pid;
	s->rodata->switch_prev_pid_off = t->off.prev_pid;
	s->rodata->switch_prev_state_off = t->off.prev_state;
	s->rodata->switch_prev_state_size = t->off.prev_state_size;
	s->rodata->switch_next_pid_off = t->off.next_pid;
}

static struct bpf_map *bank_btf(void *skel)
{
	return ((struct rqlat_bpf *)skel)->maps.rq_banks;
}

static struct bpf_map *bank_tp(void *skel)
{
	return ((struct rqlat_tp_bpf *)skel)->maps.rq_banks;
}

/* One field of event's record, or why not (into t->why). */
static int field(struct rqlat_coll *t, const char *event, const char *text, const char *name,
		 uint32_t want_size, struct tp_field *out)
{
	int err = tpformat_field(text, name, out);

	if (err == 0 && (out->size == want_size || (!want_size && (out->size == 4 || out->size == 8))))
		return 0;
	snprintf(t->why, sizeof(t->why), "sched:%s record: %s %s", event, name,
		 err == -ENOENT ? "missing" : err ? "unreadable" : "of an unexpected size");
	return -1;
}

/* Reads the record layouts from tracefs; 0, or -1 with t->why. */
static int read_offsets(struct rqlat_coll *t, const char *root)
{
	static const char *const events[] = { "sched_wakeup", "sched_wakeup_new", "sched_switch" };
	char text[8192], path[512];
	struct tp_field f[6];

	for (int e = 0; e < 3; e++) {
		int n = tpformat_read(root, "sched", events[e], text, sizeof(text), path, sizeof(path));

		if (n < 0) {
			/* tracefs is root's alone by default: say how to open it */
			snprintf(t->why, sizeof(t->why), "needs tracefs (no kernel BTF): %s: %s%s", path, strerror(-n),
				 n == -EACCES ? " (run as root, or let its group read tracefs: mount -o remount,gid=GROUP,mode=750 /sys/kernel/tracing)" : "");
			return -1;
		}
		if (e < 2 && field(t, events[e], text, "pid", 4, &f[e]) < 0)
			return -1;
		if (e == 2 && (field(t, events[e], text, "prev_pid", 4, &f[2]) < 0 ||
			       field(t, events[e], text, "prev_state", 0, &f[3]) < 0 ||
			       field(t, events[e], text, "next_pid", 4, &f[4]) < 0))
			return -1;
	}
	t->off = (struct rq_offsets){ f[0].offset, f[1].offset, f[2].offset, f[3].offset, f[3].size,
				      f[4].offset };
	return 0;
}

/* Kernel BTF: tp_btf, or the raw_tp twins where its BTF lacks the
 * tracepoints.  No kernel BTF: the classic tracepoints. */
static void describe_unit(struct rqlat_coll *t, const struct bpf_setup *s)
{
	if (s->env.vmlinux) {
		t->b.unit = (struct bpf_unit){ UNIT_OF(rqlat), .prepare = prepare_btf, .arg = t };
		return;
	}
	t->b.unit = (struct bpf_unit){ UNIT_OF(rqlat_tp), .prepare = prepare_tp, .arg = t };
	t->b.unit.name = "rqlat";
	if (read_offsets(t, s->root ? s->root : "") < 0) {
		t->b.unit.avoid = 1u << FAM_TRACEPOINT;
		t->b.unit.avoid_why = t->why;
	}
}

struct rqlat_coll *rqlat_open(const struct bpf_setup *s, int *err)
{
	struct rqlat_coll *t = mem_zalloc(1, sizeof(*t));
	const struct bpf_unit *u;

	if (!t) {
		*err = -ENOMEM;
		return NULL;
	}
	t->setup = s;
	describe_unit(t, s);
	*err = banked_open(&t->b, s, s->env.vmlinux ? bank_btf : bank_tp, sizeof(struct rq_bank));
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
	memset(fc->rq_oct, 0, sizeof(fc->rq_oct));
	hist_fold_octaves(t->tick, fc->rq_oct);
	for (int q = 0; q < RQ_QUANTILES; q++)
		fc->rq_q[q] = hist_quantile(t->tick, quantile[q]);
	fc->rq_max = hist_max(t->tick);
	fc->rq_preempt = t->b.primed ? delta_u64(prev->preempt, cur->preempt) : 0;
	fc->rq_negative = t->b.primed ? delta_u64(prev->negative, cur->negative) : 0;
	fc->rq_missed = t->b.primed ? delta_u64(prev->missed, cur->missed) : 0;
	prev->preempt = cur->preempt;
	prev->negative = cur->negative;
	prev->missed = cur->missed;
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
