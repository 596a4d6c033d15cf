// SPDX-License-Identifier: GPL-2.0-only
/* The attached applications: their state, each series' figures this tick,
 * their p99 over time aligned with the heatmap's columns, this tick's
 * latency histogram against the clean and burst baselines, and what the
 * correlator found. */
#include "ui/tui_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ui/format.h"
#include "core/hist.h"
#include "core/metric.h"
#include "stormtop/probe.h"

#define SERIES_ROWS 4
#define NOISY_P999 1000   /* fewer samples: p99.9 is one or two of them */
#define NOISY_P99 100

int ui_app_rows(const struct frame *f)
{
	if (!f->napps)
		return 0;
	return 1 + (f->nseries < SERIES_ROWS ? (int)f->nseries : SERIES_ROWS) + 5;
}

static const char *state_word(uint8_t st)
{
	static const char *const w[] = { "-", "ok", "waiting", "gone", "rejected" };

	return st < 5 ? w[st] : "?";
}

static void apps_line(struct tui *t, const struct frame *f, int y)
{
	int x = ui_seg(t, y, 0, ui_role(t, ROLE_TITLE, ATTR_BOLD), "apps");

	for (uint32_t i = 0; i < f->napps; i++) {
		const struct frame_app *a = &f->apps[i];

		x = ui_seg(t, y, x, ui_role(t, a->state == APP_OK ? ROLE_TITLE : ROLE_BAD, 0), "  %s %s",
			   a->name, state_word(a->state));
		if (a->state == APP_OK && a->mode_label[0])
			x = ui_seg(t, y, x, ui_role(t, ROLE_DIM, 0), " [%s]", a->mode_label);
		if (a->why[0]) /* an ok app's note is a warning (world-writable) */
			x = ui_seg(t, y, x, ui_role(t, a->state == APP_OK ? ROLE_BAD : ROLE_DIM, 0), " (%s)", a->why);
	}
}

/* One series: N first, and the quantiles its N cannot carry marked '~'. */
static void series_line(struct tui *t, const struct frame_series *s, int y)
{
	static const char *const qn[SERIES_QUANTILES] = { "p50", "p90", "p99", "p99.9" };
	char v[16], label[22 * 7 + 1];
	int x;

	/* the label is the application's own: cut and padded by cells */
	text_fit(label, sizeof(label), s->label, 22, t->scr.ascii);
	x = ui_seg(t, y, 0, ui_plain(0), " %s %-5s cpu%-3d N %-7llu", label,
		   s->kind == STORMPROBE_PHASE ? "phase" : "lat", s->cpu, (unsigned long long)s->n);

	if (s->reset || !s->n) {
		ui_seg(t, y, x, ui_role(t, ROLE_DIM, 0), s->reset ? "(new baseline)" : "(no samples)");
		return;
	}
	for (int q = 0; q < SERIES_QUANTILES; q++) {
		int noisy = (q == SQ_P999 && s->n < NOISY_P999) || (q == SQ_P99 && s->n < NOISY_P99);

		fmt_ns(v, sizeof(v), (double)s->q[q]);
		x = ui_seg(t, y, x, noisy ? ui_role(t, ROLE_DIM, 0) : ui_plain(0), " %s %s%s", qn[q], noisy ? "~" : "", v);
	}
	fmt_ns(v, sizeof(v), (double)s->max_ns);
	ui_seg(t, y, x, ui_plain(0), " max %s", v);
}

/* The app's p99 per tick, one cell per heatmap column. */
static void p99_strip(struct tui *t, const struct frame_ring *r, int y)
{
	int width = t->lay.ticks, x0 = layout_panel_x(&t->lay, 0);

	const struct frame *now = ring_at_age(r, 0);
	char v[16];

	ui_seg(t, y, 0, ui_role(t, ROLE_TITLE, 0), " app p99");
	for (int i = 0; i < width; i++) {
		const struct tick_sum *f = ring_tick_at_age(r, (uint32_t)(width - 1 - i));
		double p = f ? f->app_p99_ns : NAN;
		/* coloured against the correlator's clean p99: 2x warns, 5x is red */
		double base = now->corr.p99_out_ns ? (double)now->corr.p99_out_ns : NAN;
		enum heat_level l = isnan(p) ? HEAT_NODATA : isnan(base) ? HEAT_LOW :
				    heat_classify(p / base, 2, 5);

		screen_set(&t->scr, y, x0 + i, heat_glyph_cp(l, t->utf8), ui_heat(t, l));
	}
	fmt_ns(v, sizeof(v), tick_app_p99_ns(now));
	ui_seg(t, y, x0 + width, ui_plain(0), "%*s", LAYOUT_VALUE_W - 1, v);
}

/* The shapes side by side, one column per power of two from 64 ns to
 * 32 ms: this tick, the clean ticks' pool and the burst ticks' pool. */
#define SHAPE_LO 6
#define SHAPE_HI 25

static void shape_row(struct tui *t, int y, const char *name, const uint32_t *b,
		      const char *tail)
{
	static const char *const bars[] = { " ", "\u2581", "\u2582", "\u2583", "\u2584",
					    "\u2585", "\u2586", "\u2587", "\u2588" };
	static const char *const ascii[] = { " ", ".", ".", ":", ":", "|", "|", "#", "#" };
	uint64_t max = 0;
	int x = ui_seg(t, y, 0, ui_plain(0), " %-7s", name);

	for (int k = SHAPE_LO; k <= SHAPE_HI; k++)
		max = b[k] > max ? b[k] : max;
	for (int k = SHAPE_LO; k <= SHAPE_HI && x < t->scr.w; k++, x++) {
		int h = max ? (int)((b[k] * 8 + max - 1) / max) : 0;

		screen_text(&t->scr, y, x, ui_plain(0), t->utf8 ? bars[h] : ascii[h]);
	}
	ui_seg(t, y, x + 1, ui_plain(0), "%s", tail);
}

static void shapes(struct tui *t, const struct frame *f, int y)
{
	uint32_t now[CORR_BUCKETS] = { 0 };
	char a[16], b[16], tail[96];

	hist_coarsen(f->app_hist, now, CORR_BUCKETS);
	fmt_ns(a, sizeof(a), hist_total(f->app_hist) ? (double)hist_quantile(f->app_hist, 0.5) : -1);
	fmt_ns(b, sizeof(b), hist_total(f->app_hist) ? (double)hist_quantile(f->app_hist, 0.99) : -1);
	snprintf(tail, sizeof(tail), "this tick: p50 %s p99 %s   (64ns .. 32ms, x2 per column)", a, b);
	shape_row(t, y, "now", now, tail);
	fmt_ns(a, sizeof(a), f->corr.n_out ? (double)f->corr.p99_out_ns : -1);
	snprintf(tail, sizeof(tail), "clean baseline: p99 %s over %u ticks", a, f->corr.n_out);
	shape_row(t, y + 1, "clean", f->corr.clean_hist, tail);
	fmt_ns(a, sizeof(a), f->corr.n_in ? (double)f->corr.p99_in_ns : -1);
	snprintf(tail, sizeof(tail), "TLB bursts: p99 %s over %u ticks", a, f->corr.n_in);
	shape_row(t, y + 2, "bursts", f->corr.burst_hist, tail);
}

static void corr_line(struct tui *t, const struct frame *f, int y)
{
	const struct frame_corr *c = &f->corr;
	char in[16], out[16];
	int x;

	if (!c->window || isnan(c->r_tlb)) {
		ui_seg(t, y, 0, ui_role(t, ROLE_DIM, 0), " correlation: needs 10 ticks of app latency and a TLB rate that varies (%u so far)",
		       c->window);
		return;
	}
	x = ui_seg(t, y, 0, ui_role(t, ROLE_TITLE, ATTR_BOLD), " vs TLB IPIs");
	if (isnan(c->lag_r)) /* too few ticks for r at any lag yet */
		x = ui_seg(t, y, x, ui_plain(0), ": r %+.2f, best lag: too few ticks yet", c->r_tlb);
	else
		x = ui_seg(t, y, x, ui_plain(0), ": r %+.2f, best at %+d tick%s (r %+.2f)", c->r_tlb, c->lag,
			   c->lag == 1 || c->lag == -1 ? "" : "s", c->lag_r);
	fmt_ns(in, sizeof(in), c->n_in ? (double)c->p99_in_ns : -1);
	fmt_ns(out, sizeof(out), c->n_out ? (double)c->p99_out_ns : -1);
	x = ui_seg(t, y, x, c->n_in && c->p99_in_ns > 2 * c->p99_out_ns ? ui_role(t, ROLE_BAD, ATTR_BOLD) : ui_plain(0),
		   "  p99 in bursts %s vs %s outside (%u/%u ticks)", in, out, c->n_in, c->n_out);
	if (c->n_in && c->n_out)
		x = ui_seg(t, y, x, ui_plain(0), "  DVR %.2f", c->dvr);
	if (!isnan(c->r_runq))
		x = ui_seg(t, y, x, ui_role(t, ROLE_DIM, 0), "  r(runq) %+.2f", c->r_runq);
	if (!isnan(c->r_iotlb))
		ui_seg(t, y, x, ui_role(t, ROLE_DIM, 0), "  r(iotlb) %+.2f", c->r_iotlb);
}

void ui_apps(struct tui *t, const struct frame_ring *r, int top, int height)
{
	const struct frame *f = ring_at_age(r, 0);
	int y = top, shown = 0;

	apps_line(t, f, y++);
	for (uint32_t i = 0; i < f->nseries && shown < SERIES_ROWS && y < top + height - 5; i++, shown++)
		series_line(t, &f->series[i], y++);
	p99_strip(t, r, y++);
	shapes(t, f, y);
	corr_line(t, f, y + 3);
}
