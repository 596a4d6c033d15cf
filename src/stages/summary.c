// SPDX-License-Identifier: GPL-2.0-only
#include "stages/summary.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hist.h"
#include "core/metric.h"
#include "core/present.h"
#include "util/mem.h"
#include "util/quantile.h"

const int sum_metric_id[SUM_METRICS] = {
	[SUM_TLB] = METRIC_TLB_RX, [SUM_IOTLB] = METRIC_IOTLB, [SUM_RUNQ] = METRIC_RUNQ_P99,
	[SUM_JIT] = METRIC_JITTER,
};

struct summary *summary_new(uint32_t ncpu, size_t ticks, char *err, size_t errlen)
{
	struct summary *s;
	size_t cols = ticks < SUM_COLS ? ticks : SUM_COLS;
	/* a node in the heatmaps has a CPU: no more nodes than CPUs */
	uint32_t node_cap = ncpu < FRAME_TOPO_NODES ? ncpu : FRAME_TOPO_NODES;

	if (!ticks)
		ticks = cols = 1;
	if ((double)(ncpu + node_cap) * (double)ticks > SUM_MAX_CELLS) {
		snprintf(err, errlen, "%zu frames of %u CPUs is past %u cells: pick a shorter window (--from/--to)",
			 ticks, ncpu, SUM_MAX_CELLS);
		return NULL;
	}
	s = mem_zalloc(1, sizeof(*s));
	if (!s)
		goto oom;
	s->ncpu = ncpu;
	s->cap = ticks;
	s->ncols = (uint32_t)cols;
	s->node_cap = node_cap ? node_cap : 1;
	s->exists = mem_zalloc(ncpu, 1);
	s->node_of = mem_zalloc(ncpu, sizeof(*s->node_of));
	s->col_seq = mem_zalloc(cols, sizeof(*s->col_seq));
	s->col_wall = mem_zalloc(cols, sizeof(*s->col_wall));
	s->col_ticks = mem_zalloc(cols, sizeof(*s->col_ticks));
	s->col_tlb = mem_zalloc(cols, 1);
	s->col_iommu = mem_zalloc(cols, 1);
	s->tick_tlb = mem_zalloc((size_t)ncpu * ticks, sizeof(float));
	s->node_tick = mem_zalloc((size_t)s->node_cap * ticks, sizeof(float));
	s->runq_p99 = mem_zalloc(ticks, sizeof(float));
	s->app_p99 = mem_zalloc(ticks, sizeof(float));
	s->drill = mem_zalloc(1, sizeof(*s->drill));
	s->rq_oct = mem_zalloc((size_t)ncpu * RQ_OCTAVES, sizeof(uint32_t));
	s->cpu_rq = mem_zalloc(ncpu, sizeof(*s->cpu_rq));
	if (!s->rq_oct || !s->cpu_rq ||!s->exists || !s->node_of || !s->col_seq || !s->col_wall || !s->col_ticks || !s->col_tlb || !s->col_iommu ||
	    !s->tick_tlb || !s->node_tick || !s->runq_p99 || !s->app_p99 || !s->drill)
		goto oom;
	for (int m = 0; m < SUM_METRICS; m++) {
		s->cell[m] = mem_zalloc((size_t)ncpu * cols, sizeof(double));
		s->cnt[m] = mem_zalloc((size_t)ncpu * cols, sizeof(uint32_t));
		s->cpu[m] = mem_zalloc(ncpu, sizeof(struct sum_stat));
		if (!s->cell[m] || !s->cnt[m] || !s->cpu[m])
			goto oom;
	}
	drill_init(s->drill, 0);
	return s;
oom:
	snprintf(err, errlen, "out of memory for %zu frames of %u CPUs", ticks, ncpu);
	summary_free(s);
	return NULL;
}

void summary_free(struct summary *s)
{
	if (!s)
		return;
	free(s->exists);
	free(s->node_of);
	free(s->col_seq);
	free(s->col_wall);
	free(s->col_ticks);
	free(s->col_tlb);
	free(s->col_iommu);
	free(s->tick_tlb);
	free(s->node_tick);
	free(s->runq_p99);
	free(s->app_p99);
	free(s->drill);
	free(s->rq_oct);
	free(s->cpu_rq);
	for (int m = 0; m < SUM_METRICS; m++) {
		free(s->cell[m]);
		free(s->cnt[m]);
		free(s->cpu[m]);
	}
	free(s);
}

static void pool(uint32_t *into, const uint32_t *slots)
{
	for (unsigned int i = 0; i < LOGLIN_SLOTS; i++)
		into[i] = slots[i] > UINT32_MAX - into[i] ? UINT32_MAX : into[i] + slots[i];
}

/* The entry of (pid, comm), a new one, or NULL when full.  A full table
 * gives up the entry that sent the fewest flushes all window when the
 * newcomer sent more than that in this one tick (its sums go to other):
 * on a busy host short-lived processes fill the table before a storm
 * starts, and first-come rows would leave its sender out of the top. */
static struct frame_proc *proc_slot(struct summary *s, const struct frame_proc *p)
{
	struct frame_proc *e;

	for (uint32_t i = 0; i < s->nprocs; i++)
		if (s->procs[i].tgid == p->tgid && strncmp(s->procs[i].comm, p->comm, FRAME_COMM_LEN) == 0)
			return &s->procs[i];
	if (s->nprocs < SUM_PROCS) {
		e = &s->procs[s->nprocs++];
	} else {
		e = &s->procs[0];
		for (uint32_t i = 1; i < s->nprocs; i++)
			if (s->procs[i].sent < e->sent)
				e = &s->procs[i];
		if (p->sent <= e->sent)
			return NULL;
		frame_proc_add(&s->other, e);
	}
	*e = (struct frame_proc){ .tgid = p->tgid };
	memcpy(e->comm, p->comm, FRAME_COMM_LEN);
	e->comm[FRAME_COMM_LEN - 1] = '\0';
	return e;
}

static void add_procs(struct summary *s, const struct frame *f)
{
	for (uint32_t i = 0; i < f->procs.n && i < FRAME_TOP_PROCS; i++) {
		struct frame_proc *e = proc_slot(s, &f->procs.top[i]);

		frame_proc_add(e ? e : &s->other, &f->procs.top[i]);
	}
	frame_proc_add(&s->other, &f->procs.other);
}

/* The entry of (id, path), a new one, or NULL when full; a full table
 * gives up its least-sending entry as proc_slot does. */
static struct frame_cgroup *cgroup_slot(struct summary *s, const struct frame_cgroup *g)
{
	struct frame_cgroup *e;

	for (uint32_t i = 0; i < s->ncgroups; i++)
		if (s->cgroups[i].id == g->id && strncmp(s->cgroups[i].path, g->path, FRAME_CGROUP_PATH) == 0)
			return &s->cgroups[i];
	if (s->ncgroups < SUM_CGROUPS) {
		e = &s->cgroups[s->ncgroups++];
	} else {
		e = &s->cgroups[0];
		for (uint32_t i = 1; i < s->ncgroups; i++)
			if (s->cgroups[i].sum.sent < e->sum.sent)
				e = &s->cgroups[i];
		if (g->sum.sent <= e->sum.sent)
			return NULL;
		frame_proc_add(&s->cg_other.sum, &e->sum);
	}
	*e = (struct frame_cgroup){ .id = g->id, .sum.cgroup_id = g->id };
	memcpy(e->path, g->path, FRAME_CGROUP_PATH);
	e->path[FRAME_CGROUP_PATH - 1] = '\0';
	return e;
}

/* Frames without a per-cgroup view (state NONE: older recordings, no
 * eBPF) add nothing; a v1-only or unavailable state is kept with its why. */
static void add_cgroups(struct summary *s, const struct frame *f)
{
	const struct frame_cgroups *g = &f->cgroups;

	if (g->state == CGROUPS_NONE)
		return;
	s->cg_state = g->state;
	memcpy(s->cg_why, g->why, sizeof(s->cg_why));
	s->cg_why[sizeof(s->cg_why) - 1] = '\0';
	for (uint32_t i = 0; i < g->n && i < FRAME_TOP_CGROUPS; i++) {
		struct frame_cgroup *e = cgroup_slot(s, &g->top[i]);

		if (!e) {
			frame_proc_add(&s->cg_other.sum, &g->top[i].sum);
			continue;
		}
		frame_proc_add(&e->sum, &g->top[i].sum);
		if (g->top[i].procs > e->procs)
			e->procs = g->top[i].procs;
	}
	frame_proc_add(&s->cg_other.sum, &g->other.sum);
	if (g->others > s->cg_others)
		s->cg_others = g->others;
}

/* The entry of the sampled process tgid, a new one, or site_rest when
 * the table is full; its name from this frame's process list if it has
 * none yet. */
static struct sum_site_proc *site_proc(struct summary *s, const struct frame *f, int32_t tgid)
{
	struct sum_site_proc *p = NULL;

	for (uint32_t i = 0; i < s->nsite_procs && !p; i++)
		if (s->site_procs[i].tgid == tgid)
			p = &s->site_procs[i];
	if (!p && s->nsite_procs == SUM_SITE_PROCS)
		return &s->site_rest;
	if (!p) {
		p = &s->site_procs[s->nsite_procs++];
		p->tgid = tgid;
	}
	for (uint32_t i = 0; !p->comm[0] && i < f->procs.n && i < FRAME_TOP_PROCS; i++)
		if (f->procs.top[i].tgid == tgid) {
			memcpy(p->comm, f->procs.top[i].comm, FRAME_COMM_LEN);
			p->comm[FRAME_COMM_LEN - 1] = '\0';
		}
	return p;
}

static int same_str(const char *a, const char *b, size_t cap)
{
	return strncmp(a, b, cap) == 0;
}

/* A full site table's entry with the fewest events, moved into its
 * process's other, when x had more this tick (as proc_slot); else NULL. */
static struct sum_site *site_evict(struct summary *s, const struct frame_site *x)
{
	struct sum_site *e = &s->sites[0];

	for (uint32_t i = 1; i < s->nsites; i++)
		if (s->sites[i].site.events < e->site.events)
			e = &s->sites[i];
	if (x->events <= e->site.events)
		return NULL;
	for (uint32_t i = 0; i < s->nsite_procs; i++)
		if (s->site_procs[i].tgid == e->tgid) {
			s->site_procs[i].other_events += e->site.events;
			s->site_procs[i].other_ipis += e->site.ipis;
		}
	return e;
}

/* The entry of (tgid, site), a new one (its strings copied, NUL-ended
 * whatever the recording held), or NULL when full. */
static struct sum_site *site_slot(struct summary *s, int32_t tgid, const struct frame_site *x)
{
	struct sum_site *e;

	for (uint32_t i = 0; i < s->nsites; i++) {
		e = &s->sites[i];
		if (e->tgid == tgid && e->site.kind == x->kind && same_str(e->site.caller, x->caller, FRAME_SITE_SYM) &&
		    same_str(e->site.upath, x->upath, FRAME_SITE_PATH) && same_str(e->site.kpath, x->kpath, FRAME_SITE_PATH))
			return e;
	}
	e = s->nsites < SUM_SITES ? &s->sites[s->nsites++] : site_evict(s, x);
	if (!e)
		return NULL;
	e->tgid = tgid;
	e->site = *x;
	e->site.events = e->site.ipis = 0;
	e->site.caller[FRAME_SITE_SYM - 1] = '\0';
	e->site.upath[FRAME_SITE_PATH - 1] = '\0';
	e->site.kpath[FRAME_SITE_PATH - 1] = '\0';
	return e;
}

/* frame.sites (tgid 0: the sampler was off) into the process's entry and
 * its sites' entries; a site past the table, or of a process past its
 * table, counts in that process's other. */
static void add_sites(struct summary *s, const struct frame *f)
{
	const struct frame_sites *fs = &f->sites;
	struct sum_site_proc *p;

	if (!fs->tgid)
		return;
	p = site_proc(s, f, fs->tgid);
	p->ticks++;
	p->period = fs->period;
	p->other_events += fs->other_events;
	p->other_ipis += fs->other_ipis;
	p->events += fs->other_events;
	p->ipis += fs->other_ipis;
	for (uint32_t i = 0; i < fs->n && i < FRAME_SITES; i++) {
		const struct frame_site *x = &fs->site[i];
		struct sum_site *e = p == &s->site_rest ? NULL : site_slot(s, fs->tgid, x);

		p->events += x->events;
		p->ipis += x->ipis;
		if (e) {
			e->site.events += x->events;
			e->site.ipis += x->ipis;
		} else {
			p->other_events += x->events;
			p->other_ipis += x->ipis;
		}
	}
}

/* The node's index in s->node[], added when new (nodes past the table
 * share its last entry, as the frame's own tables do). */
static uint32_t node_index(struct summary *s, uint16_t node)
{
	for (uint32_t i = 0; i < s->nnodes; i++)
		if (s->node[i].node == node)
			return i;
	if (s->nnodes == s->node_cap)
		return s->node_cap - 1;
	s->node[s->nnodes].node = node;
	return s->nnodes++;
}

static void add_cpus(struct summary *s, const struct frame *f, size_t t, uint32_t col)
{
	double nsum[FRAME_TOPO_NODES] = { 0 };
	uint32_t nn[FRAME_TOPO_NODES] = { 0 };

	for (uint32_t c = 0; c < s->ncpu; c++) {
		s->tick_tlb[(size_t)c * s->cap + t] = NAN;
		if (!frame_cpu_exists(f, c))
			continue;
		s->exists[c] = 1;
		s->node_of[c] = f->cpu[c].node;
		if (rq_oct_present(f, c))
			for (unsigned int k = 0; k < RQ_OCTAVES; k++) {
				uint32_t *o = &s->rq_oct[(size_t)c * RQ_OCTAVES + k];

				*o = f->cpu[c].rq_oct[k] > UINT32_MAX - *o ? UINT32_MAX : *o + f->cpu[c].rq_oct[k];
			}
		for (int m = 0; m < SUM_METRICS; m++) {
			double v = metrics[sum_metric_id[m]]->per_cpu(f, c);
			size_t k = (size_t)c * s->ncols + col;

			if (v < 0)
				continue;
			s->cell[m][k] += v; /* a sum until summary_finish */
			s->cnt[m][k]++;
			if (m == SUM_TLB) {
				uint32_t i = node_index(s, f->cpu[c].node);

				s->tick_tlb[(size_t)c * s->cap + t] = (float)v;
				nsum[i] += v;
				nn[i]++;
			}
		}
	}
	for (uint32_t i = 0; i < s->nnodes; i++)
		s->node_tick[(size_t)i * s->cap + t] = nn[i] ? (float)(nsum[i] / nn[i]) : NAN;
}

static uint8_t max8(uint8_t a, uint8_t b)
{
	return a > b ? a : b;
}

void summary_add(struct summary *s, const struct frame *f)
{
	size_t t = s->ticks;
	uint32_t col;

	if (t >= s->cap)
		return;
	col = (uint32_t)(t * s->ncols / s->cap);
	if (!t) {
		s->first_wall = f->wall_ns;
		s->first_seq = f->seq;
	}
	if (!s->col_ticks[col]) {
		s->col_seq[col] = f->seq;
		s->col_wall[col] = f->wall_ns;
	}
	s->col_ticks[col]++;
	s->last_wall = f->wall_ns;
	s->last_seq = f->seq;
	if (!s->interval_ns && f->interval_ns > 0)
		s->interval_ns = f->interval_ns;
	s->seconds += f->interval_ns > 0 ? (double)f->interval_ns / 1e9 : 0;
	s->signals |= f->signals;
	s->irq_present |= f->irq_present;
	add_cpus(s, f, t, col);
	s->runq_p99[t] = (float)tick_runq_p99_ns(f);
	s->app_p99[t] = (float)tick_app_p99_ns(f);
	if (frame_has(f, SIG_RUNQ))
		pool(s->rq_hist, f->sys.rq_hist);
	if (frame_has(f, SIG_APP_LAT))
		pool(s->app_hist, f->app_hist);
	s->col_tlb[col] = max8(s->col_tlb[col], f->regime.tlb);
	s->col_iommu[col] = max8(s->col_iommu[col], f->regime.iommu);
	add_procs(s, f);
	add_cgroups(s, f);
	add_sites(s, f);
	if (f->corr.window) {
		s->corr = *f;
		s->corr.cpu = NULL;
	}
	if (f->hygiene.n)
		s->hygiene = f->hygiene;
	s->topo = f->topo;
	memcpy(s->status, f->status, sizeof(s->status));
	drill_add(s->drill, f, NULL);
	s->ticks++;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

struct sum_stat sum_stat_of(const float *v, size_t n, double *scratch)
{
	struct sum_stat st = { .mean = NAN, .sd = NAN, .p99 = NAN };
	double sum = 0, ss = 0;
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (!isnan(v[i])) {
			scratch[k++] = v[i];
			sum += v[i];
		}
	st.n = (uint32_t)k;
	if (!k)
		return st;
	st.mean = sum / (double)k;
	for (size_t i = 0; i < k; i++)
		ss += (scratch[i] - st.mean) * (scratch[i] - st.mean);
	if (k > 1)
		st.sd = sqrt(ss / (double)(k - 1));
	qsort(scratch, k, sizeof(double), cmp_double);
	st.p99 = scratch[quantile_rank(k, 0.99) - 1];
	return st;
}

int sum_beyond_noise(const struct sum_stat *a, const struct sum_stat *b, double floor)
{
	double d, se;

	if (a->n < 2 || b->n < 2 || isnan(a->sd) || isnan(b->sd))
		return 0;
	d = fabs(b->mean - a->mean);
	se = sqrt(a->sd * a->sd / a->n + b->sd * b->sd / b->n);
	return d > 3 * se && d > floor;
}

/* Most TLB flushes sent first, then most IPIs, then pid. */
static int cmp_proc(const void *a, const void *b)
{
	const struct frame_proc *x = a, *y = b;

	if (x->sent != y->sent)
		return x->sent < y->sent ? 1 : -1;
	if (x->fanout != y->fanout)
		return x->fanout < y->fanout ? 1 : -1;
	return (x->tgid > y->tgid) - (x->tgid < y->tgid);
}

/* The same order for cgroups, then by id. */
static int cmp_cgroup(const void *a, const void *b)
{
	const struct frame_cgroup *x = a, *y = b;

	if (x->sum.sent != y->sum.sent)
		return x->sum.sent < y->sum.sent ? 1 : -1;
	if (x->sum.fanout != y->sum.fanout)
		return x->sum.fanout < y->sum.fanout ? 1 : -1;
	return (x->id > y->id) - (x->id < y->id);
}

/* Most events first, then most IPIs, then tgid and kind, then the
 * strings: the same window gives the same order. */
static int cmp_site(const void *a, const void *b)
{
	const struct sum_site *x = a, *y = b;
	int c;

	if (x->site.events != y->site.events)
		return x->site.events < y->site.events ? 1 : -1;
	if (x->site.ipis != y->site.ipis)
		return x->site.ipis < y->site.ipis ? 1 : -1;
	if (x->tgid != y->tgid)
		return x->tgid < y->tgid ? -1 : 1;
	if (x->site.kind != y->site.kind)
		return x->site.kind < y->site.kind ? -1 : 1;
	if ((c = strcmp(x->site.caller, y->site.caller)) || (c = strcmp(x->site.kpath, y->site.kpath)))
		return c;
	return strcmp(x->site.upath, y->site.upath);
}

static int cmp_site_proc(const void *a, const void *b)
{
	const struct sum_site_proc *x = a, *y = b;

	if (x->events != y->events)
		return x->events < y->events ? 1 : -1;
	return (x->tgid > y->tgid) - (x->tgid < y->tgid);
}

/* The per-CPU stats over ticks: TLB from its per-tick values, the others
 * from the cells (a column mean weighted by its ticks is the tick mean;
 * their sd and p99 are not kept per tick, so only the mean is given). */
static void cpu_stats(struct summary *s, double *scratch)
{
	for (uint32_t c = 0; c < s->ncpu; c++) {
		s->cpu[SUM_TLB][c] = sum_stat_of(&s->tick_tlb[(size_t)c * s->cap], s->ticks, scratch);
		for (int m = SUM_IOTLB; m < SUM_METRICS; m++) {
			double sum = 0;
			uint32_t n = 0;

			for (uint32_t k = 0; k < s->ncols; k++) {
				sum += s->cell[m][(size_t)c * s->ncols + k];
				n += s->cnt[m][(size_t)c * s->ncols + k];
			}
			s->cpu[m][c] = (struct sum_stat){ .n = n, .mean = n ? sum / n : NAN, .sd = NAN, .p99 = NAN };
		}
	}
}

/* The octave holding the nearest-rank q-quantile of n pooled delays. */
static unsigned int oct_rank(const uint64_t *oct, uint64_t n, double q)
{
	uint64_t rank = quantile_rank(n, q), seen = 0;
	unsigned int k;

	for (k = 0; k + 1 < RQ_OCTAVES; k++) {
		seen += oct[k];
		if (seen >= rank)
			break;
	}
	return k;
}

static struct sum_rq rq_of(const uint64_t *oct)
{
	struct sum_rq r = { 0 };
	unsigned int k;

	for (k = 0; k < RQ_OCTAVES; k++)
		r.n += oct[k];
	if (!r.n)
		return r;
	k = oct_rank(oct, r.n, 0.5);
	r.p50_lo = hist_octave_low(k);
	r.p50_hi = hist_octave_high(k);
	k = oct_rank(oct, r.n, 0.99);
	r.p99_lo = hist_octave_low(k);
	r.p99_hi = hist_octave_high(k);
	return r;
}

/* Each CPU's pooled octaves, and each node's (its CPUs' added up). */
static void rq_stats(struct summary *s)
{
	for (uint32_t c = 0; c < s->ncpu; c++) {
		uint64_t oct[RQ_OCTAVES];

		for (unsigned int k = 0; k < RQ_OCTAVES; k++)
			oct[k] = s->rq_oct[(size_t)c * RQ_OCTAVES + k];
		s->cpu_rq[c] = rq_of(oct);
	}
	for (uint32_t i = 0; i < s->nnodes; i++) {
		uint64_t node[RQ_OCTAVES] = { 0 };

		for (uint32_t c = 0; c < s->ncpu; c++)
			if (s->exists[c] && s->node_of[c] == s->node[i].node)
				for (unsigned int k = 0; k < RQ_OCTAVES; k++)
					node[k] += s->rq_oct[(size_t)c * RQ_OCTAVES + k];
		s->node[i].rq = rq_of(node);
	}
}

void summary_finish(struct summary *s)
{
	double *scratch = mem_zalloc(s->ticks ? s->ticks : 1, sizeof(double));

	if (!scratch)
		return;
	cpu_stats(s, scratch);
	for (int m = 0; m < SUM_METRICS; m++)
		for (size_t k = 0; k < (size_t)s->ncpu * s->ncols; k++)
			s->cell[m][k] = s->cnt[m][k] ? s->cell[m][k] / s->cnt[m][k] : NAN;
	for (uint32_t i = 0; i < s->nnodes; i++) {
		s->node[i].cpus = 0;
		for (uint32_t c = 0; c < s->ncpu; c++)
			s->node[i].cpus += s->exists[c] && s->node_of[c] == s->node[i].node;
		s->node[i].tlb = sum_stat_of(&s->node_tick[(size_t)i * s->cap], s->ticks, scratch);
	}
	rq_stats(s);
	s->runq_tick = sum_stat_of(s->runq_p99, s->ticks, scratch);
	s->app_tick = sum_stat_of(s->app_p99, s->ticks, scratch);
	s->pool_rq_p50 = hist_quantile(s->rq_hist, 0.5);
	s->pool_rq_p99 = hist_quantile(s->rq_hist, 0.99);
	s->pool_app_p50 = hist_quantile(s->app_hist, 0.5);
	s->pool_app_p99 = hist_quantile(s->app_hist, 0.99);
	qsort(s->procs, s->nprocs, sizeof(s->procs[0]), cmp_proc);
	qsort(s->cgroups, s->ncgroups, sizeof(s->cgroups[0]), cmp_cgroup);
	qsort(s->sites, s->nsites, sizeof(s->sites[0]), cmp_site);
	qsort(s->site_procs, s->nsite_procs, sizeof(s->site_procs[0]), cmp_site_proc);
	free(scratch);
}
