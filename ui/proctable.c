// SPDX-License-Identifier: GPL-2.0-only
/* The top-churn process table: who sends the shootdowns, who maps and
 * unmaps, this tick, sorted by the column the user picked, filtered by
 * name, with tagged rows kept marked across ticks. */
#include "ui/tui_internal.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ui/format.h"
#include "ui/proccols.h"

#define PID_W 8
#define COMM_W FRAME_COMM_LEN /* a comm and a space */
#define CPU_W 5
#define NUM_W 9

static int tagged(const struct tui *t, int32_t pid)
{
	for (int i = 0; i < t->ntags; i++)
		if (t->tags[i] == pid)
			return 1;
	return 0;
}

uint32_t ui_proc_rows(const struct tui *t, const struct frame *f, uint8_t *order)
{
	uint32_t n = procs_sort(f, (enum proc_col)t->sort, order), kept = 0;

	for (uint32_t i = 0; i < n; i++)
		if (!t->filter[0] || strcasestr(f->procs.top[order[i]].comm, t->filter))
			order[kept++] = order[i];
	return kept;
}

static void draw_head(struct tui *t, int y)
{
	struct style head = ui_role(t, ROLE_TITLE, ATTR_BOLD | ATTR_REVERSE);
	int x;

	screen_paint(&t->scr, y, 0, t->scr.w, head);
	x = ui_seg(t, y, 0, head, "%*s %-*s%*s", PID_W - 1, "PID", COMM_W, "COMM", CPU_W, "CPU");
	for (int c = 0; c < COL_COUNT; c++) {
		struct style st = head;

		if (c == t->sort) /* htop marks the sort column by colour; we also need it without */
			st = ui_role(t, ROLE_CURSOR, ATTR_BOLD | ATTR_UNDERLINE);
		x = ui_seg(t, y, x, st, "%*s", NUM_W, proc_col_name((enum proc_col)c));
	}
}

static void draw_proc(struct tui *t, const struct frame *f, const struct frame_proc *p, int y, int sel)
{
	struct style st = sel ? ui_role(t, ROLE_CURSOR, 0) : tagged(t, p->tgid) ? ui_role(t, ROLE_TAG, ATTR_BOLD)
									 : ui_plain(0);
	char cpu[12] = "-", comm[COMM_W * 7 + 1];
	int x;

	if (p->on_cpu)
		snprintf(cpu, sizeof(cpu), "%u", p->on_cpu - 1);
	if (sel)
		screen_paint(&t->scr, y, 0, t->scr.w, st);
	/* the name is the process's own choice: cut and padded by cells */
	text_fit(comm, sizeof(comm), p->comm, COMM_W - 1, t->scr.ascii);
	x = ui_seg(t, y, 0, st, "%*d %s %*s", PID_W - 1, p->tgid, comm, CPU_W, cpu);
	for (int c = 0; c < COL_COUNT; c++) {
		char v[16];

		/* fmt_rate's "-" for a negative value: the column's signal is missing */
		fmt_rate(v, sizeof(v), proc_col_present(f, (enum proc_col)c) ?
			 frame_rate(f, proc_col_value(p, (enum proc_col)c)) : -1);
		x = ui_seg(t, y, x, st, "%*s", NUM_W, v);
	}
}

static void empty_note(struct tui *t, const struct frame *f, int y)
{
	if (t->filter[0])
		ui_seg(t, y, 0, ui_role(t, ROLE_DIM, 0), " no process matches the filter '%s' (F4, Esc clears)",
		       t->filter);
	else if (!frame_has(f, SIG_SENDERS) && !frame_has(f, SIG_MAP_OPS))
		ui_seg(t, y, 0, ui_role(t, ROLE_DIM, 0), " per-process figures need the eBPF collector: %s",
		       f->status[SRC_BPF].reason[0] ? f->status[SRC_BPF].reason : "off");
	else
		ui_seg(t, y, 0, ui_role(t, ROLE_DIM, 0), " no TLB sends or map churn this tick");
}

/* The processes past the list, summed, so the table adds up to the host. */
static void others_line(struct tui *t, const struct frame *f, int y)
{
	const struct frame_proc *o = &f->procs.other;
	uint64_t ops = 0;
	char sent[16], map[16], flt[16];

	for (int op = 0; op < MAP_OPS; op++)
		ops += o->ops[op];
	fmt_rate(sent, sizeof(sent), frame_has(f, SIG_SENDERS) ? frame_rate(f, o->sent) : -1);
	fmt_rate(map, sizeof(map), frame_has(f, SIG_MAP_OPS) ? frame_rate(f, ops) : -1);
	fmt_rate(flt, sizeof(flt), frame_has(f, SIG_FAULTS) ? frame_rate(f, o->faults) : -1);
	ui_seg(t, y, 0, ui_role(t, ROLE_DIM, 0), " + %u other processes: %s sent/s, %s map ops/s, %s faults/s",
	       f->procs.others, sent, map, flt);
}

void ui_proctable(struct tui *t, const struct frame *f, int top, int height)
{
	uint8_t order[FRAME_TOP_PROCS];
	uint32_t n = ui_proc_rows(t, f, order);
	int full = t->view == VIEW_PROCS, first = 0;

	t->proc_top = top;
	t->proc_rows = height;
	draw_head(t, top);
	if (t->proc_sel >= (int)n)
		t->proc_sel = n ? (int)n - 1 : 0;
	if (n == 0) {
		empty_note(t, f, top + 1);
		return;
	}
	if (full && t->proc_sel >= height - 1)
		first = t->proc_sel - (height - 2);
	for (uint32_t i = (uint32_t)first; i < n && (int)i - first < height - 1; i++)
		draw_proc(t, f, &f->procs.top[order[i]], top + 1 + (int)i - first, full && (int)i == t->proc_sel);
	if (f->procs.others && (int)n - first < height - 1 && !t->filter[0])
		others_line(t, f, top + 1 + (int)n - first);
	if (full && (t->filter[0] || t->ntags))
		ui_seg(t, top + height - 1, 0, ui_role(t, ROLE_DIM, 0), " %u shown%s%s%s  %d tagged (space, U clears)",
		       n, t->filter[0] ? ", filter '" : "", t->filter, t->filter[0] ? "'" : "", t->ntags);
}
