// SPDX-License-Identifier: GPL-2.0-only
/* Untrusted text: the strict UTF-8 decoder, the rule for a person's
 * screen (text.h), widths, cutting and padding by cells, and the machine
 * escapers (JSON, CSV, Prometheus labels).  Every expectation is worked
 * out by hand from RFC 3629, Unicode's table 3-7 and U+FFFD practice,
 * RFC 8259, RFC 4180 and the exposition format. */
#include "testlib.h"

#include <locale.h>
#include <math.h>
#include <wchar.h>

#include "util/csv.h"
#include "util/json.h"
#include "export/promtext.h"
#include "util/text.h"

#define R "\xef\xbf\xbd" /* U+FFFD as UTF-8 */

static void decoder_is_strict(void **state)
{
	static const struct { const char *s; size_t n; uint32_t cp; size_t used; } cases[] = {
		{ "A", 1, 'A', 1 },
		{ "\xc3\xa9", 2, 0xe9, 2 },
		{ "\xe5\x90\x8c", 3, 0x540c, 3 },          /* 同 */
		{ "\xf0\x9f\x98\x80", 4, 0x1f600, 4 },
		{ "\xf4\x8f\xbf\xbf", 4, 0x10ffff, 4 },    /* the last code point */
		{ "\xc2\x9b", 2, 0x9b, 2 },                /* C1 CSI is UTF-8; shown replaced later */
		{ "\xc0\x80", 2, 0xfffd, 1 },              /* overlong NUL: C0 never starts anything */
		{ "\xc1\xbf", 2, 0xfffd, 1 },
		{ "\xe0\x80\x80", 3, 0xfffd, 1 },          /* overlong: E0 needs A0-BF */
		{ "\xed\xa0\x80", 3, 0xfffd, 1 },          /* a surrogate: ED needs 80-9F */
		{ "\xf0\x80\x80\x80", 4, 0xfffd, 1 },
		{ "\xf4\x90\x80\x80", 4, 0xfffd, 1 },      /* past U+10FFFF */
		{ "\xf5\x80\x80\x80", 4, 0xfffd, 1 },
		{ "\xff", 1, 0xfffd, 1 },
		{ "\x80", 1, 0xfffd, 1 },                  /* a stray continuation */
		{ "\xe5\x90", 2, 0xfffd, 2 },              /* cut short at the end: one U+FFFD */
		{ "\xe5\x90" "A", 3, 0xfffd, 2 },          /* ... or by an ASCII byte */
		{ "\xf0\x9f\x98" "A", 4, 0xfffd, 3 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint32_t cp = 0;

		assert_int_equal(utf8_decode(cases[i].s, cases[i].n, &cp), cases[i].used);
		assert_int_equal(cp, cases[i].cp);
	}
}

static void widths_by_cells(void **state)
{
	(void)state;
	assert_int_equal(text_cols("abc", 0), 3);
	assert_int_equal(text_cols("\xe5\x90\x8c\xe6\xad\xa5\xe6\xb5\x8b\xe8\xaf\x95", 0), 8); /* 同步测试 */
	assert_int_equal(text_cols("\xef\xbc\xa1", 0), 2);               /* fullwidth A */
	assert_int_equal(text_cols("\xf0\x9f\x98\x80", 0), 2);           /* emoji */
	assert_int_equal(text_cols("e\xcc\x81", 0), 1);                  /* e + combining acute */
	assert_int_equal(text_cols("\xcc\x81x", 0), 2);                  /* a mark alone is U+FFFD */
	assert_int_equal(text_cols("a\xe2\x80\x8b" "b", 0), 3);          /* ZWSP shown as U+FFFD */
	assert_int_equal(text_cols("\xe2\x9d\xa4\xef\xb8\x8f", 0), 1);   /* heart + VS16: dropped */
	assert_int_equal(text_cols("x2_\xc2\x9b" "31mC1", 0), 9);
	assert_int_equal(text_cols("bad\xff\xfeq", 0), 6);
	assert_int_equal(text_cols("\xe5\x90\x8c", 1), 1);               /* ASCII terminal: '?' */
	/* the same widths as glibc's wcwidth in C.UTF-8 over the BMP's wide
	 * and zero-width ranges, away from the replaced ones */
	{
		locale_t l = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0), old;
		char b[8];

		if (!l)
			skip();
		old = uselocale(l);
		for (uint32_t cp = 0x3000; cp < 0xa000; cp += 7) {
			int w = wcwidth((wchar_t)cp);

			b[utf8_put(b, cp)] = '\0';
			if (w == 1 || w == 2)
				assert_int_equal(text_cols(b, 0), w);
		}
		uselocale(old);
		freelocale(l);
	}
}

static void clean_replaces_controls_and_invisibles(void **state)
{
	static const struct { const char *in, *out; int ascii; } cases[] = {
		{ "\x1b[2J\x1b]0;pwned\x07", R "[2J" R "]0;pwned" R, 0 },
		{ "x2_\xc2\x9b" "31mC1", "x2_" R "31mC1", 0 },
		{ "bad\xff\xfeq", "bad" R R "q", 0 },
		{ "a\tb\nc\rd\x7f", "a" R "b" R "c" R "d" R, 0 },
		{ "\xe2\x80\xae" "gnp.exe", R "gnp.exe", 0 },          /* RLO: a name cannot reverse itself */
		{ "ssh\xe2\x80\x8b" "d", "ssh" R "d", 0 },             /* nor hide a zero-width space */
		{ "e\xcc\x81\xcc\x81\xcc\x81", "e\xcc\x81", 0 },       /* one mark a character */
		{ "\xe5\x90\x8c\xe6\xad\xa5", "\xe5\x90\x8c\xe6\xad\xa5", 0 },
		{ "caf\xc3\xa9\x1b", "caf??", 1 },
		{ "e\xcc\x81", "e", 1 },                               /* no marks in ASCII */
	};
	char buf[128];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		text_clean(buf, sizeof(buf), cases[i].in, cases[i].ascii);
		assert_string_equal(buf, cases[i].out);
	}
	/* cut on a character boundary: 同步 needs 6 bytes and the NUL */
	assert_int_equal(text_clean(buf, 6, "\xe5\x90\x8c\xe6\xad\xa5", 0), 3);
	assert_string_equal(buf, "\xe5\x90\x8c");
}

static void fit_cuts_and_pads_by_cells(void **state)
{
	static const struct { const char *in; int cols; const char *out; } cases[] = {
		{ "\xe5\x90\x8c\xe6\xad\xa5\xe6\xb5\x8b\xe8\xaf\x95", 5, "\xe5\x90\x8c\xe6\xad\xa5 " }, /* 测 does not fit */
		{ "\xe5\x90\x8c\xe6\xad\xa5\xe6\xb5\x8b\xe8\xaf\x95", 10, "\xe5\x90\x8c\xe6\xad\xa5\xe6\xb5\x8b\xe8\xaf\x95  " },
		{ "abc", 2, "ab" },
		{ "", 3, "   " },
		{ "e\xcc\x81xyz", 1, "e\xcc\x81" },                   /* the mark goes with its character */
		{ "x\xc2\x9b" "31m", 6, "x" R "31m " },
	};
	char buf[128];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		text_fit(buf, sizeof(buf), cases[i].in, cases[i].cols, 0);
		assert_string_equal(buf, cases[i].out);
		assert_int_equal(text_cols(buf, 0), cases[i].cols);
	}
}

/* Wrapping by cells: where a line of at most cols cells ends. */
static void cut_ends_on_characters(void **state)
{
	(void)state;
	assert_int_equal(text_cut("\xe5\x90\x8c\xe6\xad\xa5\xe6\xb5\x8b", 5, 0), 6);  /* 同步: 4 cells */
	assert_int_equal(text_cut("ab", 5, 0), 2);
	assert_int_equal(text_cut("e\xcc\x81x", 1, 0), 3);                            /* e and its mark */
	assert_int_equal(text_cut("\xe5\x90\x8c", 1, 0), 0);                           /* 同 needs 2 */
	assert_int_equal(text_cut("\xe5\x90\x8c", 1, 1), 3);                           /* '?' in ASCII */
	assert_int_equal(text_cut("\xff\xfe" "ab", 2, 0), 2);                          /* two U+FFFD */
}

/* Any bytes: the clean text is UTF-8 without a control or an invisible,
 * cleaning it again changes nothing, and it is as wide as the input
 * measured. */
static void clean_is_a_fixed_point(void **state)
{
	char in[48], out[256], again[256];

	(void)state;
	srand(7);
	for (int round = 0; round < 20000; round++) {
		size_t n = (size_t)(rand() % 40);
		static const char *const bits[] = { "\xe5\x90\x8c", "\xcc\x81", "\xc2\x9b", "\xe2\x80\xae", "\xf0\x9f\x98\x80",
						    "\xef\xb8\x8f", "\x1b", "a", "\xed\xa0\x80", "\xf4\x90" };
		size_t len = 0;

		while (len < n) {
			const char *b = rand() % 3 ? bits[rand() % 10] : (char[2]){ (char)(rand() % 255 + 1), 0 };

			if (len + strlen(b) >= sizeof(in))
				break;
			memcpy(in + len, b, strlen(b));
			len += strlen(b);
		}
		in[len] = '\0';
		text_clean(out, sizeof(out), in, 0);
		text_clean(again, sizeof(again), out, 0);
		assert_string_equal(out, again);
		assert_int_equal(text_cols(out, 0), text_cols(in, 0));
		for (size_t i = 0, m = strlen(out); i < m;) {
			uint32_t cp;
			size_t used = utf8_decode(out + i, m - i, &cp);

			assert_false(text_is_control(cp));
			assert_false(cp >= 0x202a && cp <= 0x202e);
			assert_false(cp == 0xfe0f || cp == 0x200b);
			if (cp == 0xfffd) /* only ever a whole, well-formed U+FFFD */
				assert_memory_equal(out + i, R, 3);
			i += used;
		}
	}
}

/* What a FILE got, as a string. */
static const char *captured(void (*fn)(FILE *, const char *), const char *s)
{
	static char buf[512];
	FILE *f = (buf[0] = '\0', fmemopen(buf, sizeof(buf), "w"));

	assert_non_null(f);
	fn(f, s);
	fclose(f);
	return buf;
}

static void json_is_utf8_and_escaped(void **state)
{
	(void)state;
	assert_string_equal(captured(json_string_to, "bad\xff\xfeq"), "\"bad" R R "q\"");
	assert_string_equal(captured(json_string_to, "a\"b\\c\nd\t\x01\x7f\xc2\x9b\xe2\x80\xa8"),
			    "\"a\\\"b\\\\c\\nd\\t\\u0001\\u007f\\u009b\\u2028\"");
	assert_string_equal(captured(json_string_to, "\xe5\x90\x8c\xe2\x80\xae"), "\"\xe5\x90\x8c\xe2\x80\xae\"");
	assert_string_equal(captured(json_string_to, "\xed\xa0\x80"), "\"" R R R "\"");
}

static void csv_quotes_per_rfc4180(void **state)
{
	(void)state;
	assert_string_equal(captured(csv_field, "plain"), "plain");
	assert_string_equal(captured(csv_field, "a,b"), "\"a,b\"");
	assert_string_equal(captured(csv_field, "say \"hi\""), "\"say \"\"hi\"\"\"");
	assert_string_equal(captured(csv_field, "l1\nl2"), "\"l1\nl2\"");
	assert_string_equal(captured(csv_field, "cr\r"), "\"cr\r\"");
	assert_string_equal(captured(csv_field, " lead"), "\" lead\"");
	assert_string_equal(captured(csv_field, "bad\xff,"), "\"bad" R ",\"");
	assert_string_equal(captured(csv_field, ""), "");
}

static void prom_labels_escape_and_replace(void **state)
{
	char set[128] = "";

	(void)state;
	prom_label(set, sizeof(set), "comm", "a\"b\\c\nd\xff\xc2\x9b\t");
	assert_string_equal(set, "comm=\"a\\\"b\\\\c\\nd" R R R "\"");
	/* cut on a character boundary when it does not fit */
	set[0] = '\0';
	prom_label(set, 13, "c", "\xe5\x90\x8c\xe5\x90\x8c\xe5\x90\x8c");
	assert_string_equal(set, "c=\"\xe5\x90\x8c\xe5\x90\x8c\"");
}

/* What diff and report printed with %g, against the figures by hand: the
 * run-queue p99 2.88e+04 us, a share 100 - 100 left as 1.42109e-14 by the
 * division, a rate to six digits. */
static void figures_have_no_exponent(void **state)
{
	char buf[32];

	(void)state;
	assert_string_equal(text_figure(buf, sizeof(buf), 28835.8), "28836");
	assert_string_equal(text_figure(buf, sizeof(buf), -1420.33), "-1420");
	assert_string_equal(text_figure(buf, sizeof(buf), 25.087), "25.1");
	assert_string_equal(text_figure(buf, sizeof(buf), 4.37304), "4.37");
	assert_string_equal(text_figure(buf, sizeof(buf), 5.0), "5");
	assert_string_equal(text_figure(buf, sizeof(buf), 100.0), "100");
	assert_string_equal(text_figure(buf, sizeof(buf), 20.5), "20.5");
	assert_string_equal(text_figure(buf, sizeof(buf), -4.0), "-4");
	/* text_sig3: three significant digits where %.3g has an exponent */
	assert_string_equal(text_sig3(buf, sizeof(buf), 999.7), "1000");
	assert_string_equal(text_sig3(buf, sizeof(buf), 999.4), "999");
	assert_string_equal(text_sig3(buf, sizeof(buf), 1500), "1500");
	assert_string_equal(text_sig3(buf, sizeof(buf), 0.05), "0.05");
	assert_string_equal(text_sig3(buf, sizeof(buf), 0.0000123456), "0.0000123");
	assert_string_equal(text_sig3(buf, sizeof(buf), -0.00001), "-0.00001");
	assert_string_equal(text_sig3(buf, sizeof(buf), 1e-30), "0");
	assert_string_equal(text_figure(buf, sizeof(buf), 0.5), "0.5");
	assert_string_equal(text_figure(buf, sizeof(buf), 100.0 * 0.7 / 0.7 - 100.0 + 1.42109e-14), "0");
	assert_string_equal(text_figure(buf, sizeof(buf), -0.001), "0");
	assert_string_equal(text_figure(buf, sizeof(buf), 0), "0");
	assert_string_equal(text_figure(buf, sizeof(buf), 3.2e9), "3200000000");
	assert_null(text_figure(buf, sizeof(buf), NAN));
	assert_null(text_figure(buf, sizeof(buf), INFINITY));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decoder_is_strict),
		cmocka_unit_test(widths_by_cells),
		cmocka_unit_test(clean_replaces_controls_and_invisibles),
		cmocka_unit_test(fit_cuts_and_pads_by_cells),
		cmocka_unit_test(cut_ends_on_characters),
		cmocka_unit_test(clean_is_a_fixed_point),
		cmocka_unit_test(json_is_utf8_and_escaped),
		cmocka_unit_test(csv_quotes_per_rfc4180),
		cmocka_unit_test(prom_labels_escape_and_replace),
		cmocka_unit_test(figures_have_no_exponent),
	};

	return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
