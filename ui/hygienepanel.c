// SPDX-License-Identifier: GPL-2.0-only
/* The host-hygiene view (y): each check's state and what was observed;
 * for a finding, why it feeds storms and the command that changes it.
 * The same report as `stormtop check`, read from the frame, so playback
 * shows the recorded host's settings. */
#include "ui/tui_internal.h"

#include "core/hygiene.h"

static struct style state_style(struct tui *t, uint8_t state)
{
	return state == HYG_FINDING ? ui_role(t, ROLE_BAD, ATTR_BOLD) :
	       state == HYG_OK ? ui_role(t, ROLE_GOOD, 0) : ui_role(t, ROLE_DIM, 0);
}

/* One check: a line, and two more (why, fix) for a finding if room. */
static int check_lines(struct tui *t, const struct frame_hyg_item *it, int y, int end, int full)
{
	const struct hyg_info *info = hyg_info(it->check);
	int x = ui_seg(t, y, 1, state_style(t, it->state), "%-8s", hyg_state_name(it->state));

	x = ui_seg(t, y, x, ui_role(t, ROLE_TITLE, 0), " %-17s", info->name);
	ui_seg(t, y, x, ui_plain(0), " %s", it->observed);
	if (it->state != HYG_FINDING || !full || y + 2 >= end)
		return 1;
	ui_seg(t, y + 1, 28, ui_role(t, ROLE_DIM, 0), "why: %s", info->why);
	ui_seg(t, y + 2, 28, ui_role(t, ROLE_DIM, 0), "fix: %s", info->fix);
	return 3;
}

void ui_hygiene(struct tui *t, const struct frame *f, int top, int height)
{
	const struct frame_hygiene *h = &f->hygiene;
	int y = top, end = top + height, need = 1 + (int)h->n;

	if (!h->n) {
		ui_seg(t, y, 0, ui_role(t, ROLE_DIM, 0),
		       "host hygiene: no report in this frame (a synthetic host, or a recording from before it was kept)");
		return;
	}
	ui_seg(t, y++, 0, ui_role(t, ROLE_TITLE, ATTR_BOLD), "host hygiene: %u finding%s in %u checks",
	       hyg_findings(h), hyg_findings(h) == 1 ? "" : "s", h->n);
	ui_seg(t, top, 44, ui_role(t, ROLE_DIM, 0), "rescanned every 10 s; `stormtop check` prints it");
	need += 2 * (int)hyg_findings(h);
	for (uint32_t i = 0; i < h->n && y < end; i++)
		y += check_lines(t, &h->item[i], y, end, need <= height);
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
