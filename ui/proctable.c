/* The top-churn process table: who sends the shootdowns, who maps and
 * unmaps, this tick, sorted by the column the user picked. */
#include "tui_internal.h"

#include <curses.h>
#include <stdio.h>

#include "format.h"
#include "proccols.h"

#define PID_W 8
#define COMM_W 16
#define NUM_W 9

static void draw_head(const struct tui *t, int y)
{
	int x = ui_seg(y, 0, ui_attr(t, PAIR_TITLE, A_BOLD), "%*s %-*s", PID_W - 1, "PID",
		       COMM_W, "COMM");

	for (int c = 0; c < COL_COUNT; c++)
		x = ui_seg(y, x, c == t->sort ? (int)(A_REVERSE | A_BOLD) : ui_attr(t, PAIR_TITLE, A_BOLD),
			   "%*s", NUM_W, proc_col_name((enum proc_col)c));
}

static void draw_proc(const struct frame *f, const struct frame_proc *p, int y)
{
	int x = ui_seg(y, 0, A_NORMAL, "%*d %-*.*s", PID_W - 1, p->tgid, COMM_W, COMM_W - 1, p->comm);

	for (int c = 0; c < COL_COUNT; c++) {
		char v[16];

		fmt_rate(v, sizeof(v), frame_rate(f, proc_col_value(p, (enum proc_col)c)));
		x = ui_seg(y, x, A_NORMAL, "%*s", NUM_W, v);
	}
}

void ui_proctable(const struct tui *t, const struct frame *f, int top, int height)
{
	uint8_t order[FRAME_TOP_PROCS];
	uint32_t n = procs_sort(f, (enum proc_col)t->sort, order);

	draw_head(t, top);
	if (n == 0) {
		ui_seg(top + 1, 0, ui_attr(t, PAIR_DIM, 0), " no TLB sends or map churn this tick");
		return;
	}
	for (uint32_t i = 0; i < n && (int)i < height - 1; i++)
		draw_proc(f, &f->procs.top[order[i]], top + 1 + (int)i);
}
