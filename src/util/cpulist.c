// SPDX-License-Identifier: GPL-2.0-only
#include "util/cpulist.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static int read_id(const char **p, unsigned long *out)
{
	const char *s = *p;
	unsigned long v = 0;

	if (!isdigit((unsigned char)*s))
		return -1;
	while (isdigit((unsigned char)*s)) {
		v = v * 10 + (unsigned long)(*s++ - '0');
		if (v > 1000000)
			return -1;
	}
	*p = s;
	*out = v;
	return 0;
}

/* Walks the list, calling mark() for each range; shared by parse and span. */
static int walk(const char *s, int (*mark)(unsigned long lo, unsigned long hi, void *ctx),
		void *ctx, char *err, size_t errlen)
{
	const char *p = s;
	int named = 0;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p || *p == '\n') {
		snprintf(err, errlen, "empty CPU list");
		return -1;
	}
	for (;;) {
		unsigned long lo, hi;

		if (read_id(&p, &lo) < 0)
			goto bad;
		hi = lo;
		if (*p == '-') {
			p++;
			if (read_id(&p, &hi) < 0 || hi < lo)
				goto bad;
		}
		if (mark(lo, hi, ctx) < 0) {
			snprintf(err, errlen, "CPU %lu in '%s' is beyond the last CPU", hi, s);
			return -2;
		}
		named += (int)(hi - lo + 1);
		if (*p == ',') {
			p++;
			continue;
		}
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (*p)
			goto bad;
		return named;
	}
bad:
	snprintf(err, errlen, "bad CPU list '%s' (expected e.g. 0-3,8)", s);
	return -1;
}

struct mask_ctx {
	uint8_t *mask;
	uint32_t n;
};

static int mark_mask(unsigned long lo, unsigned long hi, void *ctx)
{
	struct mask_ctx *m = ctx;

	if (hi >= m->n)
		return -1;
	for (unsigned long i = lo; i <= hi; i++)
		m->mask[i] = 1;
	return 0;
}

int cpulist_parse(const char *s, uint8_t *mask, uint32_t n, char *err, size_t errlen)
{
	struct mask_ctx m = { mask, n };
	int rc = walk(s, mark_mask, &m, err, errlen);

	/* which CPUs there are: this host's live, a recording's in playback */
	if (rc == -2 && errlen && strlen(err) + 1 < errlen)
		snprintf(err + strlen(err), errlen - strlen(err), " (%u CPUs: 0-%u)", n, n ? n - 1 : 0);
	return rc < 0 ? -1 : rc;
}

static int mark_span(unsigned long lo, unsigned long hi, void *ctx)
{
	uint32_t *span = ctx;

	(void)lo;
	if (hi + 1 > *span)
		*span = (uint32_t)(hi + 1);
	return 0;
}

uint32_t cpulist_span(const char *s)
{
	uint32_t span = 0;
	char err[128];

	if (walk(s, mark_span, &span, err, sizeof(err)) < 0)
		return 0;
	return span;
}

int cpulist_format(const uint8_t *mask, uint32_t n, char *buf, size_t len)
{
	size_t at = 0;
	int count = 0;

	buf[0] = '\0';
	for (uint32_t i = 0; i < n; i++) {
		uint32_t j = i;

		if (!mask[i])
			continue;
		while (j + 1 < n && mask[j + 1])
			j++;
		if (at < len)
			at += (size_t)snprintf(buf + at, len - at, j > i ? "%s%u-%u" : "%s%u", at ? "," : "", i, j);
		count += (int)(j - i + 1);
		i = j;
	}
	if (at >= len && len > 4) /* cut: say so rather than end on half a number */
		memcpy(buf + len - 4, "...", 4);
	return count;
}
