// SPDX-License-Identifier: GPL-2.0-only
/* storm: bursts of page-table changes (see storm.h). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "storm.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define MAX_CPUS 4096

const char *const storm_op_names[STORM_OP_COUNT] = { "munmap", "mprotect", "madvise", "mix" };

double storm_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_until(double t, volatile sig_atomic_t *stop)
{
	struct timespec ts = { (time_t)t, (long)((t - (double)(time_t)t) * 1e9) };

	while (!*stop && clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

int storm_pin(int cpu)
{
	cpu_set_t *set = CPU_ALLOC(MAX_CPUS);
	size_t sz = CPU_ALLOC_SIZE(MAX_CPUS);
	int rc;

	if (!set)
		return ENOMEM;
	CPU_ZERO_S(sz, set);
	CPU_SET_S((size_t)cpu, sz, set);
	rc = pthread_setaffinity_np(pthread_self(), sz, set);
	CPU_FREE(set);
	return rc;
}

/* Writes one byte per page: a page never touched has no PTE to flush. */
static void populate(char *p, size_t len)
{
	long pg = sysconf(_SC_PAGESIZE);

	for (size_t o = 0; o < len; o += (size_t)pg)
		p[o] = 1;
}

/* One page-table change that needs a remote flush; returns 0 or -1. */
static int do_op(enum storm_op op, char *region, size_t len, long n)
{
	char *p;

	if (op == STORM_MIX)
		op = (enum storm_op)(n % STORM_MIX);
	switch (op) {
	case STORM_MUNMAP:
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return -1;
		populate(p, len);
		return munmap(p, len);
	case STORM_MPROTECT:
		populate(region, len);
		if (mprotect(region, len, PROT_READ) != 0)
			return -1;
		return mprotect(region, len, PROT_READ | PROT_WRITE);
	case STORM_MADVISE:
		populate(region, len);
		return madvise(region, len, MADV_DONTNEED);
	default:
		return -1;
	}
}

/* Runs ops until `until` (or *stop), paced to s->rate; returns ops. */
static long burst(const struct storm *s, char *region, size_t len, double until, int *err,
		  volatile sig_atomic_t *stop)
{
	double start = storm_now();
	long n = 0;

	while (!*stop && storm_now() < until) {
		if (do_op(s->op, region, len, n) != 0) {
			*err = errno ? errno : EINVAL;
			return n;
		}
		n++;
		if (s->rate > 0) {
			double due = start + (double)n / s->rate;

			if (due > storm_now())
				sleep_until(due < until ? due : until, stop);
		}
	}
	return n;
}

long storm_run(const struct storm *s, volatile sig_atomic_t *stop)
{
	size_t len = (size_t)s->pages * (size_t)sysconf(_SC_PAGESIZE);
	char *region = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	double t0 = storm_now(), end = s->duration > 0 ? t0 + s->duration : 1e300;
	long total = 0;
	int cycle = 0, errors = 0;

	if (region == MAP_FAILED) {
		fprintf(stderr, "%s: mmap: %s\n", s->who, strerror(errno));
		return -1;
	}
	if (storm_pin(s->cpu) != 0)
		fprintf(stderr, "%s: cannot pin the page-table changes to CPU %d\n", s->who, s->cpu);
	while (!*stop && storm_now() < end && !errors) {
		double on_end = s->off_s > 0 ? storm_now() + s->on_s : end;
		double b0 = storm_now();
		long n = burst(s, region, len, on_end < end ? on_end : end, &errors, stop);
		double b1 = storm_now();

		total += n;
		cycle++;
		if (!s->quiet)
			printf("%s: burst %d: %ld %s ops in %.2f s (%.0f/s), monotonic %.6f-%.6f\n", s->who,
			       cycle, n, storm_op_names[s->op], b1 - b0, (double)n / (b1 - b0), b0, b1);
		fflush(stdout);
		if (s->off_s > 0 && storm_now() < end)
			sleep_until(storm_now() + s->off_s < end ? storm_now() + s->off_s : end, stop);
	}
	if (errors)
		fprintf(stderr, "%s: page-table operation failed: %s\n", s->who, strerror(errors));
	munmap(region, len);
	printf("%s: total %ld %s ops in %.2f s over %d burst%s\n", s->who, total, storm_op_names[s->op],
	       storm_now() - t0, cycle, cycle == 1 ? "" : "s");
	fflush(stdout);
	return errors ? -1 : total;
}

int storm_parse_burst(struct storm *s, const char *arg)
{
	char tail;

	if (sscanf(arg, "%lf,%lf%c", &s->on_s, &s->off_s, &tail) != 2 || !(s->on_s > 0) || !(s->off_s >= 0))
		return -1;
	return 0;
}
