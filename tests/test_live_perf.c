// SPDX-License-Identifier: GPL-2.0-only
/* Live, as root: the perf collector's software counters against the
 * kernel's own: page faults (perf) against /proc/vmstat's pgfault over the
 * same churn window, and a PMU-less host reported as a status.
 *
 * Both count every fault on the host, so other load changes both alike;
 * the window's edges are bracketed by reads of /proc/vmstat on either side
 * of the collector's first and last sample (independent of the procfs
 * collector), so a test preempted at an edge cannot skew them apart. */
#include "live.h"

#include "collectors/perf.h"
#include "core/ring.h"

/* Static, not in the test's frame: the teardown closes what a failed
 * check left open. */
static struct {
	struct frame_ring r;
	struct perf_coll *p;
	int ring_ok;
} pt;

static int teardown(void **state)
{
	(void)state;
	live_release();
	if (pt.p)
		perf_close(pt.p);
	if (pt.ring_ok)
		ring_free(&pt.r);
	memset(&pt, 0, sizeof(pt));
	return 0;
}

/* /proc/vmstat's pgfault, read with fgets + sscanf; 0 if absent. */
static uint64_t pgfault(void)
{
	FILE *f = fopen("/proc/vmstat", "r");
	char line[128];
	unsigned long v = 0;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "pgfault %lu", &v) == 1)
			break;
	if (f)
		fclose(f);
	return v;
}

static const struct frame *sample(void)
{
	struct frame *f = ring_begin(&pt.r);

	f->interval_ns = 1;
	perf_sample(pt.p, f);
	ring_commit(&pt.r);
	return ring_at_age(&pt.r, 0);
}

static void faults_match_vmstat(void **state)
{
	uint32_t ncpu = (uint32_t)sysconf(_SC_NPROCESSORS_CONF);
	uint64_t perf_flt = 0, ctxsw = 0, va, vb, vc = 0, vd;
	int status;
	pid_t pid;

	(void)state;
	NEED_ROOT("system-wide perf events");
	assert_int_equal(ring_init(&pt.r, 4, ncpu), 0);
	pt.ring_ok = 1;
	pt.p = perf_open(ncpu, 0);
	assert_non_null(pt.p);
	va = pgfault();
	sample(); /* the baseline */
	vb = pgfault();
	pid = start_churn((int)sysconf(_SC_NPROCESSORS_ONLN) - 1, 0, "1");
	for (int running = 1; running;) {
		const struct frame *f;

		sleep_ms(200);
		running = live_running(pid, &status);
		if (!running)
			vc = pgfault();
		f = sample();
		for (uint32_t c = 0; c < ncpu; c++) {
			perf_flt += f->cpu[c].perf[PERF_MINFLT] + f->cpu[c].perf[PERF_MAJFLT];
			ctxsw += f->cpu[c].perf[PERF_CTXSW];
		}
		assert_true(frame_has(f, SIG_PERF_SW));
		assert_true(f->status[SRC_PERF].state == SOURCE_OK ||
			    (f->status[SRC_PERF].state == SOURCE_PARTIAL &&
			     strstr(f->status[SRC_PERF].reason, "dTLB/iTLB misses unavailable")));
	}
	vd = pgfault();
	printf("faults: perf %lu, vmstat pgfault %lu..%lu; context switches %lu\n", (unsigned long)perf_flt,
	       (unsigned long)(vc - vb), (unsigned long)(vd - va), (unsigned long)ctxsw);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_true(vc - vb > 10000); /* churn populates a page per munmap */
	/* both count every fault; they differ only by faults retried (counted
	 * again by pgfault, once by perf) */
	assert_true((double)perf_flt >= 0.97 * (double)(vc - vb) && (double)perf_flt <= 1.03 * (double)(vd - va));
	assert_true(ctxsw > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(faults_match_vmstat, teardown),
	};
	return cmocka_run_group_tests_name("live perf counters vs /proc/vmstat", tests, NULL, NULL);
}
