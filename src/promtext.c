#include "promtext.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "utf8.h"

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

void prom_label(char *set, size_t cap, const char *name, const char *value)
{
	size_t at = strlen(set), n = strlen(value);
	const unsigned char *v = (const unsigned char *)value;

	at += (size_t)snprintf(set + at, at < cap ? cap - at : 0, "%s%s=\"", at ? "," : "", name);
	for (size_t i = 0; i < n && at + 6 < cap;) {
		size_t k = utf8_len(v + i, n - i);

		if (v[i] == '\\' || v[i] == '"' || v[i] == '\n') {
			set[at++] = '\\';
			set[at++] = v[i] == '\n' ? 'n' : (char)v[i];
		} else if (k == 0 || v[i] < 0x20 || v[i] == 0x7f) {
			set[at++] = '?';
			k = 1;
		} else {
			memcpy(set + at, v + i, k);
			at += k;
		}
		i += k ? k : 1;
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
