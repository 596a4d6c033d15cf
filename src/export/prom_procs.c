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
 * scrape is not carried to "other", which must never step).
 *
 * Cgroups go through the same guard (prom_cgroups_*): a slot is then a
 * cgroup, named by its id and labelled with its path. */
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

static int same(const struct prom_procs *t, const struct frame_proc *a, const struct frame_proc *b)
{
	if (t->cgroups)
		return a->cgroup_id == b->cgroup_id;
	return a->tgid == b->tgid && !strncmp(a->comm, b->comm, FRAME_COMM_LEN);
}

/* The slot that counts p: its own, a free one, or one idle long enough;
 * -1 when every slot is busy (p then counts as "other"). */
static int slot_for(struct prom_procs *t, const struct frame_proc *p, int64_t now)
{
	int idle = -1, weak = -1;

	for (uint32_t i = 0; i < t->n; i++) {
		const struct prom_proc *s = &t->slot[i];

		if (same(t, &s->sum, p))
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
		t->slot[idle].sum.cgroup_id = p->cgroup_id;
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

void prom_cgroups_init(struct prom_procs *t, uint32_t k)
{
	prom_procs_init(t, k);
	t->cgroups = 1;
}

/* Ages every slot's recent activity to the frame's time. */
static void decay_to(struct prom_procs *t, const struct frame *f)
{
	double decay = t->last_ns ? exp2(-(double)(f->mono_ns - t->last_ns) / PROM_PROC_HALF_LIFE_NS) : 1;

	for (uint32_t i = 0; i < t->n; i++)
		t->slot[i].recent *= decay;
	t->last_ns = f->mono_ns;
}

/* Counts p (a cgroup's: with its path) in its slot, or in other;
 * returns the slot or -1. */
static int count(struct prom_procs *t, const struct frame_proc *p, int64_t now)
{
	int s = slot_for(t, p, now);

	if (s < 0) {
		frame_proc_add(&t->other, p);
		return -1;
	}
	frame_proc_add(&t->slot[s].sum, p);
	t->slot[s].seen_ns = now;
	t->slot[s].recent += weight(p);
	return s;
}

void prom_procs_accumulate(struct prom_procs *t, const struct frame *f)
{
	decay_to(t, f);
	frame_proc_add(&t->other, &f->procs.other);
	for (uint32_t i = 0; i < f->procs.n && i < FRAME_TOP_PROCS; i++)
		count(t, &f->procs.top[i], f->mono_ns);
}

void prom_cgroups_accumulate(struct prom_procs *t, const struct frame *f)
{
	const struct frame_cgroups *g = &f->cgroups;

	if (g->state != CGROUPS_OK)
		return;
	decay_to(t, f);
	frame_proc_add(&t->other, &g->other.sum);
	for (uint32_t i = 0; i < g->n && i < FRAME_TOP_CGROUPS; i++) {
		int s = count(t, &g->top[i].sum, f->mono_ns);

		if (s >= 0) /* a cgroup renamed or moved keeps its id: the newest path names it */
			memcpy(t->slot[s].path, g->top[i].path, sizeof(t->slot[s].path));
	}
}

/* One per-process counter family: the uint64 at off in struct frame_proc
 * (the first of MAP_OPS when ops is set), divided by scale. */
struct proc_counter {
	const char *name, *help;   /* name after "stormtop_process_" or "stormtop_cgroup_" */
	const char *cg_help;       /* the cgroup family's, when help names the process */
	int signal;
	size_t off;
	int ops;                   /* one series per map operation */
	double scale;
};

#define PROC_OFF(m) offsetof(struct frame_proc, m)

static const struct proc_counter proc_counters[] = {
	{ "tlb_flushes_total", "TLB flushes the process started that sent IPIs.",
	  "TLB flushes the cgroup's processes started that sent IPIs.", SIG_SENDERS, PROC_OFF(sent), 0, 1 },
	{ "tlb_ipis_sent_total", "TLB shootdown IPIs the process caused, one per target CPU.",
	  "TLB shootdown IPIs the cgroup's processes caused, one per target CPU.",
	  SIG_TLB_FANOUT, PROC_OFF(fanout), 0, 1 },
	{ "map_ops_total", "mmap, munmap, mprotect, madvise and mremap calls.", NULL,
	  SIG_MAP_OPS, PROC_OFF(ops), 1, 1 },
	{ "page_faults_total", "User page faults.", NULL, SIG_FAULTS, PROC_OFF(faults), 0, 1 },
	{ "pages_migrated_total", "Pages migrated.", NULL, SIG_MIGRATE, PROC_OFF(migrated), 0, 1 },
	{ "reclaim_stall_seconds_total", "Time in direct reclaim.", NULL, SIG_RECLAIM,
	  PROC_OFF(reclaim_ns), 0, 1e9 },
};

/* One family's series of one slot: a process is named by pid (the
 * given text) and comm, a cgroup by cgroup (the given text, its path). */
static void proc_series(struct promtext *out, const struct proc_counter *g, int cgroups, const char *name,
			const struct frame_proc *p)
{
	char labels[3 * FRAME_CGROUP_PATH + 64]; /* a path whose every byte escapes to U+FFFD fits */

	for (int op = 0; op < (g->ops ? MAP_OPS : 1); op++) {
		uint64_t v;

		memcpy(&v, (const uint8_t *)p + g->off + (size_t)op * sizeof(v), sizeof(v));
		labels[0] = '\0';
		prom_label(labels, sizeof(labels), cgroups ? "cgroup" : "pid", name);
		if (!cgroups)
			prom_label(labels, sizeof(labels), "comm", p->comm);
		if (g->ops)
			prom_label(labels, sizeof(labels), "op", map_op_name(op));
		if (g->scale == 1)
			promtext_u64(out, "", labels, v);
		else
			promtext_f64(out, "", labels, (double)v / g->scale);
	}
}

/* Every counter family of pp's first k slots and the rest as "other". */
static void render_slots(struct promtext *out, const struct prom_procs *pp, const struct frame *f, uint32_t k)
{
	struct frame_proc rest = pp->other;
	char name[96], pid[16];

	for (uint32_t i = k; i < pp->n; i++) /* named by the totals, not by this render */
		frame_proc_add(&rest, &pp->slot[i].sum);
	for (size_t g = 0; g < sizeof(proc_counters) / sizeof(proc_counters[0]); g++) {
		if (!frame_has(f, proc_counters[g].signal))
			continue;
		snprintf(name, sizeof(name), "stormtop_%s_%s", pp->cgroups ? "cgroup" : "process",
			 proc_counters[g].name);
		promtext_family(out, name, PROM_COUNTER, pp->cgroups && proc_counters[g].cg_help ?
				proc_counters[g].cg_help : proc_counters[g].help);
		for (uint32_t i = 0; i < k; i++) {
			snprintf(pid, sizeof(pid), "%d", pp->slot[i].sum.tgid);
			proc_series(out, &proc_counters[g], pp->cgroups, pp->cgroups ? pp->slot[i].path : pid,
				    &pp->slot[i].sum);
		}
		proc_series(out, &proc_counters[g], pp->cgroups, "other", &rest);
	}
}

/* The rest of f's list (n items of stride bytes from first, each a
 * frame_proc at sum_off) that pp's first k slots do not name. */
static uint32_t unnamed(const struct prom_procs *pp, uint32_t k, const void *first, uint32_t n, size_t stride,
			size_t sum_off)
{
	uint32_t named = 0;

	for (uint32_t i = 0; i < n; i++)
		for (uint32_t s = 0; s < k; s++)
			named += same(pp, (const struct frame_proc *)((const uint8_t *)first + i * stride + sum_off),
				      &pp->slot[s].sum);
	return n - named;
}

void prom_render_cgroups(struct promtext *out, const struct prom_totals *t, const struct frame *f,
			 uint32_t top_k)
{
	const struct prom_procs *pp = &t->cgroups;
	const struct frame_cgroups *g = &f->cgroups;
	uint32_t k = top_k < pp->n ? top_k : pp->n;

	if (g->state != CGROUPS_OK && !pp->last_ns)
		return;
	render_slots(out, pp, f, k);
	if (g->state == CGROUPS_OK && (frame_has(f, SIG_SENDERS) || frame_has(f, SIG_MAP_OPS))) {
		uint32_t n = g->n < FRAME_TOP_CGROUPS ? g->n : FRAME_TOP_CGROUPS;

		promtext_family(out, "stormtop_cgroups_other", PROM_GAUGE,
				"Active cgroups summed into the cgroup=\"other\" series in the latest tick.");
		promtext_u64(out, "", "", g->others + unnamed(pp, k, g->top, n, sizeof(g->top[0]),
							     offsetof(struct frame_cgroup, sum)));
	}
}

void prom_render_procs(struct promtext *out, const struct prom_totals *t, const struct frame *f,
		       uint32_t top_k)
{
	const struct prom_procs *pp = &t->procs;
	uint32_t k = top_k < pp->n ? top_k : pp->n;

	render_slots(out, pp, f, k);
	if (frame_has(f, SIG_SENDERS) || frame_has(f, SIG_MAP_OPS)) {
		promtext_family(out, "stormtop_processes_other", PROM_GAUGE,
				"Active processes summed into the pid=\"other\" series in the latest tick.");
		promtext_u64(out, "", "", f->procs.others + unnamed(pp, k, f->procs.top, f->procs.n,
								   sizeof(f->procs.top[0]), 0));
	}
}
