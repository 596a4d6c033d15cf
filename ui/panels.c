// SPDX-License-Identifier: GPL-2.0-only
/* The text around the heatmaps: header, source status, legend, system
 * totals, our own cost and the key bar. */
#include "ui/tui_internal.h"

#include <stdio.h>
#include <string.h>

#include "ui/format.h"
#include "ui/keytable.h"
#include "core/metric.h"

/* "nodes 2", or "nodes 3 (1 memory-only)": memory-only nodes are nodes. */
static void nodes_text(const struct frame *f, char *buf, size_t n)
{
	uint32_t mem = 0;

	for (uint32_t i = 0; i < f->topo.nlist && i < FRAME_TOPO_NODES; i++)
		mem += !f->topo.node[i].cpus;
	if (mem)
		snprintf(buf, n, "nodes %u (%u memory-only)", frame_nnodes(f), mem);
	else
		snprintf(buf, n, "nodes %u", frame_nnodes(f));
}

void ui_memory_node(struct tui *t, const struct frame *f, uint16_t node, int y, int x)
{
	const struct frame_node *n = frame_node_find(f, node);
	char mem[24];

	fmt_bytes(mem, sizeof(mem), n ? (double)n->mem_bytes : 0);
	ui_seg(t, y, x, ui_role(t, ROLE_DIM, 0), "memory only (%s), no CPUs", mem);
}

static void sources_line(struct tui *t, const struct frame *f)
{
	int x = 0;

	if (t->cg_root[0]) /* --cgroup: say the screen is cut to a subtree before anything else */
		x = ui_seg(t, 1, 0, ui_role(t, ROLE_TITLE, ATTR_BOLD | ATTR_REVERSE), " cgroup %s ", t->cg_root) + 1;
	x = ui_seg(t, 1, x, ui_plain(0), "ok:");

	/* the working ones named together, then each missing or partial one
	 * with why */
	for (int s = 0; s < SRC_MAX; s++)
		if (f->status[s].state == SOURCE_OK || f->status[s].state == SOURCE_PARTIAL)
			x = ui_seg(t, 1, x, ui_plain(0), " %s", source_name((enum source)s));
	for (int s = 0; s < SRC_MAX; s++) {
		const struct source_status *st = &f->status[s];

		if (st->state != SOURCE_OK && st->reason[0])
			x = ui_seg(t, 1, x, ui_role(t, st->state == SOURCE_ERROR ? ROLE_BAD : ROLE_DIM, 0),
				   " | %s: %s", source_name((enum source)s), st->reason);
	}
}

void ui_header(struct tui *t, const struct frame *f, const struct view *v)
{
	char head[256], kernel[96] = "", nodes[48], every[32];
	int badges = 0, terse = 0, x, room, w = t->scr.w, ascii = t->scr.ascii;
	int extra = (v->status_line ? text_cols(v->status_line, ascii) + 4 : 0) + (v->paused ? 10 : 0);
	struct style hs = ui_role(t, ROLE_HEADER, ATTR_BOLD);

	/* the regime badges keep the right edge, with their machine names
	 * unless that leaves the line no room for "stormtop"; when the line
	 * is short the kernel goes first, then the status and the rest are
	 * cut with a mark, never overwritten */
	snprintf(kernel, sizeof(kernel), "  Linux %s", v->kernel);
	nodes_text(f, nodes, sizeof(nodes));
	terse = ui_regime_badges(t, f, -1, 0, 0) + 9 > w;
	badges = ui_regime_badges(t, f, -1, 0, terse);
	/* the kernel gives way first, then the node count */
	for (int k = 0; k < 3; k++) {
		snprintf(head, sizeof(head), "stormtop  %s%s  CPUs %u/%u%s%s  every %ss", v->host,
			 k ? "" : kernel, f->online, frame_cpus(f), k > 1 ? "" : "  ", k > 1 ? "" : nodes,
			 text_sig3(every, sizeof(every), v->interval_s));
		if (text_cols(head, ascii) + extra + 2 + badges <= w)
			break;
	}
	screen_paint(&t->scr, 0, 0, w, hs);
	/* what still does not fit ends on a word, left of the badges (one
	 * cell apart) */
	room = w - badges - 1;
	if (room - extra < 10) /* "stormtop" and a mark first: then the status gives way */
		extra = 0;
	x = ui_segw(t, 0, 0, room - extra, hs, "%s", head);
	x = x < room - extra ? x : room - extra > 0 ? room - extra : 0;
	if (v->status_line && extra)
		x = ui_segw(t, 0, x + 2, room - x - 2, ui_role(t, ROLE_TITLE, ATTR_BOLD | ATTR_REVERSE), " %s ",
			    v->status_line);
	if (v->paused && extra && x + 10 <= room)
		ui_seg(t, 0, x + 2, ui_role(t, ROLE_BAD, ATTR_BOLD | ATTR_REVERSE), " PAUSED ");
	ui_regime_badges(t, f, 0, w > badges ? w - badges : 0, terse);
	if (t->overlay == OVERLAY_NONE)
		sources_line(t, f);
}

void ui_legend(struct tui *t, const struct view *v, int y)
{
	static const enum heat_level shown[] = { HEAT_ZERO, HEAT_LOW, HEAT_WARN, HEAT_CRIT, HEAT_EXTREME };
	int metric = t->view == VIEW_METRIC ? t->metric : METRIC_TLB_RX;
	char text[5][48]; /* " %.12g-%.12g": 2 + 2 * 19 */
	double warn, crit;
	int x;

	ui_thresholds(metric, v, &warn, &crit);
	snprintf(text[0], sizeof(text[0]), " 0");
	snprintf(text[1], sizeof(text[1]), " <%.12g", warn);
	snprintf(text[2], sizeof(text[2]), " %.12g-%.12g", warn, crit);
	snprintf(text[3], sizeof(text[3]), " %.12g-%.12g", crit, crit * 10);
	snprintf(text[4], sizeof(text[4]), " >=%.12g", crit * 10);
	x = ui_seg(t, y, 0, ui_plain(0), "%s %s:", t->view == VIEW_METRIC ? "per core" : "TLB per core",
		   metrics[metric]->unit);
	for (int i = 0; i < 5 && x + 3 < t->scr.w; i++) {
		screen_text(&t->scr, y, x + 1, ui_heat(t, shown[i]), heat_glyph(shown[i], t->utf8));
		x = ui_seg(t, y, x + 2, ui_plain(0), "%s", text[i]);
	}
	if (t->view == VIEW_OVERVIEW && !t->extent[0])
		x = ui_seg(t, y, x + 2, ui_role(t, ROLE_DIM, 0), "(other panels: own thresholds, F1)");
	if (t->extent[0] && t->view == VIEW_OVERVIEW) {
		int n = text_cols(t->extent, t->scr.ascii);

		ui_seg(t, y, t->scr.w - n > x + 2 ? t->scr.w - n : x + 2, ui_plain(ATTR_BOLD), "%s", t->extent);
	}
}

/* One "NAME value" pair of the system strip; absent figures print "n/a". */
static int figure(struct tui *t, int y, int x, const char *name, double per_s, int present)
{
	char buf[16];

	if (!present)
		return ui_seg(t, y, x, ui_role(t, ROLE_DIM, 0), "%s n/a  ", name);
	fmt_rate(buf, sizeof(buf), per_s);
	return ui_seg(t, y, x, ui_plain(0), "%s %s  ", name, buf);
}

static int psi_figure(struct tui *t, int y, int x, const char *name, const struct frame *f,
		      const struct frame_psi *p, enum source src)
{
	if (f->status[src].state != SOURCE_OK)
		return ui_seg(t, y, x, ui_role(t, ROLE_DIM, 0), "%s n/a  ", name);
	/* stall microseconds per second of interval, as a percentage */
	return ui_seg(t, y, x, ui_plain(0), "%s %.1f%%  ", name, frame_rate(f, p->some_us) / 1e4);
}

void ui_system(struct tui *t, const struct frame *f, int y)
{
	static const struct { const char *name; enum vm_stat v; } vm[] = {
		{ "flt", VM_PGFAULT }, { "majflt", VM_PGMAJFAULT },
		{ "migr", VM_PGMIGRATE_SUCCESS }, { "numa", VM_NUMA_PAGES_MIGRATED },
		{ "thp-split", VM_THP_SPLIT_PAGE }, { "thp-coll", VM_THP_COLLAPSE_ALLOC },
		{ "compact", VM_COMPACT_STALL }, { "steal-k", VM_PGSTEAL_KSWAPD },
		{ "steal-d", VM_PGSTEAL_DIRECT }, { "demote", VM_PGDEMOTE },
		{ "promote", VM_PGPROMOTE }, { "tlb-rflush", VM_TLB_REMOTE_FLUSH },
	};
	const struct frame_sys *s = &f->sys;
	int vm_ok = f->status[SRC_VMSTAT].state == SOURCE_OK, x = 0;

	for (int k = 0; k < IRQ_KIND_MAX; k++)
		x = figure(t, y, x, irq_kind_name((enum irq_kind)k),
			   frame_rate(f, frame_irq_total(f, (enum irq_kind)k)), (f->irq_present >> k) & 1);
	x = psi_figure(t, y, x, "psi-cpu", f, &s->psi_cpu, SRC_PSI_CPU);
	psi_figure(t, y, x, "psi-mem", f, &s->psi_mem, SRC_PSI_MEMORY);
	x = 0;
	for (size_t i = 0; i < sizeof(vm) / sizeof(vm[0]); i++)
		x = figure(t, y + 1, x, vm[i].name, frame_rate(f, s->vm[vm[i].v]),
			   vm_ok && ((s->vm_present >> vm[i].v) & 1));
}

/* Host-wide over the newest TUI_GAP_TICKS frames: TLB IPIs received by
 * the kernel's count and its gap to the csd program's (metric.h).  0 when
 * the newest frame lacks either. */
static uint32_t rx_gap_window(const struct frame_ring *r, uint64_t *irq, int64_t *gap)
{
	uint32_t n = 0;

	*irq = 0;
	*gap = 0;
	/* each tick's sums are in its summary (core/ticksum.h), taken once */
	for (uint32_t age = 0; r && age < ring_count(r) && age < TUI_GAP_TICKS; age++, n++) {
		const struct tick_sum *g = ring_tick_at_age(r, age);

		if (!g->gap_any && age == 0)
			return 0;
		*irq += g->gap_irq;
		*gap += g->gap;
	}
	return n;
}

/* The csd program's misses beside its cost: seen, not hidden. */
static int rx_gap_seg(struct tui *t, int y, int x, struct style dim)
{
	uint64_t irq;
	int64_t gap;
	uint32_t n = rx_gap_window(t->ring, &irq, &gap);
	char total[16];

	if (!n || !irq)
		return x;
	fmt_rate(total, sizeof(total), (double)irq);
	return ui_seg(t, y, x, dim, "  TLB rx csd gap %lld of %s (%.1f in 100k, %u ticks)", (long long)gap,
		      total, (double)gap * 1e5 / (double)irq, n);
}

/* What watching costs: our own CPU, our BPF programs' time per event and
 * the events they missed, and the shootdowns we caused ourselves (should
 * stay 0). */
void ui_cost(struct tui *t, const struct frame *f, int y)
{
	const struct frame_sys *s = &f->sys;
	struct style dim = ui_role(t, ROLE_DIM, 0);
	int x = ui_hygiene_hint(t, f, y, 0);

	x = ui_seg(t, y, x, dim, "%sstormtop itself: cpu %.2f%%", x ? "  " : "", frame_rate(f, s->self_cpu_ns) / 1e7);

	if (s->bpf_run_cnt)
		x = ui_seg(t, y, x, dim, "  bpf %.2f ms/s, %.0f ns/event", frame_rate(f, s->bpf_run_ns) / 1e6,
			   (double)s->bpf_run_ns / (double)s->bpf_run_cnt);
	x = ui_seg(t, y, x, s->self_sent ? ui_role(t, ROLE_BAD, ATTR_BOLD) : dim, "  own TLB shootdowns %llu",
		   (unsigned long long)s->self_sent);
	/* events the kernel did not give our programs (one was running) */
	if (s->bpf_run_cnt || s->bpf_recursion_misses)
		x = ui_seg(t, y, x, s->bpf_recursion_misses ? ui_role(t, ROLE_BAD, 0) : dim,
			   "  bpf recursion misses %.0f/s", frame_rate(f, s->bpf_recursion_misses));
	rx_gap_seg(t, y, x, dim);
}

/* htop's key bar: the key plain, what it does on the bar's colour. */
static int keycap(struct tui *t, int y, int x, const char *key, const char *what)
{
	x = ui_seg(t, y, x, ui_plain(ATTR_BOLD), "%s", key);
	return ui_seg(t, y, x, ui_role(t, ROLE_BAR, 0), "%-*s", FKEY_LABEL_W, what); /* a click acts: tui_keys.c */
}

void ui_footer(struct tui *t, const struct view *v, int y)
{
	int x = 0;

	if (t->input != INPUT_NONE) {
		x = ui_seg(t, y, 0, ui_plain(ATTR_BOLD), "%s: ", t->input == INPUT_SEARCH ? "Search" : "Filter");
		x = ui_seg(t, y, x, ui_plain(0), "%s", t->input == INPUT_SEARCH ? t->search : t->filter);
		screen_set(&t->scr, y, x, ' ', ui_plain(ATTR_REVERSE));
		ui_seg(t, y, x + 2, ui_role(t, ROLE_DIM, 0), "Enter done  Esc clear");
		return;
	}
	if (t->msg[0]) {
		ui_seg(t, y, 0, ui_role(t, t->msg_bad ? ROLE_BAD : ROLE_TITLE, ATTR_BOLD), "%s", t->msg);
		return;
	}
	for (size_t i = 0; i < fkey_count; i++)
		x = keycap(t, y, x, fkeys[i].cap, fkeys[i].label);
	ui_seg(t, y, x, ui_role(t, ROLE_BAR, 0), "%s",
	       v->playback ? " spc pause t/T step [/] 1min b goto n/N burst j/J regime 0-6,tab view"
			   : " 0-6,tab,p,y view  f density  enter drill  w rec  a attach  +/- interval");
	screen_paint(&t->scr, y, x, t->scr.w - x, ui_role(t, ROLE_BAR, 0));
}
