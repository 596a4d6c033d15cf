/* SPDX-License-Identifier: GPL-2.0-only */
/* Helpers for the live tests: an independent /proc/interrupts reader,
 * load generators, and the privilege gate (skip outside CI, fail in it). */
#ifndef STORMTOP_LIVE_H
#define STORMTOP_LIVE_H

#include "testlib.h"

#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

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

/* fork + exec of a NULL-terminated argv; the child's pid. */
static inline pid_t spawn(char *const argv[])
{
	pid_t pid = fork();

	if (pid == 0) {
		execvp(argv[0], argv);
		_exit(127);
	}
	return pid;
}

static inline pid_t start_churn(int target, int mutator, const char *secs)
{
	char *churn = getenv("STORMTOP_CHURN") ? getenv("STORMTOP_CHURN") : "tools/churn";
	char t[16], m[16];

	snprintf(t, sizeof(t), "%d", target);
	snprintf(m, sizeof(m), "%d", mutator);
	return spawn((char *const[]){ churn, "-c", t, "-m", m, "-t", (char *)secs, "-q", NULL });
}

static inline void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
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

#endif
