/* The regime controller on screen: both states as badges in the header,
 * a timeline strip per machine on the heatmap's time axis, and the last
 * transitions with what crossed which threshold. */
#include "tui_internal.h"

#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "controller.h"
#include "when.h"

#define LOG_ROWS 2

/* One colour and glyph scale for both machines: level 0..3. */
static enum heat_level level_heat(int level)
{
	static const enum heat_level h[] = { HEAT_LOW, HEAT_WARN, HEAT_CRIT, HEAT_EXTREME };

	return level >= 0 && level < 4 ? h[level] : HEAT_NODATA;
}

int ui_regime_badges(const struct tui *t, const struct frame *f, int y, int x, int terse)
{
	const char *tlb = tlb_regime_name(f->regime.tlb), *io = iommu_regime_name(f->regime.iommu);
	const char *tn = terse ? "" : "TLB ", *in = terse ? "" : "IOMMU ";

	if (y < 0) /* measure only */
		return (int)(strlen(tn) + strlen(tlb) + strlen(in) + strlen(io)) + 5;
	x = ui_seg(y, x, ui_attr(t, PAIR_HEAT + level_heat(f->regime.tlb), A_BOLD | A_REVERSE), " %s%s ", tn, tlb);
	return ui_seg(y, x + 1, ui_attr(t, PAIR_HEAT + level_heat(f->regime.iommu), A_BOLD | A_REVERSE),
		      " %s%s ", in, io);
}

int ui_regime_rows(int avail)
{
	return avail >= 14 ? 2 + LOG_ROWS : avail >= 10 ? 2 : 0;
}

static void strip(const struct tui *t, const struct frame_ring *r, int y, int iommu, int width)
{
	const struct frame *now = ring_at_age(r, 0);
	int level = iommu ? now->regime.iommu : now->regime.tlb;

	ui_seg(y, 0, ui_attr(t, PAIR_TITLE, 0), iommu ? " iommu" : " regime");
	for (int i = 0; i < width; i++) {
		const struct frame *f = ring_at_age(r, (uint32_t)(width - 1 - i));
		enum heat_level l = f ? level_heat(iommu ? f->regime.iommu : f->regime.tlb) : HEAT_NODATA;

		attrset(ui_attr(t, PAIR_HEAT + l, 0));
		mvaddstr(y, HEAT_LABEL_W + i, heat_glyph(l, t->utf8));
	}
	attrset(ui_attr(t, PAIR_HEAT + level_heat(level), A_BOLD));
	mvprintw(y, HEAT_LABEL_W + width, " %.*s", HEAT_VALUE_W - 1,
		 iommu ? iommu_regime_name(level) : tlb_regime_name(level));
	attrset(A_NORMAL);
}

/* The newest transitions in the ring, newest first. */
static void transition_log(const struct tui *t, const struct frame_ring *r, int y, int rows)
{
	uint32_t age = 0;
	int shown = 0;
	char when[40];

	for (const struct frame *f; shown < rows && (f = ring_at_age(r, age)); age++) {
		if (f->regime.tlb == f->regime.tlb_was && f->regime.iommu == f->regime.iommu_was)
			continue;
		when_format(f->wall_ns, ' ', when, sizeof(when));
		ui_seg(y + shown++, 0, A_NORMAL, " %s  %s", strlen(when) > 11 ? when + 11 : when, f->regime.why);
	}
	if (!shown)
		ui_seg(y, 0, ui_attr(t, PAIR_DIM, 0), " no regime transitions in the history shown");
}

void ui_regime(const struct tui *t, const struct frame_ring *r, int top, int height)
{
	int width = COLS - HEAT_LABEL_W - HEAT_VALUE_W;

	strip(t, r, top, 0, width);
	strip(t, r, top + 1, 1, width);
	if (height > 2)
		transition_log(t, r, top + 2, height - 2);
}
