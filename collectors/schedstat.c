// SPDX-License-Identifier: GPL-2.0-only
#include "collectors/schedstat.h"
#include "util/mem.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCHED_MAX_FIELDS 16

int sched_snapshot_init(struct sched_snapshot *s, uint32_t ncpu)
{
	*s = (struct sched_snapshot){ .ncpu = ncpu };
	s->online = mem_zalloc(ncpu, 1);
	s->run_ns = mem_zalloc(ncpu, sizeof(uint64_t));
	s->delay_ns = mem_zalloc(ncpu, sizeof(uint64_t));
	s->slices = mem_zalloc(ncpu, sizeof(uint64_t));
	if (s->online && s->run_ns && s->delay_ns && s->slices)
		return 0;
	sched_snapshot_free(s);
	return -1;
}

void sched_snapshot_free(struct sched_snapshot *s)
{
	free(s->online);
	free(s->run_ns);
	free(s->delay_ns);
	free(s->slices);
	*s = (struct sched_snapshot){0};
}

/* Reads the numbers after "cpuN" into f; returns how many, or -1. */
static int read_fields(const char *p, const char *end, uint64_t *f)
{
	int n = 0;

	while (p < end) {
		char *next;

		while (p < end && *p == ' ')
			p++;
		if (p >= end)
			break;
		if (!isdigit((unsigned char)*p) || n == SCHED_MAX_FIELDS)
			return -1;
		f[n++] = strtoull(p, &next, 10);
		if (next > end || (next < end && *next != ' '))
			return -1;
		p = next;
	}
	return n;
}

static int parse_cpu_line(const char *p, const char *end, unsigned no,
			  struct sched_snapshot *s, char *err, size_t errlen)
{
	uint64_t f[SCHED_MAX_FIELDS];
	char *after;
	unsigned long cpu = strtoul(p + 3, &after, 10);
	int n;

	if (after == p + 3 || after > end || cpu >= s->ncpu) {
		snprintf(err, errlen, "line %u: bad or out-of-range cpu id", no);
		return -1;
	}
	n = read_fields(after, end, f);
	if (n < 3) {
		snprintf(err, errlen, "line %u: cpu%lu has %d fields, need at least 3", no, cpu,
			 n < 0 ? 0 : n);
		return -1;
	}
	s->online[cpu] = 1;
	s->run_ns[cpu] = f[n - 3];
	s->delay_ns[cpu] = f[n - 2];
	s->slices[cpu] = f[n - 1];
	return 0;
}

int schedstat_parse(const char *text, size_t len, struct sched_snapshot *s,
		    char *err, size_t errlen)
{
	const char *p = text, *end = text + len;
	unsigned no = 0;

	memset(s->online, 0, s->ncpu);
	s->version = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;

		no++;
		if (strncmp(p, "version ", 8) == 0)
			s->version = atoi(p + 8);
		else if (le - p > 3 && strncmp(p, "cpu", 3) == 0 &&
			 parse_cpu_line(p, le, no, s, err, errlen) < 0)
			return -1;
		p = nl ? nl + 1 : end;
	}
	if (s->version == 0) {
		snprintf(err, errlen, "no 'version' line: not a schedstat file");
		return -1;
	}
	return 0;
}
