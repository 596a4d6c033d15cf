/* SPDX-License-Identifier: GPL-2.0-only */
/* The run-queue reference for the live tests: perf's own record of the
 * sched tracepoints over a window, read back with perf script and turned
 * into delays by code sharing nothing with the BPF side.  Shared by
 * test_live_bpf.c and test_live_rqlat.c (one copy: both bracket their
 * windows the same way). */
#ifndef STORMTOP_PERF_SCHED_H
#define STORMTOP_PERF_SCHED_H

#include "live.h"

#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <sys/stat.h>

static int have(const char *prog)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", prog);
	return system(cmd) == 0;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The reference: perf's own record of the sched tracepoints, read back
 * with perf script and turned into delays the way the kernel defines
 * them (woken or preempted -> switched in), by code sharing nothing with
 * the BPF side.  A delay counts when it ends inside the outer window
 * edge[0..3] (CLOCK_MONOTONIC ns) and, for cpu >= 0, ends on that CPU,
 * where the task is switched in; they come back sorted in out.  *inner
 * (may be NULL) gets how many of at least tail_ns end inside edge[1..2],
 * the part the BPF side certainly summed; *lost (may be NULL) the records
 * perf dropped.  *gaps (may be NULL) counts the places inside the outer
 * window where perf's record misses switches it never said it dropped: a
 * CPU's switch whose prev_pid is not the task the CPU's last recorded
 * switch put on.  Seen on a busy host (a task perf does not record
 * events of ran there); what happened while it was on, the delays it
 * ended and the wakeups it made, is missing from the reference, so a
 * window with gaps does not bound the BPF side's count from above.
 * Returns the outer count. */
static size_t reference_delays_gaps(const char *data, const uint64_t edge[4], int cpu, uint64_t tail_ns,
				    uint64_t *out, size_t max, size_t *inner, unsigned long *lost,
				    unsigned long *gaps)
{
	static uint64_t since[1 << 22]; /* by pid: ns + 1, 0 = not waiting */
	static long on_cpu[4096];       /* by CPU: next_pid of its last switch + 1 */
	char cmd[512], line[1024];
	unsigned long dropped = 0, holes = 0;
	size_t n = 0, in = 0;
	FILE *p;

	memset(since, 0, sizeof(since));
	memset(on_cpu, 0, sizeof(on_cpu));
	snprintf(cmd, sizeof(cmd), "perf script -i %s --show-lost-events -F cpu,time,event,trace --ns 2>/dev/null",
		 data);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p) && n < max) {
		unsigned long sec, nsec;
		unsigned int pid, prev, next;
		int on;
		char state[8];
		uint64_t ts;
		char *q;

		if ((q = strstr(line, "PERF_RECORD_LOST lost "))) {
			dropped += strtoul(q + 22, NULL, 10);
			continue;
		}
		if (sscanf(line, " [%d] %lu.%lu:", &on, &sec, &nsec) != 3)
			continue;
		ts = (uint64_t)sec * 1000000000u + nsec;
		if (strstr(line, "sched_switch:")) {
			int have_prev = (q = strstr(line, "prev_pid=")) && sscanf(q, "prev_pid=%u", &prev) == 1;
			int have_next = (q = strstr(line, "next_pid=")) && sscanf(q, "next_pid=%u", &next) == 1;

			if (have_prev && on >= 0 && on < 4096) {
				holes += on_cpu[on] && on_cpu[on] != (long)prev + 1 && ts >= edge[0] && ts <= edge[3];
				on_cpu[on] = have_next ? (long)next + 1 : 0;
			}
			if (have_prev && (q = strstr(line, "prev_state=")) && sscanf(q, "prev_state=%7s", state) == 1 &&
			    state[0] == 'R' && prev && prev < (1u << 22))
				since[prev] = ts + 1;
			if (have_next && next && next < (1u << 22) && since[next]) {
				uint64_t d = ts - (since[next] - 1);

				if (cpu < 0 || on == cpu) {
					if (ts >= edge[0] && ts <= edge[3])
						out[n++] = d;
					in += ts >= edge[1] && ts <= edge[2] && d >= tail_ns;
				}
				since[next] = 0;
			}
		} else if ((q = strstr(line, " pid=")) && sscanf(q, " pid=%u", &pid) == 1 &&
			   pid && pid < (1u << 22)) {
			since[pid] = ts + 1; /* sched_wakeup, sched_wakeup_new */
		}
	}
	pclose(p);
	qsort(out, n, sizeof(*out), cmp_u64);
	if (inner)
		*inner = in;
	if (lost)
		*lost = dropped;
	if (gaps)
		*gaps = holes;
	return n;
}

static inline size_t reference_delays(const char *data, const uint64_t edge[4], int cpu, uint64_t tail_ns,
				      uint64_t *out, size_t max, size_t *inner, unsigned long *lost)
{
	return reference_delays_gaps(data, edge, cpu, tail_ns, out, max, inner, lost, NULL);
}

static uint64_t at(const uint64_t *v, size_t n, double q)
{
	size_t i = (size_t)ceil(q * (double)n);

	return v[i > 0 ? (i <= n ? i - 1 : n - 1) : 0];
}

/* perf's --control fifo: a command, then its "ack", which perf sends only
 * from its main loop, so after an "enable" ack it is recording. */
static int perf_ctl(int ctl, int ack, const char *cmd)
{
	struct pollfd p = { .fd = ack, .events = POLLIN };
	char buf[16];

	if (write(ctl, cmd, strlen(cmd)) != (ssize_t)strlen(cmd) || poll(&p, 1, 30000) != 1)
		return -1;
	return read(ack, buf, sizeof(buf)) > 0 && !strncmp(buf, "ack", 3) ? 0 : -1;
}

/* perf record with events off until enabled, timestamps on CLOCK_MONOTONIC
 * so its delays can be cut to exactly the window the BPF side summed. */
static pid_t start_perf_sched(const char *dir, const char *data, int *ctl, int *ack)
{
	char ctlp[128], ackp[128], control[300];

	snprintf(ctlp, sizeof(ctlp), "%s/ctl", dir);
	snprintf(ackp, sizeof(ackp), "%s/ack", dir);
	snprintf(control, sizeof(control), "fifo:%s,%s", ctlp, ackp);
	if (mkfifo(ctlp, 0600) || mkfifo(ackp, 0600))
		return -1;
	/* read-write opens never block, whether or not perf is up yet */
	*ctl = open(ctlp, O_RDWR | O_CLOEXEC);
	*ack = open(ackp, O_RDWR | O_CLOEXEC);
	if (*ctl < 0 || *ack < 0)
		return -1;
	return spawn((char *const[]){ "perf", "record", "-q", "-a", "-k", "CLOCK_MONOTONIC", "-D", "-1",
				      "--control", control, "-m", "1024", "-o", (char *)data, "-e",
				      "sched:sched_switch,sched:sched_wakeup,sched:sched_wakeup_new",
				      NULL });
}

static void remove_rq_dir(const char *dir)
{
	const char *names[] = { "perf.data", "perf.data.old", "ctl", "ack" };
	char path[160];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

#endif
