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

#define MAX_CPUS 4096
#define HOT_PAGES 64

enum op { OP_MUNMAP, OP_MPROTECT, OP_MADVISE, OP_MIX, OP_COUNT };
static const char *const op_names[] = { "munmap", "mprotect", "madvise", "mix" };

struct config {
	uint8_t touch_cpu[MAX_CPUS];
	int ntouch;
	int mutator_cpu;
	enum op op;
	double rate;         /* ops per second during a burst; 0 = flat out */
	double duration;     /* seconds; 0 = until a signal */
	double on_s, off_s;  /* burst pattern; off_s == 0: one long burst */
	int pages;           /* pages per op */
	int quiet;
};

static volatile sig_atomic_t stopping;
static volatile int touchers_stop;
static long page_size;
static char *hot;

static void on_signal(int sig) { (void)sig; stopping = 1; }

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_until(double t)
{
	struct timespec ts = { (time_t)t, (long)((t - (double)(time_t)t) * 1e9) };

	while (!stopping && clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

static int pin(int cpu)
{
	cpu_set_t *set = CPU_ALLOC(MAX_CPUS);
	size_t sz = CPU_ALLOC_SIZE(MAX_CPUS);
	int rc;

	CPU_ZERO_S(sz, set);
	CPU_SET_S((size_t)cpu, sz, set);
	rc = pthread_setaffinity_np(pthread_self(), sz, set);
	CPU_FREE(set);
	return rc;
}

static void *toucher(void *arg)
{
	int cpu = (int)(intptr_t)arg;
	unsigned i = 0;

	if (pin(cpu) != 0)
		fprintf(stderr, "churn: cannot pin a toucher to CPU %d\n", cpu);
	while (!touchers_stop)
		hot[(size_t)(i++ % HOT_PAGES) * (size_t)page_size] += 1;
	return NULL;
}

/* One page-table change that needs a remote flush; returns 0 or -1. */
static int do_op(enum op op, char *region, size_t len, long n)
{
	if (op == OP_MIX)
		op = (enum op)(n % OP_MIX);
	switch (op) {
	case OP_MUNMAP: {
		char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			return -1;
		for (size_t o = 0; o < len; o += (size_t)page_size)
			p[o] = 1; /* populate, or there is nothing to flush */
		return munmap(p, len);
	}
	case OP_MPROTECT:
		for (size_t o = 0; o < len; o += (size_t)page_size)
			region[o] = 1;
		if (mprotect(region, len, PROT_READ) != 0)
			return -1;
		return mprotect(region, len, PROT_READ | PROT_WRITE);
	case OP_MADVISE:
		for (size_t o = 0; o < len; o += (size_t)page_size)
			region[o] = 1;
		return madvise(region, len, MADV_DONTNEED);
	default:
		return -1;
	}
}

/* Runs ops until `until` (or a signal), paced to cfg->rate; returns ops. */
static long burst(const struct config *cfg, char *region, size_t len, double until, long *err)
{
	double start = now_s();
	long n = 0;

	while (!stopping && now_s() < until) {
		if (do_op(cfg->op, region, len, n) != 0) {
			(*err)++;
			return n;
		}
		n++;
		if (cfg->rate > 0) {
			double due = start + (double)n / cfg->rate;

			if (due > now_s())
				sleep_until(due < until ? due : until);
		}
	}
	return n;
}

static long mutate(const struct config *cfg)
{
	size_t len = (size_t)cfg->pages * (size_t)page_size;
	char *region = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	double t0 = now_s(), end = cfg->duration > 0 ? t0 + cfg->duration : 1e300;
	long total = 0, errors = 0;
	int cycle = 0;

	if (region == MAP_FAILED) {
		perror("churn: mmap");
		return -1;
	}
	if (pin(cfg->mutator_cpu) != 0)
		fprintf(stderr, "churn: cannot pin the mutator to CPU %d\n", cfg->mutator_cpu);
	while (!stopping && now_s() < end && !errors) {
		double on_end = cfg->off_s > 0 ? now_s() + cfg->on_s : end;
		double b0 = now_s();
		long n = burst(cfg, region, len, on_end < end ? on_end : end, &errors);
		double b1 = now_s();

		total += n;
		cycle++;
		/* the window on CLOCK_MONOTONIC, so a test can tell its ticks
		 * inside the storm from those outside */
		if (!cfg->quiet)
			printf("churn: burst %d: %ld %s ops in %.2f s (%.0f/s), monotonic %.6f-%.6f\n", cycle,
			       n, op_names[cfg->op], b1 - b0, (double)n / (b1 - b0), b0, b1);
		fflush(stdout);
		if (cfg->off_s > 0 && now_s() < end)
			sleep_until(now_s() + cfg->off_s < end ? now_s() + cfg->off_s : end);
	}
	if (errors)
		perror("churn: page-table operation failed");
	munmap(region, len);
	printf("churn: total %ld %s ops in %.2f s over %d burst%s\n", total, op_names[cfg->op],
	       now_s() - t0, cycle, cycle == 1 ? "" : "s");
	return errors ? -1 : total;
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
		int want = c->touch_cpu[i] || i == c->mutator_cpu;

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

	*c = (struct config){ .op = OP_MUNMAP, .duration = 10, .pages = 1 };
	while ((ch = getopt_long(argc, argv, "c:m:o:r:t:b:p:qh", lo, NULL)) != -1) {
		char *e = NULL;

		switch (ch) {
		case 'c': cpus = optarg; break;
		case 'm': c->mutator_cpu = (int)strtol(optarg, &e, 10); break;
		case 'o':
			for (k = 0; k < OP_COUNT && strcmp(optarg, op_names[k]); k++)
				;
			if (k == OP_COUNT)
				return fprintf(stderr, "churn: unknown --op '%s'\n", optarg), -1;
			c->op = (enum op)k;
			break;
		case 'r': c->rate = strtod(optarg, &e); break;
		case 't': c->duration = strtod(optarg, &e); break;
		case 'b':
			if (sscanf(optarg, "%lf,%lf", &c->on_s, &c->off_s) != 2 || c->on_s <= 0 || c->off_s < 0)
				return fprintf(stderr, "churn: --burst wants ON,OFF seconds\n"), -1;
			break;
		case 'p': c->pages = (int)strtol(optarg, &e, 10); break;
		case 'q': c->quiet = 1; break;
		case 'h': fputs(usage, stdout); exit(0);
		default: fputs(usage, stderr); return -1;
		}
		if (e && *e)
			return fprintf(stderr, "churn: bad number '%s'\n", optarg), -1;
	}
	if (optind < argc || c->rate < 0 || c->duration < 0 || c->pages < 1 || c->pages > 65536 ||
	    c->mutator_cpu < 0 || c->mutator_cpu >= MAX_CPUS)
		return fprintf(stderr, "churn: bad arguments (see churn --help)\n"), -1;
	if (cpus && parse_cpus(cpus, c) < 0)
		return fprintf(stderr, "churn: bad CPU list '%s'\n", cpus), -1;
	if (!cpus) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);

		for (long i = 0; i < n && i < MAX_CPUS; i++)
			c->touch_cpu[i] = i != c->mutator_cpu;
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
	       (int)getpid(), op_names[cfg.op], cfg.mutator_cpu, cfg.ntouch, cfg.ntouch == 1 ? "" : "s",
	       cfg.rate > 0 ? "paced" : "flat out", cfg.off_s > 0 ? cfg.on_s : cfg.duration, cfg.off_s);
	fflush(stdout);
	for (int i = 0; i < MAX_CPUS; i++)
		if (cfg.touch_cpu[i] && pthread_create(&th[nth], NULL, toucher, (void *)(intptr_t)i) == 0)
			nth++;
	total = mutate(&cfg);
	touchers_stop = 1;
	for (int i = 0; i < nth; i++)
		pthread_join(th[i], NULL);
	return total < 0 ? 1 : 0;
}
