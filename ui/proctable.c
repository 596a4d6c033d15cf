// SPDX-License-Identifier: GPL-2.0-only
/* The top-churn process table: who sends the shootdowns, who maps and
 * unmaps, this tick, sorted by the column the user picked, filtered by
 * name, with tagged rows kept marked across ticks. */
#include "ui/tui_internal.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ui/cgtree.h"
#include "ui/format.h"
#include "ui/proccols.h"

#define PID_W 8
#define COMM_W FRAME_COMM_LEN /* a comm and a space */
#define CPU_W 5
#define NUM_W 9
#define FIXED_W (PID_W + COMM_W + CPU_W) /* where the counted columns start */

static int tagged(const struct tui *t, int32_t pid)
{
	for (int i = 0; i < t->ntags; i++)
		if (t->tags[i] == pid)
			return 1;
	return 0;
}

uint32_t ui_proc_rows(const struct tui *t, const struct frame *f, uint8_t *order)
{
	uint32_t n = procs_sort(f, t->sort, t->sort_invert, order), kept = 0;

	for (uint32_t i = 0; i < n; i++)
		if ((!t->filter[0] || strcasestr(f->procs.top[order[i]].comm, t->filter)) &&
		    cgroup_keeps_proc(f, &f->procs.top[order[i]], t->cg_root))
			order[kept++] = order[i];
	return kept;
}

/* A counted column's width: its name and a space, at least NUM_W. */
static int col_w(int c)
{
	int n = (int)strlen(proc_col_name((enum proc_col)c)) + 1;

	return n > NUM_W ? n : NUM_W;
}

/* The counted columns that fit from t->proc_col0 on (they scroll
 * sideways as in htop, one column a key); the last cell stays free for
 * the "more to the right" mark. */
static int cols_shown(const struct tui *t)
{
	int x = FIXED_W, n = 0;

	for (int c = t->proc_col0; c < COL_COUNT && x + col_w(c) < t->scr.w; c++, n++)
		x += col_w(c);
	return n ? n : 1;
}

/* Keeps the first column in range, hides none at the left that the
 * width has room for, and brings the sort column into view after the sort
 * changed. */
static void fit_cols(struct tui *t)
{
	if (t->proc_col0 < 0 || t->proc_col0 > COL_COUNT - 1)
		t->proc_col0 = t->proc_col0 < 0 ? 0 : COL_COUNT - 1;
	while (t->proc_col0 > 0) {
		t->proc_col0--;
		if (cols_shown(t) < COL_COUNT - t->proc_col0) {
			t->proc_col0++;
			break;
		}
	}
	if (t->sort_follow && t->sort < COL_COUNT) {
		if (t->sort < t->proc_col0)
			t->proc_col0 = t->sort;
		while (t->sort >= t->proc_col0 + cols_shown(t))
			t->proc_col0++;
	}
	t->sort_follow = 0;
}

int ui_proc_col_at(const struct tui *t, int x)
{
	int at = FIXED_W, n = cols_shown(t);

	if (x >= 0 && x < FIXED_W)
		return x < PID_W ? SORT_PID : x < PID_W + COMM_W ? SORT_COMM : SORT_CPU;
	for (int c = t->proc_col0; c < t->proc_col0 + n; c++) {
		if (x >= at && x < at + col_w(c))
			return c;
		at += col_w(c);
	}
	return -1;
}

void ui_proc_scroll(struct tui *t, int dir)
{
	int n = cols_shown(t);

	if (dir > 0 && t->proc_col0 + n < COL_COUNT)
		t->proc_col0++;
	else if (dir < 0 && t->proc_col0 > 0)
		t->proc_col0--;
}

/* htop marks the sort column by colour; we also need it without */
static struct style sort_style(const struct tui *t, int key, struct style head)
{
	return key == t->sort ? ui_role(t, ROLE_CURSOR, ATTR_BOLD | ATTR_UNDERLINE) : head;
}

static void draw_head(struct tui *t, int y)
{
	struct style head = ui_role(t, ROLE_TITLE, ATTR_BOLD | ATTR_REVERSE);
	int x, n = cols_shown(t);

	t->proc_head = y;
	screen_paint(&t->scr, y, 0, t->scr.w, head);
	x = ui_seg(t, y, 0, sort_style(t, SORT_PID, head), "%*s", PID_W - 1, "PID");
	x = ui_seg(t, y, x + 1, sort_style(t, SORT_COMM, head), "%-*s", COMM_W, "COMM");
	x = ui_seg(t, y, x, sort_style(t, SORT_CPU, head), "%*s", CPU_W, "CPU");
	if (t->proc_col0 > 0) /* columns hidden at the left: in the CPU column's blank */
		ui_seg(t, y, FIXED_W - CPU_W, head, "%s", t->utf8 ? "\u25c2" : "<");
	for (int c = t->proc_col0; c < t->proc_col0 + n; c++)
		x = ui_seg(t, y, x, sort_style(t, c, head), "%*s", col_w(c), proc_col_name((enum proc_col)c));
	if (t->proc_col0 + n < COL_COUNT)
		ui_seg(t, y, x, head, "%s", t->utf8 ? "\u25b8" : ">");
}

/* Under the header: what the sort column counts, and which columns show. */
static void draw_hint(struct tui *t, int y)
{
	char where[48] = "", text[200];
	int n = cols_shown(t), room;

	if (n < COL_COUNT)
		snprintf(where, sizeof(where), "  cols %d-%d of %d, <- ->", t->proc_col0 + 1, t->proc_col0 + n,
			 COL_COUNT);
	room = t->scr.w - 1 - (int)strlen(where);
	snprintf(text, sizeof(text), " %s: %s%s", proc_col_name(t->sort), proc_col_hint(t->sort),
		 t->sort_invert ? " (inverted, I)" : "");
	if ((int)strlen(text) > room && room > 2) { /* cut after a whole word, and marked as cut */
		size_t n = text_cut(text, room - 1, t->scr.ascii);

		while (n > 1 && text[n] != ' ')
			n--;
		snprintf(text + n, 4, "%s", t->utf8 ? "\u2026" : "~");
	}
	ui_seg(t, y, 0, ui_role(t, ROLE_DIM, 0), "%s", text);
	if (where[0])
		ui_seg(t, y, t->scr.w - (int)strlen(where), ui_role(t, ROLE_DIM, ATTR_BOLD), "%s", where);
}

static void draw_proc(struct tui *t, const struct frame *f, const struct frame_proc *p, int y, int sel)
{
	struct style st = sel ? ui_role(t, ROLE_CURSOR, 0) : tagged(t, p->tgid) ? ui_role(t, ROLE_TAG, ATTR_BOLD)
									 : ui_plain(0);
	char cpu[12] = "-", comm[COMM_W * 7 + 1];
	int x, n = cols_shown(t);

	if (p->on_cpu)
		snprintf(cpu, sizeof(cpu), "%u", p->on_cpu - 1);
	if (sel)
		screen_paint(&t->scr, y, 0, t->scr.w, st);
	/* the name is the process's own choice: cut and padded by cells */
	text_fit(comm, sizeof(comm), p->comm, COMM_W - 1, t->scr.ascii);
	x = ui_seg(t, y, 0, st, "%*d %s %*s", PID_W - 1, p->tgid, comm, CPU_W, cpu);
	for (int c = t->proc_col0; c < t->proc_col0 + n; c++) {
		char v[16];

		/* fmt_rate's "-" for a negative value: the column's signal is missing */
		fmt_rate(v, sizeof(v), proc_col_present(f, (enum proc_col)c) ?
			 frame_rate(f, proc_col_value(p, (enum proc_col)c)) : -1);
		x = ui_seg(t, y, x, st, "%*s", col_w(c), v);
	}
}

static void empty_note(struct tui *t, const struct frame *f, int y)
{
	if (t->filter[0])
		ui_seg(t, y, 0, ui_role(t, ROLE_DIM, 0), " no process matches the filter '%s' (F4, Esc clears)",
		       t->filter);
	else if (t->cg_root[0])
		ui_seg(t, y, 0, ui_role(t, ROLE_DIM, 0), " no process of cgroup %s this tick%s", t->cg_root,
		       f->cgroups.state == CGROUPS_OK ? "" : ": the per-cgroup view is unavailable (g says why)");
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
	ui_seg(t, y, 0, ui_role(t, ROLE_DIM, 0), " + %u other processes: %s flush req/s, %s map ops/s, %s faults/s",
	       f->procs.others, sent, map, flt);
}

/* A row of the grouped table: name (a cgroup's, or "pid comm") indented
 * by depth in the fixed columns, then p's counted columns. */
static void draw_tree_row(struct tui *t, const struct frame *f, int y, int depth, const char *name,
			  const struct frame_proc *p, struct style st)
{
	char cell[FIXED_W * 7 + 1];
	int in = depth < FIXED_W / 3 ? 2 * depth : 2 * (FIXED_W / 3), x, n = cols_shown(t);

	/* the name is the cgroup's or process's own choice: cut and padded by cells */
	text_fit(cell, sizeof(cell), name, FIXED_W - 1 - in, t->scr.ascii);
	x = ui_seg(t, y, 0, st, "%*s%s ", in, "", cell);
	for (int c = t->proc_col0; c < t->proc_col0 + n; c++) {
		char v[16];

		fmt_rate(v, sizeof(v), proc_col_present(f, (enum proc_col)c) ?
			 frame_rate(f, proc_col_value(p, (enum proc_col)c)) : -1);
		x = ui_seg(t, y, x, st, "%*s", col_w(c), v);
	}
}

/* `g`: each cgroup (busiest first), indented by its depth, its summed
 * counters, then its processes of the frame's top list; "other" last.
 * Without the view (v1 host, no eBPF, an older recording): why, one line. */
static void draw_grouped(struct tui *t, const struct frame *f, int y, int rows)
{
	const struct frame_cgroups *g = &f->cgroups;
	int end = y + rows;
	char name[FRAME_CGROUP_PATH + FRAME_COMM_LEN + 16];

	if (g->state != CGROUPS_OK) {
		ui_seg(t, y, 0, ui_role(t, ROLE_DIM, 0), " per-cgroup view unavailable: %s",
		       g->why[0] ? g->why : g->state == CGROUPS_NONE ?
		       "not collected (needs the eBPF collector; recordings older than the view have none)" : "?");
		return;
	}
	for (uint32_t i = 0; i < g->n && i < FRAME_TOP_CGROUPS && y < end; i++) {
		const struct frame_cgroup *cg = &g->top[i];
		/* the row at depth - 1 (top level flush left, "/" too), its
		 * processes one level under it: "/" is depth 0 like its children */
		int d = cgroup_depth(cg->path), row_in = d > 0 ? d - 1 : 0;

		if (t->cg_root[0] && !cgroup_in_subtree(cg->path, t->cg_root))
			continue;
		cgroup_label(cg->path, name, sizeof(name));
		draw_tree_row(t, f, y++, row_in, name, &cg->sum, ui_role(t, ROLE_TITLE, ATTR_BOLD));
		for (uint32_t k = 0; k < f->procs.n && k < FRAME_TOP_PROCS && y < end; k++) {
			const struct frame_proc *p = &f->procs.top[k];

			if (p->cgroup_id != cg->id)
				continue;
			snprintf(name, sizeof(name), "%d %s", p->tgid, p->comm);
			draw_tree_row(t, f, y++, row_in + 1, name, p, ui_plain(0));
		}
	}
	if (y < end && !t->cg_root[0] && (g->others || g->other.procs)) {
		snprintf(name, sizeof(name), "+ %u other cgroups", g->others);
		draw_tree_row(t, f, y, 0, name, &g->other.sum, ui_role(t, ROLE_DIM, 0));
	}
}

/* Header, the hint line (in the process view, or with room for it), the
 * rows, and in the process view what the filter and the tags leave. */
void ui_proctable(struct tui *t, const struct frame *f, int top, int height)
{
	uint8_t order[FRAME_TOP_PROCS];
	uint32_t n = ui_proc_rows(t, f, order);
	int full = t->view == VIEW_PROCS, first = 0, hint = full || height >= 6;
	int note = full && (t->filter[0] || t->ntags), body = top + 1 + hint, rows = height - 1 - hint - note;

	fit_cols(t);
	t->proc_top = top;
	t->proc_rows = height;
	t->proc_body = body;
	t->proc_first = 0;
	draw_head(t, top);
	if (hint)
		draw_hint(t, top + 1);
	if (t->proc_sel >= (int)n)
		t->proc_sel = n ? (int)n - 1 : 0;
	if (t->group_cg) {
		draw_grouped(t, f, body, height - 1 - hint);
		return;
	}
	if (n == 0) {
		empty_note(t, f, body);
		return;
	}
	if (full && rows > 0 && t->proc_sel >= rows)
		first = t->proc_sel - (rows - 1);
	t->proc_first = first;
	for (uint32_t i = (uint32_t)first; i < n && (int)i - first < rows; i++)
		draw_proc(t, f, &f->procs.top[order[i]], body + (int)i - first, full && (int)i == t->proc_sel);
	if (f->procs.others && (int)n - first < rows && !t->filter[0] && !t->cg_root[0])
		others_line(t, f, body + (int)n - first);
	if (note)
		ui_seg(t, top + height - 1, 0, ui_role(t, ROLE_DIM, 0), " %u shown%s%s%s  %d tagged (space, U clears)",
		       n, t->filter[0] ? ", filter '" : "", t->filter, t->filter[0] ? "'" : "", t->ntags);
}
