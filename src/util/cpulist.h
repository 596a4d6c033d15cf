/* SPDX-License-Identifier: GPL-2.0-only */
/* Kernel-style CPU lists ("0-3,8,10-11"), as in sysfs and taskset -c. */
#ifndef STORMTOP_CPULIST_H
#define STORMTOP_CPULIST_H

#include <stddef.h>
#include <stdint.h>

/* Sets mask[i] = 1 for every CPU the list names; all ids must be < n.
 * Returns the number of CPUs named, or -1 with a one-line message in err. */
int cpulist_parse(const char *s, uint8_t *mask, uint32_t n, char *err, size_t errlen);

/* The highest CPU id a list names plus one, or 0 if it cannot be parsed. */
uint32_t cpulist_span(const char *s);

/* The CPUs set in mask as a list ("2-5,8"), cut with "..." if it does not
 * fit.  Returns how many are set. */
int cpulist_format(const uint8_t *mask, uint32_t n, char *buf, size_t len);

#endif
