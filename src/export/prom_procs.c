// SPDX-License-Identifier: GPL-2.0-only
/* Per-process counters under the cardinality guard: K processes keep a
 * named series (pid, comm) that counts every tick they appear in the
 * frame's top list; everything else, every tick, goes into the one
 * pid="other" series.  So a burst between two scrapes is never lost: it
 * is in a named counter or in "other", and rate() finds it.
 *
 * Who is named: a free slot goes to the next process seen; a slot idle for
 * PROM_PROC_IDLE_NS goes to a newcomer; and a newcomer whose tick outweighs
 * twice the weakest slot's recent activity (halved every
 * PROM_PROC_HALF_LIFE_NS) takes that slot once it has been held
 * PROM_PROC_DWELL_NS, so a storm's sender is named within seconds while
 * series churn stays at most K per dwell.  A slot's series ends when it is
 * handed on (Prometheus marks it stale; what it counted since the last
 * scrape is not carried to "other", which must never step). */
#include "export/prom.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define PROM_PROC_IDLE_NS      (120 * 1000000000LL)
#define PROM_PROC_HALF_LIFE_NS (10 * 1000000000LL)
#define PROM_PROC_DWELL_NS     (10 * 1000000000LL)

/* What ranks a process for a slot: the IPIs it causes and its map calls
 * and faults, the figures a storm's sender has. */
static double weight(const struct frame_proc *p)
{
	double w = (double)p->fanout + (double)p->sent + (double)p->faults;

	for (int op = 0; op < MAP_OPS; op++)
		w += (double)p->ops[op];
	return w;
}

static int same(const struct frame_proc *a, const struct frame_proc *b)
{
	return a->tgid == b->tgid && !strncmp(a->comm, b->comm, FRAME_COMM_LEN);
}

/* The slot that counts p: its own, a free one, or one idle long enough;
 * -1 when every slot is busy (p then counts as "other"). */
static int slot_for(struct prom_procs *t, const struct frame_proc *p, int64_t now)
{
	int idle = -1, weak = -1;

	for (uint32_t i = 0; i < t->n; i++) {
		const struct prom_proc *s = &t->slot[i];

		if (same(&s->sum, p))
			return (int)i;
		if (idle < 0 && now - s->seen_ns > PROM_PROC_IDLE_NS)
			idle = (int)i;
		if (now - s->since_ns >= PROM_PROC_DWELL_NS && (weak < 0 || s->recent < t->slot[weak].recent))
			weak = (int)i;
	}
	if (t->n < t->k)
		idle = (int)t->n++;
	if (idle < 0 && weak >= 0 && weight(p) > 2 * t->slot[weak].recent)
		idle = weak;
	if (idle >= 0) {
		memset(&t->slot[idle], 0, sizeof(t->slot[idle]));
		t->slot[idle].sum.tgid = p->tgid;
		memcpy(t->slot[idle].sum.comm, p->comm, FRAME_COMM_LEN);
		t->slot[idle].since_ns = now;
	}
	return idle;
}

void prom_procs_init(struct prom_procs *t, uint32_t k)
{
	memset(t, 0, sizeof(*t));
	t->k = k < PROM_TOP_MAX ? k : PROM_TOP_MAX;
	snprintf(t->other.comm, FRAME_COMM_LEN, "other");
}

void prom_procs_accumulate(struct prom_procs *t, const struct frame *f)
{
	double decay = t->last_ns ? exp2(-(double)(f->mono_ns - t->last_ns) / PROM_PROC_HALF_LIFE_NS) : 1;

	for (uint32_t i = 0; i < t->n; i++)
		t->slot[i].recent *= decay;
	t->last_ns = f->mono_ns;
	frame_proc_add(&t->other, &f->procs.other);
	for (uint32_t i = 0; i < f->procs.n && i < FRAME_TOP_PROCS; i++) {
		const struct frame_proc *p = &f->procs.top[i];
		int s = slot_for(t, p, f->mono_ns);

		if (s < 0) {
			frame_proc_add(&t->other, p);
			continue;
		}
		frame_proc_add(&t->slot[s].sum, p);
		t->slot[s].seen_ns = f->mono_ns;
		t->slot[s].recent += weight(p);
	}
}

/* One per-process counter family: the uint64 at off in struct frame_proc
 * (the first of MAP_OPS when ops is set), divided by scale. */
struct proc_counter {
	const char *name, *help;
	int signal;
	size_t off;
	int ops;                   /* one series per map operation */
	double scale;
};

#define PROC_OFF(m) offsetof(struct frame_proc, m)

static const struct proc_counter proc_counters[] = {
	{ "stormtop_process_tlb_flushes_total", "TLB flushes the process started that sent IPIs.",
	  SIG_SENDERS, PROC_OFF(sent), 0, 1 },
	{ "stormtop_process_tlb_ipis_sent_total", "TLB shootdown IPIs the process caused, one per target CPU.",
	  SIG_TLB_FANOUT, PROC_OFF(fanout), 0, 1 },
	{ "stormtop_process_map_ops_total", "mmap, munmap, mprotect, madvise and mremap calls.",
	  SIG_MAP_OPS, PROC_OFF(ops), 1, 1 },
	{ "stormtop_process_page_faults_total", "User page faults.", SIG_FAULTS, PROC_OFF(faults), 0, 1 },
	{ "stormtop_process_pages_migrated_total", "Pages migrated.", SIG_MIGRATE, PROC_OFF(migrated), 0, 1 },
	{ "stormtop_process_reclaim_stall_seconds_total", "Time in direct reclaim.", SIG_RECLAIM,
	  PROC_OFF(reclaim_ns), 0, 1e9 },
};

static void proc_series(struct promtext *out, const struct proc_counter *g, const char *pid,
			const struct frame_proc *p)
{
	char labels[192];

	for (int op = 0; op < (g->ops ? MAP_OPS : 1); op++) {
		uint64_t v;

		memcpy(&v, (const uint8_t *)p + g->off + (size_t)op * sizeof(v), sizeof(v));
		labels[0] = '\0';
		prom_label(labels, sizeof(labels), "pid", pid);
		prom_label(labels, sizeof(labels), "comm", p->comm);
		if (g->ops)
			prom_label(labels, sizeof(labels), "op", map_op_name(op));
		if (g->scale == 1)
			promtext_u64(out, "", labels, v);
		else
			promtext_f64(out, "", labels, (double)v / g->scale);
	}
}

void prom_render_procs(struct promtext *out, const struct prom_totals *t, const struct frame *f,
		       uint32_t top_k)
{
	const struct prom_procs *pp = &t->procs;
	uint32_t k = top_k < pp->n ? top_k : pp->n;
	struct frame_proc rest = pp->other;
	char pid[16];

	for (uint32_t i = k; i < pp->n; i++) /* named by the totals, not by this render */
		frame_proc_add(&rest, &pp->slot[i].sum);
	for (size_t g = 0; g < sizeof(proc_counters) / sizeof(proc_counters[0]); g++) {
		if (!frame_has(f, proc_counters[g].signal))
			continue;
		promtext_family(out, proc_counters[g].name, PROM_COUNTER, proc_counters[g].help);
		for (uint32_t i = 0; i < k; i++) {
			snprintf(pid, sizeof(pid), "%d", pp->slot[i].sum.tgid);
			proc_series(out, &proc_counters[g], pid, &pp->slot[i].sum);
		}
		proc_series(out, &proc_counters[g], "other", &rest);
	}
	if (frame_has(f, SIG_SENDERS) || frame_has(f, SIG_MAP_OPS)) {
		uint32_t named = 0;

		for (uint32_t i = 0; i < f->procs.n; i++)
			for (uint32_t s = 0; s < k; s++)
				named += same(&f->procs.top[i], &pp->slot[s].sum);
		promtext_family(out, "stormtop_processes_other", PROM_GAUGE,
				"Active processes summed into the pid=\"other\" series in the latest tick.");
		promtext_u64(out, "", "", f->procs.others + (f->procs.n - named));
	}
}
