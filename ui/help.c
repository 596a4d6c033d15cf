// SPDX-License-Identifier: GPL-2.0-only
/* F1: every key (ui/keytable.c, the list --help prints too), what each
 * process column counts, each heatmap's unit and thresholds, and what the
 * colours and glyphs mean.  One list that scrolls, wrapped to the width. */
#include "ui/tui_internal.h"

#include <stdio.h>
#include <string.h>

#include "core/metric.h"
#include "ui/keytable.h"
#include "ui/proccols.h"

/* The list's rows are numbered from 0 as they are laid out; the ones the
 * scroll puts between the title and the bottom are drawn. */
struct page {
	struct tui *t;
	int top, height, row;
};

/* The screen row of the next list row, or -1 when it is scrolled away. */
static int next_row(struct page *p)
{
	int y = p->top + 1 + p->row++ - p->t->help_scroll;

	return y > p->top && y < p->top + p->height ? y : -1;
}

static void title(struct page *p, const char *text)
{
	int y = next_row(p);

	if (y >= 0)
		ui_seg(p->t, y, 0, ui_role(p->t, ROLE_TITLE, ATTR_BOLD), "%s", text);
}

/* name in a column kw wide at x 2, text after it broken at spaces to the
 * width (a name wider than its column gets a row of its own). */
static void entry(struct page *p, const char *name, const char *text, int kw)
{
	int x = 2 + kw + 1, room = p->t->scr.w - x, y = next_row(p);

	if (y >= 0)
		ui_seg(p->t, y, 2, ui_plain(0), "%s", name);
	if ((int)strlen(name) > kw)
		y = next_row(p);
	if (room < 12)
		room = 12;
	while (*text) {
		size_t n = strlen(text);

		if ((int)n > room) {
			n = (size_t)room;
			while (n > 0 && text[n] != ' ')
				n--;
			if (n == 0)
				n = (size_t)room;
		}
		if (y >= 0)
			ui_seg(p->t, y, x, ui_plain(0), "%.*s", (int)n, text);
		text += n;
		while (*text == ' ')
			text++;
		if (*text)
			y = next_row(p);
	}
}

/* The regime strips' short state names, each with the name the header,
 * the drill-down and dump use. */
static void regime_legend(struct page *p)
{
	char name[32];

	title(p, "Regime strips (TLB, IOMMU under the heatmaps): short state names");
	for (int m = 0; m < 2; m++)
		for (int s = 0; s < (m ? IOMMU_REGIMES : TLB_REGIMES); s++) {
			const char *full = m ? iommu_regime_name(s) : tlb_regime_name(s);

			if (strcmp(full, regime_state_brief(m, s))) {
				snprintf(name, sizeof(name), "%s %s", m ? "IOMMU" : "TLB", regime_state_brief(m, s));
				entry(p, name, full, 16);
			}
		}
}

static void legend(struct page *p, const struct view *v)
{
	static const enum heat_level lv[] = { HEAT_NODATA, HEAT_ZERO, HEAT_LOW, HEAT_WARN, HEAT_CRIT, HEAT_EXTREME };
	static const char *const what[] = { "no data", "zero", "below warn", "warn..crit", "crit..10x crit", ">= 10x crit" };
	struct tui *t = p->t;
	char name[32], text[160];
	int x = 2, y;

	title(p, "Heatmaps: the unit of each, and where its colours change (per core)");
	for (int m = 0; m < METRIC_COUNT; m++) {
		double warn, crit;

		ui_thresholds(m, v, &warn, &crit);
		snprintf(name, sizeof(name), "%d %s", m + 1, metrics[m]->brief);
		snprintf(text, sizeof(text), "%s, in %s: warn %.12g, crit %.12g %s", metrics[m]->title, metrics[m]->unit, warn,
			 crit, metrics[m]->unit);
		entry(p, name, text, 16);
	}
	snprintf(text, sizeof(text), "Colours and glyphs (theme %s)", t->theme.name);
	title(p, text);
	if ((y = next_row(p)) >= 0)
		for (int i = 0; i < 6; i++) {
			screen_text(&t->scr, y, x, ui_heat(t, lv[i]), heat_glyph(lv[i], t->utf8));
			x = ui_seg(t, y, x + 2, ui_plain(0), "%s   ", what[i]);
		}
	entry(p, "two CPUs a row", "the upper half of a cell is the first CPU, the lower the second", 16);
	regime_legend(p);
}

/* Lays the list out into p; returns its rows. */
static int lay(struct page *p, const struct view *v)
{
	int kw = p->t->scr.w >= 80 ? 26 : 14;

	for (size_t i = 0; i < key_help_count; i++) {
		if (!key_help[i].keys)
			title(p, key_help[i].what);
		else
			entry(p, key_help[i].keys, key_help[i].what, kw);
	}
	title(p, "Process table columns (per second, this tick; F6 or a click on a header sorts)");
	for (int c = 0; c < COL_COUNT; c++)
		entry(p, proc_col_name((enum proc_col)c), proc_col_hint((enum proc_col)c), 12);
	legend(p, v);
	return p->row;
}

void ui_help(struct tui *t, const struct view *v, int top, int height)
{
	struct page count = { t, top, 0, 0 }, draw = { t, top, height, 0 };
	int rows = lay(&count, v), last = rows - (height - 1);

	/* the last row stays reachable, and no further */
	if (t->help_scroll > last)
		t->help_scroll = last > 0 ? last : 0;
	ui_seg(t, top, 0, ui_role(t, ROLE_TITLE, ATTR_BOLD | ATTR_REVERSE),
	       " stormtop help  (Up Down PgUp PgDn scroll, any other key closes) ");
	lay(&draw, v);
}
