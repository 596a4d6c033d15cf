// SPDX-License-Identifier: GPL-2.0-only
/* Drill-down on the cursor's core: its counters this tick, its run-queue
 * delay distribution, the processes last seen on it and its NUMA node. */
#include "ui/tui_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ui/cgtree.h"
#include "ui/format.h"
#include "core/field.h"
#include "core/hist.h"
#include "core/present.h"
#include "core/metric.h"
#include "ui/proccols.h"
#include "core/sigwhy.h"

#define DRILL_ROWS 12      /* the core, its run-queue delay picture, its processes */
#define DRILL_ROWS_APP 18  /* and the attached app's latency and correlation */
#define BARS_H 3
#define AXIS_LO_NS 100.0   /* the histograms' log axis: 100 ns .. 100 ms */
#define AXIS_HI_NS 1e8

int ui_drill_rows(int avail)
{
	/* the app's pictures when the heatmaps keep 8 rows */
	return avail >= DRILL_ROWS_APP + 8 ? DRILL_ROWS_APP : avail >= 16 ? DRILL_ROWS : 0;
}

/* The core a row stands for: its CPU, or its hottest one by TLB IPIs. */
static uint32_t core_of(const struct tui *t, const struct grid_row *row, const struct frame *f)
{
	uint32_t best = t->order[row->first];
	double bv = -2;

	for (uint32_t i = 0; i < row->count; i++) {
		uint32_t c = t->order[row->first + i];
		double v = c < f->ncpu ? metrics[METRIC_TLB_RX]->per_cpu(f, c) : -1;

		if (v > bv)
			bv = v, best = c;
	}
	return best;
}

/* "NAME rate", or a dim "NAME n/a" where the frame has no such figure. */
static int rate(struct tui *t, int y, int x, const char *name, double v, int present)
{
	char buf[16];

	if (!present)
		return ui_seg(t, y, x, ui_role(t, ROLE_DIM, 0), "%s n/a  ", name);
	fmt_rate(buf, sizeof(buf), v);
	return ui_seg(t, y, x, ui_plain(0), "%s %s  ", name, buf);
}

/* The core's rates of this tick, then a line of the field rows with a UI
 * label (struct field.ui), in table order. */
static void counters(struct tui *t, const struct frame *f, uint32_t cpu, int y)
{
	const struct frame_cpu *c = &f->cpu[cpu];
	int x = 1;

	for (int m = 0; m < METRIC_COUNT; m++) {
		double v = metrics[m]->per_cpu(f, cpu);

		x = rate(t, y, x, metrics[m]->brief, v, v >= 0);
	}
	x = 1;
	for (size_t k = 0; k < frame_nfields; k++) {
		const struct field *fd = &frame_fields[k];

		if (fd->scope == SCOPE_CPU && fd->ui)
			x = rate(t, y + 1, x, fd->ui, frame_rate(f, field_bits(fd, c)), field_present_cpu(f, fd, cpu));
	}
}

/* The core's own run-queue delay this tick as bars of its octaves over
 * the log axis, its quantiles in the line above.  A recording made before
 * the frame kept the octaves (rq_oct_present) gets every CPU's histogram
 * instead, titled so.  Rows: title, quantiles, bars, axis. */
static void runq(struct tui *t, const struct view *v, const struct frame *f, uint32_t cpu, int y, int w)
{
	const struct frame_cpu *c = &f->cpu[cpu];
	const struct hist_bins oct = { c->rq_oct, RQ_OCTAVES, hist_octave_low, hist_octave_high };
	char q[4][16], title[128];
	double warn, crit, p99;
	struct style st;

	if (!frame_has(f, SIG_RUNQ)) {
		char why[FRAME_STATUS_LEN], line[FRAME_STATUS_LEN + 16];

		ui_seg(t, y, 1, ui_role(t, ROLE_TITLE, ATTR_BOLD), "run-queue delay");
		snprintf(line, sizeof(line), "not measured: %s", signal_why(f, SIG_RUNQ, why, sizeof(why)));
		ui_wrap(t, y + 1, 1, w, BARS_H + 2, ui_role(t, ROLE_DIM, 0), line);
		return;
	}
	if (!cpu_measured(f, cpu)) {
		ui_segw(t, y, 1, w, ui_role(t, ROLE_TITLE, ATTR_BOLD), "run-queue delay, cpu%u this tick", cpu);
		ui_segw(t, y + 1, 1, w, ui_role(t, ROLE_DIM, 0), "cpu%u n/a: offline or just came online", cpu);
		return;
	}
	fmt_ns(q[0], sizeof(q[0]), (double)c->rq_q[RQ_P50]);
	fmt_ns(q[1], sizeof(q[1]), (double)c->rq_q[RQ_P99]);
	fmt_ns(q[2], sizeof(q[2]), (double)c->rq_q[RQ_P999]);
	fmt_ns(q[3], sizeof(q[3]), (double)c->rq_max);
	ui_segw(t, y + 1, 1, w, ui_plain(0), "cpu%u: %llu waits  p50 %s  p99 %s  p99.9 %s  max %s", cpu,
		(unsigned long long)c->rq_count, q[0], q[1], q[2], q[3]);
	ui_thresholds(METRIC_RUNQ_P99, v, &warn, &crit);
	if (rq_oct_present(f, cpu)) {
		/* the waits again in the line below: left out where they would not fit */
		snprintf(title, sizeof(title), "run-queue delay, cpu%u this tick (%llu waits)", cpu,
			 (unsigned long long)c->rq_count);
		if ((int)strlen(title) > w)
			*strstr(title, " (") = '\0';
		ui_segw(t, y, 1, w, ui_role(t, ROLE_TITLE, ATTR_BOLD), "%s", title);
		st = ui_heat(t, heat_classify((double)c->rq_q[RQ_P99] / 1e3, warn, crit));
		ui_bins_bars(t, y + 2, 1, w, BARS_H, &oct, AXIS_LO_NS, AXIS_HI_NS, st);
		return;
	}
	/* the long title where it fits; on an 80-column screen the short one
	 * still says whose bars these are */
	snprintf(title, sizeof(title), "run-queue delay, all CPUs this tick (%llu waits; cpu%u's own not recorded)",
		 (unsigned long long)hist_total(f->sys.rq_hist), cpu);
	if ((int)strlen(title) > w)
		snprintf(title, sizeof(title), "all CPUs (cpu%u's own not recorded)", cpu);
	ui_segw(t, y, 1, w, ui_role(t, ROLE_TITLE, ATTR_BOLD), "%s", title);
	p99 = (double)hist_quantile(f->sys.rq_hist, 0.99);
	ui_hist_bars(t, y + 2, 1, w, BARS_H, f->sys.rq_hist, AXIS_LO_NS, AXIS_HI_NS,
		     ui_heat(t, heat_classify(p99 / 1e3, warn, crit)));
}

/* The attached app's latency this tick as bars on the same axis, and
 * beside it r of its p99 against TLB IPIs at every lag. */
static void app_pictures(struct tui *t, const struct frame *f, int y, int w)
{
	const struct frame_corr *c = &f->corr;
	int rx = w + 3, rw = t->scr.w - rx - 1;
	char a[16], b[16];

	if (!hist_total(f->app_hist) && !c->nlags) {
		ui_wrap(t, y, 1, t->scr.w - 2, 2, ui_role(t, ROLE_DIM, 0),
			"no attached app: attach one (--attach NAME, key a) for its latency histogram and its "
			"correlation with TLB IPIs at each lag");
		return;
	}
	fmt_ns(a, sizeof(a), hist_total(f->app_hist) ? (double)hist_quantile(f->app_hist, 0.5) : -1);
	fmt_ns(b, sizeof(b), hist_total(f->app_hist) ? (double)hist_quantile(f->app_hist, 0.99) : -1);
	ui_segw(t, y, 1, w, ui_role(t, ROLE_TITLE, ATTR_BOLD), "app latency this tick (%llu samples)",
		(unsigned long long)hist_total(f->app_hist));
	ui_segw(t, y + 1, 1, w, ui_plain(0), "p50 %s  p99 %s", a, b);
	ui_hist_bars(t, y + 2, 1, w, BARS_H, f->app_hist, AXIS_LO_NS, AXIS_HI_NS, ui_role(t, ROLE_TITLE, 0));
	if (rw < 55)
		return;
	ui_segw(t, y, rx, rw, ui_role(t, ROLE_TITLE, ATTR_BOLD), "r(app p99, TLB IPIs) by lag in ticks");
	ui_segw(t, y + 1, rx, rw, ui_role(t, ROLE_DIM, 0), "+: TLB first; best underlined; %u ticks", c->window);
	if (!ui_lag_bars(t, y + 2, rx, rw, c))
		ui_segw(t, y + 2, rx, rw, ui_role(t, ROLE_DIM, 0), "no correlation yet (%u ticks)", c->window);
}

static void procs_on(struct tui *t, const struct frame *f, uint32_t cpu, int y, int x)
{
	uint8_t order[FRAME_TOP_PROCS];
	uint32_t n = procs_sort(f, t->sort, t->sort_invert, order);
	enum proc_col rate = t->sort < COL_COUNT ? (enum proc_col)t->sort : COL_SENT; /* a rate to show */
	int shown = 0;

	ui_seg(t, y, x, ui_role(t, ROLE_TITLE, ATTR_BOLD), "processes last seen on cpu%u", cpu);
	for (uint32_t i = 0; i < n && shown < 5; i++) {
		const struct frame_proc *p = &f->procs.top[order[i]];
		char v[16], comm[15 * 7 + 1];

		if (p->on_cpu != cpu + 1 || !cgroup_keeps_proc(f, p, t->cg_root))
			continue;
		fmt_rate(v, sizeof(v), frame_rate(f, proc_col_value(p, rate)));
		text_fit(comm, sizeof(comm), p->comm, 15, t->scr.ascii);
		ui_seg(t, y + 1 + shown++, x, ui_plain(0), "%7d %s %s %s", p->tgid, comm, v,
		       proc_col_name(rate));
	}
	if (!shown)
		ui_seg(t, y + 1, x, ui_role(t, ROLE_DIM, 0), "none among this tick's top processes");
}

/* The received TLB IPIs as both sources count them, and their gap, so a
 * BPF program that misses some is seen rather than hidden (metric.h). */
static void rx_line(struct tui *t, const struct frame *f, uint32_t cpu, int y)
{
	const struct frame_cpu *c = &f->cpu[cpu];
	struct style dim = ui_role(t, ROLE_DIM, 0);
	int irq = (f->irq_present >> IRQ_TLB) & 1, csd = frame_has(f, SIG_TLB_RX);
	int64_t gap;
	int x = ui_seg(t, y, 1, ui_plain(0), "TLB IPIs received this tick:");

	x = irq ? ui_seg(t, y, x, ui_plain(0), " /proc/interrupts %llu", (unsigned long long)c->irq[IRQ_TLB])
		: ui_seg(t, y, x, dim, " /proc/interrupts n/a");
	x = csd ? ui_seg(t, y, x, ui_plain(0), "  csd %llu", (unsigned long long)c->tlb_rx)
		: ui_seg(t, y, x, dim, "  csd n/a");
	if (tlb_rx_gap(f, cpu, &gap))
		ui_seg(t, y, x, gap ? ui_role(t, ROLE_TITLE, 0) : dim, "  gap %lld%s", (long long)gap,
		       gap ? " (the csd program missed them, or a read edge)" : "");
}

/* The node's CPUs and memory from the frame's topology; its desk figures. */
static void node_line(struct tui *t, const struct frame *f, uint16_t node, int y)
{
	const struct frame_node *fn = frame_node_find(f, node);
	uint32_t n = 0;
	char mem[24];
	int x;

	for (uint32_t c = 0; !fn && c < f->ncpu; c++) /* nodes past the frame's list */
		n += frame_cpu_exists(f, c) && f->cpu[c].node == node;
	fmt_bytes(mem, sizeof(mem), fn ? (double)fn->mem_bytes : 0);
	x = ui_seg(t, y, 1, ui_plain(0), "NUMA node %u: %u CPUs, memory %s", node, fn ? fn->cpus : n, mem);
	for (uint32_t i = 0; i < f->regime.nnodes && i < FRAME_NODES; i++)
		if (f->regime.nodes[i].node == node)
			ui_seg(t, y, x, ui_plain(0), "  SBI %.2f/min  DFI %.0f/s  hottest core %.0f TLB IPIs/s",
			       f->regime.nodes[i].sbi, f->regime.nodes[i].dfi, f->regime.nodes[i].rate);
}

void ui_drill(struct tui *t, const struct frame_ring *r, const struct view *v, int top, int height)
{
	const struct frame *f = ring_at_age(r, 0);
	const struct grid_row *row = ui_cursor_row(t);
	uint32_t cpu;
	int px;

	if (!row || height < DRILL_ROWS)
		return;
	if (!row->count) { /* a memory-only node: nothing runs there */
		screen_paint(&t->scr, top, 0, t->scr.w, ui_role(t, ROLE_TITLE, ATTR_REVERSE | ATTR_BOLD));
		ui_seg(t, top, 0, ui_role(t, ROLE_TITLE, ATTR_REVERSE | ATTR_BOLD), " node %u  (Enter or Esc closes)",
		       row->node);
		node_line(t, f, row->node, top + 1);
		ui_memory_node(t, f, row->node, top + 2, 1);
		return;
	}
	cpu = core_of(t, row, f);
	screen_paint(&t->scr, top, 0, t->scr.w, ui_role(t, ROLE_TITLE, ATTR_REVERSE | ATTR_BOLD));
	ui_seg(t, top, 0, ui_role(t, ROLE_TITLE, ATTR_REVERSE | ATTR_BOLD), " cpu%u%s  (Enter or Esc closes)",
	       cpu, row->count > 1 ? ", the hottest of the row" : "");
	counters(t, f, cpu, top + 1);
	rx_line(t, f, cpu, top + 3);
	node_line(t, f, f->cpu[cpu].node, top + 4);
	px = t->scr.w / 2 > 40 ? t->scr.w / 2 : 40;
	runq(t, v, f, cpu, top + 5, px - 3);
	procs_on(t, f, cpu, top + 5, px);
	if (height >= DRILL_ROWS_APP)
		app_pictures(t, f, top + DRILL_ROWS, px - 3);
}
