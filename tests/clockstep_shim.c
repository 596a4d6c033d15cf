// SPDX-License-Identifier: GPL-2.0-only
/* LD_PRELOAD shim for tests/timesel_test.sh: steps CLOCK_REALTIME (only)
 * by CLOCKSTEP_NS once CLOCKSTEP_AT seconds of CLOCK_MONOTONIC have passed
 * since the first reading, as an NTP step or a forward jump would; the
 * monotonic clock, and so every interval, is left alone.  Built by the
 * test (cc -shared); used on ./stormtop, not the ASan build. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long long first = -1;

static long long ns(clockid_t id, struct timespec *ts)
{
	syscall(SYS_clock_gettime, id, ts);
	return ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

int clock_gettime(clockid_t id, struct timespec *ts)
{
	struct timespec m;
	long long wall, mono;
	const char *at = getenv("CLOCKSTEP_AT"), *step = getenv("CLOCKSTEP_NS");

	if (id != CLOCK_REALTIME)
		return (int)syscall(SYS_clock_gettime, id, ts);
	wall = ns(id, ts);
	mono = ns(CLOCK_MONOTONIC, &m);
	if (first < 0)
		first = mono;
	if (at && step && mono - first >= (long long)(atof(at) * 1e9)) {
		wall += atoll(step);
		ts->tv_sec = wall / 1000000000LL;
		ts->tv_nsec = wall % 1000000000LL;
	}
	return 0;
}

time_t time(time_t *t)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	if (t)
		*t = ts.tv_sec;
	return ts.tv_sec;
}
