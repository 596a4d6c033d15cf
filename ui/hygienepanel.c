// SPDX-License-Identifier: GPL-2.0-only
/* The host-hygiene view (y): each check's state and what was observed;
 * for a finding, why it feeds storms and the command that changes it.
 * The same report as `stormtop check`, read from the frame, so playback
 * shows the recorded host's settings. */
#include "ui/tui_internal.h"

#include <stdio.h>

#include "core/hygiene.h"

static struct style state_style(struct tui *t, uint8_t state)
{
	return state == HYG_FINDING ? ui_role(t, ROLE_BAD, ATTR_BOLD) :
	       state == HYG_OK ? ui_role(t, ROLE_GOOD, 0) : ui_role(t, ROLE_DIM, 0);
}

#define WHY_X 28   /* where why and fix start, under the observed value */

/* Where why/fix go: under the observed value, or further left when that
 * leaves them too narrow a column. */
static int why_x(const struct tui *t)
{
	return t->scr.w - WHY_X >= 40 ? WHY_X : 4;
}

/* Rows a finding's why and fix take, wrapped between words. */
static int explain_rows(const struct tui *t, const struct hyg_info *info)
{
	char buf[512];
	int w = t->scr.w - why_x(t), n;

	snprintf(buf, sizeof(buf), "why: %s", info->why);
	n = ui_wrap_rows(t, w, buf);
	snprintf(buf, sizeof(buf), "fix: %s", info->fix);
	return n + ui_wrap_rows(t, w, buf);
}

/* One check: a line, and for a finding its why and fix wrapped below it
 * when full and there is room before end.  Returns the rows used. */
static int check_lines(struct tui *t, const struct frame_hyg_item *it, int y, int end, int full)
{
	const struct hyg_info *info = hyg_info(it->check);
	int x = ui_seg(t, y, 1, state_style(t, it->state), "%-8s", hyg_state_name(it->state)), wx = why_x(t), n;
	char buf[512];

	x = ui_seg(t, y, x, ui_role(t, ROLE_TITLE, 0), " %-17s", info->name);
	ui_seg(t, y, x, ui_plain(0), " %s", it->observed);
	if (it->state != HYG_FINDING || !full || y + 1 + explain_rows(t, info) > end)
		return 1;
	snprintf(buf, sizeof(buf), "why: %s", info->why);
	n = 1 + ui_wrap(t, y + 1, wx, t->scr.w - wx, end - y - 1, ui_role(t, ROLE_DIM, 0), buf);
	snprintf(buf, sizeof(buf), "fix: %s", info->fix);
	return n + ui_wrap(t, y + n, wx, t->scr.w - wx, end - y - n, ui_role(t, ROLE_DIM, 0), buf);
}

/* Rows every check with each finding explained takes (header included). */
static int rows_full(const struct tui *t, const struct frame_hygiene *h, int findings_only)
{
	int need = 1;

	for (uint32_t i = 0; i < h->n && i < FRAME_HYGIENE; i++) {
		if (findings_only && h->item[i].state != HYG_FINDING)
			continue;
		need += 1 + (h->item[i].state == HYG_FINDING ? explain_rows(t, hyg_info(h->item[i].check)) : 0);
	}
	return need;
}

void ui_hygiene(struct tui *t, const struct frame *f, int top, int height)
{
	const struct frame_hygiene *h = &f->hygiene;
	int y = top, end = top + height, full;

	if (!h->n) {
		ui_seg(t, y, 0, ui_role(t, ROLE_DIM, 0),
		       "host hygiene: no report in this frame (a synthetic host, or a recording from before it was kept)");
		return;
	}
	full = rows_full(t, h, 0) <= height;
	y = ui_seg(t, top, 0, ui_role(t, ROLE_TITLE, ATTR_BOLD), "host hygiene: %u finding%s in %u checks",
		   hyg_findings(h), hyg_findings(h) == 1 ? "" : "s", h->n);
	ui_seg(t, top, y + 4 > 44 ? y + 4 : 44, ui_role(t, ROLE_DIM, 0), "rescanned every 10 s; `stormtop check` prints it");
	y = top + 1;
	for (uint32_t i = 0; i < h->n && i < FRAME_HYGIENE && y < end; i++)
		y += check_lines(t, &h->item[i], y, end, full);
}

int ui_hygiene_rows(const struct tui *t, const struct frame *f)
{
	return hyg_findings(&f->hygiene) ? rows_full(t, &f->hygiene, 1) : 0;
}

void ui_hygiene_findings(struct tui *t, const struct frame *f, int top, int height)
{
	const struct frame_hygiene *h = &f->hygiene;
	int y = top + 1, end = top + height;

	ui_seg(t, top, 0, ui_role(t, ROLE_TITLE, ATTR_BOLD), "host hygiene: %u finding%s (y: every check)",
	       hyg_findings(h), hyg_findings(h) == 1 ? "" : "s");
	for (uint32_t i = 0; i < h->n && i < FRAME_HYGIENE && y < end; i++)
		if (h->item[i].state == HYG_FINDING)
			y += check_lines(t, &h->item[i], y, end, 1);
}

/* The overview's hint: how many findings, and the key that shows them. */
int ui_hygiene_hint(struct tui *t, const struct frame *f, int y, int x)
{
	uint32_t n = hyg_findings(&f->hygiene);

	if (!f->hygiene.n)
		return x;
	return ui_seg(t, y, x, n ? ui_role(t, ROLE_BAD, 0) : ui_role(t, ROLE_DIM, 0), "hygiene: %u finding%s (y)",
		      n, n == 1 ? "" : "s");
}
