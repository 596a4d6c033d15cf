/* SPDX-License-Identifier: GPL-2.0-only */
/* Terminal input bytes to keys: the escape sequences xterm, tmux and the
 * Linux console send for arrows, paging, function keys and SGR mouse
 * reports.  Pure, so every sequence is tested without a terminal. */
#ifndef STORMTOP_KEYS_H
#define STORMTOP_KEYS_H

#include <stddef.h>

enum {
	KEY_ESC = 27, KEY_ENTER = 13, KEY_TAB = 9, KEY_BACKSPACE = 127, KEY_CTRL_L = 12,
	KEY_BASE = 0x110000,         /* above every code point */
	KEY_UP = KEY_BASE, KEY_DOWN, KEY_LEFT, KEY_RIGHT,
	KEY_HOME, KEY_END, KEY_PGUP, KEY_PGDN, KEY_INSERT, KEY_DELETE, KEY_BTAB,
	KEY_F1, KEY_F2, KEY_F3, KEY_F4, KEY_F5, KEY_F6, KEY_F7, KEY_F8, KEY_F9, KEY_F10,
	KEY_F11, KEY_F12,
	KEY_MOUSE,                   /* see struct key's mouse fields */
	KEY_UNKNOWN,                 /* a sequence we do not use, swallowed whole */
};

enum { MOUSE_LEFT, MOUSE_MIDDLE, MOUSE_RIGHT, MOUSE_WHEEL_UP, MOUSE_WHEEL_DOWN, MOUSE_OTHER };

struct key {
	int code;          /* a byte or code point, or KEY_* */
	int mouse;         /* MOUSE_*: presses only (releases are dropped) */
	int my, mx;        /* 0-based cell */
};

/* Parses one key from buf; returns the bytes it took (>= 1 when len > 0).
 * An ESC with nothing after it in buf is the Esc key. */
size_t keys_parse(const char *buf, size_t len, struct key *k);

#endif
