// SPDX-License-Identifier: GPL-2.0-only
#include "collectors/tpformat.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/regfile.h"

/* The declared name in "type name;" or "type name[16];" ending at end. */
static int decl_names(const char *decl, const char *end, const char *name)
{
	const char *p = end, *start;
	size_t n = strlen(name);

	while (p > decl && p[-1] == ']') /* an array: skip its size */
		while (p > decl && *--p != '[')
			;
	start = p;
	while (start > decl && (isalnum((unsigned char)start[-1]) || start[-1] == '_'))
		start--;
	return (size_t)(p - start) == n && strncmp(start, name, n) == 0 && start > decl &&
	       isspace((unsigned char)start[-1]);
}

/* The number after key in [p, end): 0, or -1. */
static int number_after(const char *p, const char *end, const char *key, uint32_t *out)
{
	const char *k = strstr(p, key);
	char *stop;
	unsigned long v;

	if (!k || k >= end || !isdigit((unsigned char)k[strlen(key)]))
		return -1;
	v = strtoul(k + strlen(key), &stop, 10);
	if (stop > end || *stop != ';' || v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int tpformat_field(const char *text, const char *name, struct tp_field *out)
{
	for (const char *line = text; line && *line;) {
		const char *eol = strchr(line, '\n'), *end = eol ? eol : line + strlen(line);
		const char *decl = strstr(line, "field:"), *semi;

		if (decl && decl < end && (semi = memchr(decl, ';', (size_t)(end - decl))) &&
		    decl_names(decl + 6, semi, name)) {
			if (number_after(semi, end, "offset:", &out->offset) < 0 ||
			    number_after(semi, end, "size:", &out->size) < 0)
				return -EINVAL;
			return 0;
		}
		line = eol ? eol + 1 : NULL;
	}
	return -ENOENT;
}

int tpformat_read(const char *root, const char *group, const char *event, char *buf, size_t len,
		  char *path, size_t plen)
{
	static const char *const mounts[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };
	int first = -ENOENT;

	for (size_t i = 0; i < sizeof(mounts) / sizeof(mounts[0]); i++) {
		char p[512];
		ssize_t n = 0;
		int fd;

		snprintf(p, sizeof(p), "%s%s/events/%s/%s/format", root, mounts[i], group, event);
		if (i == 0)
			snprintf(path, plen, "%s", p);
		if ((fd = regfile_open(p, NULL)) < 0) {
			first = i == 0 ? -errno : first;
			continue;
		}
		size_t got = 0;

		/* tracefs hands a seq_file over in pieces */
		while (got + 1 < len && (n = read(fd, buf + got, len - 1 - got)) > 0)
			got += (size_t)n;
		first = n < 0 ? -errno : first;
		close(fd);
		if (n >= 0) {
			buf[got] = '\0';
			return (int)got;
		}
	}
	return first;
}
