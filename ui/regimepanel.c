// SPDX-License-Identifier: GPL-2.0-only
/* The regime controller on screen: both states as badges in the header,
 * a timeline strip per machine on the heatmaps' time axis, and the last
 * transitions with what crossed which threshold. */
#include "ui/tui_internal.h"

#include <stdio.h>
#include <string.h>

#include "core/frame.h"
#include "util/when.h"

#define LOG_ROWS 2

/* One colour and glyph scale for both machines: level 0..3. */
static enum heat_level level_heat(int level)
{
	static const enum heat_level h[] = { HEAT_LOW, HEAT_WARN, HEAT_CRIT, HEAT_EXTREME };

	return level >= 0 && level < 4 ? h[level] : HEAT_NODATA;
}

int ui_regime_badges(struct tui *t, const struct frame *f, int y, int x, int terse)
{
	const char *tlb = tlb_regime_name(f->regime.tlb), *io = iommu_regime_name(f->regime.iommu);
	const char *tn = terse ? "" : "TLB ", *in = terse ? "" : "IOMMU ";
	struct style a = ui_heat(t, level_heat(f->regime.tlb)), b = ui_heat(t, level_heat(f->regime.iommu));

	if (y < 0) /* measure only */
		return (int)(strlen(tn) + strlen(tlb) + strlen(in) + strlen(io)) + 5;
	a.attr |= ATTR_BOLD | ATTR_REVERSE;
	b.attr |= ATTR_BOLD | ATTR_REVERSE;
	x = ui_seg(t, y, x, a, " %s%s ", tn, tlb);
	return ui_seg(t, y, x + 1, b, " %s%s ", in, io);
}

int ui_regime_rows(int avail)
{
	return avail >= 14 ? 2 + LOG_ROWS : avail >= 10 ? 2 : 0;
}

static void strip(struct tui *t, const struct frame_ring *r, int y, int iommu)
{
	const struct frame *now = ring_at_age(r, 0);
	int level = iommu ? now->regime.iommu : now->regime.tlb, ticks = t->lay.ticks;
	struct style st = ui_heat(t, level_heat(level));

	/* named as the header's badges name the machines */
	ui_seg(t, y, 0, ui_role(t, ROLE_TITLE, 0), iommu ? " IOMMU" : " TLB");
	for (int p = 0; p < t->lay.panels; p++) {
		int x = layout_panel_x(&t->lay, p);

		for (int i = 0; i < ticks; i++) {
			const struct tick_sum *f = ring_tick_at_age(r, (uint32_t)(ticks - 1 - i));
			enum heat_level l = f ? level_heat(iommu ? f->iommu : f->tlb) : HEAT_NODATA;

			screen_set(&t->scr, y, x + i, heat_glyph_cp(l, t->utf8), ui_heat(t, l));
		}
		st.attr |= ATTR_BOLD;
		/* the value column has 6 columns: the names' short forms, listed
		 * in the help; padded, so a shorter one never leaves a longer
		 * one's tail */
		ui_seg(t, y, x + ticks, st, " %-*s", REGIME_BRIEF_W, regime_state_brief(iommu, level));
	}
}

/* What holds each machine above its floor now, and CPU contention, as
 * one line ("now  TLB STORM: SBI 15.6/min >= 5, down in >= 52 s"); 0 when
 * there is nothing to say (both at the floor, no contention). */
static int now_line(struct tui *t, const struct frame *f, int y)
{
	const struct frame_regime *g = &f->regime;
	char hold[96];
	int x, any = 0;

	if (!g->tlb && !g->iommu && !g->contention)
		return 0;
	x = ui_seg(t, y, 0, ui_plain(ATTR_BOLD), " now ");
	for (int m = 0; m < 2; m++) {
		int level = m ? g->iommu : g->tlb;

		if (!level)
			continue;
		regime_hold_text(g, m, hold, sizeof(hold));
		x = ui_seg(t, y, x + 1, ui_heat(t, level_heat(level)), "%s%s %s", any++ ? "; " : "",
			   m ? "IOMMU" : "TLB", m ? iommu_regime_name(level) : tlb_regime_name(level));
		if (hold[0])
			x = ui_seg(t, y, x, ui_plain(0), ": %s", hold);
	}
	if (g->contention)
		ui_seg(t, y, x + 1, ui_heat(t, HEAT_WARN), "%sCPU contention: runq p99 %.1fx its clean baseline",
		       any ? "; " : "", (double)g->rq_widen);
	return 1;
}

/* The newest transitions in the ring, newest first. */
static void transition_log(struct tui *t, const struct frame_ring *r, int y, int rows)
{
	uint32_t age = 0;
	int shown = 0;
	char when[40];

	for (const struct tick_sum *f; shown < rows && (f = ring_tick_at_age(r, age)); age++) {
		if (f->tlb == f->tlb_was && f->iommu == f->iommu_was)
			continue;
		when_format(f->wall_ns, ' ', when, sizeof(when));
		ui_seg(t, y + shown++, 0, ui_plain(0), " %s  %s", strlen(when) > 11 ? when + 11 : when, f->why);
	}
	if (!shown)
		ui_seg(t, y, 0, ui_role(t, ROLE_DIM, 0), " no regime transitions in the history shown");
}

void ui_regime(struct tui *t, const struct frame_ring *r, int top, int height)
{
	strip(t, r, top, 0);
	strip(t, r, top + 1, 1);
	/* what holds the state now comes before the history */
	if (height > 2 && ring_at_age(r, 0) && now_line(t, ring_at_age(r, 0), top + 2)) {
		top++;
		height--;
	}
	if (height > 2)
		transition_log(t, r, top + 2, height - 2);
}
