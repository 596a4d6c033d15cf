// SPDX-License-Identifier: GPL-2.0-only
/* Live, as root: churn attributed to cgroup v2 (issue 23).  Three cgroups
 * are made under the cgroup2 mount (found in /proc/mounts with getmntent,
 * not through the code under test); two tools/churn run in each of two,
 * one idle process sits in the third.  Over the run:
 * - each cgroup's figures (reason-4 sends, TLB IPIs queued, munmaps) equal,
 *   tick by tick, the sum of its processes' rows in the same frame (plus,
 *   for a process that fell into "other", no more than "other" holds),
 *   and every such row carries the cgroup's id;
 * - over the window they equal the kernel's own count for those pids:
 *   perf counters on each child (inherit) on tlb:tlb_flush (reason == 4),
 *   csd:csd_queue_cpu (func == flush_tlb_func) and
 *   syscalls:sys_enter_munmap, give or take the events the kernel did not
 *   run the program for and exit_mmap's last flush, which the task
 *   counters miss;
 * - the idle cgroup shows nothing, and each path is the directory made.
 * Run with the tp_btf programs and with their raw_tp twins. */
#include "live.h"

#include <mntent.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "collectors/bpf_load.h"
#include "collectors/ebpf.h"
#include "collectors/kallsyms.h"
#include "core/ring.h"

#define SEND_FILTER "reason == 4"
_Static_assert(FLUSH_SEND == 4, "SEND_FILTER names FLUSH_SEND");

enum { CG_A, CG_B, CG_IDLE, NCG };
enum { K_SENT, K_FANOUT, K_MUNMAP, NK };
#define PER_CG 2

static struct rig {
	struct ebpf *e;
	struct frame_ring r;
	uint32_t ncpu;
	int open;
} rig;

/* The cgroups made, kept outside the test's frame for the teardown. */
static struct made {
	char dir[NCG][4200];
	char rel[NCG][256];   /* from the mount: "/stormtop-test-PID-a" */
	uint64_t id[NCG];
	int n;
} made;

static void rig_open(int force_raw)
{
	memset(&rig, 0, sizeof(rig));
	rig.ncpu = (uint32_t)sysconf(_SC_NPROCESSORS_CONF);
	assert_int_equal(ring_init(&rig.r, 8, rig.ncpu), 0);
	rig.open = 1;
	rig.e = ebpf_open(rig.ncpu, &(struct ebpf_opts){ .force_raw = force_raw });
	assert_non_null(rig.e);
}

static const struct frame *rig_sample(void)
{
	struct frame *f = ring_begin(&rig.r);

	f->interval_ns = 1;
	ebpf_sample(rig.e, f);
	ring_commit(&rig.r);
	return ring_at_age(&rig.r, 0);
}

/* rmdir once the killed children have left (their exit empties the
 * cgroup a moment after the reap). */
static void cgroups_remove(void)
{
	for (int i = made.n - 1; i >= 0; i--)
		for (int try = 0; try < 100 && rmdir(made.dir[i]) < 0 && errno == EBUSY; try++)
			sleep_ms(20);
	made.n = 0;
}

static int teardown(void **state)
{
	(void)state;
	live_release();
	cgroups_remove();
	if (rig.open) {
		ebpf_close(rig.e);
		ring_free(&rig.r);
	}
	memset(&rig, 0, sizeof(rig));
	return 0;
}

/* The first cgroup2 mount, by getmntent (which decodes \040). */
static int cgroup2_mount(char *out, size_t n)
{
	FILE *f = setmntent("/proc/mounts", "r");
	struct mntent *m;
	int found = 0;

	while (f && !found && (m = getmntent(f)))
		if (!strcmp(m->mnt_type, "cgroup2"))
			found = snprintf(out, n, "%s", m->mnt_dir) < (int)n;
	if (f)
		endmntent(f);
	return found ? 0 : -1;
}

static void cgroups_make(const char *mnt)
{
	static const char *const tag[NCG] = { "a", "b", "idle" };
	struct stat st;

	for (int i = 0; i < NCG; i++) {
		snprintf(made.rel[i], sizeof(made.rel[i]), "/stormtop-test-%d-%s", (int)getpid(), tag[i]);
		snprintf(made.dir[i], sizeof(made.dir[i]), "%s%s", mnt, made.rel[i]);
		if (mkdir(made.dir[i], 0755) < 0)
			fail_msg("mkdir %s: %s", made.dir[i], strerror(errno));
		made.n++;
		assert_int_equal(stat(made.dir[i], &st), 0);
		made.id[i] = st.st_ino; /* what bpf_get_current_cgroup_id returns on 64-bit */
	}
}

/* A child that joins cgroup dir (writing 0 to its cgroup.procs), then
 * waits until its counters are on, then runs argv (NULL: pauses).  Born
 * on this CPU alone, as spawn_counted (live.h) says why.  k gets one
 * counter per figure, on the child and what it starts. */
static pid_t spawn_in(const char *dir, char *const argv[], const long tp[NK], const char *const filt[NK], int k[NK])
{
	char procs[4300];
	cpu_set_t all, here;
	int go[2], pinned;
	pid_t pid;

	snprintf(procs, sizeof(procs), "%s/cgroup.procs", dir);
	if (pipe2(go, O_CLOEXEC) < 0)
		return -1;
	CPU_ZERO(&here);
	CPU_SET(sched_getcpu(), &here);
	pinned = sched_getaffinity(0, sizeof(all), &all) == 0 && sched_setaffinity(0, sizeof(here), &here) == 0;
	pid = fork();
	if (pid == 0) {
		int fd = open(procs, O_WRONLY | O_CLOEXEC);
		char c;

		if (fd < 0 || write(fd, "0", 1) != 1)
			_exit(125);
		close(fd);
		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(126);
		if (pinned)
			sched_setaffinity(0, sizeof(all), &all);
		if (!argv)
			for (;;)
				pause();
		execvp(argv[0], argv);
		_exit(127);
	}
	if (pinned)
		sched_setaffinity(0, sizeof(all), &all);
	close(go[0]);
	live_kid(pid);
	for (int i = 0; i < NK && pid > 0; i++)
		k[i] = tp_counter(tp[i], pid, -1, filt[i], 1);
	if (pid > 0 && write(go[1], "x", 1) != 1)
		pid = -1;
	close(go[1]);
	return pid;
}

/* Events the collector's program on tp did not run for: perf's count of
 * every event minus the program's run count, both over the window (see
 * test_live_bpf.c, struct unseen). */
struct unseen {
	struct cpu_counters k;
	const char *tp;
	uint64_t perf0, runs0;
};

static uint64_t prog_runs(const char *tp)
{
	const struct hook *h[64];
	const char *u[64];
	int n = ebpf_hooks(rig.e, h, u, 64);
	uint64_t runs = 0;

	for (int i = 0; i < n; i++) {
		struct bpf_prog_info info;
		uint32_t len = sizeof(info);

		memset(&info, 0, sizeof(info));
		if (!strcmp(u[i], "churn") && !strcmp(h[i]->tp, tp) &&
		    bpf_obj_get_info_by_fd(bpf_program__fd(h[i]->prog), &info, &len) == 0)
			runs += info.run_cnt;
	}
	return runs;
}

static void unseen_start(struct unseen *u, const char *group, const char *tp)
{
	u->tp = tp;
	if (cpu_counters_open(&u->k, group, tp, NULL) < 0)
		fail_msg("cannot count %s:%s with perf_event_open: %s", group, tp, strerror(errno));
	u->perf0 = cpu_counters_read(&u->k, NULL);
	u->runs0 = prog_runs(tp);
	if (!u->runs0)
		fail_msg("churn's program on %s has no run count (BPF_ENABLE_STATS off?)", tp);
}

static uint64_t unseen_end(struct unseen *u)
{
	uint64_t runs = prog_runs(u->tp) - u->runs0, perf = cpu_counters_read(&u->k, NULL) - u->perf0;

	return perf > runs ? perf - runs : 0;
}

static uint64_t fig(const struct frame_proc *p, int k)
{
	return k == K_SENT ? p->sent : k == K_FANOUT ? p->fanout : p->ops[MAP_MUNMAP];
}

/* What the run saw, per cgroup. */
struct seen {
	uint64_t cg[NCG][NK];      /* the cgroup's own line, summed over ticks */
	uint64_t rows[NCG][NK];    /* its processes' rows, same ticks */
	int ticks_named[NCG];
	int in_other;              /* figures where part of a cgroup was in "other" */
	int mismatched;            /* figures where a line is not its rows (+ some of other) */
};

static int cg_of(uint64_t id)
{
	for (int i = 0; i < NCG; i++)
		if (made.id[i] == id)
			return i;
	return -1;
}

static void add_tick(struct seen *s, const struct frame *f, const pid_t pid[NCG][PER_CG])
{
	uint64_t cg[NCG][NK] = { { 0 } }, rows[NCG][NK] = { { 0 } };

	assert_int_equal(f->cgroups.state, CGROUPS_OK);
	for (uint32_t i = 0; i < f->cgroups.n; i++) {
		const struct frame_cgroup *g = &f->cgroups.top[i];
		int c = cg_of(g->id);

		if (c < 0)
			continue;
		s->ticks_named[c]++;
		assert_string_equal(g->path, made.rel[c]);
		assert_true(g->sum.cgroup_id == g->id);
		for (int k = 0; k < NK; k++)
			cg[c][k] += fig(&g->sum, k);
	}
	for (uint32_t i = 0; i < f->procs.n; i++)
		for (int c = 0; c < NCG; c++)
			for (int j = 0; j < PER_CG; j++)
				if (f->procs.top[i].tgid == pid[c][j] && pid[c][j] > 0) {
					assert_true(f->procs.top[i].cgroup_id == made.id[c]);
					for (int k = 0; k < NK; k++)
						rows[c][k] += fig(&f->procs.top[i], k);
				}
	/* A row can fall out of the top list into "other" (an exiting churn
	 * with its last flush, outranked by the host): the cgroup's line
	 * still holds it, so line - rows is bounded by "other", never below 0. */
	for (int c = 0; c < NCG; c++)
		for (int k = 0; k < NK; k++) {
			s->cg[c][k] += cg[c][k];
			s->rows[c][k] += rows[c][k];
			s->in_other += cg[c][k] != rows[c][k];
			s->mismatched += cg[c][k] < rows[c][k] || cg[c][k] - rows[c][k] > fig(&f->procs.other, k);
		}
}

static void two_cgroups_and_an_idle_one(int force_raw)
{
	static const char *const name[NK] = { "sent", "fanout", "munmap" };
	static struct unseen un[NK];
	static struct seen s;
	static pid_t pid[NCG][PER_CG];
	static int done[NCG][PER_CG];
	static int k[NCG][PER_CG][NK];
	char mnt[4096], why[128], addr[64], filt_fan[96], t[16], m[16], *argv[9];
	const char *filt[NK] = { SEND_FILTER, filt_fan, NULL };
	long tp[NK] = { tracepoint_id("tlb", "tlb_flush"), tracepoint_id("csd", "csd_queue_cpu"),
			tracepoint_id("syscalls", "sys_enter_munmap") };
	int target = (int)sysconf(_SC_NPROCESSORS_ONLN) - 1, status, running;
	uint64_t flush_func, lost[NK];

	NEED_ROOT("loading BPF programs and making cgroups");
	if (cgroup2_mount(mnt, sizeof(mnt)) < 0) {
		printf("SKIP: no cgroup2 mount in /proc/mounts (cgroup v1 only)\n");
		skip();
	}
	if (target < 1) {
		printf("SKIP: needs 2 online CPUs for TLB shootdowns\n");
		skip();
	}
	if (!(flush_func = flush_tlb_func_addr("/proc/kallsyms", why, sizeof(why)))) {
		printf("SKIP: flush_tlb_func's address unknown (%s): no reference for the fan-out\n", why);
		skip();
	}
	for (int i = 0; i < NK; i++)
		if (tp[i] < 0)
			fail_msg("tracepoint for %s missing in tracefs", name[i]);
	snprintf(addr, sizeof(addr), "0x%llx", (unsigned long long)flush_func);
	snprintf(filt_fan, sizeof(filt_fan), "func == %s", addr);
	memset(&s, 0, sizeof(s));
	memset(pid, 0, sizeof(pid));
	memset(done, 0, sizeof(done));
	cgroups_make(mnt);
	rig_open(force_raw);
	if (!frame_has(rig_sample(), SIG_SENDERS))
		fail_msg("churn's programs did not attach: %s", ring_at_age(&rig.r, 0)->status[SRC_BPF].reason);

	/* the idle one settles (its fork's faults) before the window opens */
	pid[CG_IDLE][0] = spawn_in(made.dir[CG_IDLE], NULL, tp, filt, k[CG_IDLE][0]);
	assert_true(pid[CG_IDLE][0] > 0);
	sleep_ms(300);
	unseen_start(&un[K_SENT], "tlb", "tlb_flush");
	unseen_start(&un[K_FANOUT], "csd", "csd_queue_cpu");
	unseen_start(&un[K_MUNMAP], "raw_syscalls", "sys_enter");
	add_tick(&s, rig_sample(), pid); /* baseline */
	memset(&s, 0, sizeof(s));
	for (int c = CG_A; c <= CG_B; c++)
		for (int j = 0; j < PER_CG; j++) {
			churn_argv(argv, t, m, target, 0, "1");
			pid[c][j] = spawn_in(made.dir[c], argv, tp, filt, k[c][j]);
			assert_true(pid[c][j] > 0);
			for (int i = 0; i < NK; i++)
				if (k[c][j][i] < 0)
					fail_msg("cannot count %s of churn %d: %s", name[i], pid[c][j], strerror(errno));
		}
	do {
		sleep_ms(200);
		running = 0;
		for (int c = CG_A; c <= CG_B; c++)
			for (int j = 0; j < PER_CG; j++) {
				if (done[c][j])
					continue;
				if (live_running(pid[c][j], &status)) {
					running = 1;
					continue;
				}
				done[c][j] = 1;
				assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
			}
		add_tick(&s, rig_sample(), pid);
	} while (running);
	add_tick(&s, rig_sample(), pid); /* what the last exits left */
	for (int i = 0; i < NK; i++)
		lost[i] = unseen_end(&un[i]);

	for (int c = 0; c < NCG; c++) {
		uint64_t kern[NK] = { 0 };

		for (int j = 0; j < PER_CG; j++)
			for (int i = 0; i < NK && (c != CG_IDLE || j == 0); i++)
				kern[i] += counter_read(k[c][j][i]);
		printf("cgroup %s (id %llu), named in %d ticks:\n", made.rel[c], (unsigned long long)made.id[c],
		       s.ticks_named[c]);
		for (int i = 0; i < NK; i++)
			printf("  %-7s cgroup %7llu  its rows %7llu  kernel (perf on its pids) %7llu  unseen <= %llu\n",
			       name[i], (unsigned long long)s.cg[c][i], (unsigned long long)s.rows[c][i],
			       (unsigned long long)kern[i], (unsigned long long)lost[i]);
		for (int i = 0; i < NK; i++) {
			/* exit_mmap's last flush (one, two at most per process)
			 * happens after the task counters stop; each reaches
			 * every other CPU at most */
			uint64_t exit_slack = i == K_MUNMAP ? 0 : (uint64_t)PER_CG * 2 * (i == K_FANOUT ? rig.ncpu : 1);

			assert_true(s.cg[c][i] + lost[i] >= kern[i]);
			assert_true(s.cg[c][i] <= kern[i] + exit_slack);
		}
		if (c == CG_IDLE) {
			assert_int_equal(s.ticks_named[c], 0);
			for (int i = 0; i < NK; i++)
				assert_true(s.cg[c][i] == 0 && kern[i] == 0);
		} else {
			assert_true(kern[K_SENT] > 200);   /* the storm ran */
			assert_true(kern[K_MUNMAP] > 200);
			assert_true(s.ticks_named[c] > 0);
		}
	}
	printf("figures where a cgroup's line is not its processes' rows (plus some of \"other\"): %d; "
	       "with part of it in \"other\": %d\n", s.mismatched, s.in_other);
	assert_int_equal(s.mismatched, 0);
}

static void cgroups_tp_btf(void **state)
{
	(void)state;
	two_cgroups_and_an_idle_one(0);
}

static void cgroups_raw_tp(void **state)
{
	(void)state;
	two_cgroups_and_an_idle_one(1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(cgroups_tp_btf, teardown),
		cmocka_unit_test_teardown(cgroups_raw_tp, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
