/* The text around the heatmap: header, source status, legend, system
 * totals and key help. */
#include "tui_internal.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "format.h"

void ui_header(const struct tui *t, const struct frame *f, const struct view *v)
{
	int nodes = 1;

	for (uint32_t c = 0; c < f->ncpu; c++)
		if (f->cpu[c].node + 1 > nodes)
			nodes = f->cpu[c].node + 1;
	attrset(A_BOLD);
	mvprintw(0, 0, "stormtop  %s  Linux %s  CPUs %u/%u online  nodes %d  every %.2gs",
		 v->host, v->kernel, f->online, f->ncpu, nodes, v->interval_s);
	attrset(A_NORMAL);
	if (v->paused) {
		attrset(ui_attr(t, PAIR_BAD, A_BOLD | A_REVERSE));
		addstr("  PAUSED ");
		attrset(A_NORMAL);
	}

	/* Sources: the working ones named together, each missing one with why. */
	move(1, 0);
	addstr("ok:");
	for (int s = 0; s < SRC_MAX; s++)
		if (f->status[s].state == SOURCE_OK)
			printw(" %s", source_name((enum source)s));
	for (int s = 0; s < SRC_MAX; s++) {
		const struct source_status *st = &f->status[s];

		if (st->state == SOURCE_OK)
			continue;
		attrset(ui_attr(t, st->state == SOURCE_ERROR ? PAIR_BAD : PAIR_DIM, 0));
		printw(" | %s: %s", source_name((enum source)s), st->reason);
		attrset(A_NORMAL);
	}
}

void ui_legend(const struct tui *t, const struct view *v, int y)
{
	char w[16], c[16], x[16];
	static const enum heat_level shown[] = { HEAT_ZERO, HEAT_LOW, HEAT_WARN, HEAT_CRIT, HEAT_EXTREME };

	fmt_rate(w, sizeof(w), v->warn);
	fmt_rate(c, sizeof(c), v->crit);
	fmt_rate(x, sizeof(x), v->crit * 10);
	mvaddstr(y, 0, "per core:");
	for (int i = 0; i < 5; i++) {
		enum heat_level l = shown[i];

		addstr("  ");
		attrset(ui_attr(t, PAIR_HEAT + l, l == HEAT_EXTREME ? A_BOLD : 0));
		addstr(heat_glyph(l, t->utf8));
		attrset(A_NORMAL);
		switch (i) {
		case 0: addstr(" 0"); break;
		case 1: printw(" <%s", w); break;
		case 2: printw(" %s-%s", w, c); break;
		case 3: printw(" %s-%s", c, x); break;
		default: printw(" >=%s", x); break;
		}
	}
	addstr(" /s");
}

/* One "NAME value" pair of the system strip; absent figures print "n/a". */
static void figure(const char *name, double per_s, int present)
{
	char buf[16];

	if (!present) {
		printw("%s n/a  ", name);
		return;
	}
	fmt_rate(buf, sizeof(buf), per_s);
	printw("%s %s  ", name, buf);
}

static void psi_figure(const char *name, const struct frame *f, const struct frame_psi *p,
		       enum source src)
{
	if (f->status[src].state != SOURCE_OK) {
		printw("%s n/a  ", name);
		return;
	}
	/* stall microseconds per second of interval, as a percentage */
	printw("%s %.1f%%  ", name, frame_rate(f, p->some_us) / 1e4);
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

	(void)t;
	move(y, 0);
	for (int k = 0; k < IRQ_KIND_MAX; k++)
		figure(irq_kind_name((enum irq_kind)k), frame_rate(f, frame_irq_total(f, (enum irq_kind)k)),
		       (f->irq_present >> k) & 1);
	psi_figure("psi-cpu", f, &s->psi_cpu, SRC_PSI_CPU);
	psi_figure("psi-mem", f, &s->psi_mem, SRC_PSI_MEMORY);
	move(y + 1, 0);
	for (size_t i = 0; i < sizeof(vm) / sizeof(vm[0]); i++)
		figure(vm[i].name, frame_rate(f, s->vm[vm[i].v]), vm_ok && ((s->vm_present >> vm[i].v) & 1));
}

void ui_footer(const struct tui *t, int y)
{
	attrset(ui_attr(t, PAIR_DIM, A_REVERSE));
	mvaddstr(y, 0, " q quit  space pause  +/- interval  arrows/PgUp/PgDn scroll ");
	attrset(A_NORMAL);
}
