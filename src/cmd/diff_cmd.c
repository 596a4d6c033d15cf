// SPDX-License-Identifier: GPL-2.0-only
/* stormtop diff A.rec B.rec [--html -o FILE]: the figures of two
 * recordings side by side (src/stages/summary.h reads both the same
 * way), each with its change and, where each file's own ticks give a
 * spread, whether the change is beyond the run-to-run noise
 * (sum_beyond_noise: SUM_NOISE_RULE). */
#include "cmd/app.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/report_html.h"
#include "cmd/window.h"
#include "util/html.h"
#include "util/text.h"

/* One compared figure. */
struct dline {
	char label[64];            /* ours, or a process name (untrusted: cleaned when printed) */
	double a, b;
	int tested, beyond;
};

struct dsection {
	const char *title;
	const char *unit;
	struct dline *l;
	size_t n, cap;
};

static struct dline *add(struct dsection *s)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;
		struct dline *l = realloc(s->l, cap * sizeof(*l));

		if (!l)
			return NULL;
		s->l = l;
		s->cap = cap;
	}
	memset(&s->l[s->n], 0, sizeof(s->l[0]));
	return &s->l[s->n++];
}

static void line_stat(struct dsection *s, const char *label, const struct sum_stat *a, const struct sum_stat *b,
		      double scale, double floor)
{
	struct dline *l = add(s);

	if (!l)
		return;
	snprintf(l->label, sizeof(l->label), "%s", label);
	l->a = a->mean * scale;
	l->b = b->mean * scale;
	l->tested = a->n > 1 && b->n > 1;
	l->beyond = sum_beyond_noise(a, b, floor / scale);
}

static void line_plain(struct dsection *s, const char *label, double a, double b)
{
	struct dline *l = add(s);

	if (!l)
		return;
	snprintf(l->label, sizeof(l->label), "%s", label);
	l->a = a;
	l->b = b;
}

static void cpus(struct dsection *s, const struct summary *a, const struct summary *b)
{
	char label[64];

	for (uint32_t c = 0; c < a->ncpu && c < b->ncpu; c++) {
		if (!a->exists[c] || !b->exists[c] || (!a->cpu[SUM_TLB][c].n && !b->cpu[SUM_TLB][c].n))
			continue;
		snprintf(label, sizeof(label), "cpu %u (node %u)", c, b->node_of[c]);
		line_stat(s, label, &a->cpu[SUM_TLB][c], &b->cpu[SUM_TLB][c], 1, 1);
	}
}

static void nodes(struct dsection *s, const struct summary *a, const struct summary *b)
{
	char label[64];

	for (uint32_t i = 0; i < b->nnodes; i++)
		for (uint32_t j = 0; j < a->nnodes; j++)
			if (a->node[j].node == b->node[i].node) {
				snprintf(label, sizeof(label), "node %u", b->node[i].node);
				line_stat(s, label, &a->node[j].tlb, &b->node[i].tlb, 1, 1);
			}
}

/* A pooled quantile in us, or NAN ("-", no difference) for a file with
 * no tick of it: its pool is empty, not a delay of 0. */
static double pooled_us(uint64_t ns, uint64_t ticks)
{
	return ticks ? (double)ns / 1e3 : NAN;
}

static void host(struct dsection *s, const struct summary *a, const struct summary *b)
{
	if (a->runq_tick.n || b->runq_tick.n) {
		line_stat(s, "run-queue p99 per tick, mean (us)", &a->runq_tick, &b->runq_tick, 1e-3, 1);
		line_plain(s, "run-queue p50, pooled (us)", pooled_us(a->pool_rq_p50, a->runq_tick.n),
			   pooled_us(b->pool_rq_p50, b->runq_tick.n));
		line_plain(s, "run-queue p99, pooled (us)", pooled_us(a->pool_rq_p99, a->runq_tick.n),
			   pooled_us(b->pool_rq_p99, b->runq_tick.n));
	}
	if (a->app_tick.n || b->app_tick.n) {
		line_stat(s, "app p99 per tick, mean (us)", &a->app_tick, &b->app_tick, 1e-3, 1);
		line_plain(s, "app p50, pooled (us)", pooled_us(a->pool_app_p50, a->app_tick.n),
			   pooled_us(b->pool_app_p50, b->app_tick.n));
		line_plain(s, "app p99, pooled (us)", pooled_us(a->pool_app_p99, a->app_tick.n),
			   pooled_us(b->pool_app_p99, b->app_tick.n));
	}
}

/* Time in state as a share of each window, so windows of other lengths compare. */
static void regimes(struct dsection *s, const struct summary *a, const struct summary *b)
{
	char label[64];

	for (int m = 0; m < 2; m++)
		for (int st = 0; st < TLB_REGIMES; st++) {
			snprintf(label, sizeof(label), "%s %s", m ? "IOMMU" : "TLB",
				 m ? iommu_regime_name(st) : tlb_regime_name(st));
			line_plain(s, label, a->seconds > 0 ? 100 * a->drill->dwell_s[m][st] / a->seconds : NAN,
				   b->seconds > 0 ? 100 * b->drill->dwell_s[m][st] / b->seconds : NAN);
		}
}

/* A process name's TLB flushes sent over the window, all its pids. */
static double sent_by(const struct summary *s, const char *comm)
{
	double sum = 0;

	for (uint32_t i = 0; i < s->nprocs; i++)
		if (strncmp(s->procs[i].comm, comm, FRAME_COMM_LEN) == 0)
			sum += (double)s->procs[i].sent;
	return s->seconds > 0 ? sum / s->seconds : NAN;
}

static int listed(const struct dsection *s, const char *comm)
{
	for (size_t i = 0; i < s->n; i++)
		if (strncmp(s->l[i].label, comm, FRAME_COMM_LEN) == 0)
			return 1;
	return 0;
}

/* The top 10 names of each file (by flushes sent), matched by name: pids
 * differ between runs. */
static void senders(struct dsection *s, const struct summary *a, const struct summary *b)
{
	const struct summary *both[2] = { a, b };

	for (int f = 0; f < 2; f++)
		for (uint32_t i = 0; i < both[f]->nprocs && i < 10; i++) {
			const char *comm = both[f]->procs[i].comm;

			if (!listed(s, comm))
				line_plain(s, comm, sent_by(a, comm), sent_by(b, comm));
		}
}

/* A cgroup path's TLB flushes sent over the window, all its ids (a
 * cgroup made again under the same path gets a new id). */
static double cg_sent_by(const struct summary *s, const char *path)
{
	double sum = 0;

	for (uint32_t i = 0; i < s->ncgroups; i++)
		if (strncmp(s->cgroups[i].path, path, FRAME_CGROUP_PATH) == 0)
			sum += (double)s->cgroups[i].sum.sent;
	return s->seconds > 0 ? sum / s->seconds : NAN;
}

/* The top 10 cgroup paths of each file, matched by path: ids differ
 * between runs and hosts.  A path longer than a label keeps its
 * innermost end, as the frame keeps it. */
static void cgroups(struct dsection *s, const struct summary *a, const struct summary *b)
{
	const struct summary *both[2] = { a, b };
	char label[sizeof(s->l[0].label)];

	for (int f = 0; f < 2; f++)
		for (uint32_t i = 0; i < both[f]->ncgroups && i < 10; i++) {
			const char *path = both[f]->cgroups[i].path;
			size_t len = strlen(path);
			int seen = 0;

			snprintf(label, sizeof(label), "%s", !len ? "(no path)" :
				 len >= sizeof(label) ? path + len - (sizeof(label) - 1) : path);
			for (int g = 0; g < f && !seen; g++)
				for (uint32_t k = 0; k < both[g]->ncgroups && k < 10 && !seen; k++)
					seen = strcmp(both[g]->cgroups[k].path, path) == 0;
			for (uint32_t k = 0; k < i && !seen; k++)
				seen = strcmp(both[f]->cgroups[k].path, path) == 0;
			if (!seen)
				line_plain(s, label, cg_sent_by(a, path), cg_sent_by(b, path));
		}
}

static void text_num(double v)
{
	char buf[64];
	const char *s = text_figure(buf, sizeof(buf), v);

	printf(" %12s", s ? s : "-");
}

static const char *verdict(const struct dline *l)
{
	return !l->tested ? "" : l->beyond ? "BEYOND NOISE" : "within noise";
}

static void print_text(const struct dsection *secs, size_t n, const struct rec_window *w)
{
	char clean[4 * 256];
	int ascii = !text_locale_utf8();

	for (int f = 0; f < 2; f++) {
		text_clean(clean, sizeof(clean), w[f].path, ascii);
		printf("%s: %s, ", f ? "B" : "A", clean);
		text_clean(clean, sizeof(clean), w[f].host, ascii);
		printf("host %s, %zu ticks, %.1f s\n", clean, w[f].sum->ticks, w[f].sum->seconds);
	}
	if (w[0].ncpu != w[1].ncpu)
		printf("CPUs: A has %u slots, B %u: the CPUs of both are compared\n", w[0].ncpu, w[1].ncpu);
	printf("rule: %s\n", SUM_NOISE_RULE);
	for (size_t i = 0; i < n; i++) {
		printf("\n%s (%s):\n  %-36s %12s %12s %12s  %s\n", secs[i].title, secs[i].unit, "", "A", "B", "B - A",
		       "verdict");
		for (size_t k = 0; k < secs[i].n; k++) {
			const struct dline *l = &secs[i].l[k];

			text_clean(clean, sizeof(clean), l->label, ascii);
			printf("  %-36s", clean);
			text_num(l->a);
			text_num(l->b);
			text_num(l->b - l->a);
			printf("  %s\n", verdict(l));
		}
		if (!secs[i].n)
			printf("  (neither file has it)\n");
	}
}

static void html_num(FILE *out, double v)
{
	char buf[64];
	const char *s = text_figure(buf, sizeof(buf), v);

	fprintf(out, "<td>%s</td>", s ? s : "");
}

static void print_html(FILE *out, const struct dsection *secs, size_t n, const struct rec_window *w)
{
	page_head(out, "stormtop diff", w[1].host);
	fputs("<h1>stormtop diff</h1><table>", out);
	for (int f = 0; f < 2; f++) {
		fprintf(out, "<tr><th class=\"l\">%s</th><td class=\"l\">", f ? "B" : "A");
		html_text_to(out, w[f].path);
		fputs(", host ", out);
		html_text_to(out, w[f].host);
		fprintf(out, ", %zu ticks, %.1f s</td></tr>", w[f].sum->ticks, w[f].sum->seconds);
	}
	fputs("</table>", out);
	if (w[0].ncpu != w[1].ncpu)
		fprintf(out, "<p class=\"note\">CPUs: A has %u slots, B %u: the CPUs of both are compared.</p>",
			w[0].ncpu, w[1].ncpu);
	fprintf(out, "<p class=\"note\" id=\"rule\">Rule: %s.</p>\n", SUM_NOISE_RULE);
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "<section><h2>%s (%s)</h2><table><tr><th class=\"l\"></th><th>A</th><th>B</th><th>B - A</th>"
			"<th class=\"l\">verdict</th></tr>\n", secs[i].title, secs[i].unit);
		for (size_t k = 0; k < secs[i].n; k++) {
			const struct dline *l = &secs[i].l[k];

			fprintf(out, "<tr class=\"%s\"><td class=\"l\">", l->beyond ? "beyond" : l->tested ? "within" : "untested");
			html_text_to(out, l->label);
			fputs("</td>", out);
			html_num(out, l->a);
			html_num(out, l->b);
			html_num(out, l->b - l->a);
			fprintf(out, "<td class=\"l %s\">%s</td></tr>\n", l->beyond ? (l->b > l->a ? "up" : "down") : "",
				verdict(l));
		}
		fputs("</table></section>\n", out);
	}
	page_tail(out);
}

int run_diff(const struct options *o)
{
	struct rec_window w[2];
	struct dsection secs[] = {
		{ "per CPU: TLB shootdown IPIs received", "/s, mean over ticks", NULL, 0, 0 },
		{ "per node: TLB IPIs received per CPU", "/s, mean over ticks", NULL, 0, 0 },
		{ "host: run-queue and app delay", "us", NULL, 0, 0 },
		{ "time in each regime state", "% of the window", NULL, 0, 0 },
		{ "top senders by name: TLB flushes sent", "/s over the window", NULL, 0, 0 },
		{ "top cgroups by path: TLB flushes sent", "/s over the window", NULL, 0, 0 },
	};
	size_t n = sizeof(secs) / sizeof(secs[0]);
	int rc = window_load(&w[0], o->file, NULL, NULL);
	FILE *out = NULL;

	if (rc == 0 && (rc = window_load(&w[1], o->page.file_b, NULL, NULL)) != 0)
		window_free(&w[0]);
	if (rc)
		return rc;
	cpus(&secs[0], w[0].sum, w[1].sum);
	nodes(&secs[1], w[0].sum, w[1].sum);
	host(&secs[2], w[0].sum, w[1].sum);
	regimes(&secs[3], w[0].sum, w[1].sum);
	senders(&secs[4], w[0].sum, w[1].sum);
	cgroups(&secs[5], w[0].sum, w[1].sum);
	if (!o->page.html) {
		print_text(secs, n, w);
		rc = fflush(stdout) ? EXIT_RUNTIME : 0;
	} else if (!(out = app_open_out(o->page.out))) {
		rc = EXIT_RUNTIME;
	} else {
		print_html(out, secs, n, w);
		if (fclose(out) != 0) {
			text_say(stderr, "%s: could not write the page", o->page.out);
			rc = EXIT_RUNTIME;
		}
	}
	for (size_t i = 0; i < n; i++)
		free(secs[i].l);
	window_free(&w[0]);
	window_free(&w[1]);
	return rc;
}
