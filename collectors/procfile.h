/* SPDX-License-Identifier: GPL-2.0-only */
/* A /proc or /sys file opened once and re-read in place with pread, so a
 * steady-state tick costs one syscall per file and no allocation. */
#ifndef STORMTOP_PROCFILE_H
#define STORMTOP_PROCFILE_H

#include <stddef.h>

struct procfile {
	int fd;
	char *buf;
	size_t cap;
	size_t len;
	const char *kind;  /* after procfile_open failed with -REGFILE_NOT_REGULAR: what path is */
};

/* Opens path and sizes the buffer for its current contents with headroom.
 * Returns 0, or -errno (the file may simply not exist on this kernel;
 * -REGFILE_NOT_REGULAR for a FIFO or a device, said in pf->kind;
 * -EFBIG past 64 MiB). */
int procfile_open(struct procfile *pf, const char *path);

/* Reads the whole file again.  The buffer grows only if the file outgrew
 * it (a hotplugged device adding interrupt lines), never per tick.
 * Returns 0 or -errno (-EFBIG past 64 MiB); buf is NUL-terminated at len. */
int procfile_read(struct procfile *pf);
void procfile_close(struct procfile *pf);

#endif
