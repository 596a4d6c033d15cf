/* SPDX-License-Identifier: GPL-2.0-only */
/* A recording's window (--from/--to as dump takes them) read into a
 * summary (src/stages/summary.h): what report and diff start from. */
#ifndef STORMTOP_WINDOW_H
#define STORMTOP_WINDOW_H

#include <stddef.h>
#include <stdint.h>

#include "stages/summary.h"

struct rec_window {
	const char *path;
	struct summary *sum;
	char host[65], kernel[65], version[16]; /* the recording's header: untrusted text */
	uint32_t ncpu;
	size_t damaged;            /* frames in the window that did not decode */
	char note[1024];           /* what --from/--to took, when not plain */
};

/* Reads the frames of path in [from, to] (NULL: open) into w->sum.  0, or
 * an exit status after a one-line error on stderr (not a recording, no
 * frame in the window, too large, out of memory); on an error w->sum is
 * NULL (nothing to free). */
int window_load(struct rec_window *w, const char *path, const char *from, const char *to);
void window_free(struct rec_window *w);

#endif
