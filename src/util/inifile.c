// SPDX-License-Identifier: GPL-2.0-only
#include "util/inifile.h"

#include <errno.h>
#include <ini.h>
#include <stdlib.h>
#include <string.h>

#include "util/regfile.h"
#include "util/text.h"

/* Debian's inih hands no line numbers to the handler, so the reader
 * counts them: the handler runs right after its line was read. */
struct load {
	const char *path;
	FILE *f, *report;
	inifile_pair_fn fn;
	void *user;
	char *first;
	size_t firstlen;
	int line, bad;
	char *whole;           /* the line as read, however long (getline) */
	size_t whole_cap;
};

static void complain(struct load *l, int line, const char *why)
{
	if (l->report)
		text_say(l->report, "%s:%d: %s", l->path, line, why);
	if (l->first && !l->bad)
		snprintf(l->first, l->firstlen, "%s:%d: %s", l->path, line, why);
	l->bad++;
}

static int is_comment(const char *s)
{
	s += strspn(s, " \t");
	return *s == '#' || *s == ';';
}

/* inih reads into a fixed 200-byte buffer and would take the rest of a
 * longer line for a line of its own (a comment's tail became a setting).
 * So each line is read whole here: a comment, however long, is nothing;
 * a line that does not fit inih's buffer, or holds a NUL byte, is an
 * error naming it, and inih gets an empty line in its place. */
static char *read_line(char *buf, int size, void *stream)
{
	struct load *l = stream;
	ssize_t n = getline(&l->whole, &l->whole_cap, l->f);
	char why[80];

	if (n < 0)
		return NULL;
	l->line++;
	while (n > 0 && (l->whole[n - 1] == '\n' || l->whole[n - 1] == '\r'))
		l->whole[--n] = '\0';
	buf[0] = '\0';
	if (memchr(l->whole, '\0', (size_t)n)) {
		complain(l, l->line, "a NUL byte in the line: not read");
	} else if (is_comment(l->whole)) {
		return buf;
	} else if (n >= size) {
		snprintf(why, sizeof(why), "line of %zd bytes, longer than %d: not read", n, size - 1);
		complain(l, l->line, why);
	} else {
		memcpy(buf, l->whole, (size_t)n + 1);
	}
	return buf;
}

static int on_pair(void *user, const char *section, const char *name, const char *value)
{
	struct load *l = user;
	char err[200], unq[256];
	size_t n = strlen(value);

	(void)section;
	if (n >= 2 && value[0] == '"' && value[n - 1] == '"' && n - 2 < sizeof(unq)) {
		memcpy(unq, value + 1, n - 2);
		unq[n - 2] = '\0';
		value = unq;
	}
	if (l->fn(l->user, name, value, err, sizeof(err)) < 0)
		complain(l, l->line, err);
	return 1; /* keep going: the rest still loads */
}

int inifile_load(const char *path, inifile_pair_fn fn, void *user, FILE *report, char *first,
		 size_t firstlen)
{
	struct load l = { .path = path, .f = regfile_fopen(path, NULL), .report = report, .fn = fn,
			  .user = user, .first = first, .firstlen = firstlen };
	int rc;

	if (!l.f)
		return -1;
	rc = ini_parse_stream(read_line, &l, on_pair, &l);
	fclose(l.f);
	free(l.whole);
	if (rc > 0) /* inih's own syntax errors: a line without '=' */
		complain(&l, rc, "not key = value");
	return l.bad;
}
