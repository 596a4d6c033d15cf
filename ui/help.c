// SPDX-License-Identifier: GPL-2.0-only
/* F1: every key, and what the colours and glyphs mean for each panel. */
#include "ui/tui_internal.h"

#include <stdio.h>

#include "core/metric.h"

static const char *const keys[][2] = {
	{ "Views", NULL },
	{ "0", "storm overview: TLB IPIs, IOTLB flushes, run-queue p99, dispatch jitter" },
	{ "1-6", "one metric full width (6 is dispatch jitter)" },
	{ "p", "the process table full screen" },
	{ "y", "host hygiene: settings that cause or cure storms, why, and the fix" },
	{ "Tab / S-Tab", "next / previous view" },
	{ "<- ->", "overview: the panels that do not fit side by side" },
	{ "Cores", NULL },
	{ "Up Down PgUp PgDn Home End", "move the core cursor (the grid scrolls with it)" },
	{ "Enter, click", "drill into the core: counters, run-queue delay, processes, node" },
	{ "Enter on node+ / block", "expand that node CPU by CPU; Enter on its label folds it" },
	{ "f", "density: auto, one CPU a row, two a row, a row per node" },
	{ "Processes", NULL },
	{ "F6 > .  /  < ,", "sort by the next / previous column (s too)" },
	{ "F3 /", "search by name; F4 \\  filter by name; Esc clears" },
	{ "space", "in the process view: tag the process (U untags all)" },
	{ "Running", NULL },
	{ "space z", "pause (z everywhere, space outside the process view)" },
	{ "+ -", "live: sampling interval; playback: speed" },
	{ "w", "start or stop recording;  a  attach an app's histogram" },
	{ "t T [ ] { } b", "playback: step, 1 min, 10 min, go to a time" },
	{ "n N  j J", "playback: next/previous TLB burst, regime transition" },
	{ "F2 S", "setup: interval, thresholds, theme, panels, history (saved)" },
	{ "Ctrl-L", "clear the terminal and repaint everything" },
	{ "F1 ? h", "this help;  F10 q  quit" },
};

static void legend(struct tui *t, int y, const struct view *v)
{
	static const enum heat_level lv[] = { HEAT_NODATA, HEAT_ZERO, HEAT_LOW, HEAT_WARN, HEAT_CRIT, HEAT_EXTREME };
	static const char *const what[] = { "no data", "zero", "below warn", "warn..crit", "crit..10x crit", ">= 10x crit" };
	int x = 2;

	ui_seg(t, y++, 0, ui_role(t, ROLE_TITLE, ATTR_BOLD), "Colours and glyphs (theme %s)", t->theme.name);
	for (int i = 0; i < 6; i++) {
		screen_text(&t->scr, y, x, ui_heat(t, lv[i]), heat_glyph(lv[i], t->utf8));
		x = ui_seg(t, y, x + 2, ui_plain(0), "%s   ", what[i]);
	}
	y++;
	for (int m = 0; m < METRIC_COUNT; m++) {
		double warn, crit;

		ui_thresholds(m, v, &warn, &crit);
		ui_seg(t, y++, 2, ui_plain(0), "%d %-14s warn %g, crit %g %s", m + 1, metrics[m]->brief, warn, crit,
		       metrics[m]->unit);
	}
	ui_seg(t, y, 2, ui_plain(0), "two CPUs a row: the upper half of a cell is the first CPU, the lower the second");
}

void ui_help(struct tui *t, const struct view *v, int top, int height)
{
	int n = (int)(sizeof(keys) / sizeof(keys[0])), y = top;

	if (t->help_scroll > n - 1)
		t->help_scroll = n - 1;
	ui_seg(t, y++, 0, ui_role(t, ROLE_TITLE, ATTR_BOLD | ATTR_REVERSE), " stormtop help  (any key closes, Up/Down scroll) ");
	for (int i = t->help_scroll; i < n && y < top + height; i++) {
		if (!keys[i][1])
			ui_seg(t, y++, 0, ui_role(t, ROLE_TITLE, ATTR_BOLD), "%s", keys[i][0]);
		else
			ui_seg(t, y++, 2, ui_plain(0), "%-28s %s", keys[i][0], keys[i][1]);
	}
	if (y + 10 <= top + height)
		legend(t, y + 1, v);
}
