// SPDX-License-Identifier: MIT
/* dispatch-sim: an example application for stormprobe.
 *
 * One thread per chosen CPU runs a dispatch loop on a fixed grid (every
 * 50 us by default), as an order gateway does: wait for the grid point,
 * decide (walk a working set large enough to need many TLB entries), then
 * send.  Each thread publishes two series through libstormprobe: how late
 * it started against the grid (phase error) and how long decision -> send
 * took (latency).  Run tools/churn beside it, or --storm to churn its own
 * mappings as an allocator returning memory does (then the shootdowns
 * land on the dispatch threads themselves, flushing the working set), and
 * watch stormtop --attach dispatch-sim tie the storms to the p99.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <sched.h>
#include <sys/prctl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "stormtop/probe.h"
#include "storm.h"

#define MAX_THREADS 64
#define WORK_PAGES 4096 /* 16 MiB at 4 KiB: more pages than the dTLB holds */

struct config {
	const char *name;
	int cpus[MAX_THREADS];
	int ncpus;
	int64_t period_ns;
	double duration_s;
	int touches;       /* pages the decision touches */
	int spin;          /* busy-wait to the grid instead of sleeping */
	struct storm storm; /* own-mapping churn; cpu < 0: none */
};

struct worker {
	pthread_t tid;
	int cpu;
	const struct config *cfg;
	struct stormprobe *seg;
	uint64_t dispatches;
	int ok;
};

static volatile sig_atomic_t stopping, storm_stop;
static int stop_all; /* atomic: tells workers to finish */
static unsigned char *work;
static long page_size;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void wait_until(int64_t due, int spin)
{
	struct timespec ts = { due / 1000000000, due % 1000000000 };

	if (spin)
		while (now_ns() < due)
			;
	else
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
			;
}

/* The "decision": reads scattered across the working set, so every
 * dispatch needs TLB entries a shootdown may just have thrown away. */
static unsigned decide(uint64_t *rng, int touches)
{
	unsigned sum = 0;

	for (int i = 0; i < touches; i++) {
		*rng = *rng * 6364136223846793005ULL + 1442695040888963407ULL;
		sum += work[((*rng >> 33) % WORK_PAGES) * (size_t)page_size + (i & 63)];
	}
	return sum;
}

static void *dispatch_loop(void *arg)
{
	struct worker *w = arg;
	struct stormprobe_slot *lat, *phase;
	char label[STORMPROBE_LABEL_MAX];
	uint64_t rng = (uint64_t)w->cpu * 7919 + 1;
	volatile unsigned sink = 0;
	cpu_set_t set;
	int64_t due;

	/* the default 50 us timer slack would be most of what we measure */
	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	CPU_ZERO(&set);
	CPU_SET(w->cpu, &set);
	if (pthread_setaffinity_np(pthread_self(), sizeof(set), &set) != 0)
		fprintf(stderr, "dispatch-sim: cannot pin to CPU %d; running unpinned\n", w->cpu);
	snprintf(label, sizeof(label), "decision->send cpu%d", w->cpu);
	lat = stormprobe_slot_open(w->seg, STORMPROBE_LATENCY, label, w->cpu);
	snprintf(label, sizeof(label), "phase error cpu%d", w->cpu);
	phase = stormprobe_slot_open(w->seg, STORMPROBE_PHASE, label, w->cpu);
	if (!lat || !phase)
		return NULL;
	w->ok = 1;
	due = now_ns();
	while (!__atomic_load_n(&stop_all, __ATOMIC_RELAXED)) {
		int64_t start, late;

		due += w->cfg->period_ns;
		wait_until(due, w->cfg->spin);
		start = now_ns();
		late = start - due;
		stormprobe_record(phase, late > 0 ? (uint64_t)late : 0);
		sink += decide(&rng, w->cfg->touches);
		stormprobe_record(lat, (uint64_t)(now_ns() - start));
		w->dispatches++;
		if (late > w->cfg->period_ns) /* overran: rejoin the grid, no catch-up burst */
			due = now_ns() - (now_ns() - due) % w->cfg->period_ns;
	}
	stormprobe_slot_close(w->seg, lat);
	stormprobe_slot_close(w->seg, phase);
	return NULL;
}

static void *storm_loop(void *arg)
{
	storm_run(arg, &storm_stop);
	return NULL;
}

static const char usage[] =
	"Usage: dispatch-sim [OPTIONS]\n"
	"A dispatch loop on a fixed grid that publishes its phase error and\n"
	"decision->send latency for stormtop --attach NAME.\n"
	"  -n, --name NAME        segment name (default dispatch-sim)\n"
	"  -c, --cpus LIST        CPUs to run a dispatch thread on (default 0), e.g. 0,1\n"
	"  -p, --period-us N      grid period in microseconds (default 50)\n"
	"  -t, --duration S       seconds to run (default 0 = until Ctrl-C)\n"
	"  -w, --touches N        pages each decision reads (default 64)\n"
	"  -s, --spin             busy-wait to the grid (as a real gateway does)\n"
	"  -S, --storm CPU        munmap this process's own pages on CPU, as an allocator\n"
	"                         returning memory does: the dispatch threads receive the\n"
	"                         TLB shootdowns (prints each burst's CLOCK_MONOTONIC window)\n"
	"  -b, --burst ON,OFF     the storm's pattern in seconds (default: no gaps)\n"
	"  -P, --storm-pages N    pages per munmap (default 1; above 33 x86 flushes the\n"
	"                         whole TLB, working set included)\n";

static int parse_cpus(char *s, struct config *c)
{
	for (char *tok = strtok(s, ","); tok; tok = strtok(NULL, ",")) {
		char *end;
		long v = strtol(tok, &end, 10);

		if (*end || end == tok || v < 0 || v >= CPU_SETSIZE || c->ncpus == MAX_THREADS)
			return -1;
		c->cpus[c->ncpus++] = (int)v;
	}
	return c->ncpus ? 0 : -1;
}

static int parse_int(const char *s, int *v)
{
	char *end;
	long n = strtol(s, &end, 10);

	if (end == s || *end || n < 0 || n > 65536)
		return -1;
	*v = (int)n;
	return 0;
}

static int parse_args(int argc, char **argv, struct config *c)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' }, { "cpus", required_argument, NULL, 'c' },
		{ "period-us", required_argument, NULL, 'p' },
		{ "duration", required_argument, NULL, 't' },
		{ "touches", required_argument, NULL, 'w' }, { "spin", no_argument, NULL, 's' },
		{ "storm", required_argument, NULL, 'S' }, { "burst", required_argument, NULL, 'b' },
		{ "storm-pages", required_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	int o;

	*c = (struct config){ .name = "dispatch-sim", .period_ns = 50000, .touches = 64,
			      .storm = { .who = "dispatch-sim", .cpu = -1, .pages = 1 } };
	while ((o = getopt_long(argc, argv, "n:c:p:t:w:sS:b:P:h", opts, NULL)) != -1) {
		switch (o) {
		case 'n': c->name = optarg; break;
		case 'c': if (parse_cpus(optarg, c) < 0) return -1; break;
		case 'p': c->period_ns = (int64_t)(atof(optarg) * 1000); break;
		case 't': c->duration_s = atof(optarg); break;
		case 'w': c->touches = atoi(optarg); break;
		case 's': c->spin = 1; break;
		case 'S': if (parse_int(optarg, &c->storm.cpu) < 0) return -1; break;
		case 'b': if (storm_parse_burst(&c->storm, optarg) < 0) return -1; break;
		case 'P': if (parse_int(optarg, &c->storm.pages) < 0) return -1; break;
		case 'h': fputs(usage, stdout); exit(0);
		default: return -1;
		}
	}
	if (!c->ncpus)
		c->cpus[c->ncpus++] = 0;
	c->storm.duration = c->duration_s;
	return optind == argc && c->period_ns >= 1000 && c->touches >= 0 && c->duration_s >= 0 &&
			       c->storm.cpu >= -1 && c->storm.cpu < CPU_SETSIZE && c->storm.pages >= 1 &&
			       c->storm.pages <= 65536
		       ? 0
		       : -1;
}

/* Housekeeping on the main thread: heartbeat and the state block. */
static void run_until_done(struct stormprobe *seg, struct worker *w, int n, double duration_s)
{
	int64_t end = now_ns() + (int64_t)(duration_s * 1e9);

	while (!stopping && (duration_s <= 0 || now_ns() < end)) {
		int64_t total = 0;

		for (int i = 0; i < n; i++)
			total += (int64_t)__atomic_load_n(&w[i].dispatches, __ATOMIC_RELAXED);
		stormprobe_heartbeat(seg);
		stormprobe_state_set(seg, 0, "dispatching", &total, 1);
		usleep(100000);
	}
}

int main(int argc, char **argv)
{
	static struct worker w[MAX_THREADS];
	struct config cfg;
	struct stormprobe *seg;
	struct sigaction sa = { .sa_handler = on_signal };
	pthread_t storm_tid;

	if (parse_args(argc, argv, &cfg) < 0) {
		fprintf(stderr, "dispatch-sim: bad arguments (see dispatch-sim --help)\n");
		return 2;
	}
	page_size = sysconf(_SC_PAGESIZE);
	work = mmap(NULL, (size_t)WORK_PAGES * page_size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (work == MAP_FAILED || !(seg = stormprobe_create(cfg.name, (unsigned)cfg.ncpus * 2))) {
		fprintf(stderr, "dispatch-sim: %s\n", strerror(errno));
		return 1;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	for (int i = 0; i < cfg.ncpus; i++) {
		w[i] = (struct worker){ .cpu = cfg.cpus[i], .cfg = &cfg, .seg = seg };
		pthread_create(&w[i].tid, NULL, dispatch_loop, &w[i]);
	}
	if (cfg.storm.cpu >= 0 && pthread_create(&storm_tid, NULL, storm_loop, &cfg.storm) != 0)
		cfg.storm.cpu = -1;
	run_until_done(seg, w, cfg.ncpus, cfg.duration_s);
	storm_stop = 1;
	if (cfg.storm.cpu >= 0)
		pthread_join(storm_tid, NULL);
	__atomic_store_n(&stop_all, 1, __ATOMIC_RELAXED);
	for (int i = 0; i < cfg.ncpus; i++)
		pthread_join(w[i].tid, NULL);
	stormprobe_close(seg, 1);
	return 0;
}
