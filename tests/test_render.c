// SPDX-License-Identifier: GPL-2.0-only
/* The renderer without a terminal: the cell model, the diff that turns it
 * into bytes at each colour depth, and the key parser. */
#include "testlib.h"

#include "ui/keys.h"
#include "ui/screen.h"
#include "ui/termout.h"

static struct style red = { .fg = COLOR_RGB(0xff0000) };

/* The bytes a render produced, as a string. */
static const char *out(struct termout *o)
{
	static char buf[1 << 16];
	size_t n = o->len < sizeof(buf) - 1 ? o->len : sizeof(buf) - 1;

	memcpy(buf, o->buf, n);
	buf[n] = '\0';
	return buf;
}

static void text_clips_at_the_edge(void **state)
{
	struct screen s = { 0 };
	char row[64];

	(void)state;
	assert_int_equal(screen_resize(&s, 10, 2), 0);
	assert_int_equal(screen_text(&s, 0, 7, red, "abcdef"), 13); /* where it would have ended */
	screen_row(&s, 0, row, sizeof(row));
	assert_string_equal(row, "       abc");
	screen_row(&s, 1, row, sizeof(row));
	assert_string_equal(row, "          "); /* no wrap */
	screen_text(&s, 1, 0, red, "\u2591\u2588\x01");
	screen_row(&s, 1, row, sizeof(row));
	assert_string_equal(row, "\u2591\u2588\ufffd       "); /* glyphs one column, controls U+FFFD */
	screen_text(&s, 5, 0, red, "off screen"); /* ignored, not a crash */
	screen_free(&s);
}

/* A second render of the same screen sends nothing; one changed cell
 * sends a move, its colour and its character, nothing more. */
static void only_changed_cells_are_sent(void **state)
{
	struct screen s = { 0 };
	struct termout o;

	(void)state;
	screen_resize(&s, 80, 24);
	termout_init(&o, DEPTH_256);
	screen_text(&s, 3, 5, red, "storm");
	assert_int_equal(termout_render(&o, &s), 0);
	assert_non_null(strstr(out(&o), "\033[2J"));             /* first: clear */
	assert_non_null(strstr(out(&o), "\033[4;6H"));           /* row 4, column 6 */
	assert_non_null(strstr(out(&o), "38;5;196mstorm"));      /* #ff0000 is 196 */
	assert_int_equal(termout_render(&o, &s), 0);
	assert_int_equal(o.len, 0);
	screen_set(&s, 10, 20, 'X', red);
	assert_int_equal(termout_render(&o, &s), 0);
	assert_string_equal(out(&o), "\033[11;21HX");           /* the pen is still red */
	termout_invalidate(&o);
	assert_int_equal(termout_render(&o, &s), 0);
	assert_non_null(strstr(out(&o), "\033[2J"));
	termout_free(&o);
	screen_free(&s);
}

/* The same screen at each depth: RGB as 24-bit, as the nearest of 256 or
 * of 16, and no colour at all (only attributes) without colours. */
static void colour_depths(void **state)
{
	struct screen s = { 0 };
	struct termout o;
	struct style st = { .fg = COLOR_RGB(0x00af5f), .bg = COLOR_PAL(4), .attr = ATTR_BOLD };

	(void)state;
	screen_resize(&s, 20, 2);
	screen_text(&s, 0, 0, st, "hot");
	termout_init(&o, DEPTH_TRUE);
	termout_render(&o, &s);
	assert_non_null(strstr(out(&o), "\033[0;1;38;2;0;175;95;44mhot"));
	termout_free(&o);
	termout_init(&o, DEPTH_256);
	termout_render(&o, &s);
	assert_non_null(strstr(out(&o), "\033[0;1;38;5;35;44mhot"));
	termout_free(&o);
	termout_init(&o, DEPTH_16);
	termout_render(&o, &s);
	assert_non_null(strstr(out(&o), "\033[0;1;32;44mhot"));
	termout_free(&o);
	termout_init(&o, DEPTH_NONE);
	termout_render(&o, &s);
	assert_non_null(strstr(out(&o), "\033[0;1mhot"));
	assert_null(strstr(out(&o), "38;"));
	assert_null(strstr(out(&o), ";44"));
	termout_free(&o);
	assert_int_equal(rgb_to_256(0xffffff), 231);
	assert_int_equal(rgb_to_16(0xff0000), 9);
	screen_free(&s);
}

/* A resize repaints: the old content is unknown to the terminal. */
static void resize_repaints(void **state)
{
	struct screen s = { 0 };
	struct termout o;

	(void)state;
	termout_init(&o, DEPTH_256);
	screen_resize(&s, 300, 90);
	screen_text(&s, 89, 299, red, "Z");
	termout_render(&o, &s);
	assert_non_null(strstr(out(&o), "\033[90;300H"));
	screen_resize(&s, 20, 6);
	screen_text(&s, 5, 19, red, "z");
	termout_render(&o, &s);
	assert_non_null(strstr(out(&o), "\033[2J"));
	assert_non_null(strstr(out(&o), "\033[6;20H"));
	termout_free(&o);
	screen_free(&s);
}

static void keys_from_terminals(void **state)
{
	static const struct { const char *in; int code; size_t used; } cases[] = {
		{ "q", 'q', 1 }, { "\r", KEY_ENTER, 1 }, { "\n", KEY_ENTER, 1 }, { "\177", KEY_BACKSPACE, 1 },
		{ "\033", KEY_ESC, 1 }, { "\033[A", KEY_UP, 3 }, { "\033OB", KEY_DOWN, 3 },
		{ "\033[5~", KEY_PGUP, 4 }, { "\033[6~", KEY_PGDN, 4 }, { "\033[1~", KEY_HOME, 4 },
		{ "\033[H", KEY_HOME, 3 }, { "\033[4~", KEY_END, 4 }, { "\033[F", KEY_END, 3 },
		{ "\033OP", KEY_F1, 3 }, { "\033[11~", KEY_F1, 5 }, { "\033[[A", KEY_F1, 4 },
		{ "\033OQ", KEY_F2, 3 }, { "\033OR", KEY_F3, 3 }, { "\033OS", KEY_F4, 3 },
		{ "\033[17~", KEY_F6, 5 }, { "\033[21~", KEY_F10, 5 }, { "\033[Z", KEY_BTAB, 3 },
		{ "\033[1;5A", KEY_UP, 6 }, { "\033[99~", KEY_UNKNOWN, 5 }, { "\033[<0;12;5M", KEY_MOUSE, 10 },
		{ "\033[<0;12;5m", KEY_UNKNOWN, 10 }, { "\033[<64;1;1M", KEY_MOUSE, 10 },
		{ "\033x", KEY_ESC, 1 }, { "\u00e9", 0xc3, 1 },
	};
	struct key k;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t used = keys_parse(cases[i].in, strlen(cases[i].in), &k);

		if (k.code != cases[i].code || used != cases[i].used)
			fail_msg("case %zu: code %d used %zu, want %d %zu", i, k.code, used, cases[i].code,
				 cases[i].used);
	}
	keys_parse("\033[<0;12;5M", 10, &k);
	assert_int_equal(k.mouse, MOUSE_LEFT);
	assert_int_equal(k.mx, 11);
	assert_int_equal(k.my, 4);
	keys_parse("\033[<65;3;9M", 10, &k);
	assert_int_equal(k.mouse, MOUSE_WHEEL_DOWN);
	assert_int_equal(keys_parse("", 0, &k), 0);
	/* a run of keys comes apart one by one */
	{
		const char *run = "\033[B\033[Bj";
		size_t at = 0, n = strlen(run);
		int got[3], i = 0;

		while (at < n && i < 3) {
			at += keys_parse(run + at, n - at, &k);
			got[i++] = k.code;
		}
		assert_int_equal(i, 3);
		assert_int_equal(got[0], KEY_DOWN);
		assert_int_equal(got[1], KEY_DOWN);
		assert_int_equal(got[2], 'j');
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text_clips_at_the_edge),
		cmocka_unit_test(only_changed_cells_are_sent),
		cmocka_unit_test(colour_depths),
		cmocka_unit_test(resize_repaints),
		cmocka_unit_test(keys_from_terminals),
	};
	return cmocka_run_group_tests_name("render", tests, NULL, NULL);
}
