#include "screen.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

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

void screen_set(struct screen *s, int y, int x, uint32_t ch, struct style st)
{
	if (y < 0 || y >= s->h || x < 0 || x >= s->w)
		return;
	s->cells[(size_t)y * (size_t)s->w + (size_t)x] =
		(struct cell){ .ch = ch, .fg = st.fg, .bg = st.bg, .attr = st.attr };
}

/* One code point from UTF-8; a malformed byte is taken as itself (and
 * later drawn as '?'). */
static uint32_t utf8_next(const unsigned char **p)
{
	const unsigned char *s = *p;
	int n = s[0] < 0x80 ? 0 : (s[0] & 0xe0) == 0xc0 ? 1 : (s[0] & 0xf0) == 0xe0 ? 2 :
		(s[0] & 0xf8) == 0xf0 ? 3 : -1;
	uint32_t cp;

	if (n <= 0) {
		*p = s + 1;
		return n < 0 ? '?' : s[0];
	}
	cp = s[0] & (0x3f >> n);
	for (int i = 1; i <= n; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*p = s + 1;
			return '?';
		}
		cp = cp << 6 | (s[i] & 0x3f);
	}
	*p = s + n + 1;
	return cp;
}

int screen_text(struct screen *s, int y, int x, struct style st, const char *utf8)
{
	const unsigned char *p = (const unsigned char *)utf8;

	while (*p) {
		uint32_t cp = utf8_next(&p);

		if (x >= s->w)
			return x + text_width((const char *)p) + 1;
		screen_set(s, y, x++, cp < 0x20 || cp == 0x7f ? '?' : cp, st);
	}
	return x;
}

int screen_printf(struct screen *s, int y, int x, struct style st, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return screen_text(s, y, x, st, buf);
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

size_t utf8_put(char *out, uint32_t cp)
{
	if (cp < 0x80)
		return out[0] = (char)cp, 1;
	if (cp < 0x800)
		return out[0] = (char)(0xc0 | cp >> 6), out[1] = (char)(0x80 | (cp & 0x3f)), 2;
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

void screen_row(const struct screen *s, int y, char *buf, size_t len)
{
	size_t n = 0;

	for (int x = 0; y >= 0 && y < s->h && x < s->w && n + 5 < len; x++)
		n += utf8_put(buf + n, screen_at(s, y, x)->ch);
	buf[n < len ? n : 0] = '\0';
}

int text_width(const char *utf8)
{
	int w = 0;

	for (const unsigned char *p = (const unsigned char *)utf8; *p; p++)
		w += (*p & 0xc0) != 0x80;
	return w;
}
