// SPDX-License-Identifier: GPL-2.0-only
/* The monitor's own CPU, in ms per second of wall time: `stormtop -b`
 * (batch), the TUI (200x60, on a pty) and `stormtop record`, at 1 Hz and
 * 10 Hz, live on this host and with --synthetic 64, 256 and 1024; and
 * htop on a pty at the same rates, live, for the ratio.
 *
 * cpu: the child's on-CPU time, every thread, user and system together
 *      (/proc/PID/task/TID/schedstat, first field, ns) over a WINDOW_S
 *      window that starts START_S in (set-up excluded).
 * bpf: run_time_ns summed over the BPF programs the child holds
 *      (/proc/PID/fdinfo, kernel.bpf_stats via BPF_ENABLE_STATS while
 *      this bench runs) over the same window; it counts every event on
 *      the host, the monitor's cost whoever caused them.
 * Per-tick sampling cost at these sizes: bench/tick_cost.c.
 * Usage: mon_cost [STORMTOP [MODE]] (default ./stormtop, every mode; MODE
 * batch, tui, record or htop runs that one alone).  Prints; asserts nothing. */
#include <bpf/bpf.h>
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define START_S 2.0
#define WINDOW_S 8.0

enum mode { BATCH, TUI, RECORD, HTOP, MODES };
static const char *const mode_name[MODES] = { "batch", "tui", "record", "htop" };

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ns on CPU of every thread of pid (schedstat's sum_exec_runtime). */
static double cpu_ns(pid_t pid)
{
	char path[320];
	double sum = 0;
	struct dirent *d;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	if (!(dir = opendir(path)))
		return -1;
	while ((d = readdir(dir))) {
		unsigned long long ns;
		FILE *f;

		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/schedstat", (int)pid, d->d_name);
		if ((f = fopen(path, "re"))) {
			if (fscanf(f, "%llu", &ns) == 1)
				sum += (double)ns;
			fclose(f);
		}
	}
	closedir(dir);
	return sum;
}

/* ns the child's BPF programs ran, summed over its fds (fdinfo). */
static double bpf_ns(pid_t pid)
{
	char path[320], line[256];
	double sum = 0;
	struct dirent *d;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/fdinfo", (int)pid);
	if (!(dir = opendir(path)))
		return 0;
	while ((d = readdir(dir))) {
		FILE *f;
		int prog = 0;
		double ns = 0;

		snprintf(path, sizeof(path), "/proc/%d/fdinfo/%s", (int)pid, d->d_name);
		if (d->d_name[0] == '.' || !(f = fopen(path, "re")))
			continue;
		while (fgets(line, sizeof(line), f)) {
			prog |= !strncmp(line, "prog_type:", 10);
			if (!strncmp(line, "run_time_ns:", 12))
				ns = atof(line + 12);
		}
		fclose(f);
		sum += prog ? ns : 0;
	}
	closedir(dir);
	return sum;
}

static pid_t spawn(enum mode m, const char *bin, const char *synth, double delay, int *master)
{
	char d[16], tenths[16], rec[64], *argv[16];
	struct winsize ws = { .ws_row = 60, .ws_col = 200 };
	int n = 0;
	pid_t pid;

	snprintf(d, sizeof(d), "%g", delay);
	snprintf(tenths, sizeof(tenths), "%d", (int)(delay * 10 + 0.5));
	snprintf(rec, sizeof(rec), "/tmp/mon_cost.%d.rec", (int)getpid());
	unlink(rec);
	if (m == HTOP) {
		argv[n++] = "htop"; argv[n++] = "-d"; argv[n++] = tenths;
	} else {
		argv[n++] = (char *)bin;
		if (m == RECORD) {
			argv[n++] = "record"; argv[n++] = "-o"; argv[n++] = rec;
		}
		if (m == BATCH)
			argv[n++] = "-b";
		argv[n++] = "-d"; argv[n++] = d;
		if (synth) {
			argv[n++] = "--synthetic"; argv[n++] = (char *)synth;
		}
	}
	argv[n] = NULL;
	fflush(stdout);
	*master = -1;
	pid = (m == TUI || m == HTOP) ? forkpty(master, NULL, NULL, &ws) : fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (m != TUI && m != HTOP)
			dup2(null, 1);
		dup2(null, 2);
		setenv("TERM", "xterm-256color", 1);
		execvp(argv[0], argv);
		_exit(127);
	}
	return pid;
}

/* Waits until t (drains the pty so the child never blocks writing). */
static void wait_until(double t, int master)
{
	char buf[65536];

	for (double left; (left = t - now_s()) > 0;) {
		struct pollfd p = { .fd = master, .events = POLLIN };

		if (master < 0) {
			usleep((useconds_t)(left * 1e6));
			return;
		}
		if (poll(&p, 1, (int)(left * 1000) + 1) > 0 && read(master, buf, sizeof(buf)) <= 0)
			usleep(10000);
	}
}

/* ms/s of CPU and of BPF; cpu < 0 when the child did not run. */
static void run(enum mode m, const char *bin, const char *synth, double delay, double *cpu, double *bpf)
{
	int master, st;
	double t0 = now_s(), c0, b0, c1, b1;
	pid_t pid = spawn(m, bin, synth, delay, &master);

	*cpu = *bpf = -1;
	if (pid < 0)
		return;
	wait_until(t0 + START_S, master);
	c0 = cpu_ns(pid);
	b0 = bpf_ns(pid);
	wait_until(t0 + START_S + WINDOW_S, master);
	c1 = cpu_ns(pid);
	b1 = bpf_ns(pid);
	if (waitpid(pid, &st, WNOHANG) == pid) { /* exited early (htop missing?): no figure */
		if (master >= 0)
			close(master);
		return;
	}
	kill(pid, SIGTERM);
	wait_until(now_s() + 0.3, master);
	if (waitpid(pid, &st, WNOHANG) == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
	}
	if (master >= 0)
		close(master);
	if (c0 < 0 || c1 < 0)
		return;
	*cpu = (c1 - c0) / 1e6 / WINDOW_S;
	*bpf = (b1 - b0) / 1e6 / WINDOW_S;
}

int main(int argc, char **argv)
{
	static const char *const synth[] = { NULL, "64", "256", "1024" };
	static const int ncpu_of[] = { 0, 64, 256, 1024 };
	static const double delay[] = { 1.0, 0.1 };
	const char *bin = argc > 1 ? argv[1] : "./stormtop", *only = argc > 2 ? argv[2] : NULL;
	double at10[MODES][4] = { { 0 } }, htop10 = -1, cpu10[MODES] = { 0 };
	char rec[64];
	int stats = bpf_enable_stats(BPF_STATS_RUN_TIME);

	if (access(bin, X_OK)) {
		fprintf(stderr, "mon_cost: %s: not executable\n", bin);
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	printf("mon_cost: ms of CPU per second (user+sys, all threads) and BPF ms/s%s; %.0f s each after %.0f s\n",
	       stats < 0 ? " (bpf stats unavailable: not root?)" : "", WINDOW_S, START_S);
	printf("%-7s %-6s %-10s %8s %8s %8s\n", "mode", "rate", "cpus", "cpu", "bpf", "total");
	for (int m = BATCH; m <= HTOP; m++)
		for (int r = 0; r < 2 && (!only || !strcmp(only, mode_name[m])); r++)
			for (int s = 0; s < (m == HTOP ? 1 : 4); s++) {
				char cpus[24];
				double cpu, bpf;

				run((enum mode)m, bin, synth[s], delay[r], &cpu, &bpf);
				if (s)
					snprintf(cpus, sizeof(cpus), "%s synth", synth[s]);
				else
					snprintf(cpus, sizeof(cpus), "%ld live", sysconf(_SC_NPROCESSORS_CONF));
				if (cpu < 0) {
					printf("%-7s %-6s %-10s  did not run\n", mode_name[m], r ? "10 Hz" : "1 Hz", cpus);
					continue;
				}
				printf("%-7s %-6s %-10s %8.2f %8.2f %8.2f\n", mode_name[m], r ? "10 Hz" : "1 Hz", cpus,
				       cpu, bpf, cpu + bpf);
				if (r == 1 && m != HTOP)
					at10[m][s] = cpu + bpf;
				if (r == 1 && s == 0)
					cpu10[m] = cpu;
				if (r == 1 && m == HTOP)
					htop10 = cpu + bpf;
			}
	printf("growth per CPU at 10 Hz, 64 -> 1024 synthetic CPUs (us/s per CPU):");
	for (int m = BATCH; m < HTOP; m++)
		printf(" %s %.2f", mode_name[m], (at10[m][3] - at10[m][1]) * 1e3 / (ncpu_of[3] - ncpu_of[1]));
	printf("\n");
	if (htop10 > 0)
		printf("tui / htop at 10 Hz live: %.2f with BPF, %.2f user+sys only\n", at10[TUI][0] / htop10,
		       cpu10[TUI] / cpu10[HTOP]);
	snprintf(rec, sizeof(rec), "/tmp/mon_cost.%d.rec", (int)getpid());
	unlink(rec);
	return 0;
}
