/* SPDX-License-Identifier: GPL-2.0-only */
/* Helpers for the live tests: an independent /proc/interrupts reader, load
 * generators, kernel counters to compare against, and the privilege gate
 * (skip outside CI, fail in it).
 *
 * A live test runs on a host that is not ours: builds, other monitors,
 * other storms.  So it compares stormtop with a reference that counts the
 * same events over the same window (the kernel's own counters, read on
 * either side of stormtop's reads), or it counts only what it caused
 * itself (perf counters on its own processes), never a host-wide figure
 * against what the test alone would make. */
#ifndef STORMTOP_LIVE_H
#define STORMTOP_LIVE_H

#include "testlib.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/perf_event.h>

#define MAXC 4096

/* An independent reader: fgets + sscanf, sharing no code with the collector. */
static inline int read_tlb(uint64_t *out, uint8_t *online)
{
	FILE *f = fopen("/proc/interrupts", "r");
	static char line[1 << 16];
	int ids[MAXC], ncol = 0;
	char *p;

	if (!f || !fgets(line, sizeof(line), f)) {
		if (f)
			fclose(f);
		return -1;
	}
	for (p = strstr(line, "CPU"); p && ncol < MAXC; p = strstr(p + 3, "CPU"))
		ids[ncol++] = atoi(p + 3);
	while (fgets(line, sizeof(line), f)) {
		int off = 0, n;

		if (sscanf(line, " TLB:%n", &off) != 0 || off == 0)
			continue;
		p = line + off;
		for (int c = 0; c < ncol; c++) {
			unsigned long v;

			if (sscanf(p, "%lu%n", &v, &n) != 1)
				break;
			out[ids[c]] = v;
			online[ids[c]] = 1;
			p += n;
		}
	}
	fclose(f);
	return ncol;
}

/* Everything a live test started, kept here and not in the test's stack
 * frame: a failed check longjmps out of the test, and live_teardown then
 * stops the children and closes the descriptors it left behind. */
struct live_held {
	pid_t kid[4 * MAXC + 16];
	int nkid;
	int fd[2 * MAXC + 16];
	int nfd;
};
static struct live_held live_held;

static inline pid_t live_kid(pid_t pid)
{
	if (pid > 0 && live_held.nkid < (int)(sizeof(live_held.kid) / sizeof(pid_t)))
		live_held.kid[live_held.nkid++] = pid;
	return pid;
}

static inline int live_fd(int fd)
{
	if (fd >= 0 && live_held.nfd < (int)(sizeof(live_held.fd) / sizeof(int)))
		live_held.fd[live_held.nfd++] = fd;
	return fd;
}

/* Reaps pid (blocking) and forgets it; its wait status, or -1. */
static inline int live_reap(pid_t pid)
{
	int status = -1;

	if (waitpid(pid, &status, 0) != pid)
		status = -1;
	for (int i = 0; i < live_held.nkid; i++)
		if (live_held.kid[i] == pid)
			live_held.kid[i] = live_held.kid[--live_held.nkid];
	return status;
}

/* Non-blocking: 1 while pid runs; 0 once it has exited (status set). */
static inline int live_running(pid_t pid, int *status)
{
	if (waitpid(pid, status, WNOHANG) == 0)
		return 1;
	for (int i = 0; i < live_held.nkid; i++)
		if (live_held.kid[i] == pid)
			live_held.kid[i] = live_held.kid[--live_held.nkid];
	return 0;
}

static inline void live_release(void)
{
	for (int i = 0; i < live_held.nkid; i++)
		kill(live_held.kid[i], SIGKILL);
	for (int i = 0; i < live_held.nkid; i++)
		waitpid(live_held.kid[i], NULL, 0);
	for (int i = 0; i < live_held.nfd; i++)
		close(live_held.fd[i]);
	live_held.nkid = live_held.nfd = 0;
}

/* fork + exec of a NULL-terminated argv; the child's pid, held. */
static inline pid_t spawn(char *const argv[])
{
	pid_t pid = fork();

	if (pid == 0) {
		execvp(argv[0], argv);
		_exit(127);
	}
	return live_kid(pid);
}

/* spawn with stdout to fd (which the child gets alone). */
static inline pid_t spawn_out(char *const argv[], int fd)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (dup2(fd, 1) < 0)
			_exit(126);
		execvp(argv[0], argv);
		_exit(127);
	}
	return live_kid(pid);
}

static inline const char *churn_path(void)
{
	return getenv("STORMTOP_CHURN") ? getenv("STORMTOP_CHURN") : "tools/churn";
}

static inline void churn_argv(char **argv, char *t, char *m, int target, int mutator, const char *secs)
{
	snprintf(t, 16, "%d", target);
	snprintf(m, 16, "%d", mutator);
	argv[0] = (char *)churn_path();
	argv[1] = "-c", argv[2] = t, argv[3] = "-m", argv[4] = m;
	argv[5] = "-t", argv[6] = (char *)secs, argv[7] = "-q", argv[8] = NULL;
}

static inline pid_t start_churn(int target, int mutator, const char *secs)
{
	char t[16], m[16], *argv[9];

	churn_argv(argv, t, m, target, mutator, secs);
	return spawn(argv);
}

static inline void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* The tracepoint's id (tracefs events/GROUP/NAME/id), mounting tracefs
 * first if nobody has; -1 when the kernel has no such tracepoint. */
static inline long tracepoint_id(const char *group, const char *name)
{
	static const char *const roots[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };
	char path[256];
	long id = -1;

	for (int pass = 0; pass < 2 && id < 0; pass++) {
		for (size_t i = 0; i < 2 && id < 0; i++) {
			FILE *f;

			snprintf(path, sizeof(path), "%s/events/%s/%s/id", roots[i], group, name);
			if ((f = fopen(path, "r"))) {
				if (fscanf(f, "%ld", &id) != 1)
					id = -1;
				fclose(f);
			}
		}
		if (id < 0)
			mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL);
	}
	return id;
}

/* A counting perf event on tracepoint id, for pid (-1: every task) on cpu
 * (-1: every CPU), with an ftrace filter (NULL: none), enabled only once
 * the filter is on.  inherit: the task's later threads and children count
 * too.  The fd (held), or -1 with errno. */
static inline int tp_counter(long id, pid_t pid, int cpu, const char *filter, int inherit)
{
	struct perf_event_attr a = { .type = PERF_TYPE_TRACEPOINT, .size = sizeof(a),
				     .config = (uint64_t)id, .inherit = inherit != 0, .disabled = 1 };
	int fd = (int)syscall(SYS_perf_event_open, &a, pid, cpu, -1, PERF_FLAG_FD_CLOEXEC);

	if (fd < 0)
		return -1;
	live_fd(fd);
	if (filter && ioctl(fd, PERF_EVENT_IOC_SET_FILTER, filter) < 0)
		return -1;
	return ioctl(fd, PERF_EVENT_IOC_ENABLE, 0) < 0 ? -1 : fd;
}

static inline uint64_t counter_read(int fd)
{
	uint64_t v = 0;

	return read(fd, &v, sizeof(v)) == sizeof(v) ? v : 0;
}

/* One counter per CPU on a tracepoint, every task: the kernel's own count
 * of the events a BPF program on the same tracepoint sees. */
struct cpu_counters {
	int fd[MAXC];
	int n;
};

static inline int cpu_counters_open(struct cpu_counters *c, const char *group, const char *name,
				    const char *filter)
{
	long id = tracepoint_id(group, name);

	c->n = (int)sysconf(_SC_NPROCESSORS_CONF);
	if (id < 0)
		return -1;
	for (int cpu = 0; cpu < c->n; cpu++)
		if ((c->fd[cpu] = tp_counter(id, -1, cpu, filter, 0)) < 0)
			return -1;
	return 0;
}

/* The sum over CPUs; per_cpu (may be NULL) gets each CPU's count. */
static inline uint64_t cpu_counters_read(const struct cpu_counters *c, uint64_t *per_cpu)
{
	uint64_t sum = 0;

	for (int cpu = 0; cpu < c->n; cpu++) {
		uint64_t v = counter_read(c->fd[cpu]);

		if (per_cpu)
			per_cpu[cpu] = v;
		sum += v;
	}
	return sum;
}

/* Starts argv with a counter on tracepoint id (filtered) that counts the
 * child, its threads and children from its first instruction on: what the
 * test's own load generator did, whatever else runs on the host.  The
 * child waits on a pipe until the counter is on.  *fd gets the counter. */
static inline pid_t spawn_counted(char *const argv[], long id, const char *filter, int *fd)
{
	cpu_set_t all, here;
	int go[2], pinned;
	pid_t pid;

	*fd = -1;
	if (pipe2(go, O_CLOEXEC) < 0)
		return -1;
	/* The child is born on this CPU alone, so until the counter is on its
	 * mm lives on one CPU and no write it makes can flush another's TLB:
	 * nothing it does goes uncounted. */
	CPU_ZERO(&here);
	CPU_SET(sched_getcpu(), &here);
	pinned = sched_getaffinity(0, sizeof(all), &all) == 0 && sched_setaffinity(0, sizeof(here), &here) == 0;
	pid = fork();
	if (pid == 0) {
		char c;

		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(126);
		if (pinned)
			sched_setaffinity(0, sizeof(all), &all);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (pinned)
		sched_setaffinity(0, sizeof(all), &all);
	close(go[0]);
	live_kid(pid);
	if (pid > 0)
		*fd = tp_counter(id, pid, -1, filter, 1);
	if (pid > 0 && write(go[1], "x", 1) != 1)
		*fd = -1;
	close(go[1]);
	return pid;
}

/* Privileged tests skip with a reason on a developer's box, but CI runs
 * as root and must run them. */
#define NEED_ROOT(what)                                                              \
	do {                                                                         \
		if (geteuid() != 0) {                                                \
			if (getenv("CI") && strcmp(getenv("CI"), "true") == 0)        \
				fail_msg("CI must run as root: %s", what);           \
			printf("SKIP: %s needs root\n", what);                       \
			skip();                                                      \
		}                                                                    \
	} while (0)

static inline int in_ci(void)
{
	return getenv("CI") && strcmp(getenv("CI"), "true") == 0;
}

#endif
