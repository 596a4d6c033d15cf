/* SPDX-License-Identifier: GPL-2.0-only */
/* --jitter-probe: stormtop's own dispatch-jitter source.  One thread per
 * listed CPU sleeps to an absolute 1 ms grid (as cyclictest does) and
 * records how late it woke through libstormprobe, into a segment that
 * stormtop then attaches like any application's. */
#ifndef STORMTOP_JITTER_PROBE_H
#define STORMTOP_JITTER_PROBE_H

#include <stddef.h>
#include <stdint.h>

#define JITTER_PERIOD_NS 1000000

struct jitter_probe;

/* Starts a thread on every CPU with mask[c] set (n CPUs in the mask).
 * NULL with a reason when the segment or a thread cannot be made. */
struct jitter_probe *jitter_probe_start(const uint8_t *mask, uint32_t n, char *err, size_t len);
/* The segment's name, for attaching. */
const char *jitter_probe_name(const struct jitter_probe *j);
void jitter_probe_stop(struct jitter_probe *j);

#endif
