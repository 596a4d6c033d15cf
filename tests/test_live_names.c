// SPDX-License-Identifier: GPL-2.0-only
/* Live, as root: the process table names a process as /proc/PID/comm does,
 * however it was named.
 *
 * A child whose main thread waits while a worker thread, renamed, munmaps
 * flat out (so the churn collector ranks it) is started before the
 * collector: the first event the collector sees is the worker's, yet the
 * name shown is the main thread's.  Then the main thread renames itself
 * with prctl(PR_SET_NAME) (as stress-ng's workers do after the fork that
 * put them in the table), the worker renames itself again (a thread's
 * name is not the process's), and the main thread writes /proc/self/comm.
 * After each, the name shown equals /proc/PID/comm read at that moment. */
#include "live.h"

#include <fcntl.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/prctl.h>

#include "collectors/ebpf.h"
#include "core/ring.h"

static volatile int worker_cmd; /* 't': rename yourself; in the child only */

static void *worker(void *arg)
{
	(void)arg;
	prctl(PR_SET_NAME, "tlbrn-worker");
	for (;;) {
		for (int i = 0; i < 100; i++) {
			char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			if (p != MAP_FAILED) {
				p[0] = 1;
				munmap(p, 4096);
			}
		}
		if (worker_cmd == 't') {
			prctl(PR_SET_NAME, "tlbrn-thread2");
			worker_cmd = 0;
		}
	}
	return NULL;
}

/* The child's main thread: obeys one-byte commands, acks each. */
static void child(int cmd, int ack)
{
	pthread_t t;
	char c;

	pthread_create(&t, NULL, worker, NULL);
	while (read(cmd, &c, 1) == 1) {
		if (c == 'r') {
			prctl(PR_SET_NAME, "tlbrn-renamed");
		} else if (c == 't') {
			worker_cmd = 't';
			while (worker_cmd)
				sleep_ms(1);
		} else if (c == 'p') {
			int fd = open("/proc/self/comm", O_WRONLY);

			if (fd < 0 || write(fd, "tlbrn-procfs", 12) != 12)
				_exit(3);
			close(fd);
		}
		if (write(ack, &c, 1) != 1 || c == 'q')
			_exit(0);
	}
	_exit(2);
}

struct rig {
	struct ebpf *e;
	struct frame_ring r;
	pid_t pid;
	int cmd, ack;
};

static struct rig g;

static void comm_of(pid_t pid, char *buf, size_t len)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, (int)len, f));
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
}

/* The child's name in the table within a few ticks; NULL if it never
 * ranked (a machine busier than 20 processes' worth of map churn). */
static const char *shown(void)
{
	static char name[FRAME_COMM_LEN];

	for (int tick = 0; tick < 10; tick++) {
		struct frame *f = ring_begin(&g.r);
		const struct frame *now;

		f->interval_ns = 1;
		sleep_ms(100);
		ebpf_sample(g.e, f);
		ring_commit(&g.r);
		now = ring_at_age(&g.r, 0);
		for (uint32_t i = 0; i < now->procs.n; i++)
			if (now->procs.top[i].tgid == g.pid) {
				memcpy(name, now->procs.top[i].comm, sizeof(name));
				return name;
			}
	}
	return NULL;
}

static void say(char c)
{
	char back;

	assert_int_equal(write(g.cmd, &c, 1), 1);
	assert_int_equal(read(g.ack, &back, 1), 1);
	assert_int_equal(back, c);
}

static void expect_proc_comm(const char *when, const char *want)
{
	char proc[32];
	const char *name = shown();

	comm_of(g.pid, proc, sizeof(proc));
	if (!name)
		fail_msg("%s: pid %d never among the top processes", when, (int)g.pid);
	printf("%s: table '%s', /proc/%d/comm '%s'\n", when, name, (int)g.pid, proc);
	assert_string_equal(proc, want); /* the kernel did what we asked */
	assert_string_equal(name, proc);
}

static void names_follow_comm(int force_raw)
{
	int cmd[2], ack[2];
	char mine[32];

	NEED_ROOT("loading BPF programs");
	memset(&g, 0, sizeof(g));
	assert_int_equal(pipe(cmd), 0);
	assert_int_equal(pipe(ack), 0);
	g.pid = fork();
	if (g.pid == 0) {
		close(cmd[1]);
		close(ack[0]);
		child(cmd[0], ack[1]);
	}
	close(cmd[0]);
	close(ack[1]);
	g.cmd = cmd[1];
	g.ack = ack[0];
	comm_of(getpid(), mine, sizeof(mine));
	sleep_ms(100); /* the worker is named and churning before we look */
	assert_int_equal(ring_init(&g.r, 4, (uint32_t)sysconf(_SC_NPROCESSORS_CONF)), 0);
	g.e = ebpf_open((uint32_t)sysconf(_SC_NPROCESSORS_CONF), &(struct ebpf_opts){ .force_raw = force_raw });
	assert_non_null(g.e);
	shown(); /* the baseline tick */
	expect_proc_comm("first seen through a renamed thread", mine);
	say('r');
	expect_proc_comm("after prctl(PR_SET_NAME) in the main thread", "tlbrn-renamed");
	say('t');
	expect_proc_comm("after a thread renamed itself", "tlbrn-renamed");
	say('p');
	expect_proc_comm("after a write to /proc/self/comm", "tlbrn-procfs");
}

static int teardown(void **state)
{
	int status;

	(void)state;
	if (g.pid > 0) {
		kill(g.pid, SIGKILL);
		waitpid(g.pid, &status, 0);
	}
	if (g.cmd)
		close(g.cmd);
	if (g.ack)
		close(g.ack);
	ebpf_close(g.e);
	if (g.r.cap)
		ring_free(&g.r);
	memset(&g, 0, sizeof(g));
	return 0;
}

static void names_tp_btf(void **state)
{
	(void)state;
	names_follow_comm(0);
}

static void names_raw_tp(void **state)
{
	(void)state;
	names_follow_comm(1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(names_tp_btf, teardown),
		cmocka_unit_test_teardown(names_raw_tp, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
