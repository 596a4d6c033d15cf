/* SPDX-License-Identifier: GPL-2.0-only */
/* key = value files (inih) with line numbers in every complaint: the
 * config file and the themes.  A bad line is reported and skipped; the
 * rest still loads. */
#ifndef STORMTOP_INIFILE_H
#define STORMTOP_INIFILE_H

#include <stddef.h>
#include <stdio.h>

/* One pair, the value without surrounding double quotes: 0, or -1 with
 * why in err. */
typedef int (*inifile_pair_fn)(void *user, const char *key, const char *value, char *err,
			       size_t len);

/* Loads path.  Returns the number of bad lines, each said as
 * "PATH:LINE: reason" on report (when not NULL) and the first kept in
 * first (when not NULL); -1 when it cannot be read (errno says why;
 * REGFILE_NOT_REGULAR: a FIFO, a device, a directory, never read). */
int inifile_load(const char *path, inifile_pair_fn fn, void *user, FILE *report, char *first,
		 size_t firstlen);

#endif
