// SPDX-License-Identifier: GPL-2.0-only
#include "cmd/report_html.h"
#include "cmd/report_sites.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/field.h"
#include "core/hygiene.h"
#include "core/metric.h"
#include "util/html.h"
#include "util/text.h"
#include "util/when.h"

#define LABEL_W 120   /* px left of the cells */
#define STRIP_W 720   /* px of cells: a column is at least 6 */

/* A column's width: the strip shared by the columns, 6 px at least. */
static int cell_w(const struct summary *s)
{
	return s->ncols && STRIP_W / (int)s->ncols > 6 ? STRIP_W / (int)s->ncols : 6;
}

/* Colours by level (none, zero, below warn, below crit, below 10x crit,
 * above); the print sheet keeps them (print-color-adjust). */
static const char css[] =
	"body{font:14px/1.4 sans-serif;margin:1.5em;color:#111;background:#fff}"
	"h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ccc}"
	"table{border-collapse:collapse;margin:.4em 0}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}"
	"th{background:#f3f3f3}td.l,th.l{text-align:left}.note{color:#555;font-size:.9em}"
	"table.host td{overflow-wrap:anywhere}table.host{max-width:60em}"
	"svg text{font:10px sans-serif;fill:#333}.hn{fill:#e4e4e4}.h0{fill:#f4faf4}.h1{fill:#a6d96a}"
	".h2{fill:#fee08b}.h3{fill:#fc8d59}.h4{fill:#d73027}.r0{fill:#a6d96a}.r1{fill:#fee08b}.r2{fill:#fc8d59}"
	".r3{fill:#d73027}.sep{stroke:#555;stroke-width:1}.line{fill:none;stroke:#3366cc;stroke-width:1.2}"
	".up{color:#b00}.down{color:#070}td.u{color:#777}h3{font-size:1em;margin:.8em 0 .2em}"
	"@media print{body{margin:0;font-size:10px}section{break-inside:avoid}"
	"*{-webkit-print-color-adjust:exact;print-color-adjust:exact}svg{max-width:100%;height:auto}}";

void page_head(FILE *out, const char *title, const char *host)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	      "<meta name=\"viewport\" content=\"width=device-width\"><title>", out);
	html_text_to(out, title);
	fputs(": ", out);
	html_text_to(out, host);
	fprintf(out, "</title><style>%s</style></head><body>\n", css);
}

void page_tail(FILE *out)
{
	fputs("</body></html>\n", out);
}

/* A value as the page shows it into buf: up to 6 significant digits,
 * never an exponent (%.6g has one past 999999 and under 1e-4: an r of
 * 0.0000123 read "1.23e-05"), text_sig3 there; "" for none. */
static const char *num_text(char *buf, size_t n, double v)
{
	if (!isfinite(v))
		snprintf(buf, n, "%s", "");
	else if (v != 0 && (fabs(v) < 1e-4 || fabs(v) >= 999999.5))
		text_sig3(buf, n, v);
	else
		snprintf(buf, n, "%.6g", v);
	return buf;
}

static void num(FILE *out, double v)
{
	char buf[TEXT_SIG3_LEN];

	fputs(num_text(buf, sizeof(buf), v), out);
}

static void time_text(FILE *out, int64_t wall_ns)
{
	char t[40];

	when_format(wall_ns, ' ', t, sizeof(t));
	html_text_to(out, t);
}

/* The heat level of v against warn and crit (metric's own, else the
 * page's TLB thresholds). */
static int level(double v, double warn, double crit)
{
	if (!isfinite(v))
		return -1;
	return v <= 0 ? 0 : v < warn ? 1 : v < crit ? 2 : v < 10 * crit ? 3 : 4;
}

/* A heatmap row: CPUs first..last of order[] (one node's, in id order). */
struct row {
	uint32_t first, n;         /* into order[] */
	uint16_t node;
};

/* The CPUs in node then id order, into order[]; rows of one CPU, or of
 * blocks of `block` consecutive CPUs of one node. */
static uint32_t make_rows(const struct summary *s, uint32_t *order, struct row *rows, uint32_t *block)
{
	uint32_t n = 0, nrows = 0;

	for (uint32_t i = 0; i < s->nnodes; i++)
		for (uint32_t c = 0; c < s->ncpu; c++)
			if (s->exists[c] && s->node_of[c] == s->node[i].node)
				order[n++] = c;
	for (uint32_t c = 0; c < s->ncpu; c++) /* a CPU whose node is past the node table */
		if (s->exists[c]) {
			uint32_t i;

			for (i = 0; i < s->nnodes && s->node_of[c] != s->node[i].node; i++)
				;
			if (i == s->nnodes)
				order[n++] = c;
		}
	*block = n <= REPORT_ROWS ? 1 : (n + REPORT_ROWS - 1) / REPORT_ROWS;
	for (uint32_t i = 0; i < n;) {
		uint32_t k = 1;

		while (k < *block && i + k < n && s->node_of[order[i + k]] == s->node_of[order[i]])
			k++;
		rows[nrows++] = (struct row){ .first = i, .n = k, .node = s->node_of[order[i]] };
		i += k;
	}
	return nrows;
}

/* "0-7" or "0-3,8,10-11": the CPUs of a row, as the kernel's lists are. */
static void cpu_list(FILE *out, const uint32_t *cpus, uint32_t n)
{
	for (uint32_t i = 0; i < n;) {
		uint32_t j = i;

		while (j + 1 < n && cpus[j + 1] == cpus[j] + 1)
			j++;
		fprintf(out, "%s%u", i ? "," : "", cpus[i]);
		if (j > i)
			fprintf(out, "-%u", cpus[j]);
		i = j + 1;
	}
}

static double row_cell(const struct summary *s, const uint32_t *order, const struct row *r, int m, uint32_t k)
{
	double v = NAN;

	for (uint32_t i = 0; i < r->n; i++) {
		double x = s->cell[m][(size_t)order[r->first + i] * s->ncols + k];

		if (!isnan(x) && (isnan(v) || x > v))
			v = x;
	}
	return v;
}

static int row_height(uint32_t nrows)
{
	return nrows <= 16 ? 14 : nrows <= 40 ? 9 : 6;
}

/* The time axis under a strip of s->ncols columns at y. */
static void time_axis(FILE *out, const struct summary *s, int y)
{
	uint32_t ks[3] = { 0, s->ncols / 2, s->ncols - 1 };
	const char *anchor[3] = { "start", "middle", "end" };

	/* the wall time read at the column's first tick, the last tick's at
	 * the end: never a share of first..last, which a clock that stepped
	 * (back, or forward an hour) makes a time no tick was taken at */
	for (int i = 0; i < (s->ncols > 2 ? 3 : 1); i++) {
		int64_t t = i == 2 ? s->last_wall : i == 0 ? s->first_wall : s->col_wall[ks[i]];
		char buf[40];

		if (i == 1 && !s->col_ticks[ks[i]])
			continue;
		when_format(t, ' ', buf, sizeof(buf));
		fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\">%s</text>",
			LABEL_W + (int)ks[i] * cell_w(s) + (i == 2 ? cell_w(s) : 0), y + 11, anchor[i], buf + 11);
	}
}

static void cols_attrs(FILE *out, const struct summary *s)
{
	fputs("<g class=\"cols\" data-seq=\"", out);
	for (uint32_t k = 0; k < s->ncols; k++)
		fprintf(out, "%s%llu", k ? "," : "", (unsigned long long)s->col_seq[k]);
	fputs("\" data-n=\"", out);
	for (uint32_t k = 0; k < s->ncols; k++)
		fprintf(out, "%s%u", k ? "," : "", s->col_ticks[k]);
	fputs("\"></g>", out);
}

static int has_any(const struct summary *s, int m)
{
	for (uint32_t c = 0; c < s->ncpu; c++)
		if (s->cpu[m][c].n)
			return 1;
	return 0;
}

static void heatmap(FILE *out, const struct summary *s, int m, const uint32_t *order, const struct row *rows,
		    uint32_t nrows, uint32_t block, double warn, double crit)
{
	const struct metric *mt = metrics[sum_metric_id[m]];
	int rh = row_height(nrows), y = 0;
	double w = mt->warn > 0 ? mt->warn : warn, c = mt->crit > 0 ? mt->crit : crit;

	fprintf(out, "<section class=\"heatmap\" data-metric=\"%s\"><h2>%s (%s)</h2>\n", mt->key, mt->title, mt->unit);
	if (!has_any(s, m)) {
		fputs("<p class=\"note\">Not in this recording: no tick had it.</p></section>\n", out);
		return;
	}
	fprintf(out, "<p class=\"note\">Colours: grey none, green below %.12g, yellow below %.12g, orange below %.12g, "
		"red above (%s).%s</p>\n", w, c, 10 * c, mt->unit,
		block > 1 ? " A row is a block of CPUs of one node; its cell shows the block's highest." : "");
	/* a cell's size once, for the whole map, and a row's height on its
	 * <g>: a 64-row map has 30 000 cells, each byte of them is 30 kB */
	fprintf(out, "<style>#hm-%s rect{width:%dpx;height:%dpx}</style>", mt->key, cell_w(s), rh - 1);
	fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"hm-%s\" width=\"%d\" height=\"%d\">", mt->key,
		LABEL_W + (int)s->ncols * cell_w(s) + 4, (int)nrows * rh + 18 + 2 * (int)s->nnodes);
	cols_attrs(out, s);
	for (uint32_t r = 0; r < nrows; r++) {
		const struct row *rw = &rows[r];

		if (r && rw->node != rows[r - 1].node) {
			fprintf(out, "<line class=\"sep\" x1=\"0\" x2=\"%d\" y1=\"%d\" y2=\"%d\"/>",
				LABEL_W + (int)s->ncols * cell_w(s), y + 1, y + 1);
			y += 2;
		}
		fprintf(out, "<g class=\"row\" transform=\"translate(0,%d)\" data-node=\"%u\" %s=\"", y, rw->node,
			block > 1 ? "data-cpus" : "data-cpu");
		cpu_list(out, &order[rw->first], rw->n);
		fprintf(out, "\"><text x=\"0\" y=\"%d\">n%u cpu ", rh - 1, rw->node);
		cpu_list(out, &order[rw->first], rw->n);
		if (rw->n > 1)
			fprintf(out, " (max of %u)", rw->n);
		fputs("</text>", out);
		for (uint32_t k = 0; k < s->ncols; k++) {
			double v = row_cell(s, order, rw, m, k);
			int l = level(v, w, c);

			fprintf(out, "<rect x=\"%d\" class=\"h%c\" data-t=\"%u\" data-v=\"", LABEL_W + (int)k * cell_w(s),
				l < 0 ? 'n' : '0' + l, k);
			num(out, v);
			fputs("\"/>", out);
		}
		fputs("</g>\n", out);
		y += rh;
	}
	time_axis(out, s, y);
	fputs("</svg></section>\n", out);
}

static void header(FILE *out, const struct rec_window *w)
{
	const struct summary *s = w->sum;

	fputs("<h1>stormtop report</h1>\n<table class=\"host\">", out);
	fputs("<tr><th class=\"l\">host</th><td class=\"l\" id=\"host\">", out);
	html_text_to(out, w->host);
	fputs("</td></tr><tr><th class=\"l\">kernel</th><td class=\"l\">", out);
	html_text_to(out, w->kernel);
	fputs("</td></tr><tr><th class=\"l\">recorded by</th><td class=\"l\">stormtop ", out);
	html_text_to(out, w->version);
	fputs("</td></tr><tr><th class=\"l\">file</th><td class=\"l\">", out);
	html_text_to(out, w->path);
	fprintf(out, "</td></tr><tr><th class=\"l\">topology</th><td class=\"l\">%u CPUs, %u NUMA nodes:",
		s->topo.possible ? s->topo.possible : s->ncpu, s->topo.nnodes ? s->topo.nnodes : s->nnodes);
	for (uint32_t i = 0; i < s->topo.nlist && i < FRAME_TOPO_NODES; i++) {
		fprintf(out, "%s node %u: %u CPUs", i ? ";" : "", s->topo.node[i].node, s->topo.node[i].cpus);
		if (s->topo.node[i].mem_bytes)
			fprintf(out, ", %.1f GiB", s->topo.node[i].mem_bytes / 1073741824.0);
	}
	fputs("</td></tr><tr><th class=\"l\">window</th><td class=\"l\">", out);
	time_text(out, s->first_wall);
	fputs(" to ", out);
	time_text(out, s->last_wall);
	fprintf(out, " (%zu ticks, frames %llu-%llu, %.1f s, every %.4g s)", s->ticks,
		(unsigned long long)s->first_seq, (unsigned long long)s->last_seq, s->seconds, s->interval_ns / 1e9);
	if (w->note[0]) {
		fputs("<br><span class=\"note\">", out);
		html_text_to(out, w->note);
		fputs("</span>", out);
	}
	fputs("</td></tr><tr><th class=\"l\">sources</th><td class=\"l\">", out);
	for (int i = 0; i < SRC_MAX; i++) {
		fprintf(out, "%s%s: %s", i ? "; " : "", source_name((enum source)i), source_state_name(s->status[i].state));
		if (s->status[i].state != SOURCE_OK && s->status[i].reason[0]) {
			fputs(" (", out);
			html_text_to(out, s->status[i].reason);
			fputs(")", out);
		}
	}
	fprintf(out, "</td></tr></table>\n<p class=\"note\">How to read it: the window's %zu ticks are cut into %u "
		"columns of consecutive ticks (column k holds ticks k&#215;%zu/%u up to the next); a cell is the mean of "
		"the CPU's value over the ticks of its column that have one. Over %d CPUs the rows fold into blocks "
		"of consecutive CPUs of one node, each row naming its CPUs; no CPU is left out.</p>\n",
		s->ticks, s->ncols, s->ticks, s->ncols, REPORT_ROWS);
}

static const char *state_name(int machine, int st)
{
	return machine ? iommu_regime_name(st) : tlb_regime_name(st);
}

static void regime_strip(FILE *out, const struct summary *s)
{
	fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"48\">",
		LABEL_W + (int)s->ncols * cell_w(s) + 4);
	for (int m = 0; m < 2; m++) {
		const uint8_t *col = m ? s->col_iommu : s->col_tlb;

		fprintf(out, "<g class=\"regime\" data-machine=\"%s\"><text x=\"0\" y=\"%d\">%s</text>", m ? "iommu" : "tlb",
			m * 16 + 11, m ? "IOMMU regime" : "TLB regime");
		for (uint32_t k = 0; k < s->ncols; k++)
			fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"14\" class=\"r%u\" data-t=\"%u\" "
				"data-state=\"%s\"/>", LABEL_W + (int)k * cell_w(s), m * 16, cell_w(s), col[k] & 3, k,
				state_name(m, col[k]));
		fputs("</g>", out);
	}
	time_axis(out, s, 32);
	fputs("</svg>\n", out);
}

static void regimes(FILE *out, const struct summary *s)
{
	const struct drill *d = s->drill;

	fputs("<section id=\"regime\"><h2>Regime timeline</h2>\n", out);
	regime_strip(out, s);
	fprintf(out, "<p class=\"note\">A column shows the highest state of its ticks. %zu transitions, as recorded "
		"(stormtop drill lists the same when it finds the recording's states on every tick).</p>\n", d->total);
	fputs("<table id=\"transitions\"><tr><th class=\"l\">time</th><th class=\"l\">machine</th><th class=\"l\">from"
	      "</th><th class=\"l\">to</th><th class=\"l\">why</th></tr>\n", out);
	for (size_t i = 0; i < d->n; i++) {
		const struct drill_transition *t = &d->t[i];

		fprintf(out, "<tr class=\"transition\" data-wall-ns=\"%lld\"><td class=\"l\">", (long long)t->wall_ns);
		time_text(out, t->wall_ns);
		fprintf(out, "</td><td class=\"l\">%s</td><td class=\"l\">%s</td><td class=\"l\">%s</td><td class=\"l\">",
			t->machine ? "iommu" : "tlb", state_name(t->machine, t->from), state_name(t->machine, t->to));
		html_text_to(out, t->why);
		fputs("</td></tr>\n", out);
	}
	fputs("</table>\n", out);
	if (d->total > d->n)
		fprintf(out, "<p class=\"note\">%zu more transitions not listed (the first %zu are).</p>\n",
			d->total - d->n, d->n);
	fputs("<table id=\"dwell\"><tr><th class=\"l\">time in state</th>", out);
	for (int st = 0; st < TLB_REGIMES; st++)
		fprintf(out, "<th>%s / %s</th>", tlb_regime_name(st), iommu_regime_name(st));
	fputs("</tr>", out);
	for (int m = 0; m < 2; m++) {
		fprintf(out, "<tr><td class=\"l\">%s</td>", m ? "IOMMU" : "TLB");
		for (int st = 0; st < TLB_REGIMES; st++)
			fprintf(out, "<td>%.1f s</td>", d->dwell_s[m][st]);
		fputs("</tr>", out);
	}
	fputs("</table></section>\n", out);
}

/* The process columns that have data in the window: the counters of the
 * field table whose signal some frame had and that some row (the rest
 * included) counted; an all-zero column says nothing but widens the page. */
static int proc_col(const struct summary *s, const struct field *fd)
{
	if (fd->scope != SCOPE_PROC || fd->figure != FIG_COUNTER ||
	    (fd->gate == GATE_SIG && !((s->signals >> fd->arg) & 1)))
		return 0;
	if (field_value(fd, &s->other) != 0)
		return 1;
	for (uint32_t i = 0; i < s->nprocs; i++)
		if (field_value(fd, &s->procs[i]) != 0)
			return 1;
	return 0;
}

static void proc_row(FILE *out, const struct summary *s, const struct frame_proc *p, int other)
{
	char v[48];

	fputs("<tr><td>", out);
	if (!other)
		fprintf(out, "%d", p->tgid);
	fputs("</td><td class=\"l\">", out);
	html_text_to(out, other ? "other (every process past the top lists)" : p->comm);
	fputs("</td>", out);
	for (size_t k = 0; k < frame_nfields; k++)
		if (proc_col(s, &frame_fields[k])) {
			field_format(&frame_fields[k], p, v, sizeof(v));
			fprintf(out, "<td>%s</td>", v);
		}
	fputs("</tr>\n", out);
}

static void senders(FILE *out, const struct summary *s)
{
	fputs("<section id=\"senders\"><h2>Top senders and mappers over the window</h2>\n", out);
	if (!s->nprocs && !s->other.sent) {
		fputs("<p class=\"note\">No per-process figures in this recording (they need the eBPF collector).</p>"
		      "</section>\n", out);
		return;
	}
	fputs("<p class=\"note\">Each tick's top list summed by process id and name, most TLB flushes sent first; "
	      "the rest of each tick is in the last row, so the column sums are the host's (past 64 processes, "
	      "one that sent more in a tick than the least listed did all window takes its row).</p>\n"
	      "<table><tr><th>pid</th><th class=\"l\">comm</th>", out);
	for (size_t k = 0; k < frame_nfields; k++)
		if (proc_col(s, &frame_fields[k]))
			fprintf(out, "<th>%s</th>", frame_fields[k].name);
	fputs("</tr>\n", out);
	for (uint32_t i = 0; i < s->nprocs && i < 20; i++)
		proc_row(out, s, &s->procs[i], 0);
	if (s->nprocs > 20) { /* the table's tail joins other, so nothing is dropped */
		struct frame_proc rest = s->other;

		for (uint32_t i = 20; i < s->nprocs; i++)
			frame_proc_add(&rest, &s->procs[i]);
		proc_row(out, s, &rest, 1);
	} else {
		proc_row(out, s, &s->other, 1);
	}
	fputs("</table></section>\n", out);
}

/* A process counter column for the cgroups table: as proc_col, over the
 * cgroups' sums. */
static int cgroup_col(const struct summary *s, const struct field *fd)
{
	if (fd->scope != SCOPE_PROC || fd->figure != FIG_COUNTER ||
	    (fd->gate == GATE_SIG && !((s->signals >> fd->arg) & 1)))
		return 0;
	if (field_value(fd, &s->cg_other.sum) != 0)
		return 1;
	for (uint32_t i = 0; i < s->ncgroups; i++)
		if (field_value(fd, &s->cgroups[i].sum) != 0)
			return 1;
	return 0;
}

static void cgroup_row(FILE *out, const struct summary *s, const struct frame_cgroup *g, int other)
{
	char v[48];

	fputs("<tr class=\"cgroup\"><td>", out);
	if (!other)
		fprintf(out, "%llu", (unsigned long long)g->id);
	fputs("</td><td class=\"l\">", out);
	/* the path is the cgroup's directory names as the kernel has them */
	html_text_to(out, other ? "other (every cgroup past the top lists)" : g->path[0] ? g->path : "(no path)");
	fputs("</td>", out);
	if (!other)
		fprintf(out, "<td>%u</td>", g->procs);
	else
		fputs("<td></td>", out);
	for (size_t k = 0; k < frame_nfields; k++)
		if (cgroup_col(s, &frame_fields[k])) {
			field_format(&frame_fields[k], &g->sum, v, sizeof(v));
			fprintf(out, "<td>%s</td>", v);
		}
	fputs("</tr>\n", out);
}

/* The churn per cgroup v2 (issue 23): frame.cgroups summed over the
 * window, the top 20 and the rest in other, as the senders. */
static void cgroups(FILE *out, const struct summary *s)
{
	struct frame_cgroup rest = s->cg_other;

	fputs("<section id=\"cgroups\"><h2>Top cgroups over the window</h2>\n", out);
	if (s->cg_state == CGROUPS_NONE || (s->cg_state != CGROUPS_OK && !s->ncgroups)) {
		fputs("<p class=\"note\">", out);
		html_text_to(out, s->cg_state == CGROUPS_NONE ?
			     "No per-cgroup figures in this recording (they need the eBPF collector; "
			     "recordings older than the per-cgroup view have none)." : s->cg_why);
		fputs("</p></section>\n", out);
		return;
	}
	fputs("<p class=\"note\">Each tick's top cgroups summed by cgroup v2 id and path (below the cgroup2 "
	      "mount), most TLB flushes sent first; procs is the most processes one tick had in it; the rest "
	      "of each tick is in the last row.</p>\n"
	      "<table><tr><th>cgroup id</th><th class=\"l\">path</th><th>procs</th>", out);
	for (size_t k = 0; k < frame_nfields; k++)
		if (cgroup_col(s, &frame_fields[k]))
			fprintf(out, "<th>%s</th>", frame_fields[k].name);
	fputs("</tr>\n", out);
	for (uint32_t i = 0; i < s->ncgroups; i++)
		if (i < 20)
			cgroup_row(out, s, &s->cgroups[i], 0);
		else /* the table's tail joins other, so nothing is dropped */
			frame_proc_add(&rest.sum, &s->cgroups[i].sum);
	cgroup_row(out, s, &rest, 1);
	fputs("</table></section>\n", out);
}

/* The app's p99 per tick as a line on the heatmaps' time axis. */
/* ns as microseconds for a sentence (text_figure's rule; "-" if none). */
static const char *us_text(char buf[32], double ns)
{
	const char *t = text_figure(buf, 32, ns / 1e3);

	return t ? t : "-";
}

static void app_line(FILE *out, const struct summary *s)
{
	char us[32];
	double hi = 0;
	int h = 80, started = 0;

	for (size_t t = 0; t < s->ticks; t++)
		if (isfinite(s->app_p99[t]) && s->app_p99[t] > hi)
			hi = s->app_p99[t];
	fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\"><text x=\"0\" y=\"12\">"
		"app p99</text><text x=\"0\" y=\"26\">max %s us</text>", LABEL_W + (int)s->ncols * cell_w(s) + 4, h + 16,
		us_text(us, hi));
	fputs("<polyline class=\"line\" points=\"", out);
	for (size_t t = 0; t < s->ticks; t++) {
		double x = LABEL_W + (double)t * s->ncols * cell_w(s) / (double)s->ticks;

		if (!isfinite(s->app_p99[t]) || hi <= 0)
			continue;
		fprintf(out, "%s%.1f,%.1f", started ? " " : "", x, h - s->app_p99[t] / hi * (h - 4));
		started = 1;
	}
	fputs("\"/>", out);
	time_axis(out, s, h);
	fputs("</svg>\n", out);
}

static void corr_field(FILE *out, const struct frame *f, const char *name, const char *label)
{
	const struct field *fd = field_find(SCOPE_FRAME, name);
	char v[TEXT_SIG3_LEN] = "";

	if (fd && isfinite(field_value(fd, f)))
		num_text(v, sizeof(v), field_value(fd, f)); /* r 0.0000123, not the float's 1.23000003e-05 */
	fprintf(out, "<tr><th class=\"l\">%s</th><td data-field=\"%s\">%s</td></tr>", label, name, v);
}

static void app_section(FILE *out, const struct summary *s)
{
	const struct frame *f = &s->corr;
	char us[3][32];

	fputs("<section id=\"app\"><h2>The attached app</h2>\n", out);
	if (!s->app_tick.n) {
		fputs("<p class=\"note\">No attached application in this window (stormtop --attach NAME).</p>", out);
	} else {
		app_line(out, s);
		fprintf(out, "<p>Pooled over the window: p50 %s us, p99 %s us; per-tick p99 mean %s us.</p>\n",
			us_text(us[0], s->pool_app_p50), us_text(us[1], s->pool_app_p99), us_text(us[2], s->app_tick.mean));
	}
	if (!f->corr.window) {
		fputs("<p class=\"note\">No correlation in this window (the correlator needs an attached app).</p>"
		      "</section>\n", out);
		return;
	}
	fputs("<p class=\"note\">The correlator's own figures, from the last tick with a filled window (", out);
	time_text(out, f->wall_ns);
	fputs(").</p><table id=\"corr\">", out);
	corr_field(out, f, "corr_window", "window (ticks)");
	corr_field(out, f, "corr_r_tlb", "r: app p99 vs TLB IPI rate");
	corr_field(out, f, "corr_r_iotlb", "r: vs IOMMU activity");
	corr_field(out, f, "corr_r_runq", "r: vs run-queue p99");
	corr_field(out, f, "corr_lag_ticks", "lag (ticks the TLB series leads)");
	corr_field(out, f, "corr_lag_r", "r at that lag");
	corr_field(out, f, "corr_burst_ticks", "ticks in bursts");
	corr_field(out, f, "corr_clean_ticks", "ticks outside");
	corr_field(out, f, "corr_p99_burst_ns", "app p99 in bursts (ns)");
	corr_field(out, f, "corr_p99_clean_ns", "app p99 outside (ns)");
	corr_field(out, f, "corr_dvr", "DVR (burst / clean)");
	fputs("</table>\n<table id=\"lags\"><tr><th class=\"l\">lag</th>", out);
	for (int k = 0; k < FRAME_CORR_LAGS && k < f->corr.nlags; k++)
		fprintf(out, "<th>%d</th>", k - FRAME_CORR_MAXLAG);
	fputs("</tr><tr><th class=\"l\">r</th>", out);
	for (int k = 0; k < FRAME_CORR_LAGS && k < f->corr.nlags; k++) {
		fputs("<td>", out);
		num(out, f->corr.lag_rs[k]);
		fputs("</td>", out);
	}
	fputs("</tr></table></section>\n", out);
}

static void stat_cells(FILE *out, const struct sum_stat *st, int full)
{
	fputs("<td>", out);
	num(out, st->mean);
	fputs("</td>", out);
	if (full) {
		fputs("<td>", out);
		num(out, st->p99);
		fputs("</td>", out);
	}
}

/* A pooled run-queue quantile: the octave that holds it, in us. */
static void oct_cell(FILE *out, const struct sum_rq *r, int p99)
{
	uint64_t lo = p99 ? r->p99_lo : r->p50_lo, hi = p99 ? r->p99_hi : r->p50_hi;

	fputs("<td>", out);
	char a[32], b[32];

	if (r->n && hi == UINT64_MAX)
		fprintf(out, "&#8805; %s", text_figure(a, sizeof(a), lo / 1e3));
	else if (r->n)
		fprintf(out, "%s-%s", text_figure(a, sizeof(a), lo / 1e3), text_figure(b, sizeof(b), hi / 1e3));
	fputs("</td>", out);
}

static void tables(FILE *out, const struct summary *s, const uint32_t *order, uint32_t n)
{
	char us[3][32];
	fputs("<section id=\"hostwide\"><h2>Host-wide</h2>", out);
	if (s->runq_tick.n)
		fprintf(out, "<p>Run-queue delay pooled over the window: p50 %s us, p99 %s us (the frames' histograms "
			"added up); the ticks' own p99, mean %s us.</p>\n", us_text(us[0], s->pool_rq_p50), us_text(us[1], s->pool_rq_p99),
			us_text(us[2], s->runq_tick.mean));
	else
		fputs("<p class=\"note\">No run-queue histograms in this window (they need the eBPF collector).</p>\n", out);
	fputs("<table id=\"nodes\"><tr><th>node</th><th>CPUs</th><th>TLB IPIs/s per CPU, mean</th><th>p99 over ticks"
	      "</th><th>runq p50 us, pooled</th><th>runq p99 us, pooled</th></tr>\n", out);
	for (uint32_t i = 0; i < s->nnodes; i++) {
		fprintf(out, "<tr data-node=\"%u\"><td>%u</td><td>%u</td>", s->node[i].node, s->node[i].node,
			s->node[i].cpus);
		stat_cells(out, &s->node[i].tlb, 1);
		oct_cell(out, &s->node[i].rq, 0);
		oct_cell(out, &s->node[i].rq, 1);
		fputs("</tr>\n", out);
	}
	fputs("</table><p class=\"note\">Pooled run-queue quantiles come from the frames' per-CPU octaves: each is "
	      "known to its power of two, shown as that range.</p></section>\n<section id=\"percpu\"><h2>Per CPU over "
	      "the window</h2>\n<table><tr><th>cpu</th>"
	      "<th>node</th><th>TLB IPIs/s mean</th><th>p99 over ticks</th><th>IOTLB ops/s mean</th>"
	      "<th>runq p99 us, mean</th><th>jitter p99 us, mean</th><th>runq p50 us, pooled</th>"
	      "<th>runq p99 us, pooled</th></tr>\n", out);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t c = order[i];

		fprintf(out, "<tr data-cpu=\"%u\"><td>%u</td><td>%u</td>", c, c, s->node_of[c]);
		stat_cells(out, &s->cpu[SUM_TLB][c], 1);
		for (int m = SUM_IOTLB; m < SUM_METRICS; m++)
			stat_cells(out, &s->cpu[m][c], 0);
		oct_cell(out, &s->cpu_rq[c], 0);
		oct_cell(out, &s->cpu_rq[c], 1);
		fputs("</tr>\n", out);
	}
	fputs("</table></section>\n", out);
}

static void hygiene(FILE *out, const struct summary *s)
{
	const struct frame_hygiene *h = &s->hygiene;

	fputs("<section id=\"hygiene\"><h2>Host hygiene</h2>\n", out);
	if (!h->n) {
		fputs("<p class=\"note\">No hygiene scan in this window.</p></section>\n", out);
		return;
	}
	fprintf(out, "<p>%u findings (the last scan of the window).</p><table><tr><th class=\"l\">check</th>"
		"<th class=\"l\">state</th><th class=\"l\">observed</th><th class=\"l\">why it matters</th></tr>\n",
		hyg_findings(h));
	for (uint32_t i = 0; i < h->n && i < FRAME_HYGIENE; i++) {
		const struct hyg_info *hi = hyg_info(h->item[i].check);

		fprintf(out, "<tr class=\"%s\"><td class=\"l\">", hyg_state_name(h->item[i].state));
		html_text_to(out, hi->title);
		fprintf(out, "</td><td class=\"l\">%s</td><td class=\"l\">", hyg_state_name(h->item[i].state));
		html_text_to(out, h->item[i].observed);
		fputs("</td><td class=\"l\">", out);
		if (h->item[i].state == HYG_FINDING)
			html_text_to(out, hi->why);
		fputs("</td></tr>\n", out);
	}
	fputs("</table></section>\n", out);
}

void report_page(FILE *out, const struct rec_window *w, double warn, double crit)
{
	const struct summary *s = w->sum;
	uint32_t *order = calloc(s->ncpu ? s->ncpu : 1, sizeof(*order));
	struct row *rows = calloc(s->ncpu ? s->ncpu : 1, sizeof(*rows));
	uint32_t block = 1, nrows = 0, n = 0;

	page_head(out, "stormtop report", w->host);
	header(out, w);
	if (order && rows) {
		nrows = make_rows(s, order, rows, &block);
		for (uint32_t i = 0; i < nrows; i++)
			n += rows[i].n;
		for (int m = 0; m < SUM_METRICS; m++)
			heatmap(out, s, m, order, rows, nrows, block, warn, crit);
	}
	regimes(out, s);
	senders(out, s);
	report_sites(out, s);
	cgroups(out, s);
	app_section(out, s);
	if (order)
		tables(out, s, order, n);
	hygiene(out, s);
	page_tail(out);
	free(order);
	free(rows);
}
