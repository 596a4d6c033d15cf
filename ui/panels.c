/* The text around the heatmap: header, source status, legend, system
 * totals and key help. */
#include "tui_internal.h"

#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "format.h"

/* Writes text at (y, x) clipped to the screen width, never wrapping;
 * returns the column after it. */
static int seg(int y, int x, int attr, const char *fmt, ...)
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
	int nodes = 1, x;

	for (uint32_t c = 0; c < f->ncpu; c++)
		if (f->cpu[c].node + 1 > nodes)
			nodes = f->cpu[c].node + 1;
	x = seg(0, 0, A_BOLD, "stormtop  %s  Linux %s  CPUs %u/%u  nodes %d  every %gs",
		v->host, v->kernel, f->online, f->ncpu, nodes, v->interval_s);
	/* At the right edge, over the header if need be: it must stay visible. */
	if (v->paused)
		seg(0, x + 10 <= COLS ? x + 2 : COLS - 8, ui_attr(t, PAIR_BAD, A_BOLD | A_REVERSE), " PAUSED ");

	/* Sources: the working ones named together, each missing one with why. */
	x = seg(1, 0, A_NORMAL, "ok:");
	for (int s = 0; s < SRC_MAX; s++)
		if (f->status[s].state == SOURCE_OK)
			x = seg(1, x, A_NORMAL, " %s", source_name((enum source)s));
	for (int s = 0; s < SRC_MAX; s++) {
		const struct source_status *st = &f->status[s];

		if (st->state != SOURCE_OK)
			x = seg(1, x, ui_attr(t, st->state == SOURCE_ERROR ? PAIR_BAD : PAIR_DIM, 0),
				" | %s: %s", source_name((enum source)s), st->reason);
	}
}

void ui_legend(const struct tui *t, const struct view *v, int y)
{
	static const enum heat_level shown[] = { HEAT_ZERO, HEAT_LOW, HEAT_WARN, HEAT_CRIT, HEAT_EXTREME };
	char text[5][32];
	int x;

	snprintf(text[0], sizeof(text[0]), " 0");
	snprintf(text[1], sizeof(text[1]), " <%g", v->warn);
	snprintf(text[2], sizeof(text[2]), " %g-%g", v->warn, v->crit);
	snprintf(text[3], sizeof(text[3]), " %g-%g", v->crit, v->crit * 10);
	snprintf(text[4], sizeof(text[4]), " >=%g", v->crit * 10);
	x = seg(y, 0, A_NORMAL, "per core /s:");
	for (int i = 0; i < 5 && x + 3 < COLS; i++) {
		enum heat_level l = shown[i];

		attrset(ui_attr(t, PAIR_HEAT + l, l == HEAT_EXTREME ? A_BOLD : 0));
		mvaddstr(y, x + 2, heat_glyph(l, t->utf8)); /* one column, several bytes */
		attrset(A_NORMAL);
		x = seg(y, x + 3, A_NORMAL, "%s", text[i]);
	}
}

/* One "NAME value" pair of the system strip; absent figures print "n/a". */
static int figure(int y, int x, const char *name, double per_s, int present)
{
	char buf[16];

	if (!present)
		return seg(y, x, A_NORMAL, "%s n/a  ", name);
	fmt_rate(buf, sizeof(buf), per_s);
	return seg(y, x, A_NORMAL, "%s %s  ", name, buf);
}

static int psi_figure(int y, int x, const char *name, const struct frame *f,
		      const struct frame_psi *p, enum source src)
{
	if (f->status[src].state != SOURCE_OK)
		return seg(y, x, A_NORMAL, "%s n/a  ", name);
	/* stall microseconds per second of interval, as a percentage */
	return seg(y, x, A_NORMAL, "%s %.1f%%  ", name, frame_rate(f, p->some_us) / 1e4);
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

void ui_footer(const struct tui *t, int y)
{
	seg(y, 0, ui_attr(t, PAIR_DIM, A_REVERSE), " q quit  space pause  +/- interval  arrows/PgUp/PgDn scroll ");
}
