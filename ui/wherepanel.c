// SPDX-License-Identifier: GPL-2.0-only
/* The where view: in the process view, Enter on a process shows under the
 * table where its shootdowns come from, its call sites this tick
 * (frame.sites, the stack sampler's): the kind of event, its share of the
 * process's sampled events, the TLB IPIs its flushes queued per second,
 * the caller of the libc wrapper and the kernel path (the user path for a
 * syscall site, which has none), cut from the outermost end so the
 * innermost frames stay. */
#include "ui/tui_internal.h"

#include <stdio.h>
#include <string.h>

#include "ui/format.h"
#include "util/text.h"

#define KIND_W 9    /* "mprotect" and a space */
#define SHARE_W 7   /* "100.0%" and a space before */
#define IPI_W 8     /* fmt_rate's five and room */
#define CALLER_MIN 8
#define CALLER_MAX 40

int ui_where_rows(int avail)
{
	int rows = avail - avail / 3;

	return rows < 6 ? 0 : rows > FRAME_SITES + 4 ? FRAME_SITES + 4 : rows;
}

const char *ui_where_tail(char *dst, size_t cap, const char *path, int cols, int ascii)
{
	char clean[FRAME_SITE_PATH * 4];

	text_clean(clean, sizeof(clean), path, ascii);
	return text_path_tail(dst, cap, clean, cols, ascii, ascii ? "~" : "\u2026");
}

/* The process's name in this frame's process list, or "". */
static const char *comm_of(const struct frame *f, int32_t pid)
{
	for (uint32_t i = 0; i < f->procs.n && i < FRAME_TOP_PROCS; i++)
		if (f->procs.top[i].tgid == pid)
			return f->procs.top[i].comm;
	return "";
}

/* The callers' column: as wide as the widest caller, within bounds. */
static int caller_width(const struct tui *t, const struct frame_sites *s)
{
	int w = CALLER_MIN, max = t->scr.w / 3 < CALLER_MAX ? t->scr.w / 3 : CALLER_MAX;

	for (uint32_t i = 0; i < s->n && i < FRAME_SITES; i++) {
		int c = text_cols(s->site[i].caller, t->scr.ascii) + 1;

		w = c > w ? c : w;
	}
	return w < max ? w : max > CALLER_MIN ? max : CALLER_MIN;
}

static void site_row(struct tui *t, const struct frame *f, const struct frame_site *s, uint64_t total, int cw,
		     int y)
{
	char share[16] = "-", ipis[16], caller[CALLER_MAX * 7 + 1], path[FRAME_SITE_PATH * 4];
	int x, room;

	if (total)
		snprintf(share, sizeof(share), "%.1f%%", (double)s->events * 100.0 / (double)total);
	fmt_rate(ipis, sizeof(ipis), frame_rate(f, s->ipis));
	text_fit(caller, sizeof(caller), s->caller[0] ? s->caller : "[unknown]", cw - 1, t->scr.ascii);
	x = ui_seg(t, y, 0, ui_plain(0), " %-*s%*s%*s  %s ", KIND_W, site_kind_name(s->kind), SHARE_W,
		   share, IPI_W, ipis, caller);
	room = t->scr.w - x - 1;
	if (s->kpath[0])
		ui_seg(t, y, x, ui_plain(0), "%s", ui_where_tail(path, sizeof(path), s->kpath, room, t->scr.ascii));
	else
		ui_seg(t, y, x, ui_role(t, ROLE_DIM, 0), "%s",
		       ui_where_tail(path, sizeof(path), s->upath, room, t->scr.ascii));
}

/* Why there is nothing to show for pid: not recorded, off, or waiting. */
static void empty(struct tui *t, const struct frame *f, const struct view *v, int y)
{
	struct style dim = ui_role(t, ROLE_DIM, 0);

	if (v->playback)
		ui_segw(t, y, 0, t->scr.w, dim, " not recorded: this recording has no call sites for this process here%s",
			f->sites.tgid ? " (it sampled another one)" : "");
	else if (v->where_why && v->where_why[0])
		ui_segw(t, y, 0, t->scr.w, dim, " the stack sampler: %s", v->where_why);
	else
		ui_segw(t, y, 0, t->scr.w, dim, " waiting for the stack sampler (it starts with the next tick)");
}

void ui_where(struct tui *t, const struct frame *f, const struct view *v, int top, int height)
{
	const struct frame_sites *s = &f->sites;
	struct style title = ui_role(t, ROLE_TITLE, ATTR_REVERSE | ATTR_BOLD);
	char comm[FRAME_COMM_LEN * 7 + 1];
	uint64_t total = s->other_events;
	uint32_t n = s->n < FRAME_SITES ? s->n : FRAME_SITES;
	int cw, y = top + 2;

	if (height < 3)
		return;
	text_clean(comm, sizeof(comm), comm_of(f, t->where_pid), t->scr.ascii);
	screen_paint(&t->scr, top, 0, t->scr.w, title);
	ui_segw(t, top, 0, t->scr.w, title, " where: %d %s, its call sites this tick  (Esc closes)", (int)t->where_pid,
		comm);
	if (s->tgid != t->where_pid) {
		empty(t, f, v, top + 1);
		return;
	}
	for (uint32_t i = 0; i < n; i++)
		total += s->site[i].events;
	cw = caller_width(t, s);
	ui_seg(t, top + 1, 0, ui_role(t, ROLE_TITLE, ATTR_BOLD), " %-*s%*s%*s  %-*s%s", KIND_W, "KIND",
	       SHARE_W, "EVENTS", IPI_W, "IPIS/s", cw - 1, "CALLER",
	       " KERNEL PATH (dim: user path), innermost last");
	if (!n)
		ui_seg(t, y, 0, ui_role(t, ROLE_DIM, 0), " no sampled events this tick (1 in %u sampled)",
		       s->period ? s->period : 1);
	for (uint32_t i = 0; i < n && y < top + height - 1; i++)
		site_row(t, f, &s->site[i], total, cw, y++);
	if (s->other_events && y < top + height)
		ui_seg(t, y++, 0, ui_role(t, ROLE_DIM, 0), " + sites past the %d kept: %.1f%% of events",
		       FRAME_SITES, (double)s->other_events * 100.0 / (double)total);
	if (y < top + height)
		ui_seg(t, y, 0, ui_role(t, ROLE_DIM, 0), " events: sampled 1 in %u, counts scaled back",
		       s->period ? s->period : 1);
}
