// SPDX-License-Identifier: GPL-2.0-only
#include "collectors/psi.h"

#include <stdio.h>
#include <string.h>

static int parse_row(const char *line, float *avg10, uint64_t *total)
{
	float a60, a300;
	unsigned long long t;

	if (sscanf(line, "%*s avg10=%f avg60=%f avg300=%f total=%llu", avg10, &a60, &a300, &t) != 4)
		return -1;
	*total = t;
	return 0;
}

int psi_parse(const char *text, size_t len, struct psi_reading *r, char *err, size_t errlen)
{
	const char *p = text, *end = text + len;
	int have_some = 0;

	memset(r, 0, sizeof(*r));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		int rc = 0;

		if (strncmp(p, "some ", 5) == 0) {
			rc = parse_row(p, &r->some_avg10, &r->some_total_us);
			have_some = rc == 0;
		} else if (strncmp(p, "full ", 5) == 0) {
			rc = parse_row(p, &r->full_avg10, &r->full_total_us);
			r->has_full = rc == 0;
		}
		if (rc < 0) {
			snprintf(err, errlen, "malformed pressure line");
			return -1;
		}
		p = nl ? nl + 1 : end;
	}
	if (!have_some) {
		snprintf(err, errlen, "no 'some' line");
		return -1;
	}
	return 0;
}
