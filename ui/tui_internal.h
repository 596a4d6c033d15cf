/* SPDX-License-Identifier: GPL-2.0-only */
/* State shared by the UI's drawing files; not part of the UI's interface. */
#ifndef STORMTOP_TUI_INTERNAL_H
#define STORMTOP_TUI_INTERNAL_H

#include "ui/heat.h"
#include "ui/heatmemo.h"
#include "ui/heatseries.h"
#include "ui/keys.h"
#include "ui/layout.h"
#include "ui/screen.h"
#include "ui/seg.h"
#include "ui/theme.h"
#include "ui/tty.h"
#include "ui/tui.h"

#define MIN_COLS 40
#define MIN_LINES 10

enum view_id { VIEW_OVERVIEW, VIEW_METRIC, VIEW_PROCS, VIEW_HYGIENE, VIEWS };
enum overlay { OVERLAY_NONE, OVERLAY_HELP, OVERLAY_SETUP };
enum input_mode { INPUT_NONE, INPUT_SEARCH, INPUT_FILTER };

#define TUI_TAGS 32
#define TUI_NODES FRAME_MAX_NODES /* nodes that can be expanded one by one */
#define TUI_TEXT 32
#define OVERVIEW_PANELS 4
#define TUI_GAP_TICKS 60 /* frames the cost line's TLB rx csd gap sums */
_Static_assert(OVERVIEW_PANELS == HEATSERIES_PANELS, "a series per overview panel");

/* A frame's sums of tlb_rx_gap over its CPUs (panels.c), keyed as the
 * heatmap's series: the ring's commit number + 1 and the frame's seq. */
struct tui {
	struct tty tty;
	struct screen scr;
	struct theme theme;
	struct config *cfg;
	char cfg_path[512];
	uint32_t ncpu;
	int utf8;
	int headless_w, headless_h;  /* > 0: no terminal, this size */

	/* the CPU grid: rebuilt when the nodes, the filter or the size change */
	uint32_t *order;
	struct grid_row *rows;
	struct layout lay;
	struct layout_in lay_in;
	uint16_t *node_of;          /* the frame's, LAYOUT_NO_CPU where no CPU is */
	uint16_t mem_nodes[LAYOUT_MEM_NODES]; /* the frame's nodes without CPUs */
	uint32_t nmem;
	uint8_t *expanded;          /* per node: opened from an aggregate */
	uint32_t nnodes;
	int lay_valid;
	enum density density;

	/* what is shown */
	enum view_id view;
	int metric;                 /* VIEW_METRIC: enum metric_id */
	int panel_first;            /* overview: first of the panels that fit */
	uint32_t scroll;            /* first grid row shown */
	uint32_t cursor;            /* grid row of the core cursor */
	int heat_top, heat_rows;    /* where the grid rows were drawn */
	const struct frame *tick_frames[LAYOUT_MAX_TICKS]; /* the frame of each time column */
	/* each panel's values of each time column (heatseries_column), or NULL */
	const float *tick_vals[OVERVIEW_PANELS][LAYOUT_MAX_TICKS];
	struct heatseries series;   /* the screen's width of columns: set on resize */
	/* each panel's cell levels of each time column (heatmemo_slot), or NULL */
	const uint8_t *tick_cells[OVERVIEW_PANELS][LAYOUT_MAX_TICKS];
	struct heatmemo memo;       /* the screen's size: set on resize */
	uint32_t lay_gen;           /* layouts built: the memo's cells name rows of one */
	int series_off;             /* tests: read every cell off its frame, as before the series */
	char extent[160];           /* what the grid shows of the CPUs, when not all one a row */
	int drill;                  /* Enter: the cursor core's details */
	enum overlay overlay;
	int help_scroll;

	/* the process table */
	int sort;                   /* enum proc_col or enum proc_sort */
	int sort_invert;            /* I: the sort the other way round */
	int proc_sel;               /* row of the selection in the sorted table */
	int proc_top, proc_rows;    /* where it was drawn (mouse) */
	int proc_head, proc_body;   /* the header's row, the first process's row */
	int proc_first;             /* the sorted row drawn first */
	int proc_col0;              /* the first counted column shown (<- ->) */
	int32_t where_pid;          /* the where view's process (Enter); 0 closed */
	int group_cg;               /* `g`: the table grouped by cgroup (ui/cgtree.h) */
	char cg_root[FRAME_CGROUP_PATH]; /* --cgroup: only this subtree's processes; "" all */
	int sort_follow;            /* the sort changed: bring its column into view */
	int32_t tags[TUI_TAGS];
	int ntags;
	char filter[TUI_TEXT], search[TUI_TEXT];
	enum input_mode input;
	char input_buf[TUI_TEXT];

	const struct frame_ring *ring; /* the last drawn: keys that search read it */

	/* setup */
	int setup_sel;
	char msg[200];              /* a one-off note in the key bar */
	int msg_bad;
	struct ui_audit audit;       /* layout faults of the last compose (ui/seg.c) */
};

/* Styles: a theme role, or a heat level's colour; without colours only
 * the attributes stay. */
struct style ui_role(const struct tui *t, enum role r, uint8_t attr);
struct style ui_heat(const struct tui *t, enum heat_level l);
#define ui_plain(a) ((struct style){ .attr = (uint8_t)(a) })
/* Formatted text at (y, x) clipped to the screen; returns the column after. */
int ui_seg(struct tui *t, int y, int x, struct style st, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* The same within w columns from x; what does not fit ends on a word with
 * an ellipsis (seg.c). */
int ui_segw(struct tui *t, int y, int x, int w, struct style st, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* text wrapped between words into at most rows lines of w columns at
 * (y, x), the last elided if it must be; returns the lines used. */
int ui_wrap(struct tui *t, int y, int x, int w, int rows, struct style st, const char *text);
/* Lines ui_wrap needs for text at w columns. */
int ui_wrap_rows(const struct tui *t, int w, const char *text);
int ui_color(const struct tui *t);

/* heatmap.c */
void ui_heat_relayout(struct tui *t, const struct frame *f, const struct view *v, int rows);
void ui_heatmaps(struct tui *t, const struct frame_ring *r, const struct view *v, int top, int height);
/* The CPUs of grid row i (for drill-down): order[first..first+count). */
const struct grid_row *ui_cursor_row(const struct tui *t);
/* Moves the core cursor delta rows (0: settles it after a new layout),
 * onto the nearest row that takes it that way: a core, a block or an
 * aggregate, or an opened node's label (Enter closes it). */
void ui_cursor_move(struct tui *t, long delta);
/* The thresholds of metric m: its own, or the user's. */
void ui_thresholds(int metric, const struct view *v, double *warn, double *crit);
/* panels.c */
void ui_header(struct tui *t, const struct frame *f, const struct view *v);
/* A memory-only node's row: its memory, and that it has no CPUs. */
void ui_memory_node(struct tui *t, const struct frame *f, uint16_t node, int y, int x);
void ui_legend(struct tui *t, const struct view *v, int y);
void ui_system(struct tui *t, const struct frame *f, int y);
void ui_cost(struct tui *t, const struct frame *f, int y);
void ui_footer(struct tui *t, const struct view *v, int y);
/* proctable.c: returns rows used */
void ui_proctable(struct tui *t, const struct frame *f, int top, int height);
/* The table's rows after the filter, in the sort order; returns how many. */
uint32_t ui_proc_rows(const struct tui *t, const struct frame *f, uint8_t *order);
/* The sort key (enum proc_col or proc_sort) of the header's cell x, or -1. */
int ui_proc_col_at(const struct tui *t, int x);
/* One column sideways (dir -1 or 1), as far as there are hidden ones. */
void ui_proc_scroll(struct tui *t, int dir);
/* wherepanel.c: the where view under the process table (rows it wants
 * of avail, 0 when too few), and a ';'-joined path cut to cols cells from
 * its outermost end, whole frames first, marked with an ellipsis. */
int ui_where_rows(int avail);
void ui_where(struct tui *t, const struct frame *f, const struct view *v, int top, int height);
const char *ui_where_tail(char *dst, size_t cap, const char *path, int cols, int ascii);
/* regimepanel.c */
int ui_regime_badges(struct tui *t, const struct frame *f, int y, int x, int terse);
int ui_regime_rows(int avail);
void ui_regime(struct tui *t, const struct frame_ring *r, int top, int height);
/* apppanel.c */
int ui_app_rows(const struct frame *f);
void ui_apps(struct tui *t, const struct frame_ring *r, int top, int height);
/* histbars.c: a histogram as bars h rows high over w columns of a log
 * axis from lo_ns to hi_ns, decade labels under them (h + 1 rows), each
 * bin's count spread over the columns its [lo, hi) ns covers; the loglin
 * slots (ui_hist_bars) or any bins (count[i] samples in [low(i),
 * high(i)) ns, e.g. core/hist.h's octaves);
 * r at every lag as bars, lag numbers and values (3 rows; 0 when the
 * frame has no lags or w is under 55).  Each returns the rows drawn. */
struct hist_bins {
	const uint32_t *count;
	unsigned int n;
	uint64_t (*low)(unsigned int i);
	uint64_t (*high)(unsigned int i);
};
int ui_bins_bars(struct tui *t, int y, int x, int w, int h, const struct hist_bins *bins, double lo_ns,
		 double hi_ns, struct style st);
int ui_hist_bars(struct tui *t, int y, int x, int w, int h, const uint32_t *slots, double lo_ns, double hi_ns,
		 struct style st);
int ui_lag_bars(struct tui *t, int y, int x, int w, const struct frame_corr *c);
/* The column of ns on that axis, clamped to [0, w). */
int ui_bar_col(double ns, double lo_ns, double hi_ns, int w);
/* drillpanel.c */
int ui_drill_rows(int avail);
void ui_drill(struct tui *t, const struct frame_ring *r, const struct view *v, int top, int height);
/* help.c, setup.c */
void ui_help(struct tui *t, const struct view *v, int top, int height);
/* hygienepanel.c: the hygiene view, and its hint on the cost line */
void ui_hygiene(struct tui *t, const struct frame *f, int top, int height);
int ui_hygiene_hint(struct tui *t, const struct frame *f, int y, int x);
/* The overview's spare rows: the findings with why and fix; the rows
 * they take, 0 without findings. */
int ui_hygiene_rows(const struct tui *t, const struct frame *f);
void ui_hygiene_findings(struct tui *t, const struct frame *f, int top, int height);
void ui_setup(struct tui *t, int top, int height);
/* Keys while setup is open: 1 when cfg changed in a way main applies. */
int ui_setup_key(struct tui *t, const struct key *k);
int ui_theme_apply(struct tui *t, const char *name);
/* tui_keys.c */
enum ui_action ui_key(struct tui *t, const struct key *k);

#endif
