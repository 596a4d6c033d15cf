// SPDX-License-Identifier: GPL-2.0-only
#include "export/promtext.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/text.h"

static void append(struct promtext *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void append(struct promtext *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= t->cap - t->len) {
		t->overflow = 1;
		return;
	}
	t->len += (size_t)n;
}

void promtext_reset(struct promtext *t)
{
	t->len = 0;
	t->overflow = 0;
	t->family[0] = '\0';
	if (t->cap)
		t->buf[0] = '\0';
}

void promtext_family(struct promtext *t, const char *name, enum prom_type type, const char *help)
{
	static const char *const types[] = { "counter", "gauge", "histogram" };

	snprintf(t->family, sizeof(t->family), "%s", name);
	append(t, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, types[type]);
}

static void sample_head(struct promtext *t, const char *suffix, const char *labels)
{
	if (labels[0])
		append(t, "%s%s{%s} ", t->family, suffix, labels);
	else
		append(t, "%s%s ", t->family, suffix);
}

void promtext_u64(struct promtext *t, const char *suffix, const char *labels, uint64_t v)
{
	sample_head(t, suffix, labels);
	append(t, "%llu\n", (unsigned long long)v);
}

void promtext_f64(struct promtext *t, const char *suffix, const char *labels, double v)
{
	sample_head(t, suffix, labels);
	if (isnan(v))
		append(t, "NaN\n");
	else if (isinf(v))
		append(t, "%s\n", v > 0 ? "+Inf" : "-Inf");
	else
		append(t, "%.15g\n", v);
}

/* Escapes \\, \" and newline as the format asks; every other control
 * (C0, DEL, C1) and every byte sequence that is not UTF-8 (text.h)
 * becomes U+FFFD, so the value is UTF-8 that prints safely.  A value that
 * does not fit is cut on a character boundary. */
void prom_label(char *set, size_t cap, const char *name, const char *value)
{
	size_t at = strlen(set), n = strlen(value);

	at += (size_t)snprintf(set + at, at < cap ? cap - at : 0, "%s%s=\"", at ? "," : "", name);
	while (n && at + 6 < cap) {
		uint32_t cp;
		size_t used = utf8_decode(value, n, &cp);

		if (cp == '\\' || cp == '"' || cp == '\n') {
			set[at++] = '\\';
			set[at++] = cp == '\n' ? 'n' : (char)cp;
		} else {
			at += utf8_put(set + at, text_is_control(cp) ? TEXT_REPLACEMENT : cp);
		}
		value += used;
		n -= used;
	}
	if (at + 2 <= cap) {
		set[at++] = '"';
		set[at] = '\0';
	}
}

void prom_label_u(char *set, size_t cap, const char *name, uint64_t value)
{
	char num[24];

	snprintf(num, sizeof(num), "%llu", (unsigned long long)value);
	prom_label(set, cap, name, num);
}
