/* SPDX-License-Identifier: GPL-2.0-only */
/* The terminal itself: raw mode and the alternate screen, its size and
 * colour depth, reading key bytes and writing what termout rendered. */
#ifndef STORMTOP_TTY_H
#define STORMTOP_TTY_H

#include <stddef.h>
#include <termios.h>

#include "ui/termout.h"

struct tty {
	int in, out;
	struct termios saved;
	int raw;
	int utf8;
	struct termout out_state;
	char inbuf[256];
	size_t inlen;
};

/* 0, or -1 with why in err (not a terminal, cannot set raw mode). */
int tty_open(struct tty *t, int no_color, char *err, size_t errlen);
void tty_close(struct tty *t);
/* The window size; 0 when the terminal cannot say. */
int tty_size(const struct tty *t, int *w, int *h);
/* Sends s (only what changed).  0, or -1 on a write error. */
int tty_draw(struct tty *t, const struct screen *s);
/* Reads what input is pending into t->inbuf without blocking: 1 when
 * some came, 0 when none, -1 on a read error. */
int tty_read(struct tty *t);
/* Whether SIGWINCH arrived since the last call. */
int tty_resized(void);

#endif
