/* SPDX-License-Identifier: GPL-2.0-only */
/* The Prometheus text exposition format (version 0.0.4), written into a
 * buffer allocated once: families, samples, escaped label values. */
#ifndef STORMTOP_PROMTEXT_H
#define STORMTOP_PROMTEXT_H

#include <stddef.h>
#include <stdint.h>

struct promtext {
	char *buf;
	size_t len, cap;
	int overflow;      /* something did not fit: the text is unusable */
	char family[112];   /* the family whose samples follow */
};

enum prom_type { PROM_COUNTER, PROM_GAUGE, PROM_HISTOGRAM };

void promtext_reset(struct promtext *t);
/* The # HELP and # TYPE lines; once per family, before its samples. */
void promtext_family(struct promtext *t, const char *name, enum prom_type type, const char *help);
/* One sample of the current family: name suffix ("" or "_bucket" ...),
 * labels already formatted ("" for none), value. */
void promtext_u64(struct promtext *t, const char *suffix, const char *labels, uint64_t v);
void promtext_f64(struct promtext *t, const char *suffix, const char *labels, double v);
/* Appends name="value" to a label set of at most cap bytes, escaping the
 * value the way the format asks and replacing bytes that are not UTF-8
 * (a process names itself: its comm is untrusted). */
void prom_label(char *set, size_t cap, const char *name, const char *value);
void prom_label_u(char *set, size_t cap, const char *name, uint64_t value);

#endif
