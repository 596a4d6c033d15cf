/* SPDX-License-Identifier: GPL-2.0-only */
/* The heatmaps' time axis: where along a panel's columns the ticks of a
 * round time step fall, and what they say ("-30s" ... "now" live, the
 * wall clock "12:04:30" in playback), and the span the columns cover.
 * Pure functions of the columns' timestamps: no frame, no screen. */
#ifndef STORMTOP_TIMEAXIS_H
#define STORMTOP_TIMEAXIS_H

#include <stdint.h>

#define AXIS_NONE INT64_MIN  /* a column with no frame yet */
#define AXIS_MARKS 64
#define AXIS_TEXT 24

struct axis_mark {
	int col;                 /* the column the label ends at (right-aligned) */
	char text[AXIS_TEXT];
};

/* Marks for ticks columns whose times are at[0..ticks) (ns; oldest left,
 * AXIS_NONE where empty).  clock 0: at[] are CLOCK_MONOTONIC and labels
 * are ages before the newest column ("-30s", "-2m", the newest "now");
 * clock 1: at[] are local wall-clock readings (util/when.h) and labels
 * the time of day of round instants.  The step is the smallest round one
 * (1 s .. 1 h) whose labels keep a space between them.  Returns the marks
 * written (at most max), rightmost first. */
int axis_marks(const int64_t *at, int ticks, int clock, struct axis_mark *out, int max);
/* The time the columns cover, ns: the oldest column's age before the
 * newest plus one interval; 0 when fewer than one column has a frame. */
int64_t axis_span(const int64_t *at, int ticks, int64_t interval_ns);
/* "45s", "1.7m", "10m", "2.5h", "31h": at most 4 characters up to 999 h. */
void axis_duration(char *buf, int n, int64_t ns);

#endif
