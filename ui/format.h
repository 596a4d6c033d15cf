/* SPDX-License-Identifier: GPL-2.0-only */
/* Compact numbers for narrow columns. */
#ifndef STORMTOP_FORMAT_H
#define STORMTOP_FORMAT_H

#include <stddef.h>

/* "0", "4.2", "45.3", "312", "20.1k", "312k", "1.2M"; at most 5 characters. */
void fmt_rate(char *buf, size_t n, double v);
/* A duration: "850ns", "1.25us", "45.3us", "312ms", "2.10s"; "-" when negative or NAN. */
void fmt_ns(char *buf, size_t n, double ns);

/* Memory: "512 B", "1.5 GiB", "64.0 GiB"; "?" when 0 (unknown). */
void fmt_bytes(char *buf, size_t n, double bytes);

#endif
