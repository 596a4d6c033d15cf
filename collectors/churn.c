// SPDX-License-Identifier: GPL-2.0-only
#include "collectors/churn.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/types.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "core/delta.h"
#include "churn_shared.h"
#include "churn.skel.h"
#include "churn_nocore.skel.h"
#include "collectors/bank.h"
#include "collectors/cgroupfs.h"
#include "collectors/hostfs.h"
#include "util/mem.h"

_Static_assert((int)CHURN_OPS == (int)MAP_OPS, "one list of map operations");
_Static_assert(CHURN_COMM_LEN == FRAME_COMM_LEN, "one comm length");

/* Entries a tick reads: procs's rows, and room for processes found only
 * in a CPU's cache (their row fell out of the LRU; one past this room is
 * counted when its slot is flushed, which makes its row again). */
#define CAP (CHURN_MAX_PROCS + CHURN_MAX_PROCS / 8)
#define TAB_SIZE (CHURN_MAX_PROCS * 2) /* power of two, above CAP */
/* Reads of procs and the caches retried while a slot moved between them. */
#define READ_TRIES 4
/* Distinct cgroups summed one by one in a tick; processes of any further
 * cgroup go straight into "other".  Far above a host's busy cgroups: each
 * needs a process with an event this tick. */
#define CG_MAX 1024
#define CG_SLOTS (CG_MAX * 2)

/* One cgroup's sum over this tick's active processes. */
struct cgsum {
	uint64_t id;
	uint32_t procs;
	struct frame_proc sum;
};

/* Last tick's counters of one tgid. */
struct seen {
	uint32_t tgid;
	uint32_t live;
	struct churn_proc c;
};

/* Two tables, swapped every tick: the new one holds exactly the tgids the
 * kernel still has, so exited processes fall out with no deletion. */
struct table {
	struct seen *slot;
	uint32_t *used;
	uint32_t nused;
};

/* tgid -> index into keys/vals while one tick's reading is merged. */
struct where {
	uint32_t tgid;
	uint32_t at;           /* index + 1; 0 empty */
};

struct churn_coll {
	struct bpf_unit unit;
	int map_fd;
	struct bank cache;     /* struct churn_cache per possible CPU */
	uint64_t *gen;         /* cache.n: each CPU's gen before the read */
	uint32_t cap;          /* CAP: keys, vals, cand, stamp */
	uint64_t *stamp;       /* cap: the latest slot's stamp per entry */
	struct where *ix;      /* ix_size */
	uint32_t ix_size;      /* TAB_SIZE */
	uint32_t *keys;
	struct churn_proc *vals;
	struct table tab[2];
	int cur;
	struct frame_proc *cand;
	uint8_t *picked;
	uint32_t ncand;
	uint32_t self;
	const char *root;      /* where /proc/PID/comm is read (bpf_setup.root) */
	uint32_t signals;
	int primed;
	int no_batch;          /* the kernel refused a batch lookup once */
	struct cgroupfs *cgfs; /* the cgroup2 mount: id -> path */
	struct cgsum *cg;      /* CG_MAX, this tick's */
	uint8_t *cg_picked;    /* CG_MAX */
	uint16_t *cg_slot;     /* CG_SLOTS: index into cg + 1, 0 empty */
	uint32_t ncg;
	uint32_t cg_spill;     /* processes summed into other for want of room */
};

UNIT_GLUE(churn)
UNIT_GLUE(churn_nocore)

static void prepare(void *skel, void *arg)
{
	const struct bpf_setup *setup = arg;

	((struct churn_bpf *)skel)->rodata->flush_tlb_func_addr = setup->flush_tlb_func;
	bpf_map__set_max_entries(((struct churn_bpf *)skel)->maps.cache, setup->nslots);
}

static void prepare_nocore(void *skel, void *arg)
{
	const struct bpf_setup *setup = arg;

	((struct churn_nocore_bpf *)skel)->rodata->flush_tlb_func_addr = setup->flush_tlb_func;
	bpf_map__set_max_entries(((struct churn_nocore_bpf *)skel)->maps.cache, setup->nslots);
}

/* CO-RE with kernel BTF; without, the object built to need none (names
 * are the running thread's, renames only a main thread's own). */
static struct bpf_unit unit_for(const struct bpf_setup *s)
{
	if (s->env.vmlinux)
		return (struct bpf_unit){ UNIT_OF(churn), .prepare = prepare, .arg = (void *)s };
	struct bpf_unit u = { UNIT_OF(churn_nocore), .prepare = prepare_nocore, .arg = (void *)s };

	u.name = "churn";
	return u;
}

static uint32_t signals_of(const struct bpf_unit *u)
{
	uint32_t s = 0;

	/* flush requests need tlb_flush alone; the IPIs they fan out to are
	 * gated by SIG_TLB_FANOUT (csd_queue_cpu and flush_tlb_func's address),
	 * so a kernel without csd tracepoints (before 6.5) keeps the requests */
	if (unit_attached(u, "tlb_flush"))
		s |= 1u << SIG_SENDERS;
	if (unit_attached(u, "sys_enter"))
		s |= 1u << SIG_MAP_OPS;
	if (unit_attached(u, "page_fault_user"))
		s |= 1u << SIG_FAULTS;
	if (unit_attached(u, "mm_migrate_pages"))
		s |= 1u << SIG_MIGRATE;
	if (unit_attached(u, "mm_compaction_begin"))
		s |= 1u << SIG_COMPACT;
	if (unit_attached(u, "mm_vmscan_direct_reclaim_begin") &&
	    unit_attached(u, "mm_vmscan_direct_reclaim_end"))
		s |= 1u << SIG_RECLAIM;
	return s;
}

static int alloc_buffers(struct churn_coll *t, uint32_t nslots)
{
	t->cap = CAP;
	t->ix_size = TAB_SIZE;
	t->keys = mem_zalloc(t->cap, sizeof(*t->keys));
	t->vals = mem_zalloc(t->cap, sizeof(*t->vals));
	t->cand = mem_zalloc(t->cap, sizeof(*t->cand));
	t->picked = mem_zalloc(t->cap, 1);
	t->stamp = mem_zalloc(t->cap, sizeof(*t->stamp));
	t->ix = mem_zalloc(t->ix_size, sizeof(*t->ix));
	t->gen = mem_zalloc(nslots, sizeof(*t->gen));
	if (!t->stamp || !t->ix || !t->gen)
		return -ENOMEM;
	t->cg = mem_zalloc(CG_MAX, sizeof(*t->cg));
	t->cg_picked = mem_zalloc(CG_MAX, 1);
	t->cg_slot = mem_zalloc(CG_SLOTS, sizeof(*t->cg_slot));
	t->cgfs = cgroupfs_open(t->root); /* the host's cgroups, also at a prefix */
	for (int i = 0; i < 2; i++) {
		t->tab[i].slot = mem_zalloc(TAB_SIZE, sizeof(struct seen));
		t->tab[i].used = mem_zalloc(CAP, sizeof(uint32_t));
	}
	if (!t->cg || !t->cg_picked || !t->cg_slot || !t->cgfs)
		return -ENOMEM;
	return t->keys && t->vals && t->cand && t->picked && t->tab[0].slot && t->tab[0].used &&
	       t->tab[1].slot && t->tab[1].used ? 0 : -ENOMEM;
}

struct churn_coll *churn_open(const struct bpf_setup *s, int *err)
{
	struct churn_coll *t = mem_zalloc(1, sizeof(*t));

	if (!t) {
		*err = -ENOMEM;
		return NULL;
	}
	/* the pid eBPF reports: the host's, also from inside a PID namespace */
	t->self = (uint32_t)hostfs_self_pid(s->root ? s->root : "");
	t->root = s->root ? s->root : "";
	t->unit = unit_for(s);
	*err = alloc_buffers(t, s->nslots);
	if (*err < 0) {
		churn_close(t);
		return NULL;
	}
	/* on failure the unit stays, saying why, with nothing to sample */
	*err = unit_load(&t->unit, &s->env);
	t->map_fd = *err < 0 ? -1 : bpf_object__find_map_fd_by_name(t->unit.object(t->unit.skel), "procs");
	if (t->map_fd >= 0) {
		int fd = bpf_object__find_map_fd_by_name(t->unit.object(t->unit.skel), "cache");
		int e = bank_map(&t->cache, fd, sizeof(struct churn_cache), s->nslots);

		if (e < 0) {
			unit_fail(&t->unit, e, "its per-CPU cache cannot be mapped");
			t->map_fd = -1;
			*err = e;
		}
	}
	t->signals = signals_of(&t->unit);
	return t;
}

/* The whole table in one or a few system calls; key-by-key where the
 * kernel has no batch lookup.  Returns the entry count. */
static uint32_t read_table(struct churn_coll *t)
{
	uint32_t total = 0, in = 0, out = 0, key, next;
	int first = 1;

	while (!t->no_batch) {
		uint32_t count = CHURN_MAX_PROCS - total;
		int err = bpf_map_lookup_batch(t->map_fd, first ? NULL : &in, &out, t->keys + total,
					       t->vals + total, &count, NULL);

		total += count;
		if (err < 0 && errno != ENOENT && first) {
			t->no_batch = 1; /* an old kernel: key by key from now on */
			total = 0;
			break;
		}
		if (err < 0 || total >= CHURN_MAX_PROCS)
			return total;
		in = out;
		first = 0;
	}
	for (int r = bpf_map_get_next_key(t->map_fd, NULL, &key); r == 0 && total < CHURN_MAX_PROCS;
	     r = bpf_map_get_next_key(t->map_fd, &key, &next), key = next)
		if (bpf_map_lookup_elem(t->map_fd, &key, &t->vals[total]) == 0)
			t->keys[total++] = key;
	return total;
}

static uint32_t hash(uint32_t tgid)
{
	return (tgid * 2654435761u) & (TAB_SIZE - 1);
}

static const struct churn_cache *cache_of(const struct churn_coll *t, uint32_t cpu)
{
	return bank_slot(&t->cache, cpu);
}

static uint64_t gen_of(const struct churn_coll *t, uint32_t cpu)
{
	return __atomic_load_n(&cache_of(t, cpu)->gen, __ATOMIC_ACQUIRE);
}

/* The entry of tgid among keys[0..*n), appended (zeroed, nameless) when
 * missing and there is room; NULL otherwise. */
static struct churn_proc *entry_of(struct churn_coll *t, uint32_t tgid, uint32_t *n)
{
	uint32_t mask = t->ix_size - 1;

	for (uint32_t i = (tgid * 2654435761u) & mask;; i = (i + 1) & mask) {
		struct where *w = &t->ix[i];

		if (w->at && w->tgid == tgid)
			return &t->vals[w->at - 1];
		if (!w->at) {
			if (*n >= t->cap)
				return NULL;
			memset(&t->vals[*n], 0, sizeof(t->vals[0]));
			t->keys[*n] = tgid;
			t->stamp[*n] = 0;
			*w = (struct where){ tgid, ++*n };
			return &t->vals[*n - 1];
		}
	}
}

static void ix_clear(struct churn_coll *t, uint32_t n)
{
	uint32_t mask = t->ix_size - 1;

	for (uint32_t k = 0; k < n; k++)
		for (uint32_t i = (t->keys[k] * 2654435761u) & mask;; i = (i + 1) & mask)
			if (t->ix[i].at == k + 1) {
				t->ix[i].at = 0;
				break;
			}
}

/* One CPU's slot added into its process's entry; the latest slot (by
 * stamp) gives the CPU and cgroup.  The slot is read while that CPU may
 * add to it: each counter is one aligned word, read once. */
static void merge_slot(struct churn_coll *t, uint32_t cpu, const struct churn_slot *s, uint32_t *n)
{
	uint32_t tgid = __atomic_load_n(&s->tgid, __ATOMIC_ACQUIRE);
	struct churn_proc *v;
	uint64_t stamp;

	if (!tgid || !(v = entry_of(t, tgid, n)))
		return;
#define TAKE(f) (v->f += __atomic_load_n(&s->f, __ATOMIC_RELAXED))
	TAKE(sent);
	TAKE(fanout);
	TAKE(pages);
	TAKE(full);
	for (int op = 0; op < CHURN_OPS; op++)
		TAKE(ops[op]);
	TAKE(faults);
#undef TAKE
	stamp = __atomic_load_n(&s->stamp, __ATOMIC_RELAXED) + 1; /* 0: none yet */
	if (stamp > t->stamp[v - t->vals]) {
		t->stamp[v - t->vals] = stamp;
		v->last_cpu = cpu + 1;
		v->cgroup_id = __atomic_load_n(&s->cgroup_id, __ATOMIC_RELAXED);
	}
}

/* procs plus every CPU's cache: what each process counted.  Read again
 * when a CPU moved a slot into procs meanwhile (its gen odd or changed),
 * which would count that slot twice or not at all; after READ_TRIES the
 * last reading stands.  Returns the entry count. */
static uint32_t read_all(struct churn_coll *t)
{
	uint32_t n = 0;

	for (int try = 0; try < READ_TRIES; try++) {
		int moved = 0;

		for (uint32_t c = 0; c < t->cache.n; c++)
			t->gen[c] = gen_of(t, c);
		n = read_table(t);
		for (uint32_t k = 0; k < n; k++) {
			uint32_t mask = t->ix_size - 1, i = (t->keys[k] * 2654435761u) & mask;

			while (t->ix[i].at)
				i = (i + 1) & mask;
			t->ix[i] = (struct where){ t->keys[k], k + 1 };
			t->stamp[k] = 0;
		}
		for (uint32_t c = 0; c < t->cache.n; c++)
			for (int i = 0; i < CHURN_CACHE_SLOTS; i++)
				merge_slot(t, c, &cache_of(t, c)->slot[i], &n);
		ix_clear(t, n);
		for (uint32_t c = 0; c < t->cache.n && !moved; c++)
			moved = (t->gen[c] & 1) || gen_of(t, c) != t->gen[c];
		if (!moved)
			break;
	}
	return n;
}


static struct seen *find(struct table *tab, uint32_t tgid, int insert)
{
	for (uint32_t i = hash(tgid);; i = (i + 1) & (TAB_SIZE - 1)) {
		struct seen *s = &tab->slot[i];

		if (s->live && s->tgid == tgid)
			return s;
		if (!s->live) {
			if (!insert)
				return NULL;
			s->live = 1;
			s->tgid = tgid;
			tab->used[tab->nused++] = i;
			return s;
		}
	}
}

static void table_clear(struct table *tab)
{
	for (uint32_t i = 0; i < tab->nused; i++)
		tab->slot[tab->used[i]].live = 0;
	tab->nused = 0;
}

static int proc_delta(struct frame_proc *d, const struct churn_proc *cur, const struct churn_proc *old)
{
	uint64_t any;

	memcpy(d->comm, cur->comm, sizeof(d->comm));
	d->comm[sizeof(d->comm) - 1] = '\0';
	d->sent = delta_u64(old->sent, cur->sent);
	d->fanout = delta_u64(old->fanout, cur->fanout);
	d->pages = delta_u64(old->pages, cur->pages);
	d->full = delta_u64(old->full, cur->full);
	any = d->sent | d->fanout;
	for (int op = 0; op < MAP_OPS; op++)
		any |= d->ops[op] = delta_u64(old->ops[op], cur->ops[op]);
	any |= d->faults = delta_u64(old->faults, cur->faults);
	any |= d->migrated = delta_u64(old->migrated, cur->migrated);
	any |= d->thp_split = delta_u64(old->thp_split, cur->thp_split);
	any |= d->compact = delta_u64(old->compact, cur->compact);
	any |= d->reclaim = delta_u64(old->reclaim, cur->reclaim);
	d->reclaim_ns = delta_u64(old->reclaim_ns, cur->reclaim_ns);
	d->on_cpu = cur->last_cpu;
	d->cgroup_id = cur->cgroup_id;
	return any != 0;
}

static uint64_t by_sends(const struct frame_proc *p) { return p->fanout + p->sent; }

static uint64_t by_map_ops(const struct frame_proc *p)
{
	uint64_t n = 0;

	for (int op = 0; op < MAP_OPS; op++)
		n += p->ops[op];
	return n;
}

static uint64_t by_mm(const struct frame_proc *p)
{
	return p->faults + p->migrated + p->compact + p->reclaim;
}

/* Rows to rank: n counters `stride` bytes apart (candidates, or cgroup
 * sums), with a picked flag each. */
struct rows {
	const char *first;     /* the first row's struct frame_proc */
	size_t stride;
	uint32_t n;
	uint8_t *picked;
};

static const struct frame_proc *row(const struct rows *r, uint32_t i)
{
	return (const struct frame_proc *)(const void *)(r->first + (size_t)i * r->stride);
}

/* Appends the best not-yet-picked rows by score to order until it holds
 * limit; returns its new length. */
static uint32_t pick(const struct rows *r, uint64_t (*score)(const struct frame_proc *), uint32_t limit,
		     uint32_t *order, uint32_t n)
{
	while (n < limit) {
		uint64_t best = 0;
		uint32_t at = 0;

		for (uint32_t i = 0; i < r->n; i++)
			if (!r->picked[i] && score(row(r, i)) > best) {
				best = score(row(r, i));
				at = i;
			}
		if (best == 0)
			break;
		r->picked[at] = 1;
		order[n++] = at;
	}
	return n;
}

/* The process table's ranking, for processes and cgroups alike: senders
 * first, then map churn, then faults and migrations. */
static uint32_t rank(const struct rows *r, uint32_t limit, uint32_t *order)
{
	uint32_t n = 0;

	memset(r->picked, 0, r->n);
	n = pick(r, by_sends, limit / 2, order, n);
	n = pick(r, by_map_ops, limit * 3 / 4, order, n);
	n = pick(r, by_mm, limit, order, n);
	n = pick(r, by_map_ops, limit, order, n);
	return pick(r, by_sends, limit, order, n);
}

/* What the top list left out, so that the list and "other" add up to
 * every process the kernel counted this tick. */
static void sum_others(const struct churn_coll *t, struct frame *f)
{
	struct frame_proc *o = &f->procs.other;

	memset(o, 0, sizeof(*o));
	strcpy(o->comm, "other");
	f->procs.others = 0;
	for (uint32_t i = 0; i < t->ncand; i++)
		if (!t->picked[i]) {
			frame_proc_add(o, &t->cand[i]);
			f->procs.others++;
		}
}

static void top_procs(struct churn_coll *t, struct frame *f)
{
	struct rows r = { (const char *)t->cand, sizeof(*t->cand), t->ncand, t->picked };
	uint32_t order[FRAME_TOP_PROCS];

	f->procs.n = rank(&r, FRAME_TOP_PROCS, order);
	for (uint32_t i = 0; i < f->procs.n; i++)
		f->procs.top[i] = t->cand[order[i]];
}

static uint32_t cg_hash(uint64_t id)
{
	return (uint32_t)((id * 0x9e3779b97f4a7c15ull) >> 40) & (CG_SLOTS - 1);
}

/* The sum of cgroup id this tick, or NULL when CG_MAX are already in use. */
static struct cgsum *cg_find(struct churn_coll *t, uint64_t id)
{
	for (uint32_t i = cg_hash(id);; i = (i + 1) & (CG_SLOTS - 1)) {
		uint16_t at = t->cg_slot[i];

		if (at && t->cg[at - 1].id == id)
			return &t->cg[at - 1];
		if (!at) {
			if (t->ncg >= CG_MAX)
				return NULL;
			t->cg_slot[i] = (uint16_t)++t->ncg;
			memset(&t->cg[t->ncg - 1], 0, sizeof(t->cg[0]));
			t->cg[t->ncg - 1].id = id;
			return &t->cg[t->ncg - 1];
		}
	}
}

static void cg_clear(struct churn_coll *t)
{
	for (uint32_t i = 0; i < t->ncg; i++) {
		uint32_t s = cg_hash(t->cg[i].id);

		while (t->cg_slot[s] != i + 1)
			s = (s + 1) & (CG_SLOTS - 1);
		t->cg_slot[s] = 0;
	}
	t->ncg = 0;
	t->cg_spill = 0;
}

static void cg_copy(struct churn_coll *t, struct frame_cgroup *to, const struct cgsum *from)
{
	to->id = from->id;
	to->procs = from->procs;
	to->sum = from->sum;
	to->sum.cgroup_id = from->id;
	cgroupfs_path(t->cgfs, from->id, to->path, sizeof(to->path));
}

/* Every process active this tick (the top list and "other" alike) summed
 * by the cgroup of its latest event; the top FRAME_TOP_CGROUPS by the
 * process table's ranking, the rest, and any past CG_MAX, in other. */
static void sum_cgroups(struct churn_coll *t, struct frame *f)
{
	struct frame_cgroups *g = &f->cgroups;
	struct rows r;
	uint32_t order[FRAME_TOP_CGROUPS];
	const char *why;

	g->state = (uint8_t)cgroupfs_state(t->cgfs, &why);
	if (g->state != CGROUPS_OK) {
		snprintf(g->why, sizeof(g->why), "%s", why);
		return;
	}
	cg_clear(t);
	memset(&g->other, 0, sizeof(g->other));
	for (uint32_t i = 0; i < t->ncand; i++) {
		struct cgsum *c = cg_find(t, t->cand[i].cgroup_id);

		if (!c) {
			frame_proc_add(&g->other.sum, &t->cand[i]);
			g->other.procs++;
			t->cg_spill++;
			continue;
		}
		frame_proc_add(&c->sum, &t->cand[i]);
		c->procs++;
	}
	r = (struct rows){ (const char *)&t->cg[0].sum, sizeof(*t->cg), t->ncg, t->cg_picked };
	g->n = rank(&r, FRAME_TOP_CGROUPS, order);
	for (uint32_t i = 0; i < g->n; i++)
		cg_copy(t, &g->top[i], &t->cg[order[i]]);
	/* each spilled process counts as a cgroup: an upper bound */
	g->others = t->cg_spill;
	for (uint32_t i = 0; i < t->ncg; i++)
		if (!t->cg_picked[i]) {
			frame_proc_add(&g->other.sum, &t->cg[i].sum);
			g->other.procs += t->cg[i].procs;
			g->others++;
		}
}

/* A process first seen through one of its other threads, on a kernel
 * without BTF, has no name in the table: the one it had last tick, else
 * /proc/PID/comm (read once; an exited process stays nameless). */
static void name_nameless(const char *root, struct churn_proc *c, const struct seen *prev, uint32_t tgid)
{
	char rel[32], name[CHURN_COMM_LEN + 2]; /* the name, its newline */

	if (c->comm[0])
		return;
	if (prev && prev->c.comm[0]) {
		memcpy(c->comm, prev->c.comm, sizeof(c->comm));
		return;
	}
	snprintf(rel, sizeof(rel), "/proc/%u/comm", tgid);
	if (hostfs_read(root, rel, name, sizeof(name)) > 0)
		snprintf(c->comm, sizeof(c->comm), "%.*s", (int)sizeof(c->comm) - 1, name);
}

void churn_sample(struct churn_coll *t, struct frame *f)
{
	struct table *old = &t->tab[t->cur], *now = &t->tab[t->cur ^ 1];
	static const struct churn_proc zero;
	uint32_t n;

	if (t->map_fd < 0) /* the unit did not load */
		return;
	n = read_all(t);

	table_clear(now);
	t->ncand = 0;
	for (uint32_t i = 0; i < n; i++) {
		struct seen *prev = find(old, t->keys[i], 0);
		struct frame_proc *d = &t->cand[t->ncand];

		d->tgid = (int32_t)t->keys[i];
		name_nameless(t->root, &t->vals[i], prev, t->keys[i]);
		/* New since last tick: its counters started at zero within it. */
		if (t->primed && proc_delta(d, &t->vals[i], prev ? &prev->c : &zero))
			t->ncand++;
		if (t->keys[i] == t->self && t->primed)
			f->sys.self_sent = d->sent;
		find(now, t->keys[i], 1)->c = t->vals[i];
	}
	t->cur ^= 1;
	t->primed = 1;
	top_procs(t, f);
	sum_others(t, f);
	sum_cgroups(t, f);
	f->signals |= t->signals;
}

const struct bpf_unit *churn_unit(const struct churn_coll *t)
{
	return &t->unit;
}

void churn_close(struct churn_coll *t)
{
	if (!t)
		return;
	unit_close(&t->unit);
	free(t->keys);
	free(t->vals);
	free(t->cand);
	free(t->picked);
	free(t->stamp);
	free(t->ix);
	free(t->gen);
	bank_unmap(&t->cache);
	free(t->cg);
	free(t->cg_picked);
	free(t->cg_slot);
	cgroupfs_close(t->cgfs);
	for (int i = 0; i < 2; i++) {
		free(t->tab[i].slot);
		free(t->tab[i].used);
	}
	free(t);
}
