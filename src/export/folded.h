/* SPDX-License-Identifier: GPL-2.0-only */
/* Folded stacks from frames' call sites (frame.sites), for `stormtop
 * stacks`: the text flamegraph.pl and inferno read, one line a stack,
 *   COMM;UPATH frames;KPATH frames COUNT
 * frames separated by ';' outermost first, each kernel frame suffixed
 * "_[k]" (their kernel annotation), a space, then the integer count: the
 * site's events summed over the frames added (sampled count x period,
 * an estimate).  The user path already holds the libc wrapper's caller
 * (the sampler puts it under the wrapper).  Identical stacks are one
 * line.  The events of the sites a frame did not keep go to
 * "COMM;[other]".
 * A name is untrusted: in COMM and in each frame every byte outside
 * printable ASCII, a space and (inside one name) ';' become '_', so a
 * line always parses; empty frames are left out.
 * The table is allocated once (folded_init); adding allocates nothing. */
#ifndef STORMTOP_FOLDED_H
#define STORMTOP_FOLDED_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/frame.h"

/* The longest line: comm, both paths with "_[k]" on every kernel frame,
 * the separators. */
#define FOLDED_LINE (FRAME_COMM_LEN + FRAME_SITE_PATH + 3 * FRAME_SITE_PATH + 8)
#define FOLDED_NAMES 64   /* pids whose comm is kept */

struct folded_stack {
	uint64_t count;
	char text[FOLDED_LINE];
};

struct folded {
	struct folded_stack *stack;
	size_t n, cap;
	uint64_t dropped;          /* events of stacks past cap: said by folded_print */
	uint64_t frames;           /* frames that had the sampler on for the pid asked */
	struct { int32_t pid; char comm[FRAME_COMM_LEN]; } name[FOLDED_NAMES];
	size_t nnames;
};

/* Room for cap distinct stacks: 0, or -1 out of memory. */
int folded_init(struct folded *fo, size_t cap);
/* The name pid's stacks start with when a frame's process list does not
 * name it (a live target read from /proc/PID/comm). */
void folded_name(struct folded *fo, int32_t pid, const char *comm);
/* Adds f's sites when the sampler was on and sampled pid (0: any pid). */
void folded_add(struct folded *fo, const struct frame *f, int32_t pid);
/* Every stack with a count, largest first (fo->dropped: events of the
 * stacks past cap, for the caller to say).  Returns the lines written. */
size_t folded_print(struct folded *fo, FILE *out);
void folded_free(struct folded *fo);

#endif
