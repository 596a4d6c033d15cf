#include "inifile.h"

#include <errno.h>
#include <ini.h>
#include <string.h>

#include "text.h"

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
};

static void complain(struct load *l, int line, const char *why)
{
	if (l->report)
		text_say(l->report, "%s:%d: %s", l->path, line, why);
	if (l->first && !l->bad)
		snprintf(l->first, l->firstlen, "%s:%d: %s", l->path, line, why);
	l->bad++;
}

/* inih reads a line in one buffer of `size` bytes; the rest of a longer
 * line would come back as a line of its own (a long comment could end in
 * "interval = 0.3").  Such a line is refused whole, named, and skipped. */
static char *read_line(char *buf, int size, void *stream)
{
	struct load *l = stream;
	char *s = fgets(buf, size, l->f), why[64];
	size_t n = s ? strlen(s) : 0;
	int c;

	if (!s)
		return NULL;
	l->line++;
	if (n + 1 < (size_t)size || s[n - 1] == '\n' || (c = getc(l->f)) == EOF || c == '\n')
		return s;
	while ((c = getc(l->f)) != EOF && c != '\n')
		;
	snprintf(why, sizeof(why), "longer than %d bytes: skipped whole", size - 1);
	complain(l, l->line, why);
	s[0] = '\0';
	return s;
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
	struct load l = { .path = path, .f = fopen(path, "re"), .report = report, .fn = fn,
			  .user = user, .first = first, .firstlen = firstlen };
	int rc;

	if (!l.f)
		return -1;
	rc = ini_parse_stream(read_line, &l, on_pair, &l);
	fclose(l.f);
	if (rc > 0) /* inih's own syntax errors: a line without '=' */
		complain(&l, rc, "not key = value");
	return l.bad;
}
