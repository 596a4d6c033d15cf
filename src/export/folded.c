// SPDX-License-Identifier: GPL-2.0-only
#include "export/folded.h"

#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

int folded_init(struct folded *fo, size_t cap)
{
	memset(fo, 0, sizeof(*fo));
	fo->stack = mem_zalloc(cap, sizeof(*fo->stack));
	fo->cap = fo->stack ? cap : 0;
	return fo->stack ? 0 : -1;
}

void folded_free(struct folded *fo)
{
	free(fo->stack);
	memset(fo, 0, sizeof(*fo));
}

/* The kept name of pid, or NULL. */
static const char *name_of(const struct folded *fo, int32_t pid)
{
	for (size_t i = 0; i < fo->nnames; i++)
		if (fo->name[i].pid == pid)
			return fo->name[i].comm;
	return NULL;
}

void folded_name(struct folded *fo, int32_t pid, const char *comm)
{
	size_t i = 0;

	while (i < fo->nnames && fo->name[i].pid != pid)
		i++;
	if (i == FOLDED_NAMES) /* full: the oldest goes */
		memmove(&fo->name[0], &fo->name[1], sizeof(fo->name[0]) * --i);
	else if (i == fo->nnames)
		fo->nnames++;
	fo->name[i].pid = pid;
	snprintf(fo->name[i].comm, sizeof(fo->name[i].comm), "%s", comm);
}

/* Appends one name of n bytes at *at, each byte that would break the
 * line (not printable ASCII, a space, and ';' unless sep_ok) as '_'. */
static void put_name(char *line, size_t *at, const char *s, size_t n, int sep_ok)
{
	for (size_t i = 0; i < n && *at + 1 < FOLDED_LINE; i++) {
		unsigned char c = (unsigned char)s[i];

		line[(*at)++] = c > ' ' && c < 0x7f && (c != ';' || sep_ok) ? (char)c : '_';
	}
	line[*at] = '\0';
}

static void put_sep(char *line, size_t *at)
{
	if (*at + 1 < FOLDED_LINE)
		line[(*at)++] = ';';
	line[*at] = '\0';
}

/* Each non-empty frame of path (';'-separated, outermost first) after
 * a ';', with suffix; the last frame's start and length in *last. */
static void put_path(char *line, size_t *at, const char *path, size_t cap, const char *suffix,
		     const char **last, size_t *last_n)
{
	const char *p = path, *end = path + strnlen(path, cap);

	while (p < end) {
		const char *semi = memchr(p, ';', (size_t)(end - p));
		size_t n = semi ? (size_t)(semi - p) : (size_t)(end - p);

		if (n) {
			put_sep(line, at);
			put_name(line, at, p, n, 0);
			put_name(line, at, suffix, strlen(suffix), 1);
			*last = p;
			*last_n = n;
		}
		p += n + 1;
	}
}

/* The site's line: COMM;UPATH;KPATH_[k] (folded.h).  The caller is not
 * added: the sampler already put it under the libc wrapper in upath,
 * where it belongs in call order. */
static void site_line(char *line, const char *comm, const struct frame_site *s)
{
	const char *last = NULL, *kl = NULL;
	size_t at = 0, last_n = 0, kn = 0;

	line[0] = '\0';
	put_name(line, &at, comm, strlen(comm), 0);
	put_path(line, &at, s->upath, sizeof(s->upath), "", &last, &last_n);
	put_path(line, &at, s->kpath, sizeof(s->kpath), "_[k]", &kl, &kn);
}

static void add_line(struct folded *fo, const char *line, uint64_t count)
{
	size_t i;

	if (!count)
		return;
	for (i = 0; i < fo->n; i++)
		if (strcmp(fo->stack[i].text, line) == 0)
			break;
	if (i == fo->n) {
		if (fo->n == fo->cap) {
			fo->dropped += count;
			return;
		}
		snprintf(fo->stack[fo->n++].text, FOLDED_LINE, "%s", line);
	}
	fo->stack[i].count += count;
}

/* The frame's name for pid: its process list's, else the kept one, else
 * "pid-N"; a list's name is kept for the frames that lack it. */
static const char *comm_of(struct folded *fo, const struct frame *f, int32_t pid, char *buf, size_t n)
{
	const char *kept;

	for (uint32_t i = 0; i < f->procs.n && i < FRAME_TOP_PROCS; i++)
		if (f->procs.top[i].tgid == pid && f->procs.top[i].comm[0]) {
			snprintf(buf, n, "%.*s", FRAME_COMM_LEN - 1, f->procs.top[i].comm);
			if (!(kept = name_of(fo, pid)) || strcmp(kept, buf))
				folded_name(fo, pid, buf);
			return buf;
		}
	if ((kept = name_of(fo, pid)))
		return kept;
	snprintf(buf, n, "pid-%d", (int)pid);
	return buf;
}

void folded_add(struct folded *fo, const struct frame *f, int32_t pid)
{
	const struct frame_sites *s = &f->sites;
	char comm[FRAME_COMM_LEN + 16], line[FOLDED_LINE];
	const char *name;
	size_t at = 0;

	if (!s->tgid || (pid && s->tgid != pid))
		return;
	fo->frames++;
	name = comm_of(fo, f, s->tgid, comm, sizeof(comm));
	for (uint32_t i = 0; i < s->n && i < FRAME_SITES; i++) {
		site_line(line, name, &s->site[i]);
		add_line(fo, line, s->site[i].events);
	}
	put_name(line, &at, name, strlen(name), 0);
	put_name(line, &at, ";[other]", 8, 1);
	add_line(fo, line, s->other_events);
}

static int by_count(const void *a, const void *b)
{
	const struct folded_stack *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->text, y->text);
}

size_t folded_print(struct folded *fo, FILE *out)
{
	qsort(fo->stack, fo->n, sizeof(*fo->stack), by_count);
	for (size_t i = 0; i < fo->n; i++)
		fprintf(out, "%s %llu\n", fo->stack[i].text, (unsigned long long)fo->stack[i].count);
	return fo->n;
}
