/* SPDX-License-Identifier: GPL-2.0-only */
/* Checked arithmetic on nanosecond times and durations read from files
 * (recordings, typed --from/--to and "go to" times): a file may hold any
 * int64, and signed overflow is undefined, so every sum, difference and
 * scaling of such a value goes through here and saturates at INT64_MIN or
 * INT64_MAX instead.  Users: the player (gaps, jumps), drill (flaps, WATCH
 * lead), the regime ladder (dwell, cooldown), when.c (typed times) and the
 * drill's window. */
#ifndef STORMTOP_NSTIME_H
#define STORMTOP_NSTIME_H

#include <math.h>
#include <stdint.h>

/* a + b, saturated. */
static inline int64_t ns_add(int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_add_overflow(a, b, &r))
		return b > 0 ? INT64_MAX : INT64_MIN;
	return r;
}

/* a - b, saturated. */
static inline int64_t ns_sub(int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_sub_overflow(a, b, &r))
		return b < 0 ? INT64_MAX : INT64_MIN;
	return r;
}

/* a * b, saturated. */
static inline int64_t ns_mul(int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_mul_overflow(a, b, &r))
		return (a < 0) != (b < 0) ? INT64_MIN : INT64_MAX;
	return r;
}

/* A double (ns) as int64 ns: NaN is 0, the rest clamped to the range
 * (converting an out-of-range double is undefined). */
static inline int64_t ns_from_double(double v)
{
	if (isnan(v))
		return 0;
	if (v >= 9223372036854775807.0)
		return INT64_MAX;
	if (v <= -9223372036854775808.0)
		return INT64_MIN;
	return (int64_t)v;
}

/* (a - b) in seconds; exact to the ns below 2^53 ns (104 days). */
static inline double ns_diff_s(int64_t a, int64_t b)
{
	return (double)ns_sub(a, b) / 1e9;
}

#endif
