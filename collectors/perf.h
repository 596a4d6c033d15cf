/* perf_event counters per CPU: context switches, migrations and faults
 * (software events, any host), and dTLB/iTLB misses where a PMU exists,
 * encoded through libpfm4.  "No PMU" is a status, not an error. */
#ifndef STORMTOP_PERF_H
#define STORMTOP_PERF_H

#include <stdint.h>

#include "frame.h"

struct perf_coll;

/* Never NULL but for lack of memory; a host where nothing opens gives a
 * collector whose samples only set the status.  off: --disable perf. */
struct perf_coll *perf_open(uint32_t ncpu, int off);
void perf_sample(struct perf_coll *p, struct frame *f);
void perf_close(struct perf_coll *p);

#endif
