/* SPDX-License-Identifier: GPL-2.0-only */
/* Reading /metrics text back in the exporter's tests. */
#ifndef STORMTOP_PROMSAMPLE_H
#define STORMTOP_PROMSAMPLE_H

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The value of the sample whose line starts with `series` then a space;
 * fails the test when there is none. */
static inline double sample(const char *out, const char *series)
{
	size_t n = strlen(series);

	for (const char *p = out; (p = strstr(p, series)); p++)
		if ((p == out || p[-1] == '\n') && p[n] == ' ')
			return strtod(p + n + 1, NULL);
	fail_msg("no sample %s", series);
	return NAN;
}

#endif
