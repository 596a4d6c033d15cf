// SPDX-License-Identifier: GPL-2.0-only
#include "collectors/procfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "util/regfile.h"

#define PROCFILE_MIN_CAP 4096
/* /proc/interrupts of 8192 CPUs is some 30 MiB; a file past this is no
 * /proc file (a huge or endless one in a copied tree): EFBIG. */
#define PROCFILE_MAX_CAP (64u << 20)

static int grow(struct procfile *pf)
{
	size_t cap = pf->cap ? pf->cap * 2 : PROCFILE_MIN_CAP;
	char *b;

	if (cap > PROCFILE_MAX_CAP)
		return -EFBIG;
	if (!(b = realloc(pf->buf, cap)))
		return -ENOMEM;
	pf->buf = b;
	pf->cap = cap;
	return 0;
}

int procfile_open(struct procfile *pf, const char *path)
{
	int rc;

	const char *kind;

	*pf = (struct procfile){ .fd = -1 };
	pf->fd = regfile_open(path, &kind);
	if (pf->fd < 0) {
		rc = -errno;
		pf->kind = kind;
		return rc;
	}
	rc = procfile_read(pf);
	if (rc < 0) {
		procfile_close(pf);
		return rc;
	}
	/* Headroom so counters growing a digit never force a realloc later. */
	while (pf->cap < pf->len * 2 + PROCFILE_MIN_CAP)
		if (grow(pf) < 0)
			break;
	return 0;
}

int procfile_read(struct procfile *pf)
{
	size_t off = 0;

	for (;;) {
		ssize_t n;

		int rc;

		if (off + 1 >= pf->cap && (rc = grow(pf)) < 0)
			return rc;
		n = pread(pf->fd, pf->buf + off, pf->cap - off - 1, (off_t)off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;
		off += (size_t)n;
	}
	pf->len = off;
	pf->buf[off] = '\0';
	return 0;
}

void procfile_close(struct procfile *pf)
{
	if (pf->fd >= 0)
		close(pf->fd);
	free(pf->buf);
	*pf = (struct procfile){ .fd = -1 };
}
