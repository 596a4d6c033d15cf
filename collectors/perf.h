/* SPDX-License-Identifier: GPL-2.0-only */
/* perf_event counters per CPU: context switches, migrations and faults
 * (software events, any host), and dTLB/iTLB misses where a PMU exists:
 * the model's own page-walk-completed events, encoded through libpfm4,
 * else perf's generic cache events.  "No PMU" is a status, not an error. */
#ifndef STORMTOP_PERF_H
#define STORMTOP_PERF_H

#include <stddef.h>
#include <stdint.h>

#include "core/frame.h"

struct perf_coll;
struct perf_event_attr;

/* Never NULL but for lack of memory; a host where nothing opens gives a
 * collector whose samples only set the status.  off: --disable perf. */
struct perf_coll *perf_open(uint32_t ncpu, int off);
void perf_sample(struct perf_coll *p, struct frame *f);
void perf_close(struct perf_coll *p);
/* One line per TLB slot for --probes, in its five columns: "perf", the slot's frame name
 * (dtlb_load_miss, ...), the event it counts, "-" (no recursion count), and
 * whether it is open.
 * Returns the length written. */
int perf_describe(const struct perf_coll *p, char *buf, size_t len);

/* The event for TLB slot k (PERF_DTLB_LOAD_MISS - PERF_DTLB_LOAD_MISS ..
 * PERF_ITLB_MISS - PERF_DTLB_LOAD_MISS) on the PMU libpfm4 sees (call
 * between pfm_initialize and pfm_terminate), best first:
 *   dTLB loads:  Intel DTLB_LOAD_MISSES.WALK_COMPLETED; AMD Zen L1 DTLB
 *                misses that missed the L2 DTLB (PMCx045 umask 0xf0: page
 *                walks, loads and stores together);
 *   dTLB stores: Intel DTLB_STORE_MISSES.WALK_COMPLETED; none of its own
 *                on AMD (returns -1, name "counted with dTLB loads");
 *   iTLB:        Intel ITLB_MISSES.WALK_COMPLETED; AMD PMCx085 (L1 and L2
 *                ITLB miss), every page size the model has;
 * else perf's generic PERF_TYPE_HW_CACHE DTLB/ITLB miss event.  Fills *a,
 * names the event in name; 1 for a model event, 0 for the generic one. */
int perf_tlb_choose(int k, struct perf_event_attr *a, char *name, size_t len);

#endif
