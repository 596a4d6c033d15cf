// SPDX-License-Identifier: GPL-2.0-only
/* What stormtop's BPF programs cost per event, next to a bare per-CPU
 * counter on the same tracepoint (target: at most 1.3x), a bare counter
 * plus one clock read (a timed program's floor) and bpftrace peers, and
 * stormtop's own CPU per second at 10 Hz, quiet and under a storm.
 * How a ratio is formed: everything is attached at once under one storm,
 * cut into WINDOWS windows; in each window a program's ns/event (the
 * kernel's run_time_ns / run_cnt deltas) is divided by its base's in that
 * same window; the table prints the median over the windows and the range
 * (min-max), with run_cnt over all windows so a reader sees how many
 * events each figure rests on.  Next to rqlat, a reference it is judged
 * by: run-queue delay from the kernel's own stamps (bpf/rqstamp.bpf.c),
 * its cost per event, and what each design reads (waits, p50, p99, the
 * share read as 0 ns) over the same windows and in a quiet phase of pipe
 * wake-ups after the storm.  Prints figures; asserts nothing.  Needs
 * root. */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <linux/types.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "collectors/bpf_load.h"
#include "collectors/ebpf.h"
#include "collectors/kallsyms.h"
#include "core/hist.h"
#include "bare.skel.h"
#include "clock.skel.h"
#include "rqlat_shared.h"
#include "rqstamp.skel.h"
#include "stacks_shared.h"
#include "stacks.skel.h"

UNIT_GLUE(bare)
UNIT_GLUE(clock)
UNIT_GLUE(rqstamp)
UNIT_GLUE(stacks)

#define MAXH 64

struct snap {
	uint64_t ns[MAXH], cnt[MAXH], miss[MAXH];
};

static pid_t run(char *const argv[])
{
	pid_t pid;

	fflush(stdout);
	pid = fork();

	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		dup2(fd, 1);
		dup2(fd, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}

/* stress-ng's TLB shootdowns, context switches and page faults at once,
 * with tools/churn (remote flushes with their IPIs, which stress-ng's
 * --tlb-shootdown sends few of on a 2-vCPU guest): every program's
 * tracepoint fires in the same window.  Started for secs seconds; the
 * caller waits for both pids. */
static void storm_start(int secs, pid_t pids[2])
{
	char t[16], ts[16];

	snprintf(t, sizeof(t), "%d", secs);
	snprintf(ts, sizeof(ts), "%ds", secs);
	pids[0] = run((char *const[]){ "tools/churn", "-c", "1", "-m", "0", "-t", t, "-q", NULL });
	pids[1] = run((char *const[]){ "/usr/bin/stress-ng", "--tlb-shootdown", "1", "--switch", "1", "--fault", "1",
				       "--timeout", ts, "--temp-path", "/tmp", "--quiet", NULL });
}

static void take(struct snap *s, const struct hook *const *h, int n)
{
	for (int i = 0; i < n; i++) {
		struct prog_stats p = { 0 };

		hook_stats(h[i], &p);
		s->ns[i] = p.run_ns;
		s->cnt[i] = p.run_cnt;
		s->miss[i] = p.recursion_misses;
	}
}

static double per_event(const struct snap *a, const struct snap *b, int i)
{
	uint64_t n = b->cnt[i] - a->cnt[i];

	return n ? (double)(b->ns[i] - a->ns[i]) / (double)n : 0;
}

/* The peers: bpftrace programs, found as the classic tracepoint programs
 * that appeared after their bpftrace started, named after their
 * tracepoint (15 characters at most). */
struct peer {
	pid_t pid;
	int n;
	int fd[4];
	char name[4][16];
};

/* The run times of the bpftrace twin of Brendan Gregg's runqlat.bt
 * (Debian's /usr/sbin/runqlat.bt includes linux/sched.h, which bpftrace
 * 0.17 cannot parse with bookworm's headers: TASK_RUNNING is 0 here);
 * libbpf-tools' runqlat does the same per event with a pid hash. */
static const char runqlat_bt[] =
	"tracepoint:sched:sched_wakeup, tracepoint:sched:sched_wakeup_new { @qtime[args->pid] = nsecs; }\n"
	"tracepoint:sched:sched_switch {\n"
	"  if (args->prev_state == 0) { @qtime[args->prev_pid] = nsecs; }\n"
	"  $ns = @qtime[args->next_pid];\n"
	"  if ($ns) { @usecs = hist((nsecs - $ns) / 1000); }\n"
	"  delete(@qtime[args->next_pid]);\n"
	"}\n"
	"END { clear(@qtime); }\n";

static int known_prog(uint32_t id, const uint32_t *seen, int nseen)
{
	for (int i = 0; i < nseen; i++)
		if (seen[i] == id)
			return 1;
	return 0;
}

/* Every program id loaded now, up to max. */
static int prog_ids(uint32_t *ids, int max)
{
	uint32_t id = 0;
	int n = 0;

	while (n < max && bpf_prog_get_next_id(id, &id) == 0)
		ids[n++] = id;
	return n;
}

/* Starts bpftrace on script and waits (20 s at most: it compiles with
 * LLVM) until its want tracepoint programs are loaded. */
static void peer_start(struct peer *p, const char *script, int want)
{
	static uint32_t before[65536], now[65536];
	int nb = prog_ids(before, 65536);

	*p = (struct peer){ 0 };
	if (access("/usr/bin/bpftrace", X_OK) != 0)
		return;
	p->pid = run((char *const[]){ "/usr/bin/bpftrace", "-e", (char *)script, NULL });
	for (int tries = 0; tries < 200 && p->n < want; tries++) {
		int nn = prog_ids(now, 65536);

		usleep(100000);
		p->n = 0;
		for (int i = 0; i < nn && p->n < 4; i++) {
			struct bpf_prog_info info = { 0 };
			uint32_t len = sizeof(info);
			int fd;

			if (known_prog(now[i], before, nb) || (fd = bpf_prog_get_fd_by_id(now[i])) < 0)
				continue;
			if (bpf_obj_get_info_by_fd(fd, &info, &len) == 0 && info.type == BPF_PROG_TYPE_TRACEPOINT) {
				snprintf(p->name[p->n], sizeof(p->name[0]), "%s", info.name);
				p->fd[p->n++] = fd;
			} else {
				close(fd);
			}
		}
		if (p->n < want)
			for (int i = 0; i < p->n; i++)
				close(p->fd[i]);
	}
	if (p->n < want)
		p->n = 0;
}

/* SIGINT, as a user stops bpftrace; bpftrace 0.17 can lose one that
 * comes while it attaches (seen: a bench that waited for ever), so it is
 * sent again every 0.5 s, and SIGKILL ends a child still there at 5 s. */
static void stop_child(pid_t pid)
{
	for (int tries = 0; tries < 50; tries++) {
		if (tries % 5 == 0)
			kill(pid, SIGINT);
		usleep(100000);
		if (waitpid(pid, NULL, WNOHANG) == pid)
			return;
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static void peer_stop(struct peer *p)
{
	for (int i = 0; i < p->n; i++)
		close(p->fd[i]);
	if (p->pid > 0)
		stop_child(p->pid);
}

/* A peer program's run time and count, its name matching tracepoint tp
 * as far as the kernel kept it. */
static int peer_stats(const struct peer *p, const char *tp, struct prog_stats *s)
{
	for (int i = 0; i < p->n; i++) {
		struct bpf_prog_info info = { 0 };
		uint32_t len = sizeof(info);

		int same = strcmp(p->name[i], tp) == 0 ||
			   (strlen(p->name[i]) == sizeof(p->name[0]) - 1 && strncmp(p->name[i], tp, sizeof(p->name[0]) - 1) == 0);

		if (same &&
		    bpf_obj_get_info_by_fd(p->fd[i], &info, &len) == 0) {
			*s = (struct prog_stats){ info.run_time_ns, info.run_cnt, info.recursion_misses };
			return 0;
		}
	}
	return -1;
}

/* ns/event over [a, b] of the floor unit's hook on tp; 0 when none. */
static double floor_of(const struct bpf_unit *u, const struct snap *a, const struct snap *b, const char *tp)
{
	for (int j = 0; j < u->nhooks; j++)
		if (strcmp(u->hooks[j].tp, tp) == 0)
			return per_event(a, b, j);
	return 0;
}

#define PEERS 2
#define WINDOWS 8   /* even: as many windows with the floors first as last */
#define WINDOW_S 2

/* One program's figures per window: its ns/event and its three bases. */
enum base { BARE, CLOCK, PEER, BASES };

struct series {
	double ns[WINDOWS], base[BASES][WINDOWS];
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median, min and max of the n values of v (sorted in place); 0 when n is 0. */
static int spread(double *v, int n, double *med, double *lo, double *hi)
{
	*med = *lo = *hi = 0;
	if (n == 0)
		return 0;
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	*med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	*lo = v[0];
	*hi = v[n - 1];
	return n;
}

/* The base's median ns/event, then the median ratio over the windows where
 * both ran, and its range over them. */
static void cell(const struct series *s, enum base k)
{
	double r[WINDOWS], b[WINDOWS], med, lo, hi, bmed, x;
	int n = 0, nb = 0;

	for (int w = 0; w < WINDOWS; w++) {
		if (s->base[k][w] > 0)
			b[nb++] = s->base[k][w];
		if (s->ns[w] > 0 && s->base[k][w] > 0)
			r[n++] = s->ns[w] / s->base[k][w];
	}
	if (!spread(r, n, &med, &lo, &hi)) {
		printf(" %5s %6s %-9s", "-", "-", "");
		return;
	}
	spread(b, nb, &bmed, &x, &x);
	printf(" %5.0f %5.2fx %4.2f-%-4.2f", bmed, med, lo, hi);
}

/* The peers' run time and count on tp at one snapshot, summed. */
static void peer_snap(const struct peer *peer, const char *const tps[PEERS][4], const char *tp,
		      struct prog_stats *s)
{
	*s = (struct prog_stats){ 0 };
	for (int k = 0; k < PEERS; k++)
		for (int t = 0; t < 4 && tps[k][t]; t++)
			if (strcmp(tps[k][t], tp) == 0)
				peer_stats(&peer[k], tp, s);
}

/* What one window measures: stormtop's programs, the two floors and the
 * kernel-stamp reference (bpf/rqstamp.bpf.c), whose rows follow
 * stormtop's in h; and the run-queue banks both designs fill. */
struct rig {
	struct ebpf *e;
	struct bpf_unit bare, clk, ks;
	struct load_env env;
	const struct hook *h[MAXH], *bh[MAXH], *ch[MAXH];
	const char *unit[MAXH];
	int n, rows;          /* stormtop's rows; with rqstamp's */
	int rq_fd, ks_fd;     /* rq_banks of rqlat and of rqstamp; -1: none */
};

static uint32_t bank_slots; /* possible CPUs: the banks' size */

static void rqstamp_prepare(void *skel, void *arg)
{
	(void)arg;
	bpf_map__set_max_entries(((struct rqstamp_bpf *)skel)->maps.rq_banks, bank_slots);
}

/* A new fd on the rq_banks map a hook's program uses, if its values are
 * struct rq_bank; -1 otherwise.  Through the kernel's program info: the
 * hook keeps the program, not its skeleton. */
static int banks_of(const struct hook *h)
{
	uint32_t ids[16], len;
	struct bpf_prog_info info = { 0 };
	int fd = h->prog ? bpf_program__fd(h->prog) : -1;

	len = sizeof(info);
	info.nr_map_ids = 16;
	info.map_ids = (uint64_t)(uintptr_t)ids;
	if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &len) != 0)
		return -1;
	for (uint32_t i = 0; i < info.nr_map_ids && i < 16; i++) {
		struct bpf_map_info mi = { 0 };
		uint32_t mlen = sizeof(mi);
		int mfd = bpf_map_get_fd_by_id(ids[i]);

		if (mfd >= 0 && bpf_obj_get_info_by_fd(mfd, &mi, &mlen) == 0 && strcmp(mi.name, "rq_banks") == 0 &&
		    mi.value_size == sizeof(struct rq_bank))
			return mfd;
		if (mfd >= 0)
			close(mfd);
	}
	return -1;
}

/* fd closed if open, then set to nfd. */
static void swap_fd(int *fd, int nfd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = nfd;
}

/* rqstamp's attached hooks as the rows after stormtop's. */
static void join_rows(struct rig *r)
{
	r->rows = r->n;
	for (int i = 0; i < r->ks.nhooks && r->rows < MAXH; i++)
		if (r->ks.hooks[i].state == HOOK_ATTACHED) {
			r->unit[r->rows] = "rqstamp";
			r->h[r->rows++] = &r->ks.hooks[i];
		}
}

static void load_floors(struct rig *r)
{
	if (r->bare.skel) {
		unit_close(&r->bare);
		unit_close(&r->clk);
		unit_close(&r->ks);
	}
	r->bare = (struct bpf_unit){ UNIT_OF(bare) };
	r->clk = (struct bpf_unit){ UNIT_OF(clock) };
	r->ks = (struct bpf_unit){ UNIT_OF(rqstamp), .prepare = rqstamp_prepare };
	if (unit_load(&r->bare, &r->env) < 0 || unit_load(&r->clk, &r->env) < 0) {
		fprintf(stderr, "bpf_cost: cannot load the floor programs (root?)\n");
		exit(1);
	}
	for (int i = 0; i < r->bare.nhooks; i++)
		r->bh[i] = &r->bare.hooks[i];
	for (int i = 0; i < r->clk.nhooks; i++)
		r->ch[i] = &r->clk.hooks[i];
	/* A kernel without the fields it reads leaves its row out. */
	swap_fd(&r->ks_fd, unit_load(&r->ks, &r->env) > 0 ? banks_of(&r->ks.hooks[0]) : -1);
	join_rows(r);
}

/* stormtop's programs, in the same order every time (the rows). */
static void load_programs(struct rig *r)
{
	int n;

	ebpf_close(r->e);
	r->e = ebpf_open((uint32_t)sysconf(_SC_NPROCESSORS_CONF), &(struct ebpf_opts){ 0 });
	n = ebpf_hooks(r->e, r->h, r->unit, MAXH);
	if (n == 0 || (r->n && n != r->n)) {
		fprintf(stderr, "bpf_cost: cannot load stormtop's programs (root?)\n");
		exit(1);
	}
	r->n = n;
	swap_fd(&r->rq_fd, -1);
	for (int i = 0; i < n && r->rq_fd < 0; i++)
		if (strcmp(r->h[i]->tp, "sched_switch") == 0)
			r->rq_fd = banks_of(r->h[i]);
	join_rows(r);
}

/* The run-queue banks of one design (rqlat_shared.h) summed over CPUs
 * [from, to): waits counted, their histogram, negatives.  Read with
 * bpf_map_lookup_elem at window edges only.  Per-CPU counters wrap mod
 * 2^32 in the slots; differences taken mod 2^32 stay right. */
struct rq_read {
	uint64_t count, negative;
	uint32_t slot[LOGLIN_SLOTS];
};

static void bank_sum(int fd, uint32_t from, uint32_t to, struct rq_read *out)
{
	static struct rq_bank v;

	*out = (struct rq_read){ 0 };
	for (uint32_t cpu = from; fd >= 0 && cpu < to; cpu++) {
		if (bpf_map_lookup_elem(fd, &cpu, &v) != 0)
			continue;
		out->count += v.count;
		out->negative += v.negative;
		for (int i = 0; i < LOGLIN_SLOTS; i++)
			out->slot[i] += v.slot[i];
	}
}

/* tot += b - a. */
static void bank_add(struct rq_read *tot, const struct rq_read *a, const struct rq_read *b)
{
	tot->count += b->count - a->count;
	tot->negative += b->negative - a->negative;
	for (int i = 0; i < LOGLIN_SLOTS; i++)
		tot->slot[i] += b->slot[i] - a->slot[i];
}

/* One design's line: what it read, by the loglin slots. */
static void read_line(const char *what, int fd, const struct rq_read *t)
{
	uint64_t n = hist_total(t->slot);

	if (fd < 0) {
		printf("    %-26s not loaded\n", what);
		return;
	}
	printf("    %-26s %9llu %10llu %10llu %7.1f%% %8llu\n", what, (unsigned long long)n,
	       (unsigned long long)hist_quantile(t->slot, 0.50), (unsigned long long)hist_quantile(t->slot, 0.99),
	       n ? 100.0 * t->slot[0] / (double)n : 0.0, (unsigned long long)t->negative);
}

static void read_head(void)
{
	printf("    %-26s %9s %10s %10s %8s %8s\n", "design", "waits", "p50 ns", "p99 ns", "0 ns", "negative");
}

/* What the quiet phase's threads share. */
struct quiet {
	int fd[2];            /* the pipe */
	int cpu[2];           /* the waker's, the sleeper's */
	volatile int stop;
	uint64_t wakes;       /* bytes the sleeper read */
};

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

/* Every 1 ms (absolute deadlines: no drift), one byte down the pipe. */
static void *waker(void *arg)
{
	struct quiet *q = arg;
	struct timespec t;

	pin(q->cpu[0]);
	clock_gettime(CLOCK_MONOTONIC, &t);
	while (!q->stop) {
		t.tv_nsec += 1000000;
		if (t.tv_nsec >= 1000000000) {
			t.tv_nsec -= 1000000000;
			t.tv_sec++;
		}
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL);
		if (write(q->fd[1], "", 1) != 1)
			break;
	}
	return NULL;
}

/* Blocks on the pipe until the waker closes it. */
static void *sleeper(void *arg)
{
	struct quiet *q = arg;
	char c[64];
	ssize_t n;

	pin(q->cpu[1]);
	while ((n = read(q->fd[0], c, sizeof(c))) > 0)
		q->wakes += (uint64_t)n;
	return NULL;
}

/* The highest CPU this process may run on (0 when only CPU 0). */
static int highest_cpu(void)
{
	cpu_set_t set;
	int hi = 0;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		for (int c = 0; c < CPU_SETSIZE; c++)
			if (CPU_ISSET(c, &set))
				hi = c;
	return hi;
}

#define QUIET_S 3

/* No storm: a waker pinned to CPU 0 writes to a pipe every 1 ms, read by
 * a sleeper pinned to the highest allowed CPU, both designs attached;
 * what each read over QUIET_S s, all CPUs, then the sleeper's CPU alone
 * (its pipe wakes, and whatever else the shared host ran there). */
static void quiet_phase(const struct rig *r)
{
	static struct rq_read a[2][2], b[2][2], t[2][2];
	static struct quiet q;
	const int fd[2] = { r->rq_fd, r->ks_fd };
	pthread_t th[2];

	q = (struct quiet){ .cpu = { 0, highest_cpu() } };
	if (pipe(q.fd) != 0) {
		printf("Quiet phase: no pipe (%s)\n", strerror(errno));
		return;
	}
	for (int d = 0; d < 2; d++) {
		bank_sum(fd[d], 0, bank_slots, &a[d][0]);
		bank_sum(fd[d], (uint32_t)q.cpu[1], (uint32_t)q.cpu[1] + 1, &a[d][1]);
	}
	pthread_create(&th[1], NULL, sleeper, &q);
	pthread_create(&th[0], NULL, waker, &q);
	sleep(QUIET_S);
	q.stop = 1;
	pthread_join(th[0], NULL);
	for (int d = 0; d < 2; d++) {
		bank_sum(fd[d], 0, bank_slots, &b[d][0]);
		bank_sum(fd[d], (uint32_t)q.cpu[1], (uint32_t)q.cpu[1] + 1, &b[d][1]);
	}
	close(q.fd[1]);
	pthread_join(th[1], NULL);
	close(q.fd[0]);
	for (int d = 0; d < 2; d++)
		for (int k = 0; k < 2; k++) {
			t[d][k] = (struct rq_read){ 0 };
			bank_add(&t[d][k], &a[d][k], &b[d][k]);
		}
	printf("Quiet phase, %d s, no storm: a thread on CPU 0 writes to a pipe every 1 ms, read by a thread\n"
	       "on CPU %d%s (%llu wakes); what each design read:\n", QUIET_S, q.cpu[1],
	       q.cpu[1] ? "" : " (the only CPU allowed)", (unsigned long long)q.wakes);
	read_head();
	read_line("all CPUs: rqlat (ktime)", fd[0], &t[0][0]);
	read_line("all CPUs: rqstamp (kernel)", fd[1], &t[1][0]);
	read_line("sleeper's CPU: rqlat", fd[0], &t[0][1]);
	read_line("sleeper's CPU: rqstamp", fd[1], &t[1][1]);
}

/* Every stormtop program, the bare and clock floors and the bpftrace
 * peers attached at once, under one storm cut into WINDOWS windows of
 * WINDOW_S seconds: per window each program's ns/event and its ratio to
 * each base in that window; printed as the median over the windows and
 * the range (min-max).  A single window's ratio swings with whatever
 * else the shared host runs meanwhile; the median of several does not,
 * and the range says how far to trust it.  The programs on one
 * tracepoint run in the order they were attached, and the first pays
 * the cold cache misses of a rare path (the IPI ones): the order of
 * stormtop's programs and the floors is swapped between windows (the
 * side reloaded goes last), so neither always runs first. */
static void program_costs(void)
{
	static const char *const peer_tp[PEERS][4] = {
		{ "tlb_flush" }, { "sched_wakeup", "sched_wakeup_new", "sched_switch" } };
	static struct rig r;
	static struct snap s[2][WINDOWS], b[2][WINDOWS], c[2][WINDOWS];
	static struct prog_stats ps[2][WINDOWS][MAXH];
	static struct rq_read rd[2][2], tot[2]; /* [design][edge], [design] */
	struct peer peer[PEERS];
	pid_t pids[2];
	int stats = bpf_enable_stats(BPF_STATS_RUN_TIME), have_peer;
	uint64_t events[MAXH] = { 0 }, misses[MAXH] = { 0 };

	r.env.vmlinux = btf__load_vmlinux_btf();
	r.rq_fd = r.ks_fd = -1;
	bank_slots = (uint32_t)(libbpf_num_possible_cpus() > 0 ? libbpf_num_possible_cpus() : 1);
	load_floors(&r);
	load_programs(&r);
	peer_start(&peer[0], "tracepoint:tlb:tlb_flush { @[cpu] = count(); }", 1);
	peer_start(&peer[1], runqlat_bt, 3);
	have_peer = peer[0].n || peer[1].n;
	storm_start(WINDOWS * (WINDOW_S + 2) + 2, pids);
	usleep(500000); /* the stressors started */
	for (int w = 0; w < WINDOWS; w++) {
		if (w % 2)
			load_floors(&r);   /* floors last */
		else if (w)
			load_programs(&r); /* floors first */
		for (int e = 0; e < 2; e++) {
			if (e)
				usleep(WINDOW_S * 1000000);
			take(&s[e][w], r.h, r.rows);
			take(&b[e][w], r.bh, r.bare.nhooks);
			take(&c[e][w], r.ch, r.clk.nhooks);
			for (int i = 0; i < r.rows; i++)
				peer_snap(peer, peer_tp, r.h[i]->tp, &ps[e][w][i]);
			bank_sum(r.rq_fd, 0, bank_slots, &rd[0][e]);
			bank_sum(r.ks_fd, 0, bank_slots, &rd[1][e]);
		}
		for (int d = 0; d < 2; d++)
			bank_add(&tot[d], &rd[d][0], &rd[d][1]);
	}
	kill(pids[0], SIGINT);
	kill(pids[1], SIGINT);
	waitpid(pids[0], NULL, 0);
	waitpid(pids[1], NULL, 0); /* its scratch directory not in the tree */
	printf("BPF cost per event under stress-ng --tlb-shootdown 1 --switch 1 --fault 1 and tools/churn,\n"
	       "every program attached at once, %d windows of %d s, stormtop's programs attached after the\n"
	       "floors in odd windows and before them in even ones: per window a program's ns/event over its\n"
	       "base's in the same window; printed: the base's median ns/event, the median ratio, its range.\n"
	       "bare: a per-CPU counter on the same tracepoint (target <= 1.3x); clock: the same plus one\n"
	       "bpf_ktime_get_ns, a timed program's floor (target <= 1.0x); peer: bpftrace, %s\n"
	       "events: the program's run_cnt over all windows; ns/ev: its median.  rqstamp: run-queue delay\n"
	       "from the kernel's own stamps (bpf/rqstamp.bpf.c), a reference stormtop does not load; it is\n"
	       "reloaded with the floors.\n",
	       WINDOWS, WINDOW_S, have_peer ? "the TLB one-liner\n"
	       "`tracepoint:tlb:tlb_flush { @[cpu] = count(); }` and a twin of runqlat.bt (target <= 1.0x)" :
	       "not installed or not loaded: -");
	printf("  %-6s %-26s %9s %6s %5s %6s %-9s %5s %6s %-9s %5s %6s %-9s %8s\n", "unit", "tracepoint", "events",
	       "ns/ev", "bare", "ratio", "range", "clock", "ratio", "range", "peer", "ratio", "range", "rec_miss");
	for (int i = 0; i < r.rows; i++) {
		struct series sr = { 0 };
		double v[WINDOWS], med, x;
		int nv = 0;

		for (int w = 0; w < WINDOWS; w++) {
			uint64_t pc = ps[1][w][i].run_cnt - ps[0][w][i].run_cnt;

			sr.ns[w] = per_event(&s[0][w], &s[1][w], i);
			sr.base[BARE][w] = floor_of(&r.bare, &b[0][w], &b[1][w], r.h[i]->tp);
			sr.base[CLOCK][w] = floor_of(&r.clk, &c[0][w], &c[1][w], r.h[i]->tp);
			sr.base[PEER][w] = pc ? (double)(ps[1][w][i].run_ns - ps[0][w][i].run_ns) / (double)pc : 0;
			events[i] += s[1][w].cnt[i] - s[0][w].cnt[i];
			misses[i] += s[1][w].miss[i] - s[0][w].miss[i];
			if (sr.ns[w] > 0)
				v[nv++] = sr.ns[w];
		}
		spread(v, nv, &med, &x, &x);
		printf("  %-6s %-26.26s %9llu %6.0f", r.unit[i], r.h[i]->tp, (unsigned long long)events[i], med);
		for (int k = 0; k < BASES; k++)
			cell(&sr, k);
		printf(" %8llu\n", (unsigned long long)misses[i]);
	}
	printf("Run-queue delay as each design read it over the same windows, all CPUs (0 ns: the share in\n"
	       "loglin slot 0; rqlat: stormtop's ktime stamps; rqstamp: sched_info.last_queued and rq->clock):\n");
	read_head();
	read_line("rqlat (ktime)", r.rq_fd, &tot[0]);
	read_line("rqstamp (kernel)", r.ks_fd, &tot[1]);
	for (int k = 0; k < PEERS; k++)
		peer_stop(&peer[k]);
	quiet_phase(&r);
	unit_close(&r.bare);
	unit_close(&r.clk);
	unit_close(&r.ks);
	swap_fd(&r.ks_fd, -1);
	swap_fd(&r.rq_fd, -1);
	btf__free(r.env.vmlinux);
	ebpf_close(r.e);
	if (stats >= 0)
		close(stats);
}

static uint64_t flush_addr;
static uint32_t stacks_period;

static void stacks_prepare(void *skel, void *arg)
{
	(void)arg;
	((struct stacks_bpf *)skel)->rodata->flush_tlb_func_addr = flush_addr;
	((struct stacks_bpf *)skel)->rodata->period = stacks_period;
}

/* The target, through the .bss map's fd (bpf_load does not remap the
 * skeleton's pointer onto the map). */
static void aim(struct bpf_unit *u, uint32_t tgid)
{
	struct stacks_bpf *skel = u->skel;
	uint32_t zero = 0;

	skel->bss->target_tgid = tgid;
	bpf_map_update_elem(bpf_map__fd(skel->maps.bss), &zero, skel->bss, BPF_ANY);
}

/* One stacks program's line: its ns/event over every event on the
 * tracepoint (the host's too), the bare counter's in the same run. */
static void stacks_line(const char *what, const struct bpf_unit *u, const struct snap *a, const struct snap *b,
			const struct bpf_unit *bare, const struct snap *ba, const struct snap *bb)
{
	for (int i = 0; i < u->nhooks; i++) {
		double bare_ns = 0, ns = per_event(a, b, i);

		for (int j = 0; j < bare->nhooks; j++)
			if (strcmp(bare->hooks[j].tp, u->hooks[i].tp) == 0)
				bare_ns = per_event(ba, bb, j);
		printf("  %-12s %-14s %10llu %9.0f ", what, u->hooks[i].tp,
		       (unsigned long long)(b->cnt[i] - a->cnt[i]), ns);
		if (bare_ns > 0)
			printf("%9.0f %5.2fx\n", bare_ns, ns / bare_ns);
		else
			printf("%9s %6s\n", "-", "-");
	}
}

/* One run of tools/churn (2 s) with the stacks programs at period p,
 * aimed at churn or at nobody. */
static void stacks_run(uint32_t p, int aimed, struct bpf_unit *bare, const struct load_env *env)
{
	const struct hook *h[MAXH], *bh[MAXH];
	struct bpf_unit st = { UNIT_OF(stacks), .prepare = stacks_prepare };
	struct snap s0, s1, b0, b1;
	char what[32];
	pid_t churn;

	stacks_period = p;
	if (unit_load(&st, env) <= 0) {
		fprintf(stderr, "bpf_cost: cannot load the stacks programs\n");
		exit(1);
	}
	for (int i = 0; i < st.nhooks; i++)
		h[i] = &st.hooks[i];
	for (int i = 0; i < bare->nhooks; i++)
		bh[i] = &bare->hooks[i];
	churn = run((char *const[]){ "tools/churn", "-c", "1", "-m", "0", "-t", "2", "-q", NULL });
	aim(&st, aimed ? (uint32_t)churn : 0);
	take(&s0, h, st.nhooks);
	take(&b0, bh, bare->nhooks);
	waitpid(churn, NULL, 0);
	take(&s1, h, st.nhooks);
	take(&b1, bh, bare->nhooks);
	if (aimed)
		snprintf(what, sizeof(what), "churn 1/%u", p);
	else
		snprintf(what, sizeof(what), "nobody");
	stacks_line(what, &st, &s0, &s1, bare, &b0, &b1);
	unit_close(&st);
}

/* The call-site sampler (bpf/stacks.bpf.c): attached with no target (a
 * sampler never leaves it so: it detaches), then aimed at tools/churn,
 * whose every event is a candidate, at four sampling periods. */
static void stacks_costs(void)
{
	static const uint32_t periods[] = { 1, 4, 16, 64 };
	struct bpf_unit bare = { UNIT_OF(bare) };
	struct load_env env = { .vmlinux = btf__load_vmlinux_btf() };
	char why[128];
	int stats = bpf_enable_stats(BPF_STATS_RUN_TIME);

	flush_addr = flush_tlb_func_addr("/proc/kallsyms", why, sizeof(why));
	if (unit_load(&bare, &env) <= 0) {
		fprintf(stderr, "bpf_cost: cannot load the bare programs\n");
		exit(1);
	}
	printf("Call-site sampler (bpf/stacks.bpf.c; default period %d) under tools/churn, 2 s a run;\n"
	       "ns/event over every event on the tracepoint, the target's and the host's:\n", STACKS_PERIOD);
	printf("  %-12s %-14s %10s %9s %9s %6s\n", "target", "tracepoint", "events", "ns/event", "bare", "ratio");
	stacks_run(STACKS_PERIOD, 0, &bare, &env);
	for (size_t i = 0; i < sizeof(periods) / sizeof(periods[0]); i++)
		stacks_run(periods[i], 1, &bare, &env);
	unit_close(&bare);
	btf__free(env.vmlinux);
	if (stats >= 0)
		close(stats);
}

/* CPU seconds of one `stormtop -b -d 0.1 -n ticks` run. */
static double cpu_of_run(const char *ticks)
{
	struct rusage ru;
	int status;

	wait4(run((char *const[]){ "./stormtop", "-b", "-d", "0.1", "-n", (char *)ticks, NULL }),
	      &status, 0, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
	       ((double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_usec) / 1e6;
}

/* stormtop at 10 Hz, steady state: the CPU of a 70-tick run minus a
 * 20-tick one, over the 5 s between, so start-up (BPF load) cancels. */
static double stormtop_cpu(int storm)
{
	pid_t churn = storm ? run((char *const[]){ "tools/churn", "-c", "1", "-m", "0", "-t", "12",
						   "-q", NULL }) : 0;
	double ms = (cpu_of_run("70") - cpu_of_run("20")) / 5.0 * 1e3;

	if (churn)
		waitpid(churn, NULL, 0);
	return ms;
}

/* "bpf_cost stacks": the call-site sampler's table alone; "bpf_cost
 * programs": the per-program table alone. */
int main(int argc, char **argv)
{
	if (geteuid() != 0) {
		printf("bpf_cost: skipped (needs root to load BPF)\n");
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "stacks") == 0) {
		stacks_costs();
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "programs") == 0) {
		program_costs();
		return 0;
	}
	program_costs();
	stacks_costs();
	printf("stormtop -b at 10 Hz, own CPU in steady state: quiet %.2f ms/s, under churn %.2f ms/s\n",
	       stormtop_cpu(0), stormtop_cpu(1));
	return 0;
}
