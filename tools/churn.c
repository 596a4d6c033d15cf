// SPDX-License-Identifier: GPL-2.0-only
/* churn: make TLB shootdowns on purpose.
 *
 * Toucher threads pinned to chosen CPUs keep the process's mm live there by
 * spinning over a shared mapping; one mutator thread on another CPU
 * munmaps, mprotects or madvises pages it has just touched.  Each such
 * change must invalidate the touchers' TLBs, so the kernel sends them an
 * IPI: a CPU only receives shootdowns while it runs the mm, which is why
 * the touchers stay busy.  Bursts (on/off) make storms that start and stop.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "storm.h"

#define MAX_CPUS 4096
#define HOT_PAGES 64

struct config {
	uint8_t touch_cpu[MAX_CPUS];
	int ntouch;
	struct storm storm; /* the mutator: its CPU, op, pace and bursts */
};

static volatile sig_atomic_t stopping;
static volatile int touchers_stop;
static long page_size;
static char *hot;

static void on_signal(int sig) { (void)sig; stopping = 1; }

static void *toucher(void *arg)
{
	int cpu = (int)(intptr_t)arg;
	unsigned i = 0;

	if (storm_pin(cpu) != 0)
		fprintf(stderr, "churn: cannot pin a toucher to CPU %d\n", cpu);
	while (!touchers_stop)
		hot[(size_t)(i++ % HOT_PAGES) * (size_t)page_size] += 1;
	return NULL;
}

static const char usage[] =
	"Usage: churn [OPTIONS]\n"
	"Makes TLB shootdowns: busy threads on --cpus, page-table changes on --mutator-cpu.\n"
	"  -c, --cpus LIST        CPUs that receive shootdowns (default: all but the mutator's)\n"
	"  -m, --mutator-cpu N    CPU that changes mappings (default 0)\n"
	"  -o, --op OP            munmap | mprotect (RO then RW: two flushes) | madvise | mix\n"
	"                         (default munmap)\n"
	"  -r, --rate N           operations per second in a burst (default 0 = flat out)\n"
	"  -t, --duration S       seconds to run (default 10; 0 = until Ctrl-C)\n"
	"  -b, --burst ON,OFF     storm ON seconds, quiet OFF seconds, repeat (default: no gaps)\n"
	"  -p, --pages N          pages per operation (default 1)\n"
	"  -q, --quiet            print only the total, not each burst and its\n"
	"                         CLOCK_MONOTONIC start-end\n";

static int parse_cpus(const char *s, struct config *c)
{
	const char *p = s;

	memset(c->touch_cpu, 0, sizeof(c->touch_cpu));
	while (*p) {
		char *e;
		long lo = strtol(p, &e, 10), hi = lo;

		if (e == p || lo < 0)
			return -1;
		if (*e == '-') {
			p = e + 1;
			hi = strtol(p, &e, 10);
			if (e == p || hi < lo)
				return -1;
		}
		if (hi >= MAX_CPUS)
			return -1;
		for (long i = lo; i <= hi; i++)
			c->touch_cpu[i] = 1;
		p = *e == ',' ? e + 1 : e;
		if (*e && *e != ',')
			return -1;
	}
	return 0;
}

/* Every CPU asked for must be one this process may run on. */
static int check_cpus(struct config *c)
{
	cpu_set_t *allowed = CPU_ALLOC(MAX_CPUS);
	size_t sz = CPU_ALLOC_SIZE(MAX_CPUS);
	int rc = 0;

	if (sched_getaffinity(0, sz, allowed) != 0)
		CPU_ZERO_S(sz, allowed);
	for (int i = 0; i < MAX_CPUS && rc == 0; i++) {
		int want = c->touch_cpu[i] || i == c->storm.cpu;

		if (want && !CPU_ISSET_S((size_t)i, sz, allowed)) {
			fprintf(stderr, "churn: CPU %d is offline or not allowed here\n", i);
			rc = -1;
		}
		c->ntouch += c->touch_cpu[i];
	}
	CPU_FREE(allowed);
	return rc;
}

static int parse_args(int argc, char **argv, struct config *c)
{
	static const struct option lo[] = {
		{ "cpus", 1, 0, 'c' }, { "mutator-cpu", 1, 0, 'm' }, { "op", 1, 0, 'o' },
		{ "rate", 1, 0, 'r' }, { "duration", 1, 0, 't' }, { "burst", 1, 0, 'b' },
		{ "pages", 1, 0, 'p' }, { "quiet", 0, 0, 'q' }, { "help", 0, 0, 'h' }, { 0, 0, 0, 0 },
	};
	const char *cpus = NULL;
	int ch, k;

	*c = (struct config){ .storm = { .who = "churn", .op = STORM_MUNMAP, .duration = 10, .pages = 1 } };
	while ((ch = getopt_long(argc, argv, "c:m:o:r:t:b:p:qh", lo, NULL)) != -1) {
		char *e = NULL;

		switch (ch) {
		case 'c': cpus = optarg; break;
		case 'm': c->storm.cpu = (int)strtol(optarg, &e, 10); break;
		case 'o':
			for (k = 0; k < STORM_OP_COUNT && strcmp(optarg, storm_op_names[k]); k++)
				;
			if (k == STORM_OP_COUNT)
				return fprintf(stderr, "churn: unknown --op '%s'\n", optarg), -1;
			c->storm.op = (enum storm_op)k;
			break;
		case 'r': c->storm.rate = strtod(optarg, &e); break;
		case 't': c->storm.duration = strtod(optarg, &e); break;
		case 'b':
			if (storm_parse_burst(&c->storm, optarg) < 0)
				return fprintf(stderr, "churn: --burst wants ON,OFF seconds\n"), -1;
			break;
		case 'p': c->storm.pages = (int)strtol(optarg, &e, 10); break;
		case 'q': c->storm.quiet = 1; break;
		case 'h': fputs(usage, stdout); exit(0);
		default: fputs(usage, stderr); return -1;
		}
		if (e && *e)
			return fprintf(stderr, "churn: bad number '%s'\n", optarg), -1;
	}
	if (optind < argc || !(c->storm.rate >= 0) || !(c->storm.duration >= 0) || c->storm.pages < 1 ||
	    c->storm.pages > 65536 || c->storm.cpu < 0 || c->storm.cpu >= MAX_CPUS)
		return fprintf(stderr, "churn: bad arguments (see churn --help)\n"), -1;
	if (cpus && parse_cpus(cpus, c) < 0)
		return fprintf(stderr, "churn: bad CPU list '%s'\n", cpus), -1;
	if (!cpus) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);

		for (long i = 0; i < n && i < MAX_CPUS; i++)
			c->touch_cpu[i] = i != c->storm.cpu;
	}
	return check_cpus(c);
}

int main(int argc, char **argv)
{
	struct config cfg;
	pthread_t th[MAX_CPUS];
	int nth = 0;
	long total;

	if (parse_args(argc, argv, &cfg) < 0)
		return 2;
	page_size = sysconf(_SC_PAGESIZE);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	hot = mmap(NULL, (size_t)HOT_PAGES * (size_t)page_size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (hot == MAP_FAILED)
		return perror("churn: mmap"), 1;
	if (cfg.ntouch == 0)
		fprintf(stderr, "churn: no toucher CPU: flushes will stay local, no IPIs\n");
	printf("churn: pid %d, %s on CPU %d, touchers on %d CPU%s, rate %s, bursts %.1fs on/%.1fs off\n",
	       (int)getpid(), storm_op_names[cfg.storm.op], cfg.storm.cpu, cfg.ntouch, cfg.ntouch == 1 ? "" : "s",
	       cfg.storm.rate > 0 ? "paced" : "flat out", cfg.storm.off_s > 0 ? cfg.storm.on_s : cfg.storm.duration,
	       cfg.storm.off_s);
	fflush(stdout);
	for (int i = 0; i < MAX_CPUS; i++)
		if (cfg.touch_cpu[i] && pthread_create(&th[nth], NULL, toucher, (void *)(intptr_t)i) == 0)
			nth++;
	total = storm_run(&cfg.storm, &stopping);
	touchers_stop = 1;
	for (int i = 0; i < nth; i++)
		pthread_join(th[i], NULL);
	return total < 0 ? 1 : 0;
}
