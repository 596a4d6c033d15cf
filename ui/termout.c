// SPDX-License-Identifier: GPL-2.0-only
#include "ui/termout.h"

#include <stdlib.h>
#include <string.h>

/* Worst case per cell: a cursor move (12), a full SGR with two RGB
 * colours (46), a 4-byte character and a 4-byte mark. */
#define CELL_BYTES 72

static const struct cell blank = { .ch = ' ' };

void termout_init(struct termout *o, enum color_depth depth)
{
	*o = (struct termout){ .depth = depth, .cy = -1, .cx = -1 };
}

void termout_free(struct termout *o)
{
	free(o->prev);
	free(o->buf);
	termout_init(o, o->depth);
}

void termout_invalidate(struct termout *o)
{
	o->valid = 0;
}

static void put(struct termout *o, const char *s, size_t n)
{
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

static void put_uint(struct termout *o, unsigned v)
{
	char tmp[12];
	int n = 0;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10));
	while (n)
		o->buf[o->len++] = tmp[--n];
}

static const uint8_t cube[6] = { 0, 95, 135, 175, 215, 255 };

static uint32_t pal_rgb(int i)
{
	static const uint32_t base[16] = {
		0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
		0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
	};

	if (i < 16)
		return base[i];
	if (i < 232) {
		i -= 16;
		return (uint32_t)cube[i / 36] << 16 | (uint32_t)cube[i / 6 % 6] << 8 | cube[i % 6];
	}
	i = 8 + (i - 232) * 10;
	return (uint32_t)i << 16 | (uint32_t)i << 8 | (uint32_t)i;
}

static int dist2(uint32_t a, uint32_t b)
{
	int dr = (int)(a >> 16 & 0xff) - (int)(b >> 16 & 0xff);
	int dg = (int)(a >> 8 & 0xff) - (int)(b >> 8 & 0xff);
	int db = (int)(a & 0xff) - (int)(b & 0xff);

	return dr * dr + dg * dg + db * db;
}

static int nearest(uint32_t rgb, int from, int to)
{
	int best = from, bd = 1 << 30;

	for (int i = from; i < to; i++) {
		int d = dist2(rgb, pal_rgb(i));

		if (d < bd)
			bd = d, best = i;
	}
	return best;
}

/* A theme has a dozen colours; the search over the palette runs once
 * for each, not once a cell. */
struct memo { uint32_t key; int idx; };

static int memo_nearest(struct memo *m, uint32_t rgb, int from, int to)
{
	struct memo *e = &m[(rgb * 2654435761u) >> 26]; /* 64 slots */

	if (e->key != (rgb | 0x80000000u)) {
		e->key = rgb | 0x80000000u;
		e->idx = nearest(rgb, from, to);
	}
	return e->idx;
}

int rgb_to_256(uint32_t rgb)
{
	static struct memo m[64];

	return memo_nearest(m, rgb, 16, 256); /* 0-15 are whatever the user's palette says */
}

int rgb_to_16(uint32_t rgb)
{
	static struct memo m[64];

	return memo_nearest(m, rgb, 0, 16);
}

/* ";38;..." or ";48;...", or nothing for the default colour. */
static void put_color(struct termout *o, uint32_t c, int bg)
{
	uint32_t v = COLOR_VALUE(c);
	int idx;

	if (COLOR_KIND(c) == 0 || o->depth == DEPTH_NONE)
		return;
	if (COLOR_KIND(c) == 2 && o->depth == DEPTH_TRUE) {
		put(o, bg ? ";48;2;" : ";38;2;", 6);
		put_uint(o, v >> 16);
		put(o, ";", 1);
		put_uint(o, v >> 8 & 0xff);
		put(o, ";", 1);
		put_uint(o, v & 0xff);
		return;
	}
	idx = COLOR_KIND(c) == 2 ? (o->depth == DEPTH_256 ? rgb_to_256(v) : rgb_to_16(v)) : (int)v;
	if (idx >= 16 && o->depth == DEPTH_16)
		idx = rgb_to_16(pal_rgb(idx));
	if (idx < 16) {
		put(o, ";", 1);
		put_uint(o, (unsigned)((idx < 8 ? 30 : 82) + idx + (bg ? 10 : 0)));
		return;
	}
	put(o, bg ? ";48;5;" : ";38;5;", 6);
	put_uint(o, (unsigned)idx);
}

static void put_pen(struct termout *o, const struct cell *c)
{
	put(o, "\033[0", 3);
	if (c->attr & ATTR_BOLD)
		put(o, ";1", 2);
	if (c->attr & ATTR_DIM)
		put(o, ";2", 2);
	if (c->attr & ATTR_UNDERLINE)
		put(o, ";4", 2);
	if (c->attr & ATTR_REVERSE)
		put(o, ";7", 2);
	put_color(o, c->fg, 0);
	put_color(o, c->bg, 1);
	put(o, "m", 1);
	o->pen = *c;
}

static int same_pen(const struct cell *a, const struct cell *b)
{
	return a->fg == b->fg && a->bg == b->bg && a->attr == b->attr;
}

/* Every bit of a cell is a named field: equal bytes are equal cells,
 * compared as two words (this runs once a cell a frame). */
static int same_cell(const struct cell *a, const struct cell *b)
{
	uint64_t x[2], y[2];

	_Static_assert(sizeof(struct cell) == sizeof(x), "a cell is 16 bytes");
	memcpy(x, a, sizeof(x));
	memcpy(y, b, sizeof(y));
	return x[0] == y[0] && x[1] == y[1];
}

static void move_to(struct termout *o, int y, int x)
{
	if (o->cy == y && o->cx == x)
		return;
	if (o->cy == y && o->cx >= 0 && o->cx < x) {
		put(o, "\033[", 2);
		put_uint(o, (unsigned)(x - o->cx));
		put(o, "C", 1);
	} else {
		put(o, "\033[", 2);
		put_uint(o, (unsigned)y + 1);
		put(o, ";", 1);
		put_uint(o, (unsigned)x + 1);
		put(o, "H", 1);
	}
	o->cy = y;
	o->cx = x;
}

static int fit(struct termout *o, const struct screen *s)
{
	size_t cells = (size_t)s->w * (size_t)s->h;

	if (cells > o->prev_cap) {
		struct cell *p = realloc(o->prev, cells * sizeof(*p));

		if (!p)
			return -1;
		o->prev = p;
		o->prev_cap = cells;
	}
	if (cells * CELL_BYTES + 64 > o->buf_cap) {
		char *b = realloc(o->buf, cells * CELL_BYTES + 64);

		if (!b)
			return -1;
		o->buf = b;
		o->buf_cap = cells * CELL_BYTES + 64;
	}
	if (s->w != o->w || s->h != o->h)
		o->valid = 0;
	o->w = s->w;
	o->h = s->h;
	return 0;
}

/* Unknown content: clear it, and from then on the terminal holds blanks. */
static void repaint(struct termout *o)
{
	static const char clear[] = "\033[0m\033[H\033[2J";
	size_t cells = (size_t)o->w * (size_t)o->h;

	put(o, clear, sizeof(clear) - 1);
	o->pen = blank;
	o->cy = o->cx = 0;
	for (size_t i = 0; i < cells; i++)
		o->prev[i] = blank;
	o->valid = 1;
}

/* A wide character is sent from its first cell and covers the second
 * (the grid keeps the pair whole); a terminal that gets a character over
 * half of a wide one blanks the other half, and since that half differs
 * from what the grid wants there it is sent too. */
int termout_render(struct termout *o, const struct screen *s)
{
	char ch[4];

	o->len = 0;
	if (fit(o, s) < 0)
		return -1;
	if (!o->valid)
		repaint(o);
	for (int y = 0; y < s->h; y++) {
		/* most rows did not change: one compare of the row skips them */
		if (!memcmp(screen_at(s, y, 0), &o->prev[(size_t)y * (size_t)s->w], (size_t)s->w * sizeof(struct cell)))
			continue;
		for (int x = 0; x < s->w; x++) {
			const struct cell *c = screen_at(s, y, x);
			struct cell *was = &o->prev[(size_t)y * (size_t)s->w + (size_t)x];
			int n;

			if (same_cell(c, was) || c->wide == CELL_TAIL)
				continue;
			n = c->wide == CELL_WIDE && x + 1 < s->w ? 2 : 1;
			move_to(o, y, x);
			if (!same_pen(c, &o->pen))
				put_pen(o, c);
			put(o, ch, utf8_put(ch, c->ch));
			if (c->mark)
				put(o, ch, utf8_put(ch, c->mark));
			memcpy(was, c, (size_t)n * sizeof(*c));
			/* past the last column the cursor waits to wrap: unknown */
			o->cx = x + n < s->w ? x + n : -1;
		}
	}
	return 0;
}
