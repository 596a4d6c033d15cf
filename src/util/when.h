/* SPDX-License-Identifier: GPL-2.0-only */
/* Times a person types for a recording, and times printed for people.
 *
 * What a person names is a wall-clock reading in the local zone
 * ("hh:mm[:ss]" on whatever day, or "YYYY-mm-dd hh:mm[:ss]"), not an
 * instant: at a DST fall-back or after the clock stepped back the same
 * reading happens twice, and "00:05" may be on any day a recording
 * covers.  So readings are compared with readings: when_reading() turns a
 * frame's wall_ns into what a clock on the wall showed then, in ns on the
 * reading's own scale (its local broken-down time read as if it were UTC),
 * and src/record/timesel.c does the matching on the recording's own timeline. */
#ifndef STORMTOP_WHEN_H
#define STORMTOP_WHEN_H

#include <stddef.h>
#include <stdint.h>

#define WHEN_DAY_NS (86400LL * 1000000000LL)

/* A typed time: a local wall-clock reading, with or without a date. */
struct when {
	int has_date;
	int y, mo, d;          /* the date, when has_date */
	int h, mi, s;          /* the time of day */
};

/* "hh:mm[:ss]" or "YYYY-mm-dd hh:mm[:ss]" (also with a 'T'); 0, or -1. */
int when_parse(const char *s, struct when *w);
/* a + b, held at INT64_MIN/MAX instead of overflowing (extreme times). */
int64_t when_add(int64_t a, int64_t b);
/* w on its own date as a reading (has_date), or at midnight reading `day`. */
int64_t when_at(const struct when *w, int64_t day);

/* The local reading of an instant (ns since the epoch, TZ's rules):
 * wall_ns plus the UTC offset in effect then. */
int64_t when_reading(int64_t wall_ns);
/* After setenv("TZ") and tzset(): forget the offsets when_reading keeps. */
void when_tz_changed(void);
/* The midnight reading of the day a reading is on. */
int64_t when_day(int64_t reading);

/* "YYYY-mm-dd hh:mm:ss" local (sep ' '), or ISO 8601 with milliseconds
 * and the UTC offset in effect, "YYYY-mm-ddThh:mm:ss.mmm+hh:mm" (sep 'T'). */
void when_format(int64_t ns, char sep, char *buf, size_t n);
/* A reading as "YYYY-mm-dd hh:mm:ss" (sep ' ') or "hh:mm:ss.mmm" (sep 't'). */
void when_format_reading(int64_t reading, char sep, char *buf, size_t n);

#endif
