#include "when.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int when_parse(const char *s, int64_t day_ns, int64_t *out)
{
	struct tm tm;
	time_t day = (time_t)(day_ns / 1000000000);
	int y, mo, d, h, mi, sec = 0, n = 0;
	time_t t;

	localtime_r(&day, &tm);
	if (sscanf(s, "%d-%d-%d %d:%d%n", &y, &mo, &d, &h, &mi, &n) == 5) {
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
	if ((t = mktime(&tm)) == (time_t)-1)
		return -1;
	*out = (int64_t)t * 1000000000;
	return 0;
}

void when_format(int64_t ns, char sep, char *buf, size_t n)
{
	time_t t = (time_t)(ns / 1000000000);
	struct tm tm;
	char day[32];

	localtime_r(&t, &tm);
	strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	if (sep == 'T')
		snprintf(buf, n, "%sT%02d:%02d:%02d.%03d", day, tm.tm_hour, tm.tm_min, tm.tm_sec,
			 (int)(ns % 1000000000 / 1000000));
	else
		snprintf(buf, n, "%s %02d:%02d:%02d", day, tm.tm_hour, tm.tm_min, tm.tm_sec);
}
