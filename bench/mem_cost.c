// SPDX-License-Identifier: GPL-2.0-only
/* The monitor's resident memory, and its own TLB shootdowns in the same
 * runs: `stormtop -b` live (this host's CPUs) and with --synthetic 64,
 * 512 and 4096, at 20 Hz until its history (600 frames) is full.
 *
 * RSS early: VmRSS from /proc/PID/status 2 s in (about 40 frames held).
 * HWM full:  the child's ru_maxrss from wait4 after -n 620 ticks, i.e. with
 *            every history slot filled (VmHWM at exit).
 * own IPIs:  tlb:tlb_flush with reason 4 (TLB_REMOTE_SEND_IPI) sent by the
 *            child's pid, counted by `perf stat -a` with a tracepoint
 *            filter from 1 s to 26 s in (before it exits: the exit's own
 *            unmapping is not sampling); "-" when perf cannot count.
 * Usage: mem_cost [STORMTOP] (default ./stormtop).  Prints; asserts nothing. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TICKS "620"

static long status_kb(pid_t pid, const char *key)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (!(f = fopen(path, "re")))
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)) && line[strlen(key)] == ':')
			kb = atol(line + strlen(key) + 1);
	fclose(f);
	return kb;
}

static pid_t spawn(const char *bin, const char *synth)
{
	pid_t pid;

	fflush(stdout); /* or the child's copy of the buffer prints twice */
	pid = fork();

	if (pid == 0) {
		if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
			_exit(127);
		if (synth)
			execl(bin, bin, "-b", "-d", "0.05", "-n", TICKS, "--synthetic", synth, (char *)NULL);
		else
			execl(bin, bin, "-b", "-d", "0.05", "-n", TICKS, (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* perf counting the child's own shootdown IPIs until it exits. */
static FILE *own_ipis_start(pid_t pid)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd),
		 "perf stat -x, -a -e tlb:tlb_flush --filter 'reason == 4 && common_pid == %d' "
		 "-- sleep 25 2>&1 >/dev/null", (int)pid);
	return popen(cmd, "r");
}

static long own_ipis_end(FILE *p)
{
	char line[256];
	long n = -1;

	while (p && fgets(line, sizeof(line), p))
		if (strstr(line, "tlb:tlb_flush") && line[0] >= '0' && line[0] <= '9')
			n = atol(line);
	if (p)
		pclose(p);
	return n;
}

static void row(const char *bin, const char *label, const char *synth)
{
	struct timespec t1 = { 1, 0 }, t2 = { 1, 0 };
	struct rusage ru;
	FILE *perf;
	long early, ipis;
	char own[24];
	int st;
	pid_t pid = spawn(bin, synth);

	if (pid < 0)
		return;
	nanosleep(&t1, NULL);
	perf = own_ipis_start(pid);
	nanosleep(&t2, NULL);
	early = status_kb(pid, "VmRSS");
	if (wait4(pid, &st, 0, &ru) < 0 || !WIFEXITED(st) || WEXITSTATUS(st)) {
		printf("%-10s  stormtop failed (status %d)\n", label, st);
		own_ipis_end(perf);
		return;
	}
	ipis = own_ipis_end(perf);
	if (ipis < 0)
		snprintf(own, sizeof(own), "-");
	else
		snprintf(own, sizeof(own), "%ld", ipis);
	printf("%-10s  %10.1f  %10.1f  %8s\n", label, early / 1024.0, ru.ru_maxrss / 1024.0, own);
}

int main(int argc, char **argv)
{
	const char *bin = argc > 1 ? argv[1] : "./stormtop";
	char live[32];

	if (access(bin, X_OK)) {
		fprintf(stderr, "mem_cost: %s: not executable\n", bin);
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	printf("mem_cost: %s -b -d 0.05 -n %s (history 600); MB; own IPIs = tlb_flush reason 4 by its pid\n",
	       bin, TICKS);
	printf("%-10s  %10s  %10s  %8s\n", "cpus", "RSS@2s", "HWM full", "own IPIs");
	snprintf(live, sizeof(live), "%ld live", sysconf(_SC_NPROCESSORS_CONF));
	row(bin, live, NULL);
	row(bin, "64 synth", "64");
	row(bin, "512 synth", "512");
	row(bin, "4096 synth", "4096");
	return 0;
}
