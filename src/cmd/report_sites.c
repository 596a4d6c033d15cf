// SPDX-License-Identifier: GPL-2.0-only
#include "cmd/report_sites.h"

#include <string.h>

#include "util/html.h"
#include "util/text.h"

#define DOTS "\u2026"

const char *report_path_tail(char *dst, size_t cap, const char *path, int cols)
{
	return text_path_tail(dst, cap, path, cols, 0, DOTS);
}

/* A path cell: the cut path as text, the whole one as its title when
 * it was cut. */
static void path_cell(FILE *out, const char *cls, const char *path)
{
	char tail[FRAME_SITE_PATH + 8];

	report_path_tail(tail, sizeof(tail), path, REPORT_PATH_COLS);
	fprintf(out, "<td class=\"%s\"", cls);
	if (strcmp(tail, path) != 0) {
		fputs(" title=\"", out);
		html_text_to(out, path);
		fputs("\"", out);
	}
	fputc('>', out);
	html_text_to(out, tail);
	fputs("</td>", out);
}

static void share_cell(FILE *out, uint64_t events, uint64_t total)
{
	if (total)
		fprintf(out, "<td>%.1f</td>", (double)events * 100.0 / (double)total);
	else
		fputs("<td></td>", out);
}

static void site_row(FILE *out, const struct frame_site *x, uint64_t total)
{
	fprintf(out, "<tr class=\"site\"><td class=\"l\">%s</td>", site_kind_name(x->kind));
	share_cell(out, x->events, total);
	fprintf(out, "<td>%llu</td><td>%llu</td><td class=\"l\">", (unsigned long long)x->events,
		(unsigned long long)x->ipis);
	html_text_to(out, x->caller[0] ? x->caller : "[unknown]");
	fputs("</td>", out);
	path_cell(out, "l", x->kpath);
	path_cell(out, "l u", x->upath);
	fputs("</tr>\n", out);
}

static void proc_table(FILE *out, const struct summary *s, const struct sum_site_proc *p, int rest)
{
	fprintf(out, "<h3 class=\"siteproc\" data-tgid=\"%d\">", rest ? 0 : p->tgid);
	if (rest) {
		fprintf(out, "other processes (past the %d kept)", SUM_SITE_PROCS);
	} else {
		fprintf(out, "%d ", p->tgid);
		html_text_to(out, p->comm[0] ? p->comm : "(not in the process lists)");
	}
	fprintf(out, "</h3>\n<p class=\"note\">Sampled in %u ticks (the last 1 in %u events); %llu events, %llu IPIs."
		"</p>\n<table class=\"sites\"><tr><th class=\"l\">kind</th><th>share %%</th><th>events</th>"
		"<th>IPIs</th><th class=\"l\">caller</th><th class=\"l\">kernel path</th><th class=\"l\">user path</th>"
		"</tr>\n", p->ticks, p->period ? p->period : 1, (unsigned long long)p->events,
		(unsigned long long)p->ipis);
	for (uint32_t i = 0; !rest && i < s->nsites; i++)
		if (s->sites[i].tgid == p->tgid)
			site_row(out, &s->sites[i].site, p->events);
	fputs("<tr class=\"site-other\"><td class=\"l\">other</td>", out);
	share_cell(out, p->other_events, p->events);
	fprintf(out, "<td>%llu</td><td>%llu</td><td class=\"l\" colspan=\"3\">sites past the %d a tick keeps "
		"or the %d the window keeps</td></tr>\n</table>\n", (unsigned long long)p->other_events,
		(unsigned long long)p->other_ipis, FRAME_SITES, SUM_SITES);
}

void report_sites(FILE *out, const struct summary *s)
{
	fputs("<section id=\"sites\"><h2>Where: call sites</h2>\n", out);
	if (!s->nsite_procs && !s->site_rest.ticks) {
		fputs("<p class=\"note\">call sites were not recorded (open the where view, Enter in the process view, "
		      "while recording)</p></section>\n", out);
		return;
	}
	fputs("<p class=\"note\">The stack sampler's call sites of each process it was aimed at, summed over the "
	      "window by process and (kind, caller, user path, kernel path): events are the sampled ones scaled "
	      "back by the sampling period (an estimate), IPIs the TLB IPIs those flushes queued; share is of the "
	      "process's events. Paths run outermost to innermost; a long one keeps its innermost frames (&#8230; "
	      "where outer ones were cut, the whole path as the cell's title); a system call site has no kernel "
	      "path. User paths are dimmed.</p>\n", out);
	for (uint32_t i = 0; i < s->nsite_procs; i++)
		proc_table(out, s, &s->site_procs[i], 0);
	if (s->site_rest.ticks)
		proc_table(out, s, &s->site_rest, 1);
	fputs("</section>\n", out);
}
