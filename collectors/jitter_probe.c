// SPDX-License-Identifier: GPL-2.0-only
#include "collectors/jitter_probe.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <sys/prctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/mem.h"
#include "stormtop/probe.h"

/* The segment's state label, shown beside its name (stormtop-jitter.PID):
 * a longer one than STORMPROBE_LABEL_MAX - 1 is cut ("1 ms g"). */
#define JITTER_LABEL "jitter probe, 1 ms grid"
_Static_assert(sizeof(JITTER_LABEL) <= STORMPROBE_LABEL_MAX, "the jitter probe's label is cut in the segment");

struct jitter_thread {
	pthread_t tid;
	int cpu, started;
	struct jitter_probe *owner;
};

struct jitter_probe {
	struct stormprobe *seg;
	char name[STORMPROBE_NAME_MAX];
	int stop;                  /* atomic */
	uint32_t nthreads;
	struct jitter_thread *threads;
};

static int64_t ts_ns(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

/* Lateness of each wake-up against the grid; after an overrun the grid
 * skips ahead instead of replaying the missed points as fake lateness. */
static void *probe_loop(void *arg)
{
	struct jitter_thread *t = arg;
	struct stormprobe_slot *slot;
	struct timespec next, now;
	cpu_set_t set;
	char label[STORMPROBE_LABEL_MAX];
	uint64_t ticks = 0;

	/* the default 50 us timer slack would be most of what we measure */
	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	CPU_ZERO(&set);
	CPU_SET(t->cpu, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	snprintf(label, sizeof(label), "jitter-probe cpu%d", t->cpu);
	slot = stormprobe_slot_open(t->owner->seg, STORMPROBE_PHASE, label, t->cpu);
	if (!slot)
		return NULL;
	clock_gettime(CLOCK_MONOTONIC, &next);
	while (!__atomic_load_n(&t->owner->stop, __ATOMIC_RELAXED)) {
		int64_t due = ts_ns(&next) + JITTER_PERIOD_NS, late;

		next.tv_sec = due / 1000000000;
		next.tv_nsec = due % 1000000000;
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR)
			;
		clock_gettime(CLOCK_MONOTONIC, &now);
		late = ts_ns(&now) - due;
		stormprobe_record(slot, late > 0 ? (uint64_t)late : 0);
		if (late > JITTER_PERIOD_NS)
			next = now;
		if (t->cpu == t->owner->threads[0].cpu && ++ticks % 100 == 0)
			stormprobe_heartbeat(t->owner->seg);
	}
	stormprobe_slot_close(t->owner->seg, slot);
	return NULL;
}

const char *jitter_probe_name(const struct jitter_probe *j)
{
	return j->name;
}

void jitter_probe_stop(struct jitter_probe *j)
{
	if (!j)
		return;
	__atomic_store_n(&j->stop, 1, __ATOMIC_RELAXED);
	for (uint32_t i = 0; i < j->nthreads; i++)
		if (j->threads[i].started)
			pthread_join(j->threads[i].tid, NULL);
	stormprobe_close(j->seg, 1);
	free(j->threads);
	free(j);
}

struct jitter_probe *jitter_probe_start(const uint8_t *mask, uint32_t n, char *err, size_t len)
{
	struct jitter_probe *j = mem_zalloc(1, sizeof(*j));
	uint32_t count = 0;

	for (uint32_t c = 0; c < n; c++)
		count += mask[c] != 0;
	if (!j || !count || !(j->threads = mem_zalloc(count, sizeof(*j->threads)))) {
		snprintf(err, len, "--jitter-probe: %s", count ? "out of memory" : "no CPUs");
		free(j);
		return NULL;
	}
	snprintf(j->name, sizeof(j->name), "stormtop-jitter.%d", (int)getpid());
	if (!(j->seg = stormprobe_create(j->name, count))) {
		snprintf(err, len, "--jitter-probe: cannot create its segment: %s", strerror(errno));
		free(j->threads);
		free(j);
		return NULL;
	}
	for (uint32_t c = 0; c < n; c++)
		if (mask[c])
			j->threads[j->nthreads++] = (struct jitter_thread){ .cpu = (int)c, .owner = j };
	for (uint32_t i = 0; i < j->nthreads; i++)
		j->threads[i].started = pthread_create(&j->threads[i].tid, NULL, probe_loop,
						       &j->threads[i]) == 0;
	/* the UI names what this app is, and that it costs CPU */
	stormprobe_state_set(j->seg, 0, JITTER_LABEL, NULL, 0);
	stormprobe_heartbeat(j->seg);
	return j;
}
