/* SPDX-License-Identifier: GPL-2.0-only */
/* -b: frames as tab-separated lines, one per CPU per tick (like top -b).
 * A figure the frame does not have (its signal, line or source missing,
 * or the CPU offline or fresh) prints as "-", never as 0. */
#ifndef STORMTOP_BATCH_H
#define STORMTOP_BATCH_H

#include <stdint.h>
#include <stdio.h>

#include "core/frame.h"

void batch_header(FILE *out);
/* One line per source that is not working, and why (for stderr). */
void batch_sources(FILE *out, const struct frame *f);
/* One line: the CPUs (members of the possible set) and NUMA nodes, each
 * with its CPUs or "memory only" and its memory. */
void batch_topology(FILE *out, const struct frame *f);
/* One line per reason naming the columns it leaves without data, when
 * that set differs from said[0..BATCH_MAX_COLS) (zeroed at start), which
 * it then updates (field_say_missing). */
#define BATCH_MAX_COLS 64
void batch_missing(FILE *out, const struct frame *f, uint8_t *said);
/* One line per possible CPU (mask: only those set). */
void batch_frame(FILE *out, const struct frame *f, const uint8_t *mask);

#endif
