/* SPDX-License-Identifier: GPL-2.0-only */
/* Run-queue delay, per CPU: shared by rqlat.bpf.c and collectors/rqlat.c.
 * The histogram is stormtop's log-linear layout in nanoseconds. */
#ifndef STORMTOP_RQLAT_BPF_SHARED_H
#define STORMTOP_RQLAT_BPF_SHARED_H

#include "stormtop/loglin.h"

/* Enqueue-time slots, indexed by pid & (RQ_PID_SLOTS - 1) (rqlat_common.bpf.h). */
#define RQ_PID_BITS 16
#define RQ_PID_SLOTS (1u << RQ_PID_BITS)

struct rq_bank {
	__u64 count;     /* delays recorded */
	__u64 sum_ns;
	__u64 negative;  /* clock went backwards between CPUs: discarded */
	__u64 preempt;   /* involuntary switches: runnable task taken off */
	__u64 missed;    /* waits lost: another pid took the task's enqueue slot */
	__u32 slot[LOGLIN_SLOTS];
} __attribute__((aligned(64)));

#endif
