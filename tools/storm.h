/* SPDX-License-Identifier: GPL-2.0-only */
/* storm: the page-table churn that churn and dispatch-sim share.
 *
 * One thread, pinned to a CPU, changes mappings of its own process in
 * bursts; every CPU that runs the same mm at that moment gets a TLB
 * shootdown IPI (tlb_flush reason TLB_REMOTE_SEND_IPI on the sender).
 * Each burst's window is printed on stdout as
 *   "WHO: burst N: OPS OP ops in S s (R/s), monotonic START-END"
 * with START and END in CLOCK_MONOTONIC seconds, so a test can tell its
 * ticks inside a storm from those outside. */
#ifndef STORMTOP_TOOLS_STORM_H
#define STORMTOP_TOOLS_STORM_H

#include <signal.h>

enum storm_op { STORM_MUNMAP, STORM_MPROTECT, STORM_MADVISE, STORM_MIX, STORM_OP_COUNT };
extern const char *const storm_op_names[STORM_OP_COUNT];

struct storm {
	const char *who;     /* prefix of each printed line */
	int cpu;             /* where the changes run */
	enum storm_op op;
	double rate;         /* ops per second during a burst; 0 = flat out */
	double duration;     /* seconds; 0 = until *stop */
	double on_s, off_s;  /* burst pattern; off_s == 0: one long burst */
	int pages;           /* pages per op; more than 33 makes x86 flush all */
	int quiet;           /* print only the total */
};

/* CLOCK_MONOTONIC in seconds. */
double storm_now(void);

/* Pins the calling thread to one CPU; 0 or an errno value. */
int storm_pin(int cpu);

/* Runs the bursts until the duration ends or *stop turns non-zero; returns
 * the ops made, or -1 when a page-table call failed (perror says which). */
long storm_run(const struct storm *s, volatile sig_atomic_t *stop);

/* Parses "ON,OFF" seconds into s->on_s and s->off_s; 0 or -1. */
int storm_parse_burst(struct storm *s, const char *arg);

#endif
