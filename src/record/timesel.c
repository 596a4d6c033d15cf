// SPDX-License-Identifier: GPL-2.0-only
#include "record/timesel.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DAYS 64  /* days a time of day is tried on (a week of rotated files is 7) */
#define SHOWN 6      /* stretches a note names */

struct window {
	int64_t from, to;   /* readings, inclusive */
};

static int64_t reading(const struct timeline *tl, size_t i)
{
	return when_reading(tl->wall(tl->ctx, i));
}

/* Frame i's time in a note, as the window is echoed and as people type
 * it ("YYYY-mm-dd hh:mm:ss", local): one format a line.  Where the
 * readings repeat (a DST fall-back, a stepped clock) the frame numbers
 * and the step's own words ("UTC offset +02:00 to +01:00") tell them
 * apart. */
static void frame_time(const struct timeline *tl, size_t i, char *buf, size_t n)
{
	when_format_reading(reading(tl, i), ' ', buf, n);
}

static int inside(struct window w, int64_t r)
{
	return r >= w.from && r <= w.to;
}

/* The text a note is built in; stops quietly at its end. */
struct note {
	char *buf;
	size_t n, at;
};

static __attribute__((format(printf, 2, 3))) void say(struct note *nt, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (nt->at >= nt->n)
		return;
	va_start(ap, fmt);
	k = vsnprintf(nt->buf + nt->at, nt->n - nt->at, fmt, ap);
	va_end(ap);
	nt->at = k < 0 ? nt->n : nt->at + (size_t)k;
}

/* The distinct days the readings are on, ascending; the earliest
 * MAX_DAYS when there are more. */
static size_t days_of(const struct timeline *tl, int64_t *days)
{
	int64_t last = INT64_MIN;
	size_t n = 0, k;

	for (size_t i = 0; i < tl->n; i++) {
		int64_t d = when_day(reading(tl, i));

		if (d == last)
			continue;
		last = d;
		for (k = 0; k < n && days[k] < d; k++)
			;
		if ((k < n && days[k] == d) || k == MAX_DAYS)
			continue;
		n -= n == MAX_DAYS;
		memmove(days + k + 1, days + k, (n - k) * sizeof(*days));
		days[k] = d;
		n++;
	}
	return n;
}

/* Whether a typed end without a date has to be tried on every day. */
static int per_day(const struct when *f, const struct when *t)
{
	return (f && !f->has_date && !(t && t->has_date)) || (t && !t->has_date && !(f && f->has_date));
}

/* The typed ends as readings on day d (a midnight reading), as typed:
 * an end without a date goes on its other end's day. */
static struct window ends_on_day(const struct when *f, const struct when *t, int64_t d)
{
	struct window w = { INT64_MIN, INT64_MAX };

	if (f && t && f->has_date && !t->has_date)
		d = when_day(when_at(f, 0));
	else if (f && t && t->has_date && !f->has_date)
		d = when_day(when_at(t, 0));
	if (f)
		w.from = when_at(f, d);
	if (t)
		w.to = when_at(t, d);
	return w;
}

/* The window the typed ends make on day d; a --to without a date that is
 * earlier than --from is on the next day. */
static struct window on_day(const struct when *f, const struct when *t, int64_t d)
{
	struct window w = ends_on_day(f, t, d);

	if (f && t && w.to < w.from && !t->has_date)
		w.to = when_add(w.to, WHEN_DAY_NS); /* 23:50 to 00:10: over midnight */
	else if (f && t && w.to < w.from && !f->has_date)
		w.from = when_add(w.from, -WHEN_DAY_NS);
	return w;
}

/* Frames in w, and how many separate runs they make. */
static size_t count(const struct timeline *tl, struct window w, size_t *runs)
{
	size_t k = 0;
	int was = 0;

	*runs = 0;
	for (size_t i = 0; i < tl->n; i++) {
		int in = inside(w, reading(tl, i));

		k += (size_t)in;
		*runs += (size_t)(in && !was);
		was = in;
	}
	return k;
}

/* An offset of ns as ISO 8601 writes it, "+05:45", "-03:30" (whole
 * minutes: zones' offsets are). */
static const char *utc_offset(double ns, char buf[8])
{
	long min = lround(ns / 6e10);

	snprintf(buf, 8, "%c%02ld:%02ld", min < 0 ? '-' : '+', labs(min) / 60 % 100, labs(min) % 60);
	return buf;
}

/* Why the readings went back between frames i - 1 and i. */
static void say_step(struct note *nt, const struct timeline *tl, size_t i)
{
	/* in double: a recording's extreme times must not overflow */
	double w0 = (double)tl->wall(tl->ctx, i - 1), w1 = (double)tl->wall(tl->ctx, i);
	double r0 = (double)reading(tl, i - 1), r1 = (double)reading(tl, i);

	char a[8], b[8];

	if (w1 < w0) {
		say(nt, " (the wall clock stepped back %.1f s before it)", (r0 - r1 + (double)tl->interval_ns) / 1e9);
		return;
	}
	say(nt, " (local time went back %.1f h before it: UTC offset %s to %s)", ((r0 - w0) - (r1 - w1)) / 3.6e12,
	    utc_offset(r0 - w0, a), utc_offset(r1 - w1, b));
}

/* Where the readings went back between two runs: frame k, or 0. */
static size_t step_between(const struct timeline *tl, size_t after, size_t upto)
{
	for (size_t k = upto; k > after; k--)
		if (reading(tl, k) < reading(tl, k - 1))
			return k;
	return 0;
}

/* Each run of frames in w, with its times and why it is separate; the
 * first SHOWN. */
static void say_runs(struct note *nt, const struct timeline *tl, struct window w)
{
	size_t shown = 0, first = 0, last = 0, k;
	int was = 0;
	char a[48], b[48];

	for (size_t i = 0; i <= tl->n; i++) {
		int in = i < tl->n && inside(w, reading(tl, i));

		if (in && !was)
			first = i;
		if (!in && was && shown++ < SHOWN) {
			frame_time(tl, first, a, sizeof(a));
			frame_time(tl, i - 1, b, sizeof(b));
			say(nt, "%s frames %zu-%zu, %s to %s", shown > 1 ? ";" : "", first + 1, i, a, b);
			if (shown > 1 && (k = step_between(tl, last, first)))
				say_step(nt, tl, k);
			last = i - 1;
		}
		was = in;
	}
}

/* Whether the readings break between frame i - 1 and i: they went back,
 * or jumped ahead by more than a minute plus 10 intervals (the clock
 * stepped forward, the recorder stopped or the host slept, a DST
 * spring-forward): "A to B" over such a jump would claim the hour
 * between had frames. */
static int breaks(const struct timeline *tl, size_t i)
{
	int64_t iv = tl->interval_ns > 0 ? tl->interval_ns : 1000000000LL, d;
	int64_t gap = iv > INT64_MAX / 10 - 60000000000LL ? INT64_MAX : 10 * iv + 60000000000LL;

	if (__builtin_sub_overflow(reading(tl, i), reading(tl, i - 1), &d))
		return 1;
	return d < 0 || d > gap;
}

/* What the recording covers: its stretches of readings that go forward
 * without a jump. */
static void say_covers(struct note *nt, const struct timeline *tl)
{
	size_t start = 0, shown = 0;
	char a[48], b[48];

	say(nt, "; the recording covers");
	for (size_t i = 1; i <= tl->n && shown < SHOWN; i++)
		if (i == tl->n || breaks(tl, i)) {
			frame_time(tl, start, a, sizeof(a));
			frame_time(tl, i - 1, b, sizeof(b));
			say(nt, "%s %s to %s", shown++ ? ", then" : "", a, b);
			start = i;
		}
	if (!tl->n)
		say(nt, " no frames");
}

static void say_window(struct note *nt, struct window w)
{
	char a[32] = "the start", b[32] = "the end";

	if (w.from != INT64_MIN)
		when_format_reading(w.from, ' ', a, sizeof(a));
	if (w.to != INT64_MAX)
		when_format_reading(w.to, ' ', b, sizeof(b));
	say(nt, "%s to %s", a, b);
}

/* The lowest and highest reading of the recording. */
static void extent(const struct timeline *tl, int64_t *lo, int64_t *hi)
{
	*lo = INT64_MAX;
	*hi = INT64_MIN;
	for (size_t i = 0; i < tl->n; i++) {
		int64_t r = reading(tl, i);

		*lo = r < *lo ? r : *lo;
		*hi = r > *hi ? r : *hi;
	}
}

/* A day fits when its window has frames and, for an open window, its one
 * typed end happens during the recording ("--from 00:05" on a recording
 * of 23:50 to 00:10 is after midnight, though 23:50 is after 00:05 too). */
static int fits(const struct timeline *tl, const struct when *f, const struct when *t, struct window c,
		int64_t lo, int64_t hi)
{
	size_t runs;

	if (!count(tl, c, &runs))
		return 0;
	if (f && !t)
		return c.from >= lo && c.from <= hi;
	if (t && !f)
		return c.to >= lo && c.to <= hi;
	return 1;
}

/* Tries the window on every day (or once) and keeps the earliest day
 * that fits, else the earliest with frames; returns how many fit. */
static size_t choose(const struct timeline *tl, const struct when *f, const struct when *t, struct window *w,
		     int64_t *days, size_t *ndays)
{
	size_t hits = 0, runs;
	int64_t lo, hi;
	int some = 0;

	*ndays = per_day(f, t) ? days_of(tl, days) : 0;
	*w = on_day(f, t, *ndays ? days[0] : 0);
	extent(tl, &lo, &hi);
	for (size_t d = 0; d < *ndays; d++) {
		struct window c = on_day(f, t, days[d]);

		if (!some && !hits && count(tl, c, &runs)) {
			*w = c;
			some = 1;
		}
		if (fits(tl, f, t, c, lo, hi)) {
			if (!hits)
				*w = c;
			days[hits++] = days[d]; /* keeps the days that fit, in order */
		}
	}
	return hits;
}

static int covers(const struct timeline *tl, size_t i, int64_t prev, int64_t r, int64_t at);

/* Where one reading is on the timeline: the first (from) or last frame
 * covering it, else the first read at or after it (from) or the last at
 * or before it.  How many frames cover it in *m; SIZE_MAX when none. */
static size_t place(const struct timeline *tl, int64_t at, int from, size_t *m)
{
	size_t cover = SIZE_MAX, near = SIZE_MAX;
	int64_t prev = 0;

	*m = 0;
	for (size_t i = 0; i < tl->n; i++) {
		int64_t r = reading(tl, i);

		if (covers(tl, i, prev, r, at)) {
			(*m)++;
			cover = from && cover != SIZE_MAX ? cover : i;
		}
		if (from ? r >= at && near == SIZE_MAX : r <= at)
			near = i;
		prev = r;
	}
	return cover != SIZE_MAX ? cover : near;
}

/* One end only: frames from its place to the end, or from the start;
 * returns how many frames cover the end. */
static size_t one_end(const struct timeline *tl, struct time_sel *out)
{
	int from = out->from != INT64_MIN;
	size_t m, i = place(tl, from ? out->from : out->to, from, &m);

	out->by_index = 1;
	out->first = from ? i : 0;
	out->last = from ? tl->n - 1 : i;
	out->frames = i == SIZE_MAX ? 0 : out->last - out->first + 1;
	out->stretches = out->frames > 0;
	return m;
}

static void say_repeated(struct note *nt, const struct timeline *tl, const struct time_sel *out, size_t m)
{
	int from = out->from != INT64_MIN;
	size_t i = from ? out->first : out->last;
	char t[48];

	frame_time(tl, i, t, sizeof(t));
	say(nt, "%s happened %zu times in this recording (its clock went back): taking the %s, %s (frame %zu)",
	    from ? "--from" : "--to", m, from ? "first" : "last", t, i + 1);
}

/* --to earlier than --from on the clock can still be a stretch of the
 * timeline when the readings went back between them (a DST fall-back,
 * a stepped clock) to --to or before it: from --from's place (the first
 * frame covering it, else the first read after it) to the last frame read
 * at or before --to after that step back, the frame before the step when
 * none is (--to falls between them).  Tried on each day (or once, dated);
 * 1 with out filled and the step's frame in *step, else 0. */
static int span(const struct timeline *tl, const struct when *f, const struct when *t, struct time_sel *out,
		size_t *step)
{
	int64_t days[MAX_DAYS], iv = tl->interval_ns > 0 ? tl->interval_ns : 1000000000LL;
	size_t ndays = per_day(f, t) ? days_of(tl, days) : 1, m;

	for (size_t d = 0; d < ndays; d++) {
		struct window w = ends_on_day(f, t, per_day(f, t) ? days[d] : 0);
		size_t i, k, j;

		if (w.to >= w.from || (i = place(tl, w.from, 1, &m)) == SIZE_MAX)
			continue;
		for (k = i + 1; k < tl->n; k++)
			if (reading(tl, k) < reading(tl, k - 1) && when_add(reading(tl, k), -iv) <= w.to)
				break;
		if (k >= tl->n)
			continue;
		for (j = k; j < tl->n && reading(tl, j) <= w.to && (j == k || reading(tl, j) >= reading(tl, j - 1)); j++)
			;
		*out = (struct time_sel){ .from = w.from, .to = w.to, .by_index = 1, .first = i, .last = j - 1,
					  .frames = j - i, .stretches = 1 };
		*step = k;
		return 1;
	}
	return 0;
}

static void say_span(struct note *nt, const struct timeline *tl, const struct time_sel *s, size_t step,
		     const char *from, const char *to)
{
	char a[48], b[48];

	frame_time(tl, s->first, a, sizeof(a));
	frame_time(tl, s->last, b, sizeof(b));
	say(nt, "--to %.40s is before --from %.40s on the clock, but the clock went back between them", to, from);
	say_step(nt, tl, step);
	say(nt, ": taking frames %zu-%zu in recording order, %s to %s", s->first + 1, s->last + 1, a, b);
}

static int parse_end(const char *text, const char *opt, struct when *w, char *err, size_t errlen)
{
	if (when_parse(text, w) == 0)
		return 0;
	snprintf(err, errlen, "%s: '%.40s' is not hh:mm[:ss] or YYYY-mm-dd hh:mm[:ss]", opt, text);
	return -1;
}

int timesel_window(const struct timeline *tl, const char *from, const char *to, struct time_sel *out,
		   char *err, size_t errlen)
{
	struct when f, t;
	struct window w;
	struct note nt = { out->note, sizeof(out->note), 0 };
	int64_t days[MAX_DAYS];
	size_t ndays, hits, repeats = 0, step, runs;
	char day[32];

	memset(out, 0, sizeof(*out));
	if ((from && parse_end(from, "--from", &f, err, errlen) < 0) || (to && parse_end(to, "--to", &t, err, errlen) < 0))
		return -1;
	if (from && to && span(tl, &f, &t, out, &step)) {
		say_span(&nt, tl, out, step, from, to);
		w = on_day(&f, &t, when_day(out->from));
		if (!f.has_date && !t.has_date && count(tl, w, &runs))
			say(&nt, "; read as a window over midnight it would be %zu frames: give dates to choose",
			    count(tl, w, &runs));
		return 0;
	}
	if (from && to && f.has_date && t.has_date && when_at(&t, 0) < when_at(&f, 0)) {
		snprintf(err, errlen, "--to %.40s is before --from %.40s", to, from);
		return -1;
	}
	hits = choose(tl, from ? &f : NULL, to ? &t : NULL, &w, days, &ndays);
	out->from = w.from;
	out->to = w.to;
	if (!from != !to)
		repeats = one_end(tl, out);
	else
		out->frames = count(tl, w, &out->stretches);
	if (!out->frames) {
		say(&nt, "no frame from ");
		say_window(&nt, w);
		say_covers(&nt, tl);
		return 0;
	}
	if (hits > 1) {
		say(&nt, "the times are on %zu days of the recording (", hits);
		for (size_t d = 0; d < hits; d++) {
			when_format_reading(days[d], ' ', day, sizeof(day));
			say(&nt, "%s%.10s", d ? ", " : "", day);
		}
		when_format_reading(w.from != INT64_MIN ? w.from : w.to, ' ', day, sizeof(day));
		say(&nt, "): taking %.10s; give a date (YYYY-mm-dd hh:mm) to choose%s", day,
		    out->stretches > 1 || repeats > 1 ? "; " : "");
	}
	if (repeats > 1)
		say_repeated(&nt, tl, out, repeats);
	if (out->stretches > 1) {
		say(&nt, "from ");
		say_window(&nt, w);
		say(&nt, " matches %zu separate stretches of the recording; taking all %zu frames, in recording order:",
		    out->stretches, out->frames);
		say_runs(&nt, tl, w);
	}
	return 0;
}

int timesel_has(const struct time_sel *s, size_t i, int64_t wall_ns)
{
	int64_t r;

	if (s->by_index)
		return i >= s->first && i <= s->last && s->frames;
	r = when_reading(wall_ns);
	return r >= s->from && r <= s->to;
}

/* Frame i covers the readings after the frame before it (or, after a
 * step back or at the start, one interval) up to its own. */
static int covers(const struct timeline *tl, size_t i, int64_t prev, int64_t r, int64_t at)
{
	int64_t lo = i > 0 && prev < r ? prev : when_add(r, -(tl->interval_ns > 0 ? tl->interval_ns : 1000000000LL));

	return at > lo && at <= r;
}

/* Every frame covering one of the candidate readings: how many, the
 * first after cur and the first of all. */
static size_t matches(const struct timeline *tl, const int64_t *at, size_t nat, size_t cur, long *next,
		      long *first)
{
	size_t m = 0;
	int64_t prev = 0;

	*next = *first = -1;
	for (size_t i = 0; i < tl->n; i++) {
		int64_t r = reading(tl, i);
		int hit = 0;

		for (size_t k = 0; k < nat && !hit; k++)
			hit = covers(tl, i, prev, r, at[k]);
		if (hit) {
			m++;
			*first = *first < 0 ? (long)i : *first;
			*next = *next < 0 && i > cur ? (long)i : *next;
		}
		prev = r;
	}
	return m;
}

/* With no frame covering any of them: the frame nearest one. */
static long nearest(const struct timeline *tl, const int64_t *at, size_t nat)
{
	long best = -1;
	uint64_t gap = UINT64_MAX;

	for (size_t i = 0; i < tl->n; i++) {
		int64_t r = reading(tl, i);

		for (size_t k = 0; k < nat; k++) {
			uint64_t g = r > at[k] ? (uint64_t)r - (uint64_t)at[k] : (uint64_t)at[k] - (uint64_t)r;

			if (g < gap) {
				gap = g;
				best = (long)i;
			}
		}
	}
	return best;
}

long timesel_instant(const struct timeline *tl, const struct when *w, size_t cur, char *note, size_t n)
{
	int64_t at[MAX_DAYS] = { 0 };
	size_t nat = w->has_date ? 1 : days_of(tl, at), m;
	long next, first, pick;
	char when[48];

	note[0] = '\0';
	if (!tl->n)
		return -1;
	if (w->has_date)
		at[0] = when_at(w, 0);
	else
		for (size_t k = 0; k < nat; k++)
			at[k] = when_at(w, at[k]);
	m = matches(tl, at, nat, cur, &next, &first);
	if (!m) {
		pick = nearest(tl, at, nat);
		frame_time(tl, (size_t)pick, when, sizeof(when));
		snprintf(note, n, "not in the recording: the nearest frame, %s", when);
		return pick;
	}
	pick = next >= 0 ? next : first;
	if (m > 1)
		snprintf(note, n, "%zu frames at that time (clock or date repeats): press b again for the next", m);
	return pick;
}

int64_t timeline_step(const struct timeline *tl, size_t i)
{
	int64_t d;

	if (i == 0 || i >= tl->n)
		return 0;
	if (__builtin_sub_overflow(tl->wall(tl->ctx, i), tl->wall(tl->ctx, i - 1), &d) || d <= 0)
		return tl->interval_ns > 0 ? tl->interval_ns : 1000000000LL;
	return d;
}

size_t timeline_walk(const struct timeline *tl, size_t i, int64_t delta_ns)
{
	int64_t want = delta_ns < 0 ? (delta_ns == INT64_MIN ? INT64_MAX : -delta_ns) : delta_ns, done = 0;

	if (!tl->n)
		return 0;
	if (i >= tl->n)
		i = tl->n - 1;
	while (done < want && (delta_ns > 0 ? i + 1 < tl->n : i > 0)) {
		int64_t s = timeline_step(tl, delta_ns > 0 ? i + 1 : i);

		i = delta_ns > 0 ? i + 1 : i - 1;
		done = s > INT64_MAX - done ? INT64_MAX : done + s;
	}
	return i;
}
