/* SPDX-License-Identifier: GPL-2.0-only */
/* Turns a screen into terminal bytes by diff: only cells that changed
 * since the last frame are sent, with the fewest cursor moves and colour
 * changes, at the colour depth the terminal has.  No I/O here: tty.c
 * writes the bytes, the bench and the tests read them. */
#ifndef STORMTOP_TERMOUT_H
#define STORMTOP_TERMOUT_H

#include <stddef.h>

#include "ui/screen.h"

enum color_depth {
	DEPTH_NONE,     /* NO_COLOR, --no-color, or a terminal without colours */
	DEPTH_16,
	DEPTH_256,
	DEPTH_TRUE,     /* 24-bit */
};

struct termout {
	enum color_depth depth;
	struct cell *prev;  /* what the terminal shows */
	size_t prev_cap;
	int w, h;
	int valid;          /* 0: the terminal's content is unknown, repaint all */
	char *buf;
	size_t buf_cap, len;
	struct cell pen;    /* the terminal's current colours and attributes */
	int cy, cx;         /* its cursor, -1 when unknown */
};

void termout_init(struct termout *o, enum color_depth depth);
void termout_free(struct termout *o);
/* The next render repaints everything (after a resize or a prompt). */
void termout_invalidate(struct termout *o);
/* Fills o->buf (o->len bytes) with what turns the terminal's content into
 * s.  0, or -1 when out of memory (only on a size change). */
int termout_render(struct termout *o, const struct screen *s);
/* The nearest xterm-256 and basic-16 colours of an RGB value. */
int rgb_to_256(uint32_t rgb);
int rgb_to_16(uint32_t rgb);

#endif
