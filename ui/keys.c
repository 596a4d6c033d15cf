// SPDX-License-Identifier: GPL-2.0-only
#include "ui/keys.h"

#include <string.h>

/* "ESC [ n ~" keys by n. */
static int tilde_key(int n)
{
	switch (n) {
	case 1: case 7: return KEY_HOME;
	case 2: return KEY_INSERT;
	case 3: return KEY_DELETE;
	case 4: case 8: return KEY_END;
	case 5: return KEY_PGUP;
	case 6: return KEY_PGDN;
	case 11: case 12: case 13: case 14: return KEY_F1 + n - 11;
	case 15: return KEY_F5;
	case 17: case 18: case 19: case 20: case 21: return KEY_F6 + n - 17;
	case 23: case 24: return KEY_F11 + n - 23;
	default: return KEY_UNKNOWN;
	}
}

/* The final letter of "ESC [ ... X" or "ESC O X". */
static int letter_key(char c)
{
	switch (c) {
	case 'A': return KEY_UP;
	case 'B': return KEY_DOWN;
	case 'C': return KEY_RIGHT;
	case 'D': return KEY_LEFT;
	case 'H': return KEY_HOME;
	case 'F': return KEY_END;
	case 'Z': return KEY_BTAB;
	case 'P': case 'Q': case 'R': case 'S': return KEY_F1 + (c - 'P');
	default: return KEY_UNKNOWN;
	}
}

/* SGR mouse: "ESC [ < b ; x ; y M" (press) or "... m" (release). */
static void mouse(const int *p, int np, char fin, struct key *k)
{
	int b = np > 0 ? p[0] : 0;

	k->code = KEY_MOUSE;
	k->mx = np > 1 && p[1] > 0 ? p[1] - 1 : 0;
	k->my = np > 2 && p[2] > 0 ? p[2] - 1 : 0;
	if (fin == 'm' || (b & 32)) /* releases and drags mean nothing to us */
		k->code = KEY_UNKNOWN;
	else if (b & 64)
		k->mouse = (b & 3) == 0 ? MOUSE_WHEEL_UP : (b & 3) == 1 ? MOUSE_WHEEL_DOWN : MOUSE_OTHER;
	else
		k->mouse = b & 3;
}

/* "ESC [" then parameters then a final byte; the Linux console's F1-F5
 * are "ESC [ [ A".."E". */
static size_t csi(const char *buf, size_t len, struct key *k)
{
	int p[4] = { 0 }, np = 0, lt = 0;
	size_t i = 2;

	if (i < len && buf[i] == '[') {
		if (i + 1 >= len)
			return k->code = KEY_UNKNOWN, len;
		k->code = buf[i + 1] >= 'A' && buf[i + 1] <= 'E' ? KEY_F1 + buf[i + 1] - 'A' : KEY_UNKNOWN;
		return i + 2;
	}
	if (i < len && buf[i] == '<')
		lt = 1, i++;
	for (; i < len; i++) {
		char c = buf[i];

		if (c >= '0' && c <= '9') {
			if (np == 0)
				np = 1;
			if (np <= 4 && p[np - 1] < 100000)
				p[np - 1] = p[np - 1] * 10 + (c - '0');
		} else if (c == ';') {
			np = np == 0 ? 2 : np + 1;
		} else if (c >= 0x40 && c <= 0x7e) {
			if (lt)
				mouse(p, np > 4 ? 4 : np, c, k);
			else
				k->code = c == '~' ? tilde_key(p[0]) : letter_key(c);
			return i + 1;
		} else if (c < 0x20 || c > 0x3f) {
			break; /* not a CSI after all: stop before this byte */
		}
	}
	k->code = KEY_UNKNOWN;
	return i;
}

size_t keys_parse(const char *buf, size_t len, struct key *k)
{
	unsigned char c = len ? (unsigned char)buf[0] : 0;

	memset(k, 0, sizeof(*k));
	if (!len)
		return 0;
	if (c != 27) {
		k->code = c == '\n' ? KEY_ENTER : c == 8 ? KEY_BACKSPACE : c;
		return 1;
	}
	if (len == 1)
		return k->code = KEY_ESC, 1;
	if (buf[1] == '[')
		return csi(buf, len, k);
	if (buf[1] == 'O' && len > 2) {
		k->code = letter_key(buf[2]);
		return 3;
	}
	/* Alt+key, or Esc typed before another key: Esc, and the key next */
	k->code = KEY_ESC;
	return 1;
}
