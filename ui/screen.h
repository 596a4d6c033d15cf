/* SPDX-License-Identifier: GPL-2.0-only */
/* The screen as a grid of cells, independent of any terminal: panels draw
 * into it, termout.c sends the terminal only the cells that changed.  The
 * same grid drives the tests and the bench without a terminal. */
#ifndef STORMTOP_SCREEN_H
#define STORMTOP_SCREEN_H

#include <stddef.h>
#include <stdint.h>

#include "util/text.h"

enum { ATTR_BOLD = 1, ATTR_REVERSE = 2, ATTR_DIM = 4, ATTR_UNDERLINE = 8 };

/* A colour: the terminal's default, a palette index, or 24-bit RGB.  The
 * terminal's depth decides how it is sent (termout.c). */
#define COLOR_DEFAULT   0u
#define COLOR_PAL(i)    (0x01000000u | ((uint32_t)(i) & 0xffu))
#define COLOR_RGB(rgb)  (0x02000000u | ((uint32_t)(rgb) & 0xffffffu))
#define COLOR_KIND(c)   ((c) >> 24)
#define COLOR_VALUE(c)  ((c) & 0xffffffu)

struct style {
	uint32_t fg, bg;
	uint8_t attr;
};

/* What a cell holds of a character two cells wide. */
enum { CELL_NARROW, CELL_WIDE, CELL_TAIL };

/* A character two cells wide is a CELL_WIDE cell and, right of it, a
 * CELL_TAIL cell with no character of its own: the grid keeps them in
 * pairs (drawing over either half blanks the other), so the diff in
 * termout.c sends a wide character whole or not at all. */
struct cell {
	uint32_t ch : 21;  /* Unicode code point, shown by the text rule of text.h */
	uint32_t wide : 2; /* CELL_NARROW, CELL_WIDE or CELL_TAIL */
	uint32_t attr : 8;
	uint32_t spare : 1; /* named, so every bit is set by an initialiser */
	uint32_t mark;     /* a combining mark on it, or 0 */
	uint32_t fg, bg;   /* 16 bytes a cell: the grid and its copy stay in cache */
};

struct screen {
	int w, h;
	size_t cap;        /* cells allocated: grows on resize only */
	struct cell *cells;
	int ascii;         /* the terminal shows ASCII only: the rest is '?' */
};

/* 0, or -1 when out of memory (the old grid is kept). */
int screen_resize(struct screen *s, int w, int h);
void screen_free(struct screen *s);
void screen_clear(struct screen *s);
/* One of our own glyphs at (y, x), shown by the text rule (a control is
 * U+FFFD, a wide glyph takes two cells, one that does not fit is a space). */
void screen_set(struct screen *s, int y, int x, uint32_t ch, struct style st);
/* The same for what the caller already knows: a printable ASCII byte
 * (0x20-0x7e, one cell, shown as it is); or shown and width from
 * screen_glyph (which is screen_set's text_glyph), so a glyph drawn in
 * thousands of cells is looked up once. */
int screen_glyph(const struct screen *s, uint32_t *ch);
void screen_put_slow(struct screen *s, int y, int x, uint32_t shown, int width, struct style st);
static inline void screen_put(struct screen *s, int y, int x, uint32_t shown, int width, struct style st)
{
	/* the heatmap's cells: one wide, over a cell that is no half of a pair */
	if (width == 1 && (unsigned)y < (unsigned)s->h && (unsigned)x < (unsigned)s->w) {
		struct cell *c = &s->cells[(size_t)y * (size_t)s->w + (size_t)x];

		if (!c->wide) {
			*c = (struct cell){ .ch = shown, .fg = st.fg, .bg = st.bg, .attr = st.attr };
			return;
		}
	}
	screen_put_slow(s, y, x, shown, width, st);
}

static inline void screen_set_ascii(struct screen *s, int y, int x, unsigned char ch, struct style st)
{
	screen_put(s, y, x, ch, 1, st);
}

/* Untrusted UTF-8 text at (y, x) by the rule of text.h, clipped at the
 * right edge (a wide character cut by it leaves a space), never wrapping;
 * returns the column after it, past the edge when clipped. */
int screen_text(struct screen *s, int y, int x, struct style st, const char *utf8);
/* Paints the style over columns [x, x + n) of row y, keeping the text. */
void screen_paint(struct screen *s, int y, int x, int n, struct style st);
static inline const struct cell *screen_at(const struct screen *s, int y, int x)
{
	return &s->cells[(size_t)y * (size_t)s->w + (size_t)x];
}
/* Row y as UTF-8 (trailing blanks kept; a wide character once, with its
 * mark): for tests and text dumps. */
void screen_row(const struct screen *s, int y, char *buf, size_t len);

#endif
