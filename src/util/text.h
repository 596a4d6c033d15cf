/* SPDX-License-Identifier: GPL-2.0-only */
/* Untrusted text: the one place that decides how bytes read from the host
 * or from a file (process names, segment names and labels, hostnames,
 * hygiene values, strings inside recordings, paths in messages) are
 * measured and shown to a person.  The machine formats build on its
 * decoder: json.c, csv.c, promtext.c.
 *
 * The rule for a person (the TUI, stderr, text reports), docs/TEXT.md:
 *  - bytes that are not UTF-8 (RFC 3629: no overlong forms, no surrogates,
 *    nothing past U+10FFFF, no cut sequence) become U+FFFD, one for each
 *    maximal invalid subpart (Unicode 15, section 3.9);
 *  - controls (C0, DEL, C1) and invisible characters (Unicode's
 *    Default_Ignorable_Code_Point: bidirectional controls, zero-width
 *    spaces and joiners, fillers, tags), line and paragraph separators and
 *    what wcwidth calls unprintable become U+FFFD, one cell wide, so a
 *    name can neither drive the terminal nor hide part of itself;
 *  - variation selectors are dropped; a combining mark stays on the
 *    character before it (one mark a character, the rest dropped; a mark
 *    with no character before it becomes U+FFFD);
 *  - widths are glibc's wcwidth() in C.UTF-8, whatever the user's locale:
 *    2 for East Asian wide and most emoji, 0 for combining marks, else 1;
 *  - where the user's locale does not name UTF-8 the output is ASCII:
 *    every other character is '?' and marks are dropped.
 * Nothing here allocates after text_init(); every function is safe from
 * any thread. */
#ifndef STORMTOP_TEXT_H
#define STORMTOP_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define TEXT_REPLACEMENT 0xFFFDu

/* Builds the width table (C.UTF-8's wcwidth, once; about 1 ms) and reads
 * whether the user's locale names UTF-8.  Idempotent; every function
 * below calls it on first use. */
void text_init(void);
/* 1 when the first of LC_ALL, LC_CTYPE, LANG that is set names UTF-8
 * ("UTF-8" or "utf8", any case): a person's terminal gets UTF-8; 0: it
 * gets ASCII.  stormtop never calls setlocale(): machine formats stay in
 * the C locale (docs/TEXT.md). */
int text_locale_utf8(void);

/* Strict UTF-8: decodes the sequence at s (n > 0 bytes there) into *cp
 * and returns the bytes it took (1-4).  Bytes that are not UTF-8 give
 * *cp = TEXT_REPLACEMENT and take their maximal invalid subpart (>= 1). */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);
/* Writes cp as UTF-8 (1-4 bytes); returns the byte count. */
size_t utf8_put(char *out, uint32_t cp);
/* 1 for C0 controls, DEL and C1 controls (U+0000-001F, U+007F-009F). */
static inline int text_is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp < 0xa0);
}

/* One code point as the rule above shows it: returns the cells it takes
 * (1 or 2; 0 for a combining mark, which joins the character before it;
 * -1 when it is dropped) and sets *shown to what is drawn (U+FFFD for a
 * control, '?' past ASCII on an ASCII terminal).  A table lookup. */
int text_glyph(uint32_t cp, int ascii, uint32_t *shown);

/* Walks untrusted UTF-8 as a person's screen shows it (the rule above). */
struct text_iter {
	const char *p, *end;
	int ascii;         /* show ASCII only */
	int mark_ok;       /* the last character shown can still take a mark */
};
void text_iter_init(struct text_iter *it, const char *s, size_t n, int ascii);
/* The next thing to show: 1 with *cp and *width (0: a combining mark on
 * the previous character, 1 or 2 cells), 0 at the end. */
int text_next(struct text_iter *it, uint32_t *cp, int *width);

/* Cells s takes on a screen. */
int text_cols(const char *s, int ascii);
/* A path of frames joined by ';', outermost first (the call sites'
 * upath/kpath), cut to cols cells from its outermost end: whole frames
 * go first, "dots;" standing for them; when even the innermost frame is
 * too wide, its end, on a character boundary.  s is taken as it is
 * (clean it first for a terminal).  Returns dst. */
const char *text_path_tail(char *dst, size_t cap, const char *s, int cols, int ascii, const char *dots);
/* s as shown to a person, as a string: the rule above, cut on a character
 * boundary so it fits cap bytes with its NUL.  Returns its length. */
size_t text_clean(char *dst, size_t cap, const char *s, int ascii);
/* The same, exactly cols cells wide: cut on a cell boundary (a wide
 * character that does not fit leaves a space), padded with spaces.  cap
 * must hold cols * 7 + 1 bytes to never cut short. */
size_t text_fit(char *dst, size_t cap, const char *s, int cols, int ascii);
/* Bytes of the longest start of s that takes at most cols cells, ending
 * on a character boundary (a character's marks go with it): for wrapping
 * untrusted text into lines. */
size_t text_cut(const char *s, int cols, int ascii);
/* "stormtop: " and the formatted message on one line of f, cleaned by the
 * rule above for the user's locale (a newline in an argument cannot start
 * a line of its own). */
void text_say(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* v in buf (n bytes) as a reader compares it, never with an exponent:
 * whole from 1000 up, at most one decimal from 10, two below, no trailing
 * zeros (5, 20.5, 4.37); what rounds to zero is "0" (not "-0.00", not
 * 1.4e-14 left by a division). Returns buf, or
 * NULL when v is not finite. */
const char *text_figure(char *buf, size_t n, double v);
/* v in buf (n bytes) to three significant digits, never with an exponent
 * (where %.3g has one): whole from 999.5 up ("1000", "12346"), fixed
 * decimals below 1e-4 ("0.0000123", at most 20 places, then "0"); "inf",
 * "nan" as printf says them.  TEXT_SIG3_LEN holds any double (DBL_MAX is
 * 309 digits); a smaller n cuts the figure.  Returns buf. */
#define TEXT_SIG3_LEN 320
const char *text_sig3(char *buf, size_t n, double v);

#endif
