// SPDX-License-Identifier: GPL-2.0-only
#include "record/codec.h"

#include <stdio.h>
#include <math.h>
#include <string.h>

#include "util/varint.h"

/* Structured fields. */
enum { ID_STATUS = 240, ID_RQ_HIST = 241, ID_PROCS = 242, ID_SERIES = 243, ID_APPS = 244,
       ID_APP_HIST = 245, ID_CORR_HIST = 246, ID_REGIME_WHY = 247, ID_NODES = 248, ID_HYGIENE = 249,
       ID_TOPO_NODES = 250, ID_LAG_R = 251, ID_RQ_OCT = 252, ID_SITES = 253, ID_CGROUPS = 254,
       ID_LIMIT = 512 };

/* On the wire each field starts with key = id * 2 + wire type, so a reader
 * can skip what it does not know: 0 = one varint, 1 = length + bytes. */
enum { WIRE_VARINT, WIRE_BYTES };

static const struct field *by_id[ID_LIMIT];

static const struct field *lookup(uint64_t id, enum field_scope scope)
{
	if (!by_id[1])
		for (size_t k = 0; k < frame_nfields; k++)
			by_id[frame_fields[k].id] = &frame_fields[k];
	if (id >= ID_LIMIT || !by_id[id] || by_id[id]->scope != scope)
		return NULL;
	return by_id[id];
}

/* A field's bytes go after a length we only know at the end: reserve
 * the varint's worst case, then move the body down. */
struct out {
	uint8_t *buf, *p, *end;
	int overflow;
};

static void put(struct out *o, uint64_t v)
{
	if (o->end - o->p < VARINT_MAX) {
		o->overflow = 1;
		return;
	}
	o->p += varint_put(o->p, v);
}

static void put_bytes(struct out *o, const void *b, size_t n)
{
	if ((size_t)(o->end - o->p) < n) {
		o->overflow = 1;
		return;
	}
	memcpy(o->p, b, n);
	o->p += n;
}

static uint8_t *open_field(struct out *o, unsigned int id)
{
	uint8_t *start;

	put(o, id * 2 + WIRE_BYTES);
	start = o->p;
	if (o->end - o->p < VARINT_MAX)
		o->overflow = 1;
	else
		o->p += VARINT_MAX;
	return start;
}

static void close_field(struct out *o, uint8_t *start)
{
	uint8_t len[VARINT_MAX];
	size_t body, n;

	if (o->overflow)
		return;
	body = (size_t)(o->p - (start + VARINT_MAX));
	n = varint_put(len, body);
	memmove(start + n, start + VARINT_MAX, body);
	memcpy(start, len, n);
	o->p = start + n + body;
}

static void encode_cpu_field(struct out *o, const struct field *fd, const struct frame *f)
{
	uint8_t *start;
	int any = 0;

	for (uint32_t c = 0; c < f->ncpu && !any; c++)
		any = field_bits(fd, &f->cpu[c]) != 0;
	if (!any) /* absent reads back as all zero */
		return;
	start = open_field(o, fd->id);
	for (uint32_t c = 0; c < f->ncpu; c++)
		put(o, field_bits(fd, &f->cpu[c]));
	close_field(o, start);
}

static void encode_status(struct out *o, const struct frame *f)
{
	uint8_t *start = open_field(o, ID_STATUS);

	for (int s = 0; s < SRC_MAX; s++) {
		size_t n = strnlen(f->status[s].reason, sizeof(f->status[s].reason));

		put(o, f->status[s].state);
		put(o, n);
		put_bytes(o, f->status[s].reason, n);
	}
	close_field(o, start);
}

/* Lists of records (processes, app series, apps): the count, then per
 * record its strings (length, bytes) and (id, value) pairs for its
 * non-zero fields of the list's scope. */
struct list_kind {
	unsigned int id;
	enum field_scope scope;
	size_t count_off, items_off, stride, max;
	size_t nstr, str_off[3], str_len[3];
};

#define LIST_STR(type, m) offsetof(type, m)
static const struct list_kind lists[] = {
	{ ID_PROCS, SCOPE_PROC, offsetof(struct frame, procs.n), offsetof(struct frame, procs.top),
	  sizeof(struct frame_proc), FRAME_TOP_PROCS, 1,
	  { LIST_STR(struct frame_proc, comm) }, { FRAME_COMM_LEN } },
	{ ID_SERIES, SCOPE_SERIES, offsetof(struct frame, nseries), offsetof(struct frame, series),
	  sizeof(struct frame_series), FRAME_SERIES, 1,
	  { LIST_STR(struct frame_series, label) }, { FRAME_LABEL_LEN } },
	{ ID_APPS, SCOPE_APP, offsetof(struct frame, napps), offsetof(struct frame, apps),
	  sizeof(struct frame_app), FRAME_APPS, 3,
	  { LIST_STR(struct frame_app, name), LIST_STR(struct frame_app, why),
	    LIST_STR(struct frame_app, mode_label) },
	  { FRAME_APP_NAME, FRAME_REASON_LEN, FRAME_LABEL_LEN } },
	{ ID_NODES, SCOPE_NODE, offsetof(struct frame, regime.nnodes), offsetof(struct frame, regime.nodes),
	  sizeof(struct frame_node_desk), FRAME_NODES, 0, { 0 }, { 0 } },
	{ ID_HYGIENE, SCOPE_HYG, offsetof(struct frame, hygiene.n), offsetof(struct frame, hygiene.item),
	  sizeof(struct frame_hyg_item), FRAME_HYGIENE, 1,
	  { LIST_STR(struct frame_hyg_item, observed) }, { FRAME_HYG_OBS } },
	{ ID_TOPO_NODES, SCOPE_TOPO_NODE, offsetof(struct frame, topo.nlist), offsetof(struct frame, topo.node),
	  sizeof(struct frame_node), FRAME_TOPO_NODES, 0, { 0 }, { 0 } },
};
#define NLISTS (sizeof(lists) / sizeof(lists[0]))

static uint32_t list_count(const struct list_kind *l, const struct frame *f)
{
	uint32_t n;

	memcpy(&n, (const uint8_t *)f + l->count_off, sizeof(n));
	return n < l->max ? n : (uint32_t)l->max;
}

/* A string: its length (up to cap, the buffer it lives in), its bytes. */
static void put_str(struct out *o, const char *str, size_t cap)
{
	size_t n = strnlen(str, cap);

	put(o, n);
	put_bytes(o, str, n);
}

/* The count of base's non-zero fields of scope in table, then each as
 * an (id, value) pair. */
static void put_pairs(struct out *o, const struct field *table, size_t ntable, enum field_scope scope,
		      const void *base)
{
	uint32_t nz = 0;

	for (size_t k = 0; k < ntable; k++)
		nz += table[k].scope == scope && field_bits(&table[k], base) != 0;
	put(o, nz);
	for (size_t k = 0; k < ntable; k++)
		if (table[k].scope == scope && field_bits(&table[k], base)) {
			put(o, table[k].id);
			put(o, field_bits(&table[k], base));
		}
}

static void encode_item(struct out *o, const struct list_kind *l, const uint8_t *item)
{
	for (size_t k = 0; k < l->nstr; k++)
		put_str(o, (const char *)item + l->str_off[k], l->str_len[k]);
	put_pairs(o, frame_fields, frame_nfields, l->scope, item);
}

static void encode_list(struct out *o, const struct list_kind *l, const struct frame *f)
{
	uint32_t n = list_count(l, f);
	uint8_t *start;

	if (!n)
		return;
	start = open_field(o, l->id);
	put(o, n);
	for (uint32_t i = 0; i < n; i++)
		encode_item(o, l, (const uint8_t *)f + l->items_off + i * l->stride);
	close_field(o, start);
}

/* 253, the call sites of the sampled process: the table's pairs
 * (site_fields, SCOPE_SITES), the site count, then per site the number
 * of strings and the strings (caller, user path, kernel path; a reader
 * keeps the ones it knows), then its pairs (SCOPE_SITE).  Absent while
 * the sampler is off (all zero): it reads back as all zero. */
static void encode_sites(struct out *o, const struct frame *f)
{
	const struct frame_sites *s = &f->sites;
	uint32_t n = s->n < FRAME_SITES ? s->n : FRAME_SITES;
	uint8_t *start;
	int any = n != 0;

	for (size_t k = 0; k < site_nfields && !any; k++)
		any = site_fields[k].scope == SCOPE_SITES && field_bits(&site_fields[k], s) != 0;
	if (!any)
		return;
	start = open_field(o, ID_SITES);
	put_pairs(o, site_fields, site_nfields, SCOPE_SITES, s);
	put(o, n);
	for (uint32_t i = 0; i < n; i++) {
		const struct frame_site *site = &s->site[i];

		put(o, 3);
		put_str(o, site->caller, sizeof(site->caller));
		put_str(o, site->upath, sizeof(site->upath));
		put_str(o, site->kpath, sizeof(site->kpath));
		put_pairs(o, site_fields, site_nfields, SCOPE_SITE, site);
	}
	close_field(o, start);
}

/* One cgroup of 254: its string count and path, its pairs (SCOPE_CGROUP),
 * then its summed counters as the per-process rows' pairs. */
static void put_cgroup(struct out *o, const struct frame_cgroup *cg)
{
	put(o, 1);
	put_str(o, cg->path, sizeof(cg->path));
	put_pairs(o, cgroup_fields, cgroup_nfields, SCOPE_CGROUP, cg);
	put_pairs(o, frame_fields, frame_nfields, SCOPE_PROC, &cg->sum);
}

/* 254, the churn per cgroup: the table's pairs (cgroup_fields,
 * SCOPE_CGROUPS), the string count and `why`, the cgroup count, each
 * cgroup (put_cgroup), then `other` the same way.  Absent while not
 * collected (all zero): it reads back as CGROUPS_NONE. */
static void encode_cgroups(struct out *o, const struct frame *f)
{
	static const struct frame_cgroups none;
	const struct frame_cgroups *g = &f->cgroups;
	uint32_t n = g->n < FRAME_TOP_CGROUPS ? g->n : FRAME_TOP_CGROUPS;
	uint8_t *start;

	if (!memcmp(g, &none, sizeof(none)))
		return;
	start = open_field(o, ID_CGROUPS);
	put_pairs(o, cgroup_fields, cgroup_nfields, SCOPE_CGROUPS, g);
	put(o, 1);
	put_str(o, g->why, sizeof(g->why));
	put(o, n);
	for (uint32_t i = 0; i < n; i++)
		put_cgroup(o, &g->top[i]);
	put_cgroup(o, &g->other);
	close_field(o, start);
}

/* 254: the key and length, the pairs, why, the count, then the top and
 * other, each its string count, path and two pair lists. */
size_t codec_bound_cgroups(void)
{
	size_t proc_rows = 0;

	for (size_t k = 0; k < frame_nfields; k++)
		proc_rows += frame_fields[k].scope == SCOPE_PROC;
	return 2 * VARINT_MAX + cgroup_nfields * 2 * VARINT_MAX + 3 * VARINT_MAX + FRAME_REASON_LEN +
	       (FRAME_TOP_CGROUPS + 1) * (3 * VARINT_MAX + FRAME_CGROUP_PATH +
					  (cgroup_nfields + proc_rows) * 2 * VARINT_MAX);
}

size_t codec_bound(uint32_t ncpu)
{
	size_t per_field = 2 * VARINT_MAX;
	size_t b = frame_nfields * (per_field + (size_t)ncpu * VARINT_MAX) +
		   SRC_MAX * (FRAME_STATUS_LEN + 2 * VARINT_MAX) + per_field +
		   2 * (LOGLIN_SLOTS * 2 * VARINT_MAX + per_field) +
		   2 * CORR_BUCKETS * 2 * VARINT_MAX + per_field + FRAME_REASON_LEN + per_field + 64;

	/* 252: per CPU its id and pair count, then pairs of an octave below
	 * 128 (one byte) and a 32-bit count (five at most) */
	b += per_field + (size_t)ncpu * (2 * VARINT_MAX + RQ_OCTAVES * (1 + 5));

	for (size_t k = 0; k < NLISTS; k++) {
		size_t item = frame_nfields * 2 * VARINT_MAX + VARINT_MAX;

		for (size_t j = 0; j < lists[k].nstr; j++)
			item += lists[k].str_len[j] + VARINT_MAX;
		b += per_field + VARINT_MAX + lists[k].max * item;
	}
	/* 253: the pairs, the count, per site its string count, three
	 * strings and its pairs */
	b += per_field + site_nfields * 2 * VARINT_MAX + 2 * VARINT_MAX +
	     FRAME_SITES * (4 * VARINT_MAX + FRAME_SITE_SYM + 2 * FRAME_SITE_PATH + site_nfields * 2 * VARINT_MAX +
			    VARINT_MAX);
	return b + codec_bound_cgroups();
}

/* The loglin histograms: (slot, count) pairs for the non-empty slots. */
static void encode_slots(struct out *o, unsigned int id, const uint32_t *slots)
{
	uint8_t *start;
	int any = 0;

	for (unsigned int s = 0; s < LOGLIN_SLOTS && !any; s++)
		any = slots[s] != 0;
	if (!any)
		return;
	start = open_field(o, id);
	for (unsigned int s = 0; s < LOGLIN_SLOTS; s++)
		if (slots[s]) {
			put(o, s);
			put(o, slots[s]);
		}
	close_field(o, start);
}

/* Each CPU's run-queue octaves (frame_cpu.rq_oct): per CPU with any
 * count, its id, the number of non-empty octaves, then (octave, count)
 * pairs; absent when no CPU has one. */
static void encode_rq_oct(struct out *o, const struct frame *f)
{
	uint8_t *start = NULL;

	for (uint32_t c = 0; c < f->ncpu; c++) {
		const uint32_t *oct = f->cpu[c].rq_oct;
		unsigned int n = 0;

		for (unsigned int k = 0; k < RQ_OCTAVES; k++)
			n += oct[k] != 0;
		if (!n)
			continue;
		if (!start)
			start = open_field(o, ID_RQ_OCT);
		put(o, c);
		put(o, n);
		for (unsigned int k = 0; k < RQ_OCTAVES; k++)
			if (oct[k]) {
				put(o, k);
				put(o, oct[k]);
			}
	}
	if (start)
		close_field(o, start);
}

/* The controller's transition line, only on ticks that have one. */
static void encode_why(struct out *o, const struct frame *f)
{
	size_t n = strnlen(f->regime.why, sizeof(f->regime.why));
	uint8_t *start;

	if (!n)
		return;
	start = open_field(o, ID_REGIME_WHY);
	put_bytes(o, f->regime.why, n);
	close_field(o, start);
}

/* The correlator's two coarse shapes: (bucket, count) pairs, the burst
 * pool's buckets numbered after the clean pool's. */
static void encode_corr_hist(struct out *o, const struct frame *f)
{
	const struct frame_corr *c = &f->corr;
	uint8_t *start;
	int any = 0;

	for (unsigned int b = 0; b < CORR_BUCKETS && !any; b++)
		any = c->clean_hist[b] || c->burst_hist[b];
	if (!any)
		return;
	start = open_field(o, ID_CORR_HIST);
	for (unsigned int b = 0; b < 2 * CORR_BUCKETS; b++) {
		uint32_t n = b < CORR_BUCKETS ? c->clean_hist[b] : c->burst_hist[b - CORR_BUCKETS];

		if (n) {
			put(o, b);
			put(o, n);
		}
	}
	close_field(o, start);
}

/* The correlator's r at each lag: (lag + FRAME_CORR_MAXLAG, float bits)
 * pairs, the lags without an r left out; absent when none was computed. */
static void encode_lag_r(struct out *o, const struct frame *f)
{
	uint8_t *start;

	if (!f->corr.nlags)
		return;
	start = open_field(o, ID_LAG_R);
	for (unsigned int k = 0; k < FRAME_CORR_LAGS && k < f->corr.nlags; k++) {
		uint32_t bits;

		if (isnan(f->corr.lag_rs[k]))
			continue;
		memcpy(&bits, &f->corr.lag_rs[k], sizeof(bits));
		put(o, k);
		put(o, bits);
	}
	close_field(o, start);
}

size_t frame_encode(const struct frame *f, uint8_t *buf, size_t cap)
{
	struct out o = { buf, buf, buf + cap, 0 };

	for (size_t k = 0; k < frame_nfields; k++) {
		const struct field *fd = &frame_fields[k];

		if (fd->scope == SCOPE_FRAME && field_bits(fd, f)) {
			put(&o, fd->id * 2u + WIRE_VARINT);
			put(&o, field_bits(fd, f));
		} else if (fd->scope == SCOPE_CPU) {
			encode_cpu_field(&o, fd, f);
		}
	}
	encode_status(&o, f);
	encode_slots(&o, ID_RQ_HIST, f->sys.rq_hist);
	encode_slots(&o, ID_APP_HIST, f->app_hist);
	encode_rq_oct(&o, f);
	encode_corr_hist(&o, f);
	encode_lag_r(&o, f);
	encode_why(&o, f);
	for (size_t k = 0; k < NLISTS; k++)
		encode_list(&o, &lists[k], f);
	encode_sites(&o, f);
	encode_cgroups(&o, f);
	return o.overflow ? 0 : (size_t)(o.p - buf);
}

/* Decoding: every read is bounds-checked; a malformed field fails the
 * whole frame (the record's CRC already passed, so this is a bug or a
 * hostile file, not a torn write). */
struct in {
	const uint8_t *p, *end;
};

static int get_u(struct in *in, uint64_t *v)
{
	return varint_get(&in->p, in->end, v);
}

static int decode_cpu_field(struct in *in, const struct field *fd, struct frame *f)
{
	for (uint32_t c = 0; in->p < in->end; c++) {
		uint64_t v;

		if (get_u(in, &v) < 0)
			return -1;
		if (c < f->ncpu)
			field_set_bits(fd, &f->cpu[c], v);
	}
	return 0;
}

static int decode_status(struct in *in, struct frame *f)
{
	for (int s = 0; s < SRC_MAX && in->p < in->end; s++) {
		uint64_t st, n;

		if (get_u(in, &st) < 0 || get_u(in, &n) < 0 || n > (uint64_t)(in->end - in->p))
			return -1;
		f->status[s].state = (uint8_t)st;
		memcpy(f->status[s].reason, in->p, n < FRAME_STATUS_LEN ? n : FRAME_STATUS_LEN - 1);
		in->p += n;
	}
	return 0;
}

static int decode_slots(struct in *in, uint32_t *slots)
{
	while (in->p < in->end) {
		uint64_t s, n;

		if (get_u(in, &s) < 0 || get_u(in, &n) < 0)
			return -1;
		if (s < LOGLIN_SLOTS)
			slots[s] = (uint32_t)n;
	}
	return 0;
}

/* CPUs past the frame's slots and octaves past RQ_OCTAVES (a larger
 * host's, a newer layout's) are read and dropped. */
static int decode_rq_oct(struct in *in, struct frame *f)
{
	while (in->p < in->end) {
		uint64_t c, n, k, v;

		if (get_u(in, &c) < 0 || get_u(in, &n) < 0)
			return -1;
		for (; n; n--) {
			if (get_u(in, &k) < 0 || get_u(in, &v) < 0)
				return -1;
			if (c < f->ncpu && k < RQ_OCTAVES)
				f->cpu[c].rq_oct[k] = (uint32_t)v;
		}
	}
	return 0;
}

static int decode_corr_hist(struct in *in, struct frame_corr *c)
{
	while (in->p < in->end) {
		uint64_t b, n;

		if (get_u(in, &b) < 0 || get_u(in, &n) < 0)
			return -1;
		if (b < CORR_BUCKETS)
			c->clean_hist[b] = (uint32_t)n;
		else if (b < 2 * CORR_BUCKETS)
			c->burst_hist[b - CORR_BUCKETS] = (uint32_t)n;
	}
	return 0;
}

static int decode_lag_r(struct in *in, struct frame_corr *c)
{
	for (int k = 0; k < FRAME_CORR_LAGS; k++)
		c->lag_rs[k] = NAN;
	c->nlags = FRAME_CORR_LAGS;
	while (in->p < in->end) {
		uint64_t k, bits;
		uint32_t b;

		if (get_u(in, &k) < 0 || get_u(in, &bits) < 0)
			return -1;
		b = (uint32_t)bits;
		if (k < FRAME_CORR_LAGS)
			memcpy(&c->lag_rs[k], &b, sizeof(b));
	}
	return 0;
}

/* A string into dst (cap bytes, kept terminated; NULL: skipped). */
static int get_str(struct in *in, char *dst, size_t cap)
{
	uint64_t n;

	if (get_u(in, &n) < 0 || n > (uint64_t)(in->end - in->p))
		return -1;
	if (dst)
		memcpy(dst, in->p, n < cap ? n : cap - 1);
	in->p += n;
	return 0;
}

/* A count of (id, value) pairs and the pairs; ids the table has no row
 * of that scope for (a newer writer's) are read and dropped. */
static int get_pairs(struct in *in, const struct field *table, size_t ntable, enum field_scope scope, void *base)
{
	uint64_t nz;

	if (get_u(in, &nz) < 0)
		return -1;
	while (nz--) {
		uint64_t id, v;
		const struct field *fd = NULL;

		if (get_u(in, &id) < 0 || get_u(in, &v) < 0)
			return -1;
		if (table == frame_fields) {
			fd = lookup(id, scope);
		} else {
			for (size_t k = 0; k < ntable && !fd; k++)
				if (table[k].id == id && table[k].scope == scope)
					fd = &table[k];
		}
		if (fd)
			field_set_bits(fd, base, v);
	}
	return 0;
}

static int decode_item(struct in *in, const struct list_kind *l, uint8_t *item)
{
	for (size_t k = 0; k < l->nstr; k++)
		if (get_str(in, (char *)item + l->str_off[k], l->str_len[k]) < 0)
			return -1;
	return get_pairs(in, frame_fields, frame_nfields, l->scope, item);
}

static int decode_list(struct in *in, const struct list_kind *l, struct frame *f)
{
	uint8_t scratch[sizeof(struct frame_app) > sizeof(struct frame_series) ?
			sizeof(struct frame_app) : sizeof(struct frame_series)];
	uint64_t n;
	uint32_t kept;

	_Static_assert(sizeof(struct frame_proc) <= sizeof(scratch) &&
		       sizeof(struct frame_node_desk) <= sizeof(scratch) &&
		       sizeof(struct frame_hyg_item) <= sizeof(scratch) &&
		       sizeof(struct frame_node) <= sizeof(scratch), "scratch item");
	if (get_u(in, &n) < 0)
		return -1;
	for (uint64_t i = 0; i < n; i++) {
		uint8_t *item = i < l->max ? (uint8_t *)f + l->items_off + i * l->stride : scratch;

		memset(item, 0, l->stride);
		if (decode_item(in, l, item) < 0)
			return -1;
	}
	kept = (uint32_t)(n < l->max ? n : l->max);
	memcpy((uint8_t *)f + l->count_off, &kept, sizeof(kept));
	return 0;
}

/* 253 (encode_sites); sites past FRAME_SITES and strings past the three
 * known are read and dropped, the count kept is what was stored. */
static int decode_sites(struct in *in, struct frame_sites *s)
{
	struct frame_site scratch;
	uint64_t n;

	if (get_pairs(in, site_fields, site_nfields, SCOPE_SITES, s) < 0 || get_u(in, &n) < 0)
		return -1;
	for (uint64_t i = 0; i < n; i++) {
		struct frame_site *site = i < FRAME_SITES ? &s->site[i] : &scratch;
		char *str[3] = { site->caller, site->upath, site->kpath };
		size_t cap[3] = { sizeof(site->caller), sizeof(site->upath), sizeof(site->kpath) };
		uint64_t nstr;

		memset(site, 0, sizeof(*site));
		if (get_u(in, &nstr) < 0)
			return -1;
		for (uint64_t k = 0; k < nstr; k++)
			if (get_str(in, k < 3 ? str[k] : NULL, k < 3 ? cap[k] : 0) < 0)
				return -1;
		if (get_pairs(in, site_fields, site_nfields, SCOPE_SITE, site) < 0)
			return -1;
	}
	s->n = (uint32_t)(n < FRAME_SITES ? n : FRAME_SITES);
	return 0;
}

/* One cgroup of 254 into cg (cleared first): strings past the path are
 * read and dropped. */
static int get_cgroup(struct in *in, struct frame_cgroup *cg)
{
	uint64_t nstr;

	memset(cg, 0, sizeof(*cg));
	if (get_u(in, &nstr) < 0)
		return -1;
	for (uint64_t k = 0; k < nstr; k++)
		if (get_str(in, k ? NULL : cg->path, k ? 0 : sizeof(cg->path)) < 0)
			return -1;
	if (get_pairs(in, cgroup_fields, cgroup_nfields, SCOPE_CGROUP, cg) < 0)
		return -1;
	return get_pairs(in, frame_fields, frame_nfields, SCOPE_PROC, &cg->sum);
}

/* 254 (encode_cgroups).  A newer writer's cgroups past FRAME_TOP_CGROUPS
 * are added to other, so the list still adds up to the host. */
static int decode_cgroups(struct in *in, struct frame_cgroups *g)
{
	struct frame_cgroup extra[2]; /* [0] each one past the top, [1] their sum */
	uint64_t nstr, n;

	memset(&extra[1], 0, sizeof(extra[1]));
	if (get_pairs(in, cgroup_fields, cgroup_nfields, SCOPE_CGROUPS, g) < 0 || get_u(in, &nstr) < 0)
		return -1;
	for (uint64_t k = 0; k < nstr; k++)
		if (get_str(in, k ? NULL : g->why, k ? 0 : sizeof(g->why)) < 0)
			return -1;
	if (get_u(in, &n) < 0)
		return -1;
	for (uint64_t i = 0; i < n; i++) {
		if (get_cgroup(in, i < FRAME_TOP_CGROUPS ? &g->top[i] : &extra[0]) < 0)
			return -1;
		if (i >= FRAME_TOP_CGROUPS) {
			frame_proc_add(&extra[1].sum, &extra[0].sum);
			extra[1].procs += extra[0].procs;
		}
	}
	if (get_cgroup(in, &g->other) < 0)
		return -1;
	frame_proc_add(&g->other.sum, &extra[1].sum);
	g->other.procs += extra[1].procs;
	if (n > FRAME_TOP_CGROUPS)
		g->others += (uint32_t)(n - FRAME_TOP_CGROUPS);
	g->n = (uint32_t)(n < FRAME_TOP_CGROUPS ? n : FRAME_TOP_CGROUPS);
	return 0;
}

static int decode_block(uint64_t id, struct in *body, struct frame *f)
{
	const struct field *fd;

	switch (id) {
	case ID_STATUS: return decode_status(body, f);
	case ID_RQ_HIST: return decode_slots(body, f->sys.rq_hist);
	case ID_APP_HIST: return decode_slots(body, f->app_hist);
	case ID_RQ_OCT: return decode_rq_oct(body, f);
	case ID_CORR_HIST: return decode_corr_hist(body, &f->corr);
	case ID_LAG_R: return decode_lag_r(body, &f->corr);
	case ID_SITES: return decode_sites(body, &f->sites);
	case ID_CGROUPS: return decode_cgroups(body, &f->cgroups);
	case ID_REGIME_WHY:
		memcpy(f->regime.why, body->p, (size_t)(body->end - body->p) < FRAME_REASON_LEN ?
			(size_t)(body->end - body->p) : FRAME_REASON_LEN - 1);
		return 0;
	}
	for (size_t k = 0; k < NLISTS; k++)
		if (lists[k].id == id)
			return decode_list(body, &lists[k], f);
	if ((fd = lookup(id, SCOPE_CPU)))
		return decode_cpu_field(body, fd, f);
	return 0; /* a newer writer's field: skipped */
}

static int decode_fields(struct in *in, struct frame *f)
{
	while (in->p < in->end) {
		uint64_t key, v;
		const struct field *fd;

		if (get_u(in, &key) < 0 || get_u(in, &v) < 0)
			return -1;
		if ((key & 1) == WIRE_BYTES) {
			struct in body;

			if (v > (uint64_t)(in->end - in->p))
				return -1;
			body = (struct in){ in->p, in->p + v };
			if (decode_block(key >> 1, &body, f) < 0)
				return -1;
			in->p = body.end;
		} else if ((fd = lookup(key >> 1, SCOPE_FRAME)) && fd->offset != offsetof(struct frame, ncpu)) {
			field_set_bits(fd, f, v); /* ncpu is the ring's, never the file's */
		}
	}
	return 0;
}

int frame_decode(const uint8_t *buf, size_t len, struct frame *f)
{
	struct in in = { buf, buf + len };
	uint32_t ncpu = f->ncpu;
	int rc;

	frame_clear(f);
	rc = decode_fields(&in, f);
	f->ncpu = ncpu; /* belt and braces: the next frame_clear trusts it */
	return rc;
}
