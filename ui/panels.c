/* The text around the heatmap: header, source status, legend, system
 * totals and key help. */
#include "tui_internal.h"

#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "format.h"
#include "metric.h"

int ui_seg(int y, int x, int attr, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	if (x >= COLS)
		return x;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	attrset(attr);
	mvaddnstr(y, x, buf, COLS - x);
	attrset(A_NORMAL);
	return x + (int)strlen(buf);
}

void ui_header(const struct tui *t, const struct frame *f, const struct view *v)
{
	char head[256], kernel[96] = "";
	int nodes = 1, badges = 0, terse = 0, x;
	int extra = (v->status_line ? (int)strlen(v->status_line) + 4 : 0) + (v->paused ? 10 : 0);

	for (uint32_t c = 0; c < f->ncpu; c++)
		if (f->cpu[c].node + 1 > nodes)
			nodes = f->cpu[c].node + 1;
	/* the regime badges keep the right edge; when the line is short of
	 * room the kernel goes first, then the badges' machine names */
	snprintf(kernel, sizeof(kernel), "  Linux %s", v->kernel);
	for (int k = 0; k < 3; k++) {
		terse = k == 2;
		badges = ui_regime_badges(t, f, -1, 0, terse);
		snprintf(head, sizeof(head), "stormtop  %s%s  CPUs %u/%u  nodes %d  every %.3gs", v->host,
			 k ? "" : kernel, f->online, f->ncpu, nodes, v->interval_s);
		if ((int)strlen(head) + extra + 2 + badges <= COLS)
			break;
	}
	x = ui_seg(0, 0, A_BOLD, "%s", head);
	if (v->status_line)
		x = ui_seg(0, x + 2, ui_attr(t, PAIR_TITLE, A_BOLD | A_REVERSE), " %s ", v->status_line);
	if (v->paused)
		x = ui_seg(0, x + 2, ui_attr(t, PAIR_BAD, A_BOLD | A_REVERSE), " PAUSED ");
	ui_regime_badges(t, f, 0, COLS > badges ? COLS - badges : 0, terse);

	/* Sources: the working ones named together, then each missing or
	 * partial one with why. */
	x = ui_seg(1, 0, A_NORMAL, "ok:");
	for (int s = 0; s < SRC_MAX; s++)
		if (f->status[s].state == SOURCE_OK || f->status[s].state == SOURCE_PARTIAL)
			x = ui_seg(1, x, A_NORMAL, " %s", source_name((enum source)s));
	for (int s = 0; s < SRC_MAX; s++) {
		const struct source_status *st = &f->status[s];

		if (st->state != SOURCE_OK && st->reason[0])
			x = ui_seg(1, x, ui_attr(t, st->state == SOURCE_ERROR ? PAIR_BAD : PAIR_DIM, 0),
				" | %s: %s", source_name((enum source)s), st->reason);
	}
}

void ui_legend(const struct tui *t, const struct view *v, int y)
{
	static const enum heat_level shown[] = { HEAT_ZERO, HEAT_LOW, HEAT_WARN, HEAT_CRIT, HEAT_EXTREME };
	char text[5][32];
	double warn, crit;
	int x;

	ui_thresholds(t, v, &warn, &crit);
	snprintf(text[0], sizeof(text[0]), " 0");
	snprintf(text[1], sizeof(text[1]), " <%g", warn);
	snprintf(text[2], sizeof(text[2]), " %g-%g", warn, crit);
	snprintf(text[3], sizeof(text[3]), " %g-%g", crit, crit * 10);
	snprintf(text[4], sizeof(text[4]), " >=%g", crit * 10);
	x = ui_seg(y, 0, A_NORMAL, "per core %s:", metrics[t->metric]->unit);
	for (int i = 0; i < 5 && x + 3 < COLS; i++) {
		enum heat_level l = shown[i];

		attrset(ui_attr(t, PAIR_HEAT + l, l == HEAT_EXTREME ? A_BOLD : 0));
		mvaddstr(y, x + 2, heat_glyph(l, t->utf8)); /* one column, several bytes */
		attrset(A_NORMAL);
		x = ui_seg(y, x + 3, A_NORMAL, "%s", text[i]);
	}
}

/* One "NAME value" pair of the system strip; absent figures print "n/a". */
static int figure(int y, int x, const char *name, double per_s, int present)
{
	char buf[16];

	if (!present)
		return ui_seg(y, x, A_NORMAL, "%s n/a  ", name);
	fmt_rate(buf, sizeof(buf), per_s);
	return ui_seg(y, x, A_NORMAL, "%s %s  ", name, buf);
}

static int psi_figure(int y, int x, const char *name, const struct frame *f,
		      const struct frame_psi *p, enum source src)
{
	if (f->status[src].state != SOURCE_OK)
		return ui_seg(y, x, A_NORMAL, "%s n/a  ", name);
	/* stall microseconds per second of interval, as a percentage */
	return ui_seg(y, x, A_NORMAL, "%s %.1f%%  ", name, frame_rate(f, p->some_us) / 1e4);
}

void ui_system(const struct tui *t, const struct frame *f, int y)
{
	const struct frame_sys *s = &f->sys;
	int vm_ok = f->status[SRC_VMSTAT].state == SOURCE_OK;
	static const struct { const char *name; enum vm_stat v; } vm[] = {
		{ "flt", VM_PGFAULT }, { "majflt", VM_PGMAJFAULT },
		{ "migr", VM_PGMIGRATE_SUCCESS }, { "numa", VM_NUMA_PAGES_MIGRATED },
		{ "thp-split", VM_THP_SPLIT_PAGE }, { "thp-coll", VM_THP_COLLAPSE_ALLOC },
		{ "compact", VM_COMPACT_STALL }, { "steal-k", VM_PGSTEAL_KSWAPD },
		{ "steal-d", VM_PGSTEAL_DIRECT }, { "demote", VM_PGDEMOTE },
		{ "promote", VM_PGPROMOTE }, { "tlb-rflush", VM_TLB_REMOTE_FLUSH },
	};

	int x = 0;

	(void)t;
	for (int k = 0; k < IRQ_KIND_MAX; k++)
		x = figure(y, x, irq_kind_name((enum irq_kind)k),
			   frame_rate(f, frame_irq_total(f, (enum irq_kind)k)), (f->irq_present >> k) & 1);
	x = psi_figure(y, x, "psi-cpu", f, &s->psi_cpu, SRC_PSI_CPU);
	psi_figure(y, x, "psi-mem", f, &s->psi_mem, SRC_PSI_MEMORY);
	x = 0;
	for (size_t i = 0; i < sizeof(vm) / sizeof(vm[0]); i++)
		x = figure(y + 1, x, vm[i].name, frame_rate(f, s->vm[vm[i].v]),
			   vm_ok && ((s->vm_present >> vm[i].v) & 1));
}

void ui_thresholds(const struct tui *t, const struct view *v, double *warn, double *crit)
{
	const struct metric *m = metrics[t->metric];

	*warn = m->warn > 0 ? m->warn : v->warn;
	*crit = m->crit > 0 ? m->crit : v->crit;
}

/* What watching costs: our own CPU, our BPF programs' time per event, and
 * the shootdowns we caused ourselves (should stay 0). */
void ui_cost(const struct tui *t, const struct frame *f, int y)
{
	const struct frame_sys *s = &f->sys;
	int x = ui_seg(y, 0, ui_attr(t, PAIR_DIM, 0), "stormtop itself: cpu %.2f%%",
		       frame_rate(f, s->self_cpu_ns) / 1e7);

	if (s->bpf_run_cnt)
		x = ui_seg(y, x, ui_attr(t, PAIR_DIM, 0), "  bpf %.2f ms/s, %.0f ns/event",
			   frame_rate(f, s->bpf_run_ns) / 1e6, (double)s->bpf_run_ns / (double)s->bpf_run_cnt);
	ui_seg(y, x, s->self_sent ? ui_attr(t, PAIR_BAD, A_BOLD) : ui_attr(t, PAIR_DIM, 0),
	       "  own TLB shootdowns %llu", (unsigned long long)s->self_sent);
}

void ui_footer(const struct tui *t, const struct view *v, int y)
{
	if (v->playback)
		ui_seg(y, 0, ui_attr(t, PAIR_DIM, A_REVERSE),
		       " q quit  space pause  t/T step  [/] 1min  {/} 10min  b go to  +/- speed  n/N burst  j/J regime  1-6 heatmap ");
	else
		ui_seg(y, 0, ui_attr(t, PAIR_DIM, A_REVERSE),
		       " q quit  space pause  +/- interval  1-6/tab heatmap  s sort  w record  a attach  arrows scroll ");
}
