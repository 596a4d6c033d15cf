// SPDX-License-Identifier: GPL-2.0-only
/* swarm: many small processes that each map and unmap memory at a steady
 * rate, to test that per-process views stay bounded (the exporter's
 * cardinality guard) when a host runs thousands of churners.
 *
 *   swarm -p 1000 -r 20 -t 30     1000 processes, 20 mmap+munmap pairs a
 *                                 second each, for 30 seconds
 *   swarm ... -l FILE             also log "WALL_SECONDS MUNMAPS" every
 *                                 100 ms: the munmaps its processes made
 *                                 so far, counted by the processes, so a
 *                                 test compares with what the swarm did,
 *                                 not with what it was asked to do
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stopping;
static unsigned long *munmaps; /* shared by every process of the swarm */

static void on_signal(int sig) { (void)sig; stopping = 1; }

/* One child: a pair of map operations per period until told to stop. */
static void churn(double rate)
{
	struct timespec gap = { .tv_sec = 0, .tv_nsec = (long)(1e9 / rate) };

	prctl(PR_SET_NAME, "swarm");
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	while (!stopping) {
		char *p = mmap(NULL, 16384, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p != MAP_FAILED) {
			p[0] = 1;
			if (munmap(p, 16384) == 0)
				__atomic_fetch_add(munmaps, 1, __ATOMIC_RELAXED);
		}
		nanosleep(&gap, NULL);
	}
	_exit(0);
}

/* The swarm's own count, as "WALL_SECONDS MUNMAPS", one line. */
static void log_count(FILE *log)
{
	struct timespec ts;

	if (!log)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	fprintf(log, "%ld.%09ld %lu\n", (long)ts.tv_sec, ts.tv_nsec, __atomic_load_n(munmaps, __ATOMIC_RELAXED));
	fflush(log);
}

int main(int argc, char **argv)
{
	long procs = 100, started = 0;
	double rate = 10, secs = 10;
	FILE *log = NULL;
	pid_t *pids;
	int c;

	while ((c = getopt(argc, argv, "p:r:t:l:")) != -1) {
		if (c == 'p') procs = strtol(optarg, NULL, 10);
		else if (c == 'r') rate = strtod(optarg, NULL);
		else if (c == 't') secs = strtod(optarg, NULL);
		else if (c == 'l' && !(log = fopen(optarg, "w"))) {
			fprintf(stderr, "swarm: %s: %s\n", optarg, strerror(errno));
			return 1;
		} else if (c != 'l') {
			fprintf(stderr, "usage: swarm [-p PROCS] [-r PAIRS_PER_S] [-t SECONDS] [-l LOG]\n");
			return 2;
		}
	}
	if (procs < 1 || procs > 100000 || rate <= 0 || rate > 1e6 || secs <= 0) {
		fprintf(stderr, "swarm: -p 1..100000, -r and -t positive\n");
		return 2;
	}
	pids = calloc((size_t)procs, sizeof(*pids));
	munmaps = mmap(NULL, sizeof(*munmaps), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (munmaps == MAP_FAILED) {
		fprintf(stderr, "swarm: mmap: %s\n", strerror(errno));
		return 1;
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	for (; pids && started < procs && !stopping; started++) {
		pids[started] = fork();
		if (pids[started] == 0)
			churn(rate);
		if (pids[started] < 0) {
			fprintf(stderr, "swarm: fork: %s\n", strerror(errno));
			break;
		}
	}
	printf("swarm: %ld processes, %g pairs/s each\n", started, rate);
	fflush(stdout);
	for (double left = secs; left > 0 && !stopping; left -= 0.1) {
		log_count(log);
		usleep(100000);
	}
	for (long i = 0; i < started; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	log_count(log);
	if (log)
		fclose(log);
	free(pids);
	return 0;
}
