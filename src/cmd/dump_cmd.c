// SPDX-License-Identifier: GPL-2.0-only
/* stormtop dump: a recording as CSV (one row per frame and CPU) or JSON
 * lines (one object per frame), with column names from the codec's table
 * so they stay stable across versions. */
#include "cmd/app.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/field.h"
#include "core/hist.h"
#include "util/csv.h"
#include "core/hygiene.h"
#include "util/json.h"
#include "core/present.h"
#include "record/recreader.h"
#include "util/strlist.h"
#include "record/timesel.h"
#include "util/when.h"
#include "util/text.h"

struct dump {
	const struct options *o;
	struct rec_reader *r;
	const struct field *cols[256];  /* the per-CPU columns asked for */
	const char *names[256];         /* their names */
	uint8_t said[256];              /* CSV: columns said to be empty */
	int ncols;
	int octaves;               /* JSON: each CPU's rq_hist_octaves */
	uint8_t *mask;
	struct time_sel sel;       /* --from/--to on the recording's timeline */
};

static int pick_columns(struct dump *d, char *err, size_t errlen)
{
	for (size_t k = 0; k < frame_nfields; k++) {
		const struct field *fd = &frame_fields[k];

		if (fd->scope == SCOPE_CPU && (!d->o->read.metrics || list_has(d->o->read.metrics, fd->name)) &&
		    d->ncols < (int)(sizeof(d->cols) / sizeof(d->cols[0]))) {
			d->names[d->ncols] = fd->name;
			d->cols[d->ncols++] = fd;
		}
	}
	d->octaves = !d->o->read.metrics || list_has(d->o->read.metrics, "rq_hist_octaves");
	for (const char *p = d->o->read.metrics; p && *p;) {
		size_t len = strcspn(p, ",");
		int found = len == strlen("rq_hist_octaves") && !strncmp(p, "rq_hist_octaves", len);

		for (int i = 0; i < d->ncols; i++)
			found |= strlen(d->cols[i]->name) == len && !strncmp(d->cols[i]->name, p, len);
		if (!found) {
			snprintf(err, errlen, "--metrics: no per-CPU column '%.*s' (see docs/FORMAT.md)", (int)len, p);
			return -1;
		}
		p += len + (p[len] == ',');
	}
	return 0;
}

static int64_t frame_wall(const void *r, size_t i)
{
	return rec_reader_time(r, i);
}

/* --from/--to: the frames whose local wall-clock reading is in the
 * window, on the recording's timeline (src/record/timesel.h). */
static int range(struct dump *d, char *err, size_t errlen)
{
	struct timeline tl = { rec_reader_count(d->r), frame_wall, d->r, rec_reader_meta(d->r)->interval_ns };

	if (!d->o->read.from && !d->o->read.to) {
		d->sel = (struct time_sel){ .from = INT64_MIN, .to = INT64_MAX };
		return 0;
	}
	return timesel_window(&tl, d->o->read.from, d->o->read.to, &d->sel, err, errlen);
}

/* pre, then the name when named (name_sep after it), then the value. */
static void print_field(const char *pre, const char *name_sep, const struct field *fd, const void *base,
			int present)
{
	char v[48];

	/* a figure the frame does not have, or that could not be computed
	 * (NAN), is JSON null, CSV empty: never 0 */
	if (present && isfinite(field_value(fd, base)))
		field_format(fd, base, v, sizeof(v));
	else
		snprintf(v, sizeof(v), "%s", *name_sep ? "null" : "");
	if (*name_sep)
		printf("%s%s%s%s", pre, fd->name, name_sep, v);
	else
		printf("%s%s", pre, v);
}

static void csv_header(const struct dump *d)
{
	fputs("seq,wall_ns,time,interval_ns,cpu", stdout);
	for (int i = 0; i < d->ncols; i++) {
		putchar(',');
		csv_field(stdout, d->cols[i]->name);
	}
	putchar('\n');
}

static void csv_frame(const struct dump *d, const struct frame *f)
{
	char t[40];

	when_format(f->wall_ns, 'T', t, sizeof(t));
	for (uint32_t c = 0; c < f->ncpu; c++) {
		if (!frame_cpu_exists(f, c) || (d->mask && !d->mask[c]))
			continue;
		printf("%llu,%lld,", (unsigned long long)f->seq, (long long)f->wall_ns);
		csv_field(stdout, t); /* every cell that is not a number goes through csv_field */
		printf(",%lld,%u", (long long)f->interval_ns, c);
		for (int i = 0; i < d->ncols; i++)
			print_field(",", "", d->cols[i], &f->cpu[c], field_present_cpu(f, d->cols[i], c));
		putchar('\n');
	}
}

/* The fields of table of one record of scope; f gates them (NULL: all present). */
static void json_table(const struct field *table, size_t n, enum field_scope scope, const void *base,
		       const struct frame *f)
{
	int first = 1;

	for (size_t k = 0; k < n; k++)
		if (table[k].scope == scope) {
			print_field(first ? "\"" : ",\"", "\":", &table[k], base,
				    !f || field_available(f, &table[k], NULL, 0));
			first = 0;
		}
}

static void json_fields(enum field_scope scope, const void *base, const struct frame *f)
{
	json_table(frame_fields, frame_nfields, scope, base, f);
}

/* The sampled process's call sites (record 253): its fields, then a list
 * like procs, each site's kind named and its strings beside its fields;
 * null when the sampler was off. */
static void json_sites(const struct frame *f)
{
	const struct frame_sites *s = &f->sites;

	fputs(",\"sites\":", stdout);
	if (!s->tgid) {
		fputs("null", stdout);
		return;
	}
	putchar('{');
	json_table(site_fields, site_nfields, SCOPE_SITES, s, f);
	fputs(",\"list\":[", stdout);
	for (uint32_t i = 0; i < s->n && i < FRAME_SITES; i++) {
		const struct frame_site *site = &s->site[i];

		printf("%s{\"kind_name\":", i ? "," : "");
		json_string(site_kind_name(site->kind));
		fputs(",\"caller\":", stdout);
		json_string(site->caller);
		fputs(",\"upath\":", stdout);
		json_string(site->upath);
		fputs(",\"kpath\":", stdout);
		json_string(site->kpath);
		putchar(',');
		json_table(site_fields, site_nfields, SCOPE_SITE, site, f);
		putchar('}');
	}
	fputs("]}", stdout);
}

/* One cgroup: its path, its own fields, then its summed counters under
 * the per-process rows' names (the counters only: its pid and CPU mean
 * nothing, its cgroup id is its own field). */
static void json_cgroup(const struct frame_cgroup *cg, const struct frame *f)
{
	fputs("{\"path\":", stdout);
	json_string(cg->path);
	putchar(',');
	json_table(cgroup_fields, cgroup_nfields, SCOPE_CGROUP, cg, f);
	for (size_t k = 0; k < frame_nfields; k++)
		if (frame_fields[k].scope == SCOPE_PROC && frame_fields[k].figure == FIG_COUNTER)
			print_field(",\"", "\":", &frame_fields[k], &cg->sum,
				    field_available(f, &frame_fields[k], NULL, 0));
	putchar('}');
}

/* The churn per cgroup (record 254): the table's fields and why, then a
 * list like procs and the rest summed in other; null when not collected
 * (older recordings, no eBPF). */
static void json_cgroups(const struct frame *f)
{
	static const char *const names[] = { "none", "ok", "v1_only", "unavailable" };
	const struct frame_cgroups *g = &f->cgroups;

	fputs(",\"cgroups\":", stdout);
	if (g->state == CGROUPS_NONE) {
		fputs("null", stdout);
		return;
	}
	putchar('{');
	json_table(cgroup_fields, cgroup_nfields, SCOPE_CGROUPS, g, f);
	fputs(",\"state_name\":", stdout);
	json_string(g->state < sizeof(names) / sizeof(names[0]) ? names[g->state] : "?");
	fputs(",\"why\":", stdout);
	json_string(g->why);
	fputs(",\"list\":[", stdout);
	for (uint32_t i = 0; i < g->n && i < FRAME_TOP_CGROUPS; i++) {
		fputs(i ? "," : "", stdout);
		json_cgroup(&g->top[i], f);
	}
	fputs("],\"other\":", stdout);
	json_cgroup(&g->other, f);
	putchar('}');
}

/* A loglin histogram as {"lower bound": count}; null without its signal. */
static void json_slots(const char *name, const uint32_t *slots, int present)
{
	int first = 1;

	printf(",\"%s\":", name);
	if (!present) {
		fputs("null", stdout);
		return;
	}
	putchar('{');
	for (unsigned int s = 0; s < LOGLIN_SLOTS; s++)
		if (slots[s]) {
			printf("%s\"%llu\":%u", first ? "" : ",", (unsigned long long)loglin_low(s), slots[s]);
			first = 0;
		}
	putchar('}');
}

/* A CPU's run-queue octaves as {"lower bound ns": count}, the non-empty
 * ones; an octave ends where the next power of two starts (docs/FORMAT.md).
 * null where the frame does not hold them (rq_oct_present). */
static void json_octaves(const struct frame *f, uint32_t c)
{
	int first = 1;

	fputs(",\"rq_hist_octaves\":", stdout);
	if (!rq_oct_present(f, c)) {
		fputs("null", stdout);
		return;
	}
	putchar('{');
	for (unsigned int k = 0; k < RQ_OCTAVES; k++)
		if (f->cpu[c].rq_oct[k]) {
			printf("%s\"%llu\":%u", first ? "" : ",", (unsigned long long)hist_octave_low(k),
			       f->cpu[c].rq_oct[k]);
			first = 0;
		}
	putchar('}');
}

static void json_app(const struct frame_app *a, uint32_t i)
{
	printf("%s{\"name\":", i ? "," : "");
	json_string(a->name);
	fputs(",\"why\":", stdout);
	json_string(a->why);
	fputs(",\"mode_label\":", stdout);
	json_string(a->mode_label);
	putchar(',');
	json_fields(SCOPE_APP, a, NULL);
	putchar('}');
}

static void json_frame(const struct dump *d, const struct frame *f)
{
	char t[40], hold[96];
	int first = 1;

	when_format(f->wall_ns, 'T', t, sizeof(t));
	printf("{\"time\":\"%s\",", t);
	json_fields(SCOPE_FRAME, f, f);
	fputs(",\"status\":{", stdout);
	for (int s = 0; s < SRC_MAX; s++) {
		printf("%s\"%s\":{\"state\":\"%s\",\"reason\":", s ? "," : "", source_name((enum source)s),
		       source_state_name(f->status[s].state));
		json_string(f->status[s].reason);
		putchar('}');
	}
	fputs("},\"cpus\":[", stdout);
	for (uint32_t c = 0; c < f->ncpu; c++) {
		if (!frame_cpu_exists(f, c) || (d->mask && !d->mask[c]))
			continue;
		printf("%s{\"cpu\":%u", first ? "" : ",", c);
		for (int i = 0; i < d->ncols; i++)
			print_field(",\"", "\":", d->cols[i], &f->cpu[c], field_present_cpu(f, d->cols[i], c));
		if (d->octaves)
			json_octaves(f, c);
		putchar('}');
		first = 0;
	}
	fputs("],\"procs\":[", stdout);
	for (uint32_t i = 0; i < f->procs.n; i++) {
		printf("%s{\"comm\":", i ? "," : "");
		json_string(f->procs.top[i].comm);
		putchar(',');
		json_fields(SCOPE_PROC, &f->procs.top[i], f);
		putchar('}');
	}
	putchar(']');
	json_sites(f);
	json_cgroups(f);
	fputs(",\"apps\":[", stdout);
	for (uint32_t i = 0; i < f->napps; i++)
		json_app(&f->apps[i], i);
	fputs("],\"series\":[", stdout);
	for (uint32_t i = 0; i < f->nseries; i++) {
		printf("%s{\"label\":", i ? "," : "");
		json_string(f->series[i].label);
		putchar(',');
		json_fields(SCOPE_SERIES, &f->series[i], NULL);
		putchar('}');
	}
	fputs("],\"regime_why\":", stdout);
	json_string(f->regime.why);
	regime_hold_text(&f->regime, 0, hold, sizeof(hold));
	fputs(",\"tlb_hold\":", stdout);
	json_string(hold);
	regime_hold_text(&f->regime, 1, hold, sizeof(hold));
	fputs(",\"iommu_hold\":", stdout);
	json_string(hold);
	fputs(",\"nodes\":[", stdout);
	for (uint32_t i = 0; i < f->regime.nnodes; i++) {
		printf("%s{", i ? "," : "");
		json_fields(SCOPE_NODE, &f->regime.nodes[i], NULL);
		putchar('}');
	}
	fputs("],\"node_topology\":[", stdout);
	for (uint32_t i = 0; i < f->topo.nlist && i < FRAME_TOPO_NODES; i++) {
		printf("%s{", i ? "," : "");
		json_fields(SCOPE_TOPO_NODE, &f->topo.node[i], NULL);
		putchar('}');
	}
	fputs("],\"hygiene\":[", stdout);
	for (uint32_t i = 0; i < f->hygiene.n && i < FRAME_HYGIENE; i++) {
		printf("%s{\"check\":\"%s\",\"state\":\"%s\",\"observed\":", i ? "," : "",
		       hyg_info(f->hygiene.item[i].check)->name, hyg_state_name(f->hygiene.item[i].state));
		json_string(f->hygiene.item[i].observed);
		putchar('}');
	}
	putchar(']');
	json_slots("rq_hist", f->sys.rq_hist, frame_has(f, SIG_RUNQ));
	json_slots("app_hist", f->app_hist, frame_has(f, SIG_APP_LAT) || frame_has(f, SIG_APP_PHASE));
	fputs("}\n", stdout);
}

static int dump_all(struct dump *d)
{
	struct frame_ring ring;
	struct rec_losses lost = { 0 };
	struct frame *f;
	int csv = strcmp(d->o->read.format, "csv") == 0;

	if (ring_init(&ring, 1, rec_reader_meta(d->r)->ncpu) < 0)
		return text_say(stderr, "out of memory"), EXIT_RUNTIME;
	f = &ring.frames[0];
	if (d->sel.note[0])
		text_say(stderr, "%s: %s", d->o->file, d->sel.note);
	if (csv)
		csv_header(d);
	for (size_t i = 0; rec_reader_next(d->r, &d->sel, &i, f, &lost);) {
		/* CSV's empty cells carry no reason (JSON has status): say it */
		if (csv)
			field_say_missing(stderr, "empty", d->cols, d->names, (size_t)d->ncols, f, d->said);
		if (csv)
			csv_frame(d, f);
		else
			json_frame(d, f);
	}
	if (lost.total)
		text_say(stderr, "%zu damaged frames skipped", lost.total);
	ring_free(&ring);
	if (fflush(stdout) != 0)
		return EXIT_RUNTIME;
	return (d->o->read.from || d->o->read.to) && !d->sel.frames ? EXIT_RUNTIME : 0; /* nothing selected: said above */
}

int run_dump(const struct options *o)
{
	char err[320];
	struct dump d = { .o = o };
	int rc = EXIT_RUNTIME;

	d.r = rec_reader_open(o->file, err, sizeof(err));
	if (!d.r) {
		text_say(stderr, "%s: %s", o->file, err);
		return EXIT_RUNTIME;
	}
	say_recovery(o->file, d.r);
	if (o->view.cpus && !(d.mask = calloc(rec_reader_meta(d.r)->ncpu, 1))) {
		text_say(stderr, "out of memory");
	} else if ((o->view.cpus && app_cpulist("--cpus", o->view.cpus, d.mask, rec_reader_meta(d.r)->ncpu, err, sizeof(err))) ||
		   pick_columns(&d, err, sizeof(err)) < 0 || range(&d, err, sizeof(err)) < 0) {
		text_say(stderr, "%s", err);
		rc = EXIT_USAGE;
	} else {
		rc = dump_all(&d);
	}
	free(d.mask);
	rec_reader_close(d.r);
	return rc;
}
