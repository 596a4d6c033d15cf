/* State shared by the UI's drawing files; not part of the UI's interface. */
#ifndef STORMTOP_TUI_INTERNAL_H
#define STORMTOP_TUI_INTERNAL_H

#include "heat.h"
#include "rows.h"
#include "tui.h"

/* The heatmap's columns: labels, one cell per tick, the current value;
 * strips that share its time axis use the same. */
#define HEAT_LABEL_W 9
#define HEAT_VALUE_W 7

enum ui_pair {
	PAIR_HEAT = 1,          /* + heat_level */
	PAIR_TITLE = PAIR_HEAT + HEAT_LEVELS,
	PAIR_BAD,
	PAIR_DIM,
};

struct tui {
	uint32_t ncpu;
	int color;
	int utf8;
	uint32_t scroll;
	uint32_t nrows;
	int page;                   /* CPU rows a page key moves: those shown, less one */
	struct heat_row *rows;
	uint16_t *layout_nodes;     /* nodes the rows were built for */
	const uint8_t *layout_mask;
	int layout_valid;
	int metric;                 /* enum metric_id the heatmap shows */
	int sort;                   /* enum proc_col the table sorts by */
};

int ui_attr(const struct tui *t, int pair, int extra);
/* Writes text at (y, x) clipped to the screen width, never wrapping;
 * returns the column after it. */
int ui_seg(int y, int x, int attr, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void ui_heatmap(struct tui *t, const struct frame_ring *r, const struct view *v,
		int top, int height);
void ui_header(const struct tui *t, const struct frame *f, const struct view *v);
void ui_legend(const struct tui *t, const struct view *v, int y);
void ui_proctable(const struct tui *t, const struct frame *f, int top, int height);
void ui_cost(const struct tui *t, const struct frame *f, int y);
/* The thresholds of the metric shown: its own, or the user's. */
void ui_thresholds(const struct tui *t, const struct view *v, double *warn, double *crit);
void ui_system(const struct tui *t, const struct frame *f, int y);
void ui_footer(const struct tui *t, const struct view *v, int y);
/* The regime controller: header badges (returns the column after; with
 * y < 0 only their width; terse leaves out "TLB"/"IOMMU"), rows its strips
 * and transition log take out of avail, and drawing them. */
int ui_regime_badges(const struct tui *t, const struct frame *f, int y, int x, int terse);
int ui_regime_rows(int avail);
void ui_regime(const struct tui *t, const struct frame_ring *r, int top, int height);
/* Rows the attached-apps panel wants (0 when none is attached). */
int ui_app_rows(const struct frame *f);
void ui_apps(const struct tui *t, const struct frame_ring *r, int top, int height);

#endif
