// SPDX-License-Identifier: GPL-2.0-only
/* Keys: what each does in each view.  The UI's own (views, cursor,
 * sorting, tags, search, setup) are done here; the rest become actions
 * for main. */
#include "ui/tui_internal.h"

#include <string.h>
#include <strings.h>

#include "core/metric.h"
#include "ui/keytable.h"
#include "ui/proccols.h"

static enum ui_action main_key(int c)
{
	switch (c) {
	case 'q': case 'Q': case KEY_F10: return UI_QUIT;
	case 'z': case ' ': return UI_PAUSE;
	case '+': case '=': return UI_INTERVAL_UP;
	case '-': case '_': return UI_INTERVAL_DOWN;
	case 'w': return UI_RECORD;
	case 'a': return UI_ATTACH;
	case 't': return UI_STEP_FWD;
	case 'T': return UI_STEP_BACK;
	case ']': return UI_JUMP_FWD;
	case '[': return UI_JUMP_BACK;
	case '}': return UI_JUMP_FWD_LONG;
	case '{': return UI_JUMP_BACK_LONG;
	case 'b': return UI_GOTO;
	case 'n': return UI_NEXT_BURST;
	case 'N': return UI_PREV_BURST;
	case 'j': return UI_NEXT_TRANSITION;
	case 'J': return UI_PREV_TRANSITION;
	default: return UI_NONE;
	}
}

/* Views in Tab order: the overview, each metric, the processes, hygiene. */
static void cycle_view(struct tui *t, int dir)
{
	int pos = t->view == VIEW_OVERVIEW ? 0 : t->view == VIEW_METRIC ? 1 + t->metric :
		  t->view == VIEW_PROCS ? 1 + METRIC_COUNT : 2 + METRIC_COUNT;
	int n = METRIC_COUNT + 3;

	pos = (pos + dir + n) % n;
	t->view = pos == 0 ? VIEW_OVERVIEW : pos <= METRIC_COUNT ? VIEW_METRIC :
		  pos == METRIC_COUNT + 1 ? VIEW_PROCS : VIEW_HYGIENE;
	if (t->view == VIEW_METRIC)
		t->metric = pos - 1;
	t->lay_valid = 0;
}

static void move_cursor(struct tui *t, long delta)
{
	ui_cursor_move(t, delta);
}

static void move_proc(struct tui *t, long delta)
{
	uint8_t order[FRAME_TOP_PROCS];
	const struct frame *f = t->ring ? ring_at_age(t->ring, 0) : NULL;
	long n = f ? (long)ui_proc_rows(t, f, order) : 0, s = t->proc_sel + delta;

	t->proc_sel = (int)(s >= n ? n - 1 : s);
	if (t->proc_sel < 0)
		t->proc_sel = 0;
}

/* Enter on an aggregate opens its node; on an opened node's label it
 * closes it; on a CPU it toggles the drill-down. */
static void enter(struct tui *t)
{
	const struct grid_row *row = ui_cursor_row(t);

	if (!row)
		return;
	if ((row->kind == ROW_AGG || row->kind == ROW_BLOCK || row->kind == ROW_NODE) && row->node < TUI_NODES &&
	    (row->kind != ROW_NODE || t->expanded[row->node])) {
		t->expanded[row->node] = row->kind != ROW_NODE;
		t->lay_valid = 0;
		return;
	}
	t->drill = !t->drill;
}

/* Enter in the process view: the where view of the selected process, or
 * closed when it shows that one already. */
static enum ui_action where(struct tui *t)
{
	uint8_t order[FRAME_TOP_PROCS];
	const struct frame *f = t->ring ? ring_at_age(t->ring, 0) : NULL;
	uint32_t n = f ? ui_proc_rows(t, f, order) : 0;
	int32_t pid;

	if (!n || t->proc_sel >= (int)n)
		return UI_NONE;
	pid = f->procs.top[order[t->proc_sel]].tgid;
	t->where_pid = t->where_pid == pid ? 0 : pid;
	return UI_WHERE;
}

static void tag(struct tui *t)
{
	uint8_t order[FRAME_TOP_PROCS];
	const struct frame *f = t->ring ? ring_at_age(t->ring, 0) : NULL;
	uint32_t n = f ? ui_proc_rows(t, f, order) : 0;
	int32_t pid;

	if (!n || t->proc_sel >= (int)n)
		return;
	pid = f->procs.top[order[t->proc_sel]].tgid;
	for (int i = 0; i < t->ntags; i++)
		if (t->tags[i] == pid) {
			t->tags[i] = t->tags[--t->ntags];
			move_proc(t, 1);
			return;
		}
	if (t->ntags < TUI_TAGS)
		t->tags[t->ntags++] = pid;
	move_proc(t, 1); /* as htop: on to the next row */
}

/* The selection on the first row (from the current one) whose name holds
 * the search text. */
static void find(struct tui *t)
{
	uint8_t order[FRAME_TOP_PROCS];
	const struct frame *f = t->ring ? ring_at_age(t->ring, 0) : NULL;
	uint32_t n = f ? ui_proc_rows(t, f, order) : 0;

	for (uint32_t i = 0; i < n && t->search[0]; i++)
		if (strcasestr(f->procs.top[order[i]].comm, t->search)) {
			t->proc_sel = (int)i;
			return;
		}
}

/* Typing a search or a filter: both apply as they are typed. */
static void input_key(struct tui *t, const struct key *k)
{
	char *dst = t->input == INPUT_SEARCH ? t->search : t->filter;
	size_t n = strlen(dst);

	if (k->code == KEY_ESC) {
		dst[0] = '\0';
		t->input = INPUT_NONE;
	} else if (k->code == KEY_ENTER || k->code == KEY_F3 || k->code == KEY_F4) {
		t->input = INPUT_NONE;
	} else if (k->code == KEY_BACKSPACE && n) {
		dst[n - 1] = '\0';
	} else if (k->code >= 32 && k->code < 127 && n + 1 < TUI_TEXT) {
		dst[n] = (char)k->code;
		dst[n + 1] = '\0';
	}
	if (t->input == INPUT_SEARCH || k->code == KEY_ENTER)
		find(t);
	if (t->input == INPUT_FILTER)
		t->proc_sel = 0;
}

/* The function key drawn at cell x of the key bar (ui_footer), or 0. */
static int bar_key(int x)
{
	int at = 0;

	for (size_t i = 0; i < fkey_count; i++) {
		int w = (int)strlen(fkeys[i].cap) + FKEY_LABEL_W;

		if (x >= at && x < at + w)
			return fkeys[i].code;
		at += w;
	}
	return 0;
}

/* A click on a column header sorts by it (as htop); on a process selects
 * it; on a core moves the cursor there, or drills into it when it is
 * there already.  The wheel scrolls what is under the pointer. */
static void mouse(struct tui *t, const struct key *k)
{
	int procs = t->view == VIEW_PROCS || (k->my >= t->proc_top && k->my < t->proc_top + t->proc_rows);

	if (k->mouse == MOUSE_WHEEL_UP || k->mouse == MOUSE_WHEEL_DOWN) {
		int d = k->mouse == MOUSE_WHEEL_UP ? -3 : 3;

		procs ? move_proc(t, d) : move_cursor(t, d);
		return;
	}
	if (k->mouse != MOUSE_LEFT)
		return;
	if (procs && t->proc_rows && k->my == t->proc_head) {
		int c = ui_proc_col_at(t, k->mx);

		if (c >= 0)
			t->sort = c;
	} else if (procs && k->my >= t->proc_body && k->my < t->proc_top + t->proc_rows) {
		t->proc_sel = t->proc_first + k->my - t->proc_body;
		move_proc(t, 0);
	} else if (k->my >= t->heat_top && k->my < t->heat_top + t->heat_rows) {
		uint32_t row = t->scroll + (uint32_t)(k->my - t->heat_top);

		if (row == t->cursor)
			enter(t);
		else
			move_cursor(t, (long)row - (long)t->cursor);
	}
}

/* Left and right: the process table's columns in the process view and
 * wherever the overview's panels all fit; the panels otherwise. */
static void sideways(struct tui *t, int dir)
{
	int panels = t->view == VIEW_OVERVIEW && t->lay.panels < OVERVIEW_PANELS;

	if (!panels)
		ui_proc_scroll(t, dir);
	else if (dir < 0)
		t->panel_first -= t->panel_first > 0;
	else
		t->panel_first += t->panel_first + t->lay.panels < OVERVIEW_PANELS;
}

/* Keys that move: the process selection in the processes view, the core
 * cursor elsewhere. */
static int motion(struct tui *t, int c)
{
	int procs = t->view == VIEW_PROCS;
	long page = procs ? (t->proc_rows > 2 ? t->proc_rows - 2 : 1) : (t->heat_rows > 2 ? t->heat_rows - 1 : 1);
	long d;

	switch (c) {
	case KEY_UP: d = -1; break;
	case KEY_DOWN: d = 1; break;
	case KEY_PGUP: d = -page; break;
	case KEY_PGDN: d = page; break;
	case KEY_HOME: d = -1000000; break;
	case KEY_END: d = 1000000; break;
	default: return 0;
	}
	if (!procs && (c == KEY_PGUP || c == KEY_PGDN)) /* the view pages with the cursor, as in htop */
		t->scroll = (uint32_t)((long)t->scroll + d < 0 ? 0 : (long)t->scroll + d);
	procs ? move_proc(t, d) : move_cursor(t, d);
	return 1;
}

static int view_key(struct tui *t, int c)
{
	switch (c) {
	case KEY_F1: case '?': case 'h': t->overlay = OVERLAY_HELP; t->help_scroll = 0; return 1;
	case KEY_F2: case 'S': t->overlay = OVERLAY_SETUP; return 1;
	case KEY_TAB: cycle_view(t, 1); return 1;
	case KEY_BTAB: cycle_view(t, -1); return 1;
	case '0': t->view = VIEW_OVERVIEW; t->lay_valid = 0; return 1;
	case 'p': t->view = VIEW_PROCS; return 1;
	case 'y': t->view = VIEW_HYGIENE; return 1;
	case '1': case '2': case '3': case '4': case '5': case '6':
		t->view = VIEW_METRIC;
		t->metric = c - '1';
		t->lay_valid = 0;
		return 1;
	case KEY_F3: case '/': t->input = INPUT_SEARCH; t->search[0] = '\0'; return 1;
	case KEY_F4: case '\\': t->input = INPUT_FILTER; return 1;
	case KEY_F6: case '>': case '.': case 's': t->sort = proc_sort_step(t->sort, 1); t->sort_follow = 1; return 1;
	case '<': case ',': t->sort = proc_sort_step(t->sort, -1); t->sort_follow = 1; return 1;
	case 'I': t->sort_invert = !t->sort_invert; return 1;
	case 'U': t->ntags = 0; return 1;
	case 'g': t->group_cg = !t->group_cg; return 1;
	case 'f': t->density = (t->density + 1) % DENSITIES; t->lay_valid = 0; t->scroll = t->cursor = 0; return 1;
	case KEY_LEFT: sideways(t, -1); return 1;
	case KEY_RIGHT: sideways(t, 1); return 1;
	case KEY_ENTER: case 'e': enter(t); return 1;
	case KEY_ESC: t->drill = 0; return 1;
	default: return motion(t, c);
	}
}

enum ui_action ui_key(struct tui *t, const struct key *k)
{
	/* the key bar shows the function keys unless a note or a prompt is there */
	int bar = !t->msg[0] && t->input == INPUT_NONE;

	if (k->code == KEY_CTRL_L) { /* whatever else wrote on the terminal goes */
		termout_invalidate(&t->tty.out_state);
		return UI_NONE;
	}
	if (k->code == KEY_MOUSE && k->mouse == MOUSE_LEFT && k->my == t->scr.h - 1 && bar && bar_key(k->mx)) {
		struct key fk = { .code = bar_key(k->mx) };

		return ui_key(t, &fk);
	}
	t->msg[0] = '\0';
	if (t->input != INPUT_NONE) {
		input_key(t, k);
		return UI_NONE;
	}
	if (t->overlay == OVERLAY_SETUP)
		return ui_setup_key(t, k) ? UI_SETTINGS : UI_NONE;
	if (t->overlay == OVERLAY_HELP) {
		if (k->code == KEY_DOWN || k->code == KEY_PGDN) /* help.c stops it at the last row */
			t->help_scroll += k->code == KEY_DOWN ? 1 : 10;
		else if (k->code == KEY_UP || k->code == KEY_PGUP)
			t->help_scroll -= t->help_scroll < (k->code == KEY_UP ? 1 : 10) ? t->help_scroll : k->code == KEY_UP ? 1 : 10;
		else if (k->code == 'q' || k->code == KEY_F10)
			return UI_QUIT;
		else
			t->overlay = OVERLAY_NONE; /* any other key closes help, as in htop */
		return UI_NONE;
	}
	if (k->code == KEY_MOUSE) {
		mouse(t, k);
		return UI_NONE;
	}
	if (k->code == ' ' && t->view == VIEW_PROCS) {
		tag(t);
		return UI_NONE;
	}
	if ((k->code == KEY_ENTER || k->code == 'e') && t->view == VIEW_PROCS)
		return where(t);
	if (k->code == KEY_ESC && t->where_pid) { /* closes the drill-down too, as always */
		t->where_pid = 0;
		t->drill = 0;
		return UI_WHERE;
	}
	if (view_key(t, k->code))
		return UI_NONE;
	return main_key(k->code);
}
