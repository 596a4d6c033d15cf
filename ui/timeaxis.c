// SPDX-License-Identifier: GPL-2.0-only
#include "ui/timeaxis.h"

#include <stdio.h>

#include "util/nstime.h"
#include "util/when.h"

#define NS 1000000000LL

static const int steps_s[] = { 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600 };

/* The columns' typical spacing: the span of those with a frame over
 * their count (a paused or irregular ring still gives a usable step). */
static int64_t spacing(const int64_t *at, int ticks)
{
	int first = -1, last = -1;
	int64_t d;

	for (int i = 0; i < ticks; i++)
		if (at[i] != AXIS_NONE) {
			first = first < 0 ? i : first;
			last = i;
		}
	if (first < 0 || last == first)
		return NS;
	/* saturating: a recording may hold any wall clock (hardening case) */
	d = ns_sub(at[last], at[first]) / (last - first);
	return d > 0 ? d : NS;
}

void axis_duration(char *buf, int n, int64_t ns)
{
	double s = (double)ns / NS;

	if (s < 99.5)
		snprintf(buf, (size_t)n, "%.0fs", s);
	else if (s < 595)
		snprintf(buf, (size_t)n, "%.1fm", s / 60);
	else if (s < 99.5 * 60)
		snprintf(buf, (size_t)n, "%.0fm", s / 60);
	else if (s < 9.95 * 3600)
		snprintf(buf, (size_t)n, "%.1fh", s / 3600);
	else
		snprintf(buf, (size_t)n, "%.0fh", s / 3600);
}

/* The label of a round instant k * step. */
static void label(char *buf, int clock, int64_t k, int step)
{
	char when[40];

	if (!clock) { /* whole minutes and hours by their unit, else seconds */
		long long sec = (long long)ns_mul(k, step);

		if (sec % 3600 == 0)
			snprintf(buf, AXIS_TEXT, "-%lldh", sec / 3600);
		else if (sec % 60 == 0)
			snprintf(buf, AXIS_TEXT, "-%lldm", sec / 60);
		else if (sec < 100)
			snprintf(buf, AXIS_TEXT, "-%llds", sec);
		else
			snprintf(buf, AXIS_TEXT, "-%.1fm", (double)sec / 60);
		return;
	}
	when_format_reading(ns_mul(ns_mul(k, step), NS), 't', when, sizeof(when));
	/* "hh:mm:ss.mmm": minutes are enough when the step is */
	snprintf(buf, AXIS_TEXT, "%.*s", step % 60 ? 8 : 5, when);
}

/* Which round step a column boundary crosses: floor(value / step), with
 * ages measured back from the newest column. */
static int64_t slot(int64_t v, int64_t step_ns)
{
	return v >= 0 ? v / step_ns : -(-(v + 1) / step_ns) - 1; /* floor, INT64_MIN too */
}

int axis_marks(const int64_t *at, int ticks, int clock, struct axis_mark *out, int max)
{
	int64_t gap = spacing(at, ticks), now = ticks > 0 ? at[ticks - 1] : AXIS_NONE;
	int width = clock ? 12 : ticks >= 100 ? 20 : ticks >= 24 ? 8 : 5, n = 0, step = steps_s[sizeof(steps_s) / sizeof(steps_s[0]) - 1], right;

	if (now == AXIS_NONE || max < 1)
		return 0;
	for (size_t i = 0; i < sizeof(steps_s) / sizeof(steps_s[0]); i++)
		if ((int64_t)steps_s[i] * NS >= ns_mul(gap, width)) {
			step = steps_s[i];
			break;
		}
	right = ticks; /* the first column a label may not reach */
	if (!clock) {
		out[n].col = ticks - 1;
		snprintf(out[n++].text, AXIS_TEXT, "now");
		right = ticks - 3;
	}
	for (int i = ticks - 2; i >= 0 && n < max; i--) {
		/* ages grow leftwards; readings grow rightwards */
		int64_t a = at[i], b = at[i + 1], k, len;

		if (a == AXIS_NONE || b == AXIS_NONE)
			continue;
		if (!clock) {
			a = ns_add(ns_sub(now, a), gap / 2);
			b = ns_add(ns_sub(now, b), gap / 2);
		}
		if (slot(a, step * NS) == slot(b, step * NS))
			continue;
		k = clock ? slot(b, step * NS) : slot(a, step * NS);
		if (!clock && k == 0)
			continue;
		label(out[n].text, clock, k, step);
		len = 0;
		while (out[n].text[len])
			len++;
		if (i >= right - 1 || i + 1 - len < 0)
			continue;
		out[n].col = i;
		right = (int)(i + 1 - len);
		n++;
	}
	return n;
}

int64_t axis_span(const int64_t *at, int ticks, int64_t interval_ns)
{
	for (int i = 0; i < ticks; i++)
		if (at[i] != AXIS_NONE)
			return ns_add(ns_sub(at[ticks - 1], at[i]), interval_ns);
	return 0;
}
