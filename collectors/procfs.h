/* SPDX-License-Identifier: GPL-2.0-only */
/* The procfs collector: /proc/interrupts, /proc/schedstat, /proc/vmstat
 * and PSI, turned into per-interval deltas in a frame.  Needs no privilege. */
#ifndef STORMTOP_PROCFS_H
#define STORMTOP_PROCFS_H

#include <stdint.h>

#include "core/frame.h"

struct procfs;

/* root is prepended to every path ("" for the live host, a fixture tree in
 * tests).  Files that are missing are reported per source, not as failure.
 * NULL only when out of memory. */
struct procfs *procfs_open(const char *root, uint32_t ncpu);

/* Reads every source once and writes deltas since the previous call into
 * f (first call: baselines, all deltas 0).  Allocates nothing. */
void procfs_sample(struct procfs *p, struct frame *f);

void procfs_close(struct procfs *p);

#endif
