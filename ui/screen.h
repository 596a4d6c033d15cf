/* The screen as a grid of cells, independent of any terminal: panels draw
 * into it, termout.c sends the terminal only the cells that changed.  The
 * same grid drives the tests and the bench without a terminal. */
#ifndef STORMTOP_SCREEN_H
#define STORMTOP_SCREEN_H

#include <stddef.h>
#include <stdint.h>

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

struct cell {
	uint32_t ch;       /* Unicode code point; every one we draw is one column */
	uint32_t fg, bg;
	uint8_t attr;
};

struct screen {
	int w, h;
	size_t cap;        /* cells allocated: grows on resize only */
	struct cell *cells;
};

/* 0, or -1 when out of memory (the old grid is kept). */
int screen_resize(struct screen *s, int w, int h);
void screen_free(struct screen *s);
void screen_clear(struct screen *s);
void screen_set(struct screen *s, int y, int x, uint32_t ch, struct style st);
/* UTF-8 text at (y, x), clipped at the right edge, never wrapping;
 * returns the column after it.  Control bytes draw as '?'. */
int screen_text(struct screen *s, int y, int x, struct style st, const char *utf8);
int screen_printf(struct screen *s, int y, int x, struct style st, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Paints the style over columns [x, x + n) of row y, keeping the text. */
void screen_paint(struct screen *s, int y, int x, int n, struct style st);
static inline const struct cell *screen_at(const struct screen *s, int y, int x)
{
	return &s->cells[(size_t)y * (size_t)s->w + (size_t)x];
}
/* Row y as UTF-8 (trailing blanks kept): for tests and text dumps. */
void screen_row(const struct screen *s, int y, char *buf, size_t len);
/* Writes cp as UTF-8 (1-4 bytes); returns the byte count. */
size_t utf8_put(char *out, uint32_t cp);
/* Columns text takes (code points; all ours are one column wide). */
int text_width(const char *utf8);

#endif
