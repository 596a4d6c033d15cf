/* SPDX-License-Identifier: GPL-2.0-only */
/* /proc/schedstat: per-CPU run time, run-queue wait time and timeslices. */
#ifndef STORMTOP_SCHEDSTAT_H
#define STORMTOP_SCHEDSTAT_H

#include <stddef.h>
#include <stdint.h>

struct sched_snapshot {
	uint32_t ncpu;
	int version;
	uint8_t *online;
	uint64_t *run_ns;    /* rq_cpu_time: time tasks ran on this CPU */
	uint64_t *delay_ns;  /* run_delay: time runnable tasks waited */
	uint64_t *slices;    /* pcount: timeslices run */
};

int sched_snapshot_init(struct sched_snapshot *s, uint32_t ncpu);
void sched_snapshot_free(struct sched_snapshot *s);

/* text must be NUL-terminated at len (procfile does this).
 * Returns 0, or -1 with a reason in err.  Versions 10..17 put the three
 * figures last on each cpu<N> line, so they are read from the end. */
int schedstat_parse(const char *text, size_t len, struct sched_snapshot *s,
		    char *err, size_t errlen);

#endif
