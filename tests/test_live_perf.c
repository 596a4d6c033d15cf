// SPDX-License-Identifier: GPL-2.0-only
/* Live, as root: the perf collector's software counters against the
 * kernel's own: page faults (perf) against /proc/vmstat's pgfault over the
 * same churn window, and a PMU-less host reported as a status. */
#include "live.h"

#include "perf.h"
#include "procfs.h"
#include "ring.h"

static void faults_match_vmstat(void **state)
{
	uint32_t ncpu = (uint32_t)sysconf(_SC_NPROCESSORS_CONF);
	uint64_t perf_flt = 0, vm_flt = 0, ctxsw = 0;
	struct frame_ring r;
	struct perf_coll *p;
	struct procfs *pf;
	int status;
	pid_t pid;

	(void)state;
	NEED_ROOT("system-wide perf events");
	assert_int_equal(ring_init(&r, 4, ncpu), 0);
	p = perf_open(ncpu, 0);
	pf = procfs_open("", ncpu);
	assert_non_null(p);
	assert_non_null(pf);
	for (int running = -1; running;) {
		struct frame *f = ring_begin(&r);

		procfs_sample(pf, f);
		perf_sample(p, f);
		ring_commit(&r);
		if (running < 0)
			pid = start_churn((int)sysconf(_SC_NPROCESSORS_ONLN) - 1, 0, "1");
		for (uint32_t c = 0; c < ncpu && running >= 0; c++) {
			perf_flt += f->cpu[c].perf[PERF_MINFLT] + f->cpu[c].perf[PERF_MAJFLT];
			ctxsw += f->cpu[c].perf[PERF_CTXSW];
		}
		if (running >= 0)
			vm_flt += f->sys.vm[VM_PGFAULT];
		assert_true(frame_has(f, SIG_PERF_SW));
		assert_true(f->status[SRC_PERF].state == SOURCE_OK ||
			    (f->status[SRC_PERF].state == SOURCE_PARTIAL &&
			     strstr(f->status[SRC_PERF].reason, "dTLB/iTLB misses unavailable")));
		running = running < 0 ? 1 : waitpid(pid, &status, WNOHANG) == 0;
		sleep_ms(200);
	}
	printf("faults: perf %lu, vmstat pgfault %lu; context switches %lu\n", (unsigned long)perf_flt,
	       (unsigned long)vm_flt, (unsigned long)ctxsw);
	assert_true(vm_flt > 10000);
	/* both count every fault; they differ only by faults retried or
	 * taken between the two reads */
	assert_true((double)perf_flt >= 0.97 * (double)vm_flt && (double)perf_flt <= 1.03 * (double)vm_flt);
	assert_true(ctxsw > 0);
	perf_close(p);
	procfs_close(pf);
	ring_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(faults_match_vmstat),
	};
	return cmocka_run_group_tests_name("live perf counters vs /proc/vmstat", tests, NULL, NULL);
}
