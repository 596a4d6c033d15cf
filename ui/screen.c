// SPDX-License-Identifier: GPL-2.0-only
#include "ui/screen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int screen_resize(struct screen *s, int w, int h)
{
	size_t need = (size_t)(w > 0 ? w : 0) * (size_t)(h > 0 ? h : 0);

	if (need > s->cap) {
		struct cell *c = realloc(s->cells, need * sizeof(*c));

		if (!c)
			return -1;
		s->cells = c;
		s->cap = need;
	}
	s->w = w > 0 ? w : 0;
	s->h = h > 0 ? h : 0;
	screen_clear(s);
	return 0;
}

void screen_free(struct screen *s)
{
	free(s->cells);
	*s = (struct screen){ 0 };
}

void screen_clear(struct screen *s)
{
	size_t n = (size_t)s->w * (size_t)s->h;

	for (size_t i = 0; i < n; i++)
		s->cells[i] = (struct cell){ .ch = ' ' };
}

static struct cell *cell(struct screen *s, int y, int x)
{
	return &s->cells[(size_t)y * (size_t)s->w + (size_t)x];
}

static void blank(struct screen *s, int y, int x)
{
	struct cell *c = cell(s, y, x);

	*c = (struct cell){ .ch = ' ', .fg = c->fg, .bg = c->bg, .attr = c->attr };
}

/* Before (y, x) is drawn over: the other half of a wide character there
 * becomes a space in its own style, so no half is left alone. */
static void unpair(struct screen *s, int y, int x)
{
	uint8_t wide = cell(s, y, x)->wide;

	if (wide == CELL_TAIL && x > 0)
		blank(s, y, x - 1);
	else if (wide == CELL_WIDE && x + 1 < s->w)
		blank(s, y, x + 1);
}

/* A shown character (width 1 or 2) at (y, x); a wide one at the right
 * edge does not fit and leaves a space. */
static void put(struct screen *s, int y, int x, uint32_t ch, int width, struct style st)
{
	struct cell *c;

	if ((unsigned)y >= (unsigned)s->h || (unsigned)x >= (unsigned)s->w)
		return;
	c = cell(s, y, x);
	if (width == 2 && x + 1 >= s->w)
		ch = ' ', width = 1;
	if (c->wide)
		unpair(s, y, x);
	if (width == 2) {
		if (c[1].wide)
			unpair(s, y, x + 1);
		c[1] = (struct cell){ .fg = st.fg, .bg = st.bg, .attr = st.attr, .wide = CELL_TAIL };
	}
	*c = (struct cell){ .ch = ch, .fg = st.fg, .bg = st.bg, .attr = st.attr,
			    .wide = width == 2 ? CELL_WIDE : CELL_NARROW };
}

int screen_glyph(const struct screen *s, uint32_t *ch)
{
	return text_glyph(*ch, s->ascii, ch);
}

void screen_put_slow(struct screen *s, int y, int x, uint32_t shown, int width, struct style st)
{
	if (width > 0)
		put(s, y, x, shown, width, st);
}

void screen_set(struct screen *s, int y, int x, uint32_t ch, struct style st)
{
	int w = text_glyph(ch, s->ascii, &ch);

	if (w > 0) /* a mark needs text before it: screen_text */
		put(s, y, x, ch, w, st);
}

int screen_text(struct screen *s, int y, int x, struct style st, const char *utf8)
{
	struct text_iter it;
	uint32_t cp;
	int w, last = -1;

	text_iter_init(&it, utf8, strlen(utf8), s->ascii);
	while (text_next(&it, &cp, &w)) {
		if (!w) { /* a mark joins the character drawn before it */
			if (last >= 0 && last < s->w && y >= 0 && y < s->h)
				cell(s, y, last)->mark = cp;
			continue;
		}
		if (x + w > s->w) {
			put(s, y, x, ' ', 1, st); /* a wide one cut by the edge */
			return x + w + text_cols(it.p, s->ascii);
		}
		put(s, y, x, cp, w, st);
		last = x;
		x += w;
	}
	return x;
}

void screen_paint(struct screen *s, int y, int x, int n, struct style st)
{
	if (y < 0 || y >= s->h)
		return;
	for (int i = x < 0 ? 0 : x; i < x + n && i < s->w; i++) {
		struct cell *c = &s->cells[(size_t)y * (size_t)s->w + (size_t)i];

		c->fg = st.fg;
		c->bg = st.bg;
		c->attr = st.attr;
	}
}

void screen_row(const struct screen *s, int y, char *buf, size_t len)
{
	size_t n = 0;

	for (int x = 0; y >= 0 && y < s->h && x < s->w && n + 9 < len; x++) {
		const struct cell *c = screen_at(s, y, x);

		if (c->wide == CELL_TAIL)
			continue;
		n += utf8_put(buf + n, c->ch);
		if (c->mark)
			n += utf8_put(buf + n, c->mark);
	}
	buf[n < len ? n : 0] = '\0';
}
