#include "when.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* Whole seconds and the ns after them, rounded down: -1 ns is the last
 * ns of the second before the epoch, not a negative fraction of it. */
static time_t seconds_of(int64_t ns, int *frac)
{
	int64_t s = ns / 1000000000, r = ns % 1000000000;

	if (r < 0) {
		s--;
		r += 1000000000;
	}
	*frac = (int)r;
	return (time_t)s;
}

int when_parse(const char *s, int64_t day_ns, int64_t *out)
{
	struct tm tm;
	int frac, y, mo, d, h, mi, sec = 0, n = 0;
	time_t day = seconds_of(day_ns, &frac), t;
	int64_t ns;

	if (!localtime_r(&day, &tm))
		return -1;
	if (sscanf(s, "%d-%d-%d %d:%d%n", &y, &mo, &d, &h, &mi, &n) == 5) {
		/* tm_year = y - 1900 must not overflow; mktime does the rest */
		if (y < 1 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31)
			return -1;
		tm.tm_year = y - 1900;
		tm.tm_mon = mo - 1;
		tm.tm_mday = d;
	} else if (sscanf(s, "%d:%d%n", &h, &mi, &n) != 2) {
		return -1;
	}
	if (s[n] == ':' && sscanf(s + n, ":%d%n", &sec, &(int){ 0 }) == 1)
		n += (int)strspn(s + n + 1, "0123456789") + 1;
	if (s[n] || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60)
		return -1;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	tm.tm_isdst = -1;
	if ((t = mktime(&tm)) == (time_t)-1 || __builtin_mul_overflow((int64_t)t, 1000000000, &ns))
		return -1; /* past what int64 ns hold: years 1678 to 2262 */
	*out = ns;
	return 0;
}

void when_format(int64_t ns, char sep, char *buf, size_t n)
{
	int frac;
	time_t t = seconds_of(ns, &frac);
	struct tm tm;
	char day[32];

	if (!localtime_r(&t, &tm))
		memset(&tm, 0, sizeof(tm));
	strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	if (sep == 'T')
		snprintf(buf, n, "%sT%02d:%02d:%02d.%03d", day, tm.tm_hour, tm.tm_min, tm.tm_sec, frac / 1000000);
	else
		snprintf(buf, n, "%s %02d:%02d:%02d", day, tm.tm_hour, tm.tm_min, tm.tm_sec);
}
