// SPDX-License-Identifier: GPL-2.0-only
/* The UI's lifecycle, styles and the screen's overall layout. */
#include "ui/tui_internal.h"

#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/frame.h"
#include "util/mem.h"

int ui_color(const struct tui *t)
{
	return t->tty.out_state.depth != DEPTH_NONE;
}

struct style ui_role(const struct tui *t, enum role r, uint8_t attr)
{
	struct style st = { .attr = attr };

	if (ui_color(t)) {
		st.fg = t->theme.fg[r];
		st.bg = t->theme.bg[r];
	}
	/* a bar or cursor with no colour of its own still has to show */
	if ((r == ROLE_BAR || r == ROLE_CURSOR) && st.bg == COLOR_DEFAULT)
		st.attr |= ATTR_REVERSE;
	return st;
}

struct style ui_heat(const struct tui *t, enum heat_level l)
{
	struct style st = { .attr = l == HEAT_EXTREME ? ATTR_BOLD : 0 };

	if (ui_color(t))
		st.fg = l == HEAT_NODATA ? t->theme.fg[ROLE_DIM] : t->theme.heat[l];
	return st;
}

int ui_theme_apply(struct tui *t, const char *name)
{
	struct theme th;
	char err[300];
	int bad;

	theme_default(&th);
	bad = theme_load(&th, name, err, sizeof(err));
	if (bad < 0) {
		snprintf(t->msg, sizeof(t->msg), "theme: %.180s", err);
		t->msg_bad = 1;
		return -1;
	}
	t->theme = th;
	snprintf(t->msg, sizeof(t->msg), "theme %s%s%.120s", th.name, bad ? "; " : "", bad ? err : "");
	t->msg_bad = bad > 0;
	return 0;
}

static int alloc_grid(struct tui *t, uint32_t ncpu)
{
	t->order = mem_zalloc(ncpu, sizeof(*t->order));
	t->rows = mem_zalloc(LAYOUT_ROWS(ncpu), sizeof(*t->rows));
	t->node_of = mem_zalloc(ncpu, sizeof(*t->node_of));
	t->expanded = mem_zalloc(TUI_NODES, 1);
	return t->order && t->rows && t->node_of && t->expanded ? 0 : -1;
}

static void free_grid(struct tui *t)
{
	free(t->order);
	free(t->rows);
	free(t->node_of);
	free(t->expanded);
}

/* The theme first, so a bad --theme fails before the terminal changes. */
static struct tui *tui_new(const struct tui_opts *o, char *err, size_t errlen)
{
	struct tui *t = mem_zalloc(1, sizeof(*t));
	const char *theme = o->theme ? o->theme : o->cfg->theme;

	if (!t || alloc_grid(t, o->ncpu) < 0) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	t->ncpu = o->ncpu;
	t->cfg = o->cfg;
	snprintf(t->cfg_path, sizeof(t->cfg_path), "%s", o->cfg_path ? o->cfg_path : "");
	snprintf(t->cg_root, sizeof(t->cg_root), "%s", o->cgroup ? o->cgroup : "");
	theme_default(&t->theme);
	if (theme[0] && strcmp(theme, "default") && ui_theme_apply(t, theme) < 0) {
		snprintf(err, errlen, "%s", t->msg);
		goto fail;
	}
	if (!t->msg_bad) /* a theme file's errors stay on screen */
		t->msg[0] = '\0';
	return t;
fail:
	if (t)
		free_grid(t);
	free(t);
	return NULL;
}

struct tui *tui_open(const struct tui_opts *o, char *err, size_t errlen)
{
	struct tui *t = tui_new(o, err, errlen);

	if (t && tty_open(&t->tty, o->no_color, err, errlen) < 0) {
		tui_close(t);
		return NULL;
	}
	if (t) {
		t->utf8 = t->tty.utf8;
		t->scr.ascii = !t->utf8;
	}
	return t;
}

struct tui *tui_headless(const struct tui_opts *o, int w, int h, int depth, char *err, size_t errlen)
{
	struct tui *t = tui_new(o, err, errlen);

	if (!t)
		return NULL;
	t->headless_w = w;
	t->headless_h = h;
	t->utf8 = 1;
	termout_init(&t->tty.out_state, (enum color_depth)depth);
	return t;
}

void tui_close(struct tui *t)
{
	if (!t)
		return;
	tty_close(&t->tty);
	termout_free(&t->tty.out_state);
	screen_free(&t->scr);
	heatseries_free(&t->series);
	heatmemo_free(&t->memo);
	free_grid(t);
	free(t);
}

/* Centred, and split over two lines when even the message is too wide. */
static void too_small(struct tui *t)
{
	char need[32];
	const char *head = "terminal too small";
	int len, w = t->scr.w, h = t->scr.h;

	snprintf(need, sizeof(need), "(need %dx%d)", MIN_COLS, MIN_LINES);
	len = (int)(strlen(head) + 1 + strlen(need));
	if (w >= len) {
		ui_seg(t, h / 2, (w - len) / 2, ui_plain(ATTR_BOLD), "%s %s", head, need);
		return;
	}
	ui_seg(t, h / 2 - 1 < 0 ? 0 : h / 2 - 1, 0, ui_plain(ATTR_BOLD), "%s", head);
	ui_seg(t, h / 2, 0, ui_plain(0), "%s", need);
}

/* Matches the terminal's size, asked for only after a SIGWINCH (or on
 * the first draw); a change repaints everything. */
static void fit_screen(struct tui *t)
{
	int w = t->headless_w ? t->headless_w : t->scr.w, h = t->headless_h ? t->headless_h : t->scr.h;

	if (!t->headless_w && (tty_resized() || !t->scr.w)) {
		w = 80, h = 24;
		tty_size(&t->tty, &w, &h);
	}
	if (w != t->scr.w || h != t->scr.h) {
		if (screen_resize(&t->scr, w, h) == 0)
			termout_invalidate(&t->tty.out_state);
		t->lay_valid = 0;
		/* the panels' time columns fit in the width; out of memory, the
		 * heatmap reads each cell off its frame */
		if (w != (int)t->series.cap)
			heatseries_alloc(&t->series, t->ncpu, w > 0 ? (uint32_t)w : 0);
		/* the grid's cells: as many columns, and a row at most a line */
		heatmemo_alloc(&t->memo, w > 0 ? (uint32_t)w : 0, h > 0 ? (uint32_t)h : 0);
	}
	screen_clear(&t->scr);
	memset(&t->audit, 0, sizeof(t->audit));
}

static int live_bpf(const struct frame *f)
{
	return f->status[SRC_BPF].state == SOURCE_OK || f->status[SRC_BPF].state == SOURCE_PARTIAL;
}

/* Rows of the bottom part: the drill-down, or the process table (a third
 * of what is left, when the frame has per-process data and there is room). */
static int lower_rows(const struct tui *t, const struct frame *f, int avail)
{
	int h = avail / 3;

	if (t->drill)
		return ui_drill_rows(avail);
	if (!t->cfg->panel_procs || (!frame_has(f, SIG_SENDERS) && !frame_has(f, SIG_MAP_OPS)) || avail < 12)
		return 0;
	return h < 4 ? 4 : h > FRAME_TOP_PROCS + 2 ? FRAME_TOP_PROCS + 2 : h; /* + header, hint */
}

/* Regime transitions in the ring, up to max (the log's rows). */
static int transitions(const struct frame_ring *r, int max)
{
	int n = 0;

	for (uint32_t age = 0; n < max && age < ring_count(r); age++) {
		const struct tick_sum *f = ring_tick_at_age(r, age);

		n += f->tlb != f->tlb_was || f->iommu != f->iommu_was;
	}
	return n;
}

/* Rows of the table's share it has no rows for: the hygiene findings
 * take what they need of them (*hyg), the rest is returned for the
 * regime log.  *lower shrinks to the table. */
static int spare_rows(const struct tui *t, const struct frame *f, int *lower, int *hyg)
{
	uint8_t order[FRAME_TOP_PROCS];
	int table = 2 + (int)ui_proc_rows(t, f, order), spare, need; /* header, hint line */

	*hyg = 0;
	if (t->drill || *lower <= table)
		return 0;
	spare = *lower - table;
	*lower = table;
	need = ui_hygiene_rows(t, f);
	if (need && spare >= 3) {
		*hyg = need < spare ? need : spare;
		spare -= *hyg;
	}
	return spare;
}

/* Header, sources; the heatmaps with the regime strips and the apps under
 * them; the process table or drill-down; legend, system strip, key bar. */
static void draw_main(struct tui *t, const struct frame_ring *r, const struct view *v)
{
	const struct frame *f = ring_at_age(r, 0);
	int h = t->scr.h, sys = t->cfg->panel_system ? 2 : 0, cost = live_bpf(f) && h > 20;
	int avail = h - 4 - sys - cost; /* header, sources, legend, key bar */
	int regime = t->cfg->panel_regime ? ui_regime_rows(avail) : 0;
	int apps = t->cfg->panel_apps ? ui_app_rows(f) : 0;
	int lower, heat_h, y, spare, hyg;

	apps = apps <= (avail - regime) / 2 ? apps : 0;
	/* a drill-down asked for gets its rows: on 80x24 the regime log and
	 * strips, then the apps, give way to it (the heatmaps keep the rest) */
	while (t->drill && (regime || apps) && !ui_drill_rows(avail - regime - apps)) {
		if (regime)
			regime = regime > 2 ? 2 : 0;
		else
			apps = 0;
	}
	lower = lower_rows(t, f, avail - regime - apps);
	heat_h = avail - regime - apps - lower;
	/* a grid shorter than its room gives the rest to the panel below it */
	/* (the heatmaps' rows: a title, the grid, the time axis) */
	ui_heat_relayout(t, f, v, heat_h - 2);
	if (lower && (int)t->lay.nrows + 2 < heat_h) {
		lower += heat_h - (int)t->lay.nrows - 2;
		heat_h = (int)t->lay.nrows + 2;
	}
	spare = spare_rows(t, f, &lower, &hyg);
	if (regime > 2 && spare > 0) /* the transition log: as much of it as there is */
		regime += transitions(r, spare + regime - 2) > regime - 2 ?
			  transitions(r, spare + regime - 2) - (regime - 2) : 0;
	y = 2 + heat_h;
	ui_heatmaps(t, r, v, 2, heat_h);
	if (regime)
		ui_regime(t, r, y, regime);
	if (apps)
		ui_apps(t, r, y + regime, apps);
	if (lower && t->drill)
		ui_drill(t, r, v, y + regime + apps, lower);
	else if (lower)
		ui_proctable(t, f, y + regime + apps, lower);
	if (hyg)
		ui_hygiene_findings(t, f, y + regime + apps + lower, hyg);
	ui_legend(t, v, h - 2 - sys - cost);
	if (sys)
		ui_system(t, f, h - 1 - sys - cost);
	if (cost)
		ui_cost(t, f, h - 2);
}

/* The process view: the table, and the where view under it when open
 * (right under its rows: header, hint, rows, the others line, the note). */
static void procs_view(struct tui *t, const struct frame *f, const struct view *v)
{
	uint8_t order[FRAME_TOP_PROCS];
	int avail = t->scr.h - 3, where = t->where_pid ? ui_where_rows(avail) : 0;
	int need = 4 + (int)ui_proc_rows(t, f, order) + (f->procs.others != 0);

	if (where && need < avail - where)
		where = avail - need;
	ui_proctable(t, f, 2, avail - where);
	if (where)
		ui_where(t, f, v, 2 + avail - where, where);
}

static void compose(struct tui *t, const struct frame_ring *r, const struct view *v)
{
	const struct frame *f = ring_at_age(r, 0);

	t->ring = r;
	fit_screen(t);
	if (t->scr.w < MIN_COLS || t->scr.h < MIN_LINES) {
		too_small(t);
	} else if (f) {
		ui_header(t, f, v);
		if (t->overlay == OVERLAY_HELP)
			ui_help(t, v, 1, t->scr.h - 2);
		else if (t->overlay == OVERLAY_SETUP)
			ui_setup(t, 1, t->scr.h - 2);
		else if (t->view == VIEW_PROCS)
			procs_view(t, f, v);
		else if (t->view == VIEW_HYGIENE)
			ui_hygiene(t, f, 2, t->scr.h - 3);
		else
			draw_main(t, r, v);
		ui_footer(t, v, t->scr.h - 1);
	}
}

void tui_draw(struct tui *t, const struct frame_ring *r, const struct view *v)
{
	compose(t, r, v);
	tty_draw(&t->tty, &t->scr);
}

size_t tui_render(struct tui *t, const struct frame_ring *r, const struct view *v)
{
	compose(t, r, v);
	return termout_render(&t->tty.out_state, &t->scr) < 0 ? 0 : t->tty.out_state.len;
}

enum ui_action tui_feed(struct tui *t, const char *bytes, size_t len)
{
	struct key k;
	enum ui_action last = UI_NONE;

	for (size_t at = 0; at < len;) {
		enum ui_action act;

		at += keys_parse(bytes + at, len - at, &k);
		if ((act = ui_key(t, &k)) != UI_NONE)
			last = act;
	}
	return last;
}

/* The first key of what input is buffered. */
static void take_key(struct tui *t, struct key *k)
{
	size_t used = keys_parse(t->tty.inbuf, t->tty.inlen, k);

	memmove(t->tty.inbuf, t->tty.inbuf + used, t->tty.inlen - used);
	t->tty.inlen -= used;
}

/* Waits for input on the terminal (the prompt blocks; main's loop does not). */
static int wait_key(struct tui *t, struct key *k)
{
	for (;;) {
		struct pollfd p = { .fd = t->tty.in, .events = POLLIN };

		if (t->tty.inlen) {
			take_key(t, k);
			return 0;
		}
		if (poll(&p, 1, -1) < 0) /* a signal; a resize is seen at the next draw */
			continue;
		if (p.revents & (POLLHUP | POLLERR | POLLNVAL))
			return -1;
		if (tty_read(&t->tty) < 0)
			return -1;
	}
}

static void draw_prompt(struct tui *t, const char *prompt, const char *buf)
{
	int y = t->scr.h - 1, x;

	for (int i = 0; i < t->scr.w; i++)
		screen_set(&t->scr, y, i, ' ', ui_plain(0));
	x = ui_seg(t, y, 0, ui_plain(ATTR_BOLD), "%s", prompt);
	x = ui_seg(t, y, x, ui_plain(0), "%s", buf);
	screen_set(&t->scr, y, x, ' ', ui_plain(ATTR_REVERSE)); /* the cursor */
	tty_draw(&t->tty, &t->scr);
}

int tui_prompt(struct tui *t, const char *prompt, char *buf, size_t len)
{
	size_t n = 0;
	struct key k = { 0 };

	buf[0] = '\0';
	for (;;) {
		draw_prompt(t, prompt, buf);
		if (wait_key(t, &k) < 0 || k.code == KEY_ESC || k.code == KEY_ENTER)
			break;
		if (k.code == KEY_CTRL_L)
			termout_invalidate(&t->tty.out_state);
		else if (k.code == KEY_BACKSPACE && n > 0)
			buf[--n] = '\0';
		else if (k.code >= 32 && k.code < 127 && n + 1 < len)
			buf[n++] = (char)k.code, buf[n] = '\0';
	}
	return k.code != KEY_ENTER || n == 0 ? -1 : 0;
}

/* Stops at the first key main must act on and leaves the rest queued,
 * so typed-ahead keys are each acted on, in order. */
enum ui_action tui_keys(struct tui *t)
{
	struct key k;

	for (;;) {
		enum ui_action act;

		if (!t->tty.inlen && tty_read(&t->tty) <= 0)
			return UI_NONE;
		take_key(t, &k);
		if ((act = ui_key(t, &k)) != UI_NONE)
			return act;
	}
}

int32_t tui_where(const struct tui *t)
{
	return t->where_pid;
}

void tui_note(struct tui *t, const char *text)
{
	snprintf(t->msg, sizeof(t->msg), "%s", text);
	t->msg_bad = 0;
}
