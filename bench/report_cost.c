// SPDX-License-Identifier: GPL-2.0-only
/* What `stormtop report` costs at 2, 64 and 1024 CPUs (synthetic, 100
 * ticks each): the page's size (issue 19's target: under 5 MB at 1024),
 * the time to write it, and the time headless Chromium takes to load it
 * (target: under 2 s), beside Chromium's own start on an empty page.
 * Runs the built ./stormtop and, when it is installed, chromium.  Prints
 * figures only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs cmd with its output discarded; seconds it took, or -1. */
static double timed(const char *cmd)
{
	double t0 = now_s();

	return system(cmd) == 0 ? now_s() - t0 : -1;
}

static double load(const char *dir, const char *page)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd),
		 "timeout 120 chromium --headless --no-sandbox --disable-gpu --user-data-dir=%s/chrome "
		 "--dump-dom file://%s >/dev/null 2>&1", dir, page);
	return timed(cmd);
}

int main(void)
{
	static const char *const specs[] = { "2:1", "64:2", "1024:8" };
	char dir[] = "/tmp/stormtop-report-cost-XXXXXX", cmd[1024], page[512];
	int chrome = system("command -v chromium >/dev/null 2>&1") == 0;
	struct stat st;

	if (!mkdtemp(dir) || access("./stormtop", X_OK) != 0) {
		fprintf(stderr, "report_cost: needs ./stormtop (make all) and /tmp\n");
		return 1;
	}
	printf("report_cost: stormtop report of 100 synthetic ticks; Chromium: headless --dump-dom\n");
	if (chrome) {
		snprintf(page, sizeof(page), "%s/empty.html", dir);
		snprintf(cmd, sizeof(cmd), "echo '<!DOCTYPE html><title>x</title>' >%s", page);
		if (system(cmd) == 0)
			printf("  Chromium's own start (an empty page): %.2f s\n", load(dir, page));
	} else {
		printf("  (chromium is not installed: load times not measured)\n");
	}
	printf("  %6s %12s %10s %12s\n", "CPUs", "page bytes", "write s", "Chromium s");
	for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		double w;

		snprintf(cmd, sizeof(cmd), "./stormtop record --synthetic %s -d 0.05 -n 100 -o %s/syn%zu.rec >/dev/null 2>&1",
			 specs[i], dir, i);
		if (system(cmd) != 0)
			return fprintf(stderr, "report_cost: recording %s failed\n", specs[i]), 1;
		snprintf(page, sizeof(page), "%s/syn%zu.html", dir, i);
		snprintf(cmd, sizeof(cmd), "./stormtop report %s/syn%zu.rec -o %s >/dev/null 2>&1", dir, i, page);
		w = timed(cmd);
		if (w < 0 || stat(page, &st) != 0)
			return fprintf(stderr, "report_cost: report %s failed\n", specs[i]), 1;
		fflush(stdout);
		printf("  %6.*s %12lld %10.3f %12.2f\n", (int)strcspn(specs[i], ":"), specs[i], (long long)st.st_size, w,
		       chrome ? load(dir, page) : -1.0);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : 1;
}
