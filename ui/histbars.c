// SPDX-License-Identifier: GPL-2.0-only
/* Pictures for the drill-down: a log-linear histogram as bars over a log
 * latency axis (each loglin slot counted in the column its midpoint falls
 * in), and the correlator's r at every lag as a row of bars. */
#include "ui/tui_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/hist.h"

#define BARS_MAX_W 256

static const char *const eighths[9] = { " ", "\u2581", "\u2582", "\u2583", "\u2584",
					"\u2585", "\u2586", "\u2587", "\u2588" };
static const char *const eighths_ascii[9] = { " ", ".", ".", "_", "=", "=", "#", "#", "#" };

int ui_bar_col(double ns, double lo_ns, double hi_ns, int w)
{
	double at = (log10(ns) - log10(lo_ns)) / (log10(hi_ns) - log10(lo_ns)) * w;

	return ns <= lo_ns || at < 0 ? 0 : at >= w ? w - 1 : (int)at;
}

/* Decade labels under the bars, each where its value falls, skipped where
 * it would run into the one before. */
static void decade_axis(struct tui *t, int y, int x, int w, double lo_ns, double hi_ns)
{
	static const struct { double ns; const char *s; } dec[] = {
		{ 1e1, "10ns" }, { 1e2, "100ns" }, { 1e3, "1us" }, { 1e4, "10us" }, { 1e5, "100us" },
		{ 1e6, "1ms" }, { 1e7, "10ms" }, { 1e8, "100ms" }, { 1e9, "1s" },
	};
	struct style dim = ui_role(t, ROLE_DIM, 0);
	int free_x = x;

	for (size_t i = 0; i < sizeof(dec) / sizeof(dec[0]); i++) {
		int c = x + ui_bar_col(dec[i].ns, lo_ns, hi_ns, w), len = (int)strlen(dec[i].s);

		if (c + len + 1 > x + w) /* the last decade ends at the edge */
			c = x + w - len - 1;
		if (dec[i].ns < lo_ns || dec[i].ns > hi_ns || c < free_x)
			continue;
		screen_text(&t->scr, y, c, dim, t->utf8 ? "\u2575" : "'"); /* the tick */
		ui_seg(t, y, c + 1, dim, "%s", dec[i].s);
		free_x = c + len + 2;
	}
}

int ui_hist_bars(struct tui *t, int y, int x, int w, int h, const uint32_t *slots, double lo_ns, double hi_ns,
		 struct style st)
{
	uint64_t col[BARS_MAX_W] = { 0 }, max = 0;

	w = w > BARS_MAX_W ? BARS_MAX_W : w;
	if (w < 8 || h < 1)
		return 0;
	for (unsigned int s = 0; s < LOGLIN_SLOTS; s++)
		if (slots[s])
			col[ui_bar_col((double)hist_mid(s), lo_ns, hi_ns, w)] += slots[s];
	for (int c = 0; c < w; c++)
		max = col[c] > max ? col[c] : max;
	for (int c = 0; c < w && max; c++) {
		/* eighths of the bar's height; any sample shows as one at least */
		uint64_t level = col[c] ? (col[c] * 8 * (uint64_t)h + max - 1) / max : 0;

		for (int r = 0; r < h; r++) {
			int64_t in_row = (int64_t)level - (int64_t)(h - 1 - r) * 8;
			int e = in_row < 0 ? 0 : in_row > 8 ? 8 : (int)in_row;

			if (e)
				screen_text(&t->scr, y + r, x + c, st, t->utf8 ? eighths[e] : eighths_ascii[e]);
		}
	}
	if (!max)
		ui_seg(t, y + h - 1, x, ui_role(t, ROLE_DIM, 0), "(no samples this tick)");
	decade_axis(t, y + h, x, w, lo_ns, hi_ns);
	return h + 1;
}

int ui_lag_bars(struct tui *t, int y, int x, int w, const struct frame_corr *c)
{
	int cw = w >= 11 * 6 ? 6 : 5, best = c->lag + FRAME_CORR_MAXLAG;

	if (!c->nlags || w < 11 * 5)
		return 0;
	for (int k = 0; k < FRAME_CORR_LAGS && k < c->nlags; k++) {
		float r = c->lag_rs[k];
		int cx = x + k * cw, e = isnan(r) ? 0 : (int)(fabsf(r) * 8 + 0.5f);
		/* positive r coloured by strength; negative dim (the app is
		 * faster when the TLB rate is up: not this storm's doing) */
		struct style st = isnan(r) || r < 0 ? ui_role(t, ROLE_DIM, 0) :
				  ui_heat(t, heat_classify(r, 0.3, 0.6));

		for (int i = 0; i < cw - 2; i++)
			screen_text(&t->scr, y, cx + i, st, t->utf8 ? eighths[e] : eighths_ascii[e]);
		ui_seg(t, y + 1, cx, k == best ? ui_plain(ATTR_BOLD | ATTR_UNDERLINE) : ui_plain(0), "%+d",
		       k - FRAME_CORR_MAXLAG);
		if (isnan(r))
			ui_seg(t, y + 2, cx, ui_role(t, ROLE_DIM, 0), "n/a");
		else
			ui_seg(t, y + 2, cx, ui_plain(0), cw > 5 ? "%+.2f" : "%+.1f", r);
	}
	return 3;
}
