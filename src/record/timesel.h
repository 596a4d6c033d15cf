/* SPDX-License-Identifier: GPL-2.0-only */
/* Picking frames of a recording by the times a person names, on the
 * recording's own timeline (its frames in recording order) rather than by
 * sorting wall-clock times that need not be sorted: the clock may have
 * stepped back (NTP), local time repeats an hour at a DST fall-back, and
 * "00:05" is on whichever day the recording covers.
 *
 * A window --from A --to B selects the frames whose local wall-clock
 * reading (when_reading) lies in [A, B].  One end alone is a place on the
 * timeline: --from A selects from the frame whose interval covers A (the
 * first such, said when there are several; else the first frame read at
 * or after A) to the end, --to B from the start to the last frame
 * covering B (else the last read at or before B).  A time without a date
 * is tried on every day the recording's readings touch (its first 64; B
 * on the next day when it is earlier than A: the window spans midnight);
 * the earliest day that fits is taken (with frames, and for one end
 * alone that end within the recording), and when other days fit too the
 * note says so.
 * A --to earlier than --from on the clock, where the readings went back
 * between them (the repeated hour of a DST fall-back, a stepped clock),
 * to --to or before it, is the stretch of the timeline from --from's place
 * (as for one end alone) to the last frame read at or before --to after
 * that step (the frame before the step when --to falls in the gap it
 * leaves), dated or not; the note says so (and, undated, what a window
 * over midnight would hold).
 * When the selected frames form several separate stretches (the readings
 * went back inside or between them), all are taken, in recording order,
 * and the note names each stretch and why.  An empty selection's note
 * says what the recording covers.  No allocation. */
#ifndef STORMTOP_TIMESEL_H
#define STORMTOP_TIMESEL_H

#include <stddef.h>
#include <stdint.h>

#include "util/when.h"

struct timeline {
	size_t n;                   /* frames, in recording order */
	int64_t (*wall)(const void *ctx, size_t i); /* frame i's wall_ns */
	const void *ctx;
	int64_t interval_ns;        /* the recording's interval (its header) */
};

struct time_sel {
	int64_t from, to;           /* the window taken, as readings; INT64_MIN/MAX when open */
	int by_index;               /* one end only: frames first..last instead */
	size_t first, last;
	size_t frames;              /* frames in it */
	size_t stretches;           /* separate runs of them in recording order */
	char note[1024];            /* for stderr: empty, ambiguous, or what was taken; "" when plain */
};

/* from and to as typed (NULL: open).  0 with *out filled (out->frames may
 * be 0: the note says so), or -1 with a one-line reason in err (not a
 * time, --to before --from). */
int timesel_window(const struct timeline *tl, const char *from, const char *to, struct time_sel *out,
		   char *err, size_t errlen);
/* Whether frame i, read at wall_ns, is selected. */
int timesel_has(const struct time_sel *s, size_t i, int64_t wall_ns);

/* The frame a person means by one time (play's "go to"): a frame whose
 * interval covers the reading.  With several (the reading happened more
 * than once, or on several days), the first after `cur`, cycling; with
 * none, the nearest.  The note says which.  -1 when there are no frames. */
long timesel_instant(const struct timeline *tl, const struct when *w, size_t cur, char *note, size_t n);

/* Recorded time between frame i - 1 and frame i: the wall-clock gap, or
 * the recording's interval where the clock went back. */
int64_t timeline_step(const struct timeline *tl, size_t i);
/* The frame about delta_ns of recorded time from frame i (either way). */
size_t timeline_walk(const struct timeline *tl, size_t i, int64_t delta_ns);

#endif
