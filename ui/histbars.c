// SPDX-License-Identifier: GPL-2.0-only
/* Pictures for the drill-down: a histogram as bars over a log latency
 * axis, and the correlator's r at every lag as a row of bars.
 * A histogram's bin covers a range [lo, hi) ns; its count is spread over
 * the columns that range covers in proportion to the log-width each
 * takes (density per column), so an octave that spans five columns
 * fills all five instead of leaving four gaps, and a loglin slot, far
 * narrower than a column, lands in the one or two it touches. */
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

/* Position of ns on the axis in columns (fractional, unclamped). */
static double axis_pos(double ns, double lo_ns, double hi_ns, int w)
{
	return (log10(ns) - log10(lo_ns)) / (log10(hi_ns) - log10(lo_ns)) * w;
}

/* Adds n samples of the range [lo, hi) ns to the columns it covers, by
 * the share of its log-width in each; what lies off the axis goes to the
 * edge column on its side, as ui_bar_col clamps a point. */
static void spread(double *col, int w, double n, uint64_t lo, uint64_t hi, double lo_ns, double hi_ns)
{
	double a = axis_pos(lo > 1 ? (double)lo : 1.0, lo_ns, hi_ns, w);
	double b = axis_pos(hi > lo + 1 ? (double)hi : (double)lo + 1.0, lo_ns, hi_ns, w);
	double span = b - a;

	if (b <= 0 || a >= w || !(span > 1e-12)) {
		col[ui_bar_col(lo > 1 ? (double)lo : 1.0, lo_ns, hi_ns, w)] += n;
		return;
	}
	if (a < 0)
		col[0] += n * ((b < 0 ? b : 0) - a) / span;
	if (b > w)
		col[w - 1] += n * (b - (a > w ? a : w)) / span;
	for (int c = a > 0 ? (int)a : 0; c < w && c < b; c++) {
		double from = a > c ? a : c, to = b < c + 1 ? b : c + 1;

		if (to - from > 1e-9 * span) /* not a rounding sliver at an edge */
			col[c] += n * (to - from) / span;
	}
}

int ui_bins_bars(struct tui *t, int y, int x, int w, int h, const struct hist_bins *bins, double lo_ns,
		 double hi_ns, struct style st)
{
	double col[BARS_MAX_W] = { 0 }, max = 0;

	w = w > BARS_MAX_W ? BARS_MAX_W : w;
	if (w < 8 || h < 1)
		return 0;
	for (unsigned int i = 0; i < bins->n; i++)
		if (bins->count[i])
			spread(col, w, bins->count[i], bins->low(i), bins->high(i), lo_ns, hi_ns);
	for (int c = 0; c < w; c++)
		max = col[c] > max ? col[c] : max;
	for (int c = 0; c < w && max > 0; c++) {
		/* eighths of the bar's height; any sample shows as one at least */
		int64_t level = col[c] > 0 ? (int64_t)ceil(col[c] * 8 * h / max - 1e-9) : 0;

		for (int r = 0; r < h; r++) {
			int64_t in_row = level - (int64_t)(h - 1 - r) * 8;
			int e = in_row < 0 ? 0 : in_row > 8 ? 8 : (int)in_row;

			if (e)
				screen_text(&t->scr, y + r, x + c, st, t->utf8 ? eighths[e] : eighths_ascii[e]);
		}
	}
	if (!(max > 0))
		ui_seg(t, y + h - 1, x, ui_role(t, ROLE_DIM, 0), "(no samples this tick)");
	decade_axis(t, y + h, x, w, lo_ns, hi_ns);
	return h + 1;
}

static uint64_t slot_low(unsigned int s)
{
	return loglin_low(s);
}

static uint64_t slot_high(unsigned int s)
{
	return loglin_high(s);
}

int ui_hist_bars(struct tui *t, int y, int x, int w, int h, const uint32_t *slots, double lo_ns, double hi_ns,
		 struct style st)
{
	const struct hist_bins bins = { slots, LOGLIN_SLOTS, slot_low, slot_high };

	return ui_bins_bars(t, y, x, w, h, &bins, lo_ns, hi_ns, st);
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
