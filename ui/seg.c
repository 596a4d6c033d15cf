// SPDX-License-Identifier: GPL-2.0-only
/* Every panel's text goes through here: clipped at a word boundary with an
 * ellipsis rather than mid-word, wrapped between words, and audited so the
 * layout sweep in tests/test_ui.c can fail on a cut or overwritten word. */
#include "ui/tui_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEG_MAX 512

/* text_cut without decoding when the first cols bytes are printable
 * ASCII (a cell each) and the byte after them is ASCII too (no mark
 * joins the last of them): wrapped text mostly is. */
static size_t cut(const char *s, int cols, int ascii)
{
	int k = 0;

	for (; k < cols && s[k]; k++)
		if ((unsigned char)s[k] < 0x20 || (unsigned char)s[k] > 0x7e)
			return text_cut(s, cols, ascii);
	return (unsigned char)s[k] < 0x80 ? (size_t)k : text_cut(s, cols, ascii);
}

size_t text_wordcut(const char *s, int cols, int ascii, int *split)
{
	size_t n = cut(s, cols, ascii), k = n;

	*split = 0;
	if (s[n] && s[n] != ' ') { /* mid-word: back to the last space */
		while (k > 0 && s[k - 1] != ' ')
			k--;
		if (k == 0)
			*split = 1; /* one word wider than the room */
		else
			n = k;
	}
	while (n > 0 && s[n - 1] == ' ')
		n--;
	return n;
}

static void note(struct ui_audit *a, int y, int x, const char *text)
{
	if (a->cut + a->overwrite == 1) {
		a->y = y;
		a->x = x;
		snprintf(a->what, sizeof(a->what), "%s", text);
	}
}

/* Bytes of buf when it is printable ASCII only (one cell a byte, shown
 * as it is, no marks: text.h's rule then needs no decoding), else -1.
 * Nearly every segment is: numbers, labels, titles. */
static int ascii_len(const char *buf)
{
	int n = 0;

	for (; buf[n]; n++)
		if ((unsigned char)buf[n] < 0x20 || (unsigned char)buf[n] > 0x7e)
			return -1;
	return n;
}

/* Draws buf at (y, x) within columns [x, limit): shortened between words
 * with an ellipsis when it does not fit.  Returns the column after the
 * whole text, as if it had fitted. */
static int seg_put(struct tui *t, int y, int x, int limit, struct style st, char *buf)
{
	static uint32_t before[SEG_MAX];
	int plain = ascii_len(buf), room = limit - x, end, split = 0, seen;
	int cols = plain >= 0 ? plain : text_cols(buf, t->scr.ascii);
	const char *dots = t->scr.ascii ? "~" : "\u2026", *rest;

	if (y < 0 || y >= t->scr.h || x < 0 || room <= 0)
		return x + cols;
	if (plain >= 0 && cols <= room) { /* fits whole: what the general path does, without decoding */
		for (int i = 0; i < cols; i++)
			before[i] = screen_at(&t->scr, y, x + i)->ch;
		for (int i = 0; i < cols; i++)
			screen_set_ascii(&t->scr, y, x + i, (unsigned char)buf[i], st);
		for (int i = 0; i < cols; i++)
			if (before[i] != ' ' && before[i] != 0 && before[i] != (unsigned char)buf[i]) {
				t->audit.overwrite++;
				note(&t->audit, y, x, buf);
				break;
			}
		return x + cols;
	}
	rest = buf + cut(buf, room, t->scr.ascii);
	if (cols > room && rest[strspn(rest, " ")]) {
		/* something but blanks is past the edge: end on a word, marked */
		size_t n = text_wordcut(buf, room - 1, t->scr.ascii, &split);

		if (split && x > 0) {
			n = 0; /* a segment after others: only the mark that more was there */
		} else if (split) {
			t->audit.cut++;
			note(&t->audit, y, x, buf);
		}
		t->audit.elided++;
		snprintf(buf + n, SEG_MAX - n, "%s", dots);
	} else if (cols > room) {
		buf[cut(buf, room, t->scr.ascii)] = '\0';
	}
	/* what is drawn takes at most a cell a byte: only those are looked at */
	seen = (int)strlen(buf);
	seen = seen < room ? seen : room;
	seen = seen < SEG_MAX ? seen : SEG_MAX;
	for (int i = 0; i < seen; i++)
		before[i] = screen_at(&t->scr, y, x + i)->ch;
	end = screen_text(&t->scr, y, x, st, buf);
	for (int i = 0; i < end - x && i < seen; i++) {
		uint32_t was = before[i], now = screen_at(&t->scr, y, x + i)->ch;

		if (was != ' ' && was != 0 && was != now) {
			t->audit.overwrite++;
			note(&t->audit, y, x, buf);
			break;
		}
	}
	return x + cols;
}

/* s padded with spaces to width w (printf's %*s: w < 0 pads on the
 * right), cut at SEG_MAX - 1 bytes as vsnprintf cuts it. */
static void pad(char *buf, long w, const char *s)
{
	size_t len = strlen(s = s ? s : "(null)"), width = (size_t)(w < 0 ? -w : w), n = 0;
	size_t fill = width > len ? width - len : 0;

	for (size_t i = 0; w > 0 && i < fill && n < SEG_MAX - 1; i++)
		buf[n++] = ' ';
	for (size_t i = 0; i < len && n < SEG_MAX - 1; i++)
		buf[n++] = s[i];
	for (size_t i = 0; w < 0 && i < fill && n < SEG_MAX - 1; i++)
		buf[n++] = ' ';
	buf[n] = '\0';
}

/* vsnprintf into buf (SEG_MAX bytes); "%s", "%*s" and "%-*s", most of
 * the segments a tick draws, are laid out (the same bytes, cut the same
 * way) without the formatter, which costs more than drawing the text. */
static void seg_format(char *buf, const char *fmt, va_list ap)
{
	if (!strcmp(fmt, "%s")) {
		pad(buf, 0, va_arg(ap, const char *));
	} else if (!strcmp(fmt, "%*s") || !strcmp(fmt, "%-*s")) {
		long w = va_arg(ap, int);

		pad(buf, fmt[1] == '-' ? -labs(w) : w, va_arg(ap, const char *));
	} else {
		vsnprintf(buf, SEG_MAX, fmt, ap);
	}
}

int ui_seg(struct tui *t, int y, int x, struct style st, const char *fmt, ...)
{
	char buf[SEG_MAX];
	va_list ap;

	if (x >= t->scr.w)
		return x;
	va_start(ap, fmt);
	seg_format(buf, fmt, ap);
	va_end(ap);
	return seg_put(t, y, x, t->scr.w, st, buf);
}

int ui_segw(struct tui *t, int y, int x, int w, struct style st, const char *fmt, ...)
{
	char buf[SEG_MAX];
	va_list ap;
	int limit = x + w < t->scr.w ? x + w : t->scr.w;

	if (x >= limit)
		return x;
	va_start(ap, fmt);
	seg_format(buf, fmt, ap);
	va_end(ap);
	return seg_put(t, y, x, limit, st, buf);
}

int ui_wrap(struct tui *t, int y, int x, int w, int rows, struct style st, const char *text)
{
	char line[SEG_MAX];
	int used = 0, split;

	if (x + w > t->scr.w)
		w = t->scr.w - x;
	while (*text == ' ')
		text++;
	for (; *text && used < rows && w > 0; used++) {
		size_t n = text_wordcut(text, w, t->scr.ascii, &split);

		if (used == rows - 1 || !n) { /* the last row: the rest, elided if it must be */
			ui_segw(t, y + used, x, w, st, "%s", text);
			return used + 1;
		}
		snprintf(line, sizeof(line), "%.*s", (int)n, text);
		ui_segw(t, y + used, x, w, st, "%s", line);
		text += n;
		while (*text == ' ')
			text++;
	}
	return used;
}

int ui_wrap_rows(const struct tui *t, int w, const char *text)
{
	int rows = 0, split;

	while (*text == ' ')
		text++;
	while (*text && w > 0 && rows < 1000) {
		size_t n = text_wordcut(text, w, t->scr.ascii, &split);

		if (!n)
			return rows + 1;
		text += n;
		while (*text == ' ')
			text++;
		rows++;
	}
	return rows;
}
