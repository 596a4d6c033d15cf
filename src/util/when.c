// SPDX-License-Identifier: GPL-2.0-only
#include "util/when.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define SEC 1000000000LL

/* Days in month mo (1..12) of year y, proleptic Gregorian. */
static int month_days(int y, int mo)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return days[mo - 1] + (mo == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0));
}

int when_parse(const char *s, struct when *w)
{
	int n = 0, k = 0;

	memset(w, 0, sizeof(*w));
	if (sscanf(s, "%4d-%2d-%2d%n", &w->y, &w->mo, &w->d, &n) == 3 && (s[n] == ' ' || s[n] == 'T')) {
		w->has_date = 1;
		s += n + 1;
	}
	if (sscanf(s, "%2d:%2d%n", &w->h, &w->mi, &k) != 2)
		return -1;
	if (s[k] == ':') {
		int m = 0;

		if (sscanf(s + k, ":%2d%n", &w->s, &m) != 1)
			return -1;
		k += m;
	}
	if (s[k] || w->h < 0 || w->h > 23 || w->mi < 0 || w->mi > 59 || w->s < 0 || w->s > 60)
		return -1;
	/* a day the month lacks (02-30, 04-31) is a typo, not the 1st or 2nd
	 * of the next month that days_from_civil would make of it */
	if (w->has_date && (w->mo < 1 || w->mo > 12 || w->y < 1 || w->d < 1 || w->d > month_days(w->y, w->mo)))
		return -1;
	return 0;
}

int64_t when_add(int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_add_overflow(a, b, &r))
		return b > 0 ? INT64_MAX : INT64_MIN;
	return r;
}

/* The time of day of w, ns after midnight. */
static int64_t when_tod_ns(const struct when *w)
{
	return ((int64_t)w->h * 3600 + w->mi * 60 + w->s) * SEC;
}

/* Seconds since 1970-01-01 of a date on the reading scale (proleptic
 * Gregorian, no zone): Howard Hinnant's days_from_civil. */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int64_t when_at(const struct when *w, int64_t day)
{
	/* past 2262-04-11 a reading does not fit int64 ns: held at the end */
	if (w->has_date && __builtin_mul_overflow(days_from_civil(w->y, w->mo, w->d), WHEN_DAY_NS, &day))
		return w->y > 1970 ? INT64_MAX : INT64_MIN;
	return when_add(day, when_tod_ns(w));
}

/* Whole seconds and the ns after them, rounding down (times before 1970). */
static void split(int64_t ns, time_t *t, int64_t *rem)
{
	*t = (time_t)(ns / SEC);
	*rem = ns % SEC;
	if (*rem < 0) {
		*rem += SEC;
		(*t)--;
	}
}

/* The UTC offset in effect at an instant, seconds; 0 when unknown. */
static long offset_at(int64_t wall_ns)
{
	struct tm tm;
	time_t t;
	int64_t rem;

	split(wall_ns, &t, &rem);
	return localtime_r(&t, &tm) ? tm.tm_gmtoff : 0;
}

/* Offsets change rarely and on a quarter hour: one localtime_r per
 * quarter hour whose two ends agree, instead of one per frame (a day's
 * recording at 1 s is 86400 calls).  Per thread; when_tz_changed()
 * forgets it. */
static __thread int64_t cache_lo = 1, cache_hi, cache_off;

void when_tz_changed(void)
{
	cache_lo = 1;
	cache_hi = 0;
}

int64_t when_reading(int64_t wall_ns)
{
	const int64_t q = 900 * SEC;
	int64_t lo = wall_ns / q * q, r;
	long off;

	if (wall_ns % q < 0)
		lo = lo >= INT64_MIN + q ? lo - q : INT64_MIN;
	if (wall_ns >= cache_lo && wall_ns < cache_hi) {
		off = (long)cache_off;
	} else if (lo <= INT64_MAX - q && (off = offset_at(lo)) == offset_at(lo + q - 1)) {
		cache_lo = lo;
		cache_hi = lo + q;
		cache_off = off;
	} else {
		off = offset_at(wall_ns);
	}
	/* a recording's extreme times (year 2262) must not overflow */
	if (__builtin_add_overflow(wall_ns, (int64_t)off * SEC, &r))
		return off > 0 ? INT64_MAX : INT64_MIN;
	return r;
}

/* Days since 1970 of a reading, rounding down, and the ns into it. */
static int64_t day_index(int64_t reading, int64_t *tod)
{
	int64_t d = reading / WHEN_DAY_NS, t = reading % WHEN_DAY_NS;

	if (t < 0) {
		t += WHEN_DAY_NS;
		d--;
	}
	if (tod)
		*tod = t;
	return d;
}

int64_t when_day(int64_t reading)
{
	int64_t d = day_index(reading, NULL);

	/* the day of INT64_MIN begins before it: the scale's first instant */
	return d < INT64_MIN / WHEN_DAY_NS ? INT64_MIN : d * WHEN_DAY_NS;
}

/* A reading back to its broken-down fields (civil_from_days). */
static void civil(int64_t reading, int *y, int *mo, int *d, int64_t *tod)
{
	int64_t z = day_index(reading, tod) + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097, yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*mo = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*mo <= 2));
}

void when_format_reading(int64_t reading, char sep, char *buf, size_t n)
{
	int y, mo, d;
	int64_t tod, s;

	civil(reading, &y, &mo, &d, &tod);
	s = tod / SEC;
	if (sep == 't')
		snprintf(buf, n, "%02d:%02d:%02d.%03d", (int)(s / 3600), (int)(s / 60 % 60), (int)(s % 60),
			 (int)(tod % SEC / 1000000));
	else
		snprintf(buf, n, "%04d-%02d-%02d %02d:%02d:%02d", y, mo, d, (int)(s / 3600), (int)(s / 60 % 60),
			 (int)(s % 60));
}

void when_format(int64_t ns, char sep, char *buf, size_t n)
{
	struct tm tm;
	time_t t;
	int64_t rem;
	long off;

	split(ns, &t, &rem);
	if (!localtime_r(&t, &tm)) {
		snprintf(buf, n, "%lld", (long long)ns);
		return;
	}
	if (sep != 'T') {
		snprintf(buf, n, "%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			 tm.tm_hour, tm.tm_min, tm.tm_sec);
		return;
	}
	off = tm.tm_gmtoff;
	snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02d.%03d%c%02ld:%02ld", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(rem / 1000000), off < 0 ? '-' : '+',
		 (off < 0 ? -off : off) / 3600, (off < 0 ? -off : off) / 60 % 60);
}
