// SPDX-License-Identifier: GPL-2.0-only
#include "util/text.h"

#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* What a code point becomes on a person's screen. */
enum { CLS_W0, CLS_W1, CLS_W2, CLS_REPLACE, CLS_DROP };

static pthread_once_t once = PTHREAD_ONCE_INIT;
static locale_t wloc;          /* C.UTF-8 (or the user's UTF-8 locale): wcwidth's tables */
static int user_utf8;
static uint8_t bmp[0x10000];   /* the class of every BMP code point */

/* Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt):
 * drawn as nothing, so a name could hide text or reorder itself with
 * them.  Variation selectors among them are dropped instead. */
static const struct { uint32_t lo, hi; uint8_t cls; } invisible[] = {
	{ 0x00AD, 0x00AD, CLS_REPLACE }, { 0x034F, 0x034F, CLS_REPLACE },
	{ 0x061C, 0x061C, CLS_REPLACE }, { 0x115F, 0x1160, CLS_REPLACE },
	{ 0x17B4, 0x17B5, CLS_REPLACE }, { 0x180B, 0x180D, CLS_DROP },
	{ 0x180E, 0x180E, CLS_REPLACE }, { 0x180F, 0x180F, CLS_DROP },
	{ 0x200B, 0x200F, CLS_REPLACE }, { 0x2028, 0x202E, CLS_REPLACE },
	{ 0x2060, 0x206F, CLS_REPLACE }, { 0x3164, 0x3164, CLS_REPLACE },
	{ 0xFE00, 0xFE0F, CLS_DROP }, { 0xFEFF, 0xFEFF, CLS_REPLACE },
	{ 0xFFA0, 0xFFA0, CLS_REPLACE }, { 0xFFF0, 0xFFFB, CLS_REPLACE },
	{ 0x1BCA0, 0x1BCA3, CLS_REPLACE }, { 0x1D173, 0x1D17A, CLS_REPLACE },
	{ 0xE0000, 0xE00FF, CLS_REPLACE }, { 0xE0100, 0xE01EF, CLS_DROP },
	{ 0xE01F0, 0xE0FFF, CLS_REPLACE },
};

static int classify(uint32_t cp)
{
	int w;

	if (text_is_control(cp))
		return CLS_REPLACE;
	if (cp < 0x7f)
		return CLS_W1;
	for (size_t i = 0; i < sizeof(invisible) / sizeof(invisible[0]); i++)
		if (cp >= invisible[i].lo && cp <= invisible[i].hi)
			return invisible[i].cls;
	if (!wloc) /* no UTF-8 locale at all: no width is known */
		return CLS_REPLACE;
	w = wcwidth((wchar_t)cp);
	return w < 0 || w > 2 ? CLS_REPLACE : w;
}

/* What the user's terminal takes, from the variables setlocale() would
 * read (LC_ALL, LC_CTYPE, LANG: the first set), without loading that
 * locale: a UTF-8 terminal named in LANG is UTF-8 even where the locale's
 * data is not installed.  wcwidth's tables come from C.UTF-8 whatever
 * the user's locale is. */
static int env_utf8(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_CTYPE", "LANG" };

	for (int i = 0; i < 3; i++) {
		const char *v = getenv(vars[i]);

		if (v && *v)
			return strcasestr(v, "utf-8") || strcasestr(v, "utf8");
	}
	return 0;
}

static void init(void)
{
	static const char *const utf8[] = { "C.UTF-8", "C.utf8", "en_US.UTF-8" };
	locale_t old;

	user_utf8 = env_utf8();
	for (int i = 0; i < 3 && !wloc; i++)
		wloc = newlocale(LC_CTYPE_MASK, utf8[i], (locale_t)0);
	old = wloc ? uselocale(wloc) : (locale_t)0;
	for (uint32_t cp = 0; cp < 0x10000; cp++)
		bmp[cp] = (uint8_t)classify(cp);
	if (wloc)
		uselocale(old);
}

void text_init(void)
{
	static int ready; /* pthread_once is a call into libc: not once a cell */

	if (!__atomic_load_n(&ready, __ATOMIC_ACQUIRE)) {
		pthread_once(&once, init);
		__atomic_store_n(&ready, 1, __ATOMIC_RELEASE);
	}
}

int text_locale_utf8(void)
{
	text_init();
	return user_utf8;
}

static inline int class_of(uint32_t cp)
{
	locale_t old;
	int cls;

	if (cp < 0x10000)
		return bmp[cp];
	if (!wloc)
		return CLS_REPLACE;
	old = uselocale(wloc);
	cls = classify(cp);
	uselocale(old);
	return cls;
}

int text_glyph(uint32_t cp, int ascii, uint32_t *shown)
{
	int cls;

	text_init();
	cls = class_of(cp);
	*shown = cp;
	if (cls == CLS_DROP)
		return -1;
	if (cls == CLS_REPLACE)
		*shown = TEXT_REPLACEMENT, cls = CLS_W1;
	if (ascii && *shown >= 0x80)
		return cls == CLS_W0 ? -1 : (*shown = '?', 1);
	return cls;
}

/* Unicode 15 table 3-7: the second byte's range depends on the first. */
size_t utf8_decode(const char *str, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned char lo = 0x80, hi = 0xbf;
	size_t need;
	uint32_t v;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		need = 1, v = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		need = 2, v = s[0] & 0x0f, lo = s[0] == 0xe0 ? 0xa0 : 0x80, hi = s[0] == 0xed ? 0x9f : 0xbf;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		need = 3, v = s[0] & 0x07, lo = s[0] == 0xf0 ? 0x90 : 0x80, hi = s[0] == 0xf4 ? 0x8f : 0xbf;
	else
		need = 0, v = 0;
	*cp = TEXT_REPLACEMENT;
	if (!need)
		return 1;
	for (size_t i = 1; i <= need; i++) {
		if (i >= n || s[i] < lo || s[i] > hi)
			return i; /* the maximal subpart: the bytes that were still right */
		v = v << 6 | (s[i] & 0x3f);
		lo = 0x80, hi = 0xbf;
	}
	*cp = v;
	return need + 1;
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

void text_iter_init(struct text_iter *it, const char *s, size_t n, int ascii)
{
	text_init();
	*it = (struct text_iter){ .p = s, .end = s + n, .ascii = ascii, .mark_ok = -1 };
}

int text_next(struct text_iter *it, uint32_t *cp, int *width)
{
	while (it->p < it->end) {
		uint32_t c;
		int cls;

		it->p += utf8_decode(it->p, (size_t)(it->end - it->p), &c);
		cls = class_of(c);
		if (cls == CLS_DROP || (cls == CLS_W0 && (it->ascii || it->mark_ok == 0)))
			continue; /* one mark a character; none in ASCII */
		if (cls == CLS_W0 && it->mark_ok == 1) {
			it->mark_ok = 0;
			*cp = c, *width = 0;
			return 1;
		}
		/* a mark with nothing before it stands alone: replaced */
		if (cls == CLS_REPLACE || cls == CLS_W0)
			c = TEXT_REPLACEMENT, cls = CLS_W1;
		if (it->ascii && c >= 0x80)
			c = '?', cls = CLS_W1;
		it->mark_ok = 1;
		*cp = c;
		*width = cls;
		return 1;
	}
	return 0;
}

int text_cols(const char *s, int ascii)
{
	struct text_iter it;
	uint32_t cp;
	int w, cols = 0;

	text_iter_init(&it, s, strlen(s), ascii);
	while (text_next(&it, &cp, &w))
		cols += w;
	return cols;
}

/* Appends cp when it and the NUL still fit. */
static int append(char *dst, size_t cap, size_t *len, uint32_t cp)
{
	char b[4];
	size_t n = utf8_put(b, cp);

	if (*len + n + 1 > cap)
		return 0;
	memcpy(dst + *len, b, n);
	*len += n;
	return 1;
}

size_t text_clean(char *dst, size_t cap, const char *s, int ascii)
{
	struct text_iter it;
	uint32_t cp;
	size_t len = 0;
	int w;

	if (!cap)
		return 0;
	text_iter_init(&it, s, strlen(s), ascii);
	while (text_next(&it, &cp, &w) && append(dst, cap, &len, cp))
		;
	dst[len] = '\0';
	return len;
}

size_t text_fit(char *dst, size_t cap, const char *s, int cols, int ascii)
{
	struct text_iter it;
	uint32_t cp;
	size_t len = 0;
	int w, used = 0, taken = 1;

	if (!cap)
		return 0;
	text_iter_init(&it, s, strlen(s), ascii);
	while (used < cols && text_next(&it, &cp, &w)) {
		if (!w) { /* a mark goes with its character, if that was kept */
			if (taken)
				append(dst, cap, &len, cp);
			continue;
		}
		taken = used + w <= cols && append(dst, cap, &len, cp);
		if (!taken)
			break;
		used += w;
	}
	/* the marks of the last character kept, then the padding */
	while (used == cols && text_next(&it, &cp, &w) && !w)
		append(dst, cap, &len, cp);
	while (used < cols && append(dst, cap, &len, ' '))
		used++;
	dst[len] = '\0';
	return len;
}

size_t text_cut(const char *s, int cols, int ascii)
{
	struct text_iter it;
	uint32_t cp;
	size_t fits = 0;
	int w, used = 0;

	text_iter_init(&it, s, strlen(s), ascii);
	while (text_next(&it, &cp, &w) && used + w <= cols) {
		used += w;
		fits = (size_t)(it.p - s);
	}
	return fits;
}

void text_say(FILE *f, const char *fmt, ...)
{
	char raw[1024], clean[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	text_clean(clean, sizeof(clean), raw, !text_locale_utf8());
	fprintf(f, "stormtop: %s\n", clean);
}

const char *text_figure(char *buf, size_t n, double v)
{
	int decimals = fabs(v) >= 1000 ? 0 : fabs(v) >= 10 ? 1 : 2;

	if (!isfinite(v))
		return NULL;
	snprintf(buf, n, "%.*f", decimals, v);
	if (strtod(buf, NULL) == 0)
		snprintf(buf, n, "0");
	if (strchr(buf, '.')) { /* 5.00 -> 5, 20.50 -> 20.5 */
		char *end = buf + strlen(buf);

		while (end[-1] == '0')
			*--end = '\0';
		if (end[-1] == '.')
			end[-1] = '\0';
	}
	return buf;
}

const char *text_sig3(char *buf, size_t n, double v)
{
	double a = fabs(v);

	if (!isfinite(v) || a >= 999.5)
		snprintf(buf, n, "%.0f", v);
	else if (a == 0 || a >= 1e-4)
		snprintf(buf, n, "%.3g", v);
	else {
		int places = 2 - (int)floor(log10(a));
		size_t end = (size_t)snprintf(buf, n, "%.*f", places > 20 ? 20 : places, v);

		end = end < n ? end : n - 1;
		while (end > 1 && buf[end - 1] == '0') /* %g's look: no trailing zeros */
			buf[--end] = '\0';
		if (end > 1 && buf[end - 1] == '.')
			buf[--end] = '\0';
		if (!strcmp(buf, "-0"))
			snprintf(buf, n, "0");
	}
	return buf;
}

const char *text_path_tail(char *dst, size_t cap, const char *s, int cols, int ascii, const char *dots)
{
	size_t at = 0, len = strlen(s);

	if (cols <= 0 || !len) {
		dst[0] = '\0';
		return dst;
	}
	if (text_cols(s, ascii) <= cols) {
		snprintf(dst, cap, "%s", s);
		return dst;
	}
	for (const char *semi = strchr(s, ';'); semi; semi = strchr(semi + 1, ';'))
		if (1 + text_cols(semi, ascii) <= cols) {
			snprintf(dst, cap, "%s%s", dots, semi);
			return dst;
		}
	while (at < len && 1 + text_cols(s + at, ascii) > cols) {
		uint32_t cp;

		at += utf8_decode(s + at, len - at, &cp);
	}
	snprintf(dst, cap, "%s%s", dots, s + at);
	return dst;
}
