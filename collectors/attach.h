/* SPDX-License-Identifier: GPL-2.0-only */
/* The attach collector: reads the stormprobe segments of running
 * applications (include/stormtop/probe.h) into the frame's apps, series,
 * app_hist and per-CPU dispatch jitter. */
#ifndef STORMTOP_ATTACH_H
#define STORMTOP_ATTACH_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/frame.h"

struct attach;

/* owner: a uid besides ours and root's allowed to own segments, or -1;
 * late_ns: phase errors from this lateness up count as late (CBR). */
struct attach *attach_open(uid_t owner, uint64_t late_ns);
/* Follows the segment NAME (or a path); the segment need not exist yet.
 * 0, or -1 with a reason (bad name, already attached, FRAME_APPS reached,
 * out of memory). */
int attach_add(struct attach *a, const char *name, char *err, size_t len);
void attach_fill(struct attach *a, struct frame *f);
void attach_close(struct attach *a);

/* Names of the segments in the segment directory, up to max: the count. */
size_t attach_available(char (*names)[FRAME_APP_NAME], size_t max);

#endif
