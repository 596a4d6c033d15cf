// SPDX-License-Identifier: GPL-2.0-only
/* Live: tools/churn makes real shootdowns; the collector's per-CPU TLB
 * counts must equal the kernel's /proc/interrupts deltas over the window.
 *
 * The window's edges are bracketed: the independent reads A1,A2 sit on
 * either side of the collector's first read and B1,B2 around its last, so
 * for every CPU  (B1 - A2) <= collector sum <= (B2 - A1)  holds exactly,
 * however the kernel interleaves and whatever else the host sends, and
 * any miscount of the collector (wrong column, lost tick, bad wrap) falls
 * outside it.  That the storm is churn's and landed where churn aimed it
 * is measured on churn's own tasks: every flush the kernel ran in an IPI
 * while one of churn's touchers was on the CPU (tlb:tlb_flush reason 1,
 * TLB_REMOTE_SHOOTDOWN, counted by perf on churn's tasks) was received by
 * the target CPU, so its count is at least that. */
#include "live.h"

#include "collectors/procfs.h"
#include "core/ring.h"

/* Static, not in the test's frame: the teardown closes what a failed
 * check left open. */
static struct {
	struct frame_ring r;
	struct procfs *p;
	int ring_ok;
} tl;

static int teardown(void **state)
{
	(void)state;
	live_release();
	procfs_close(tl.p);
	if (tl.ring_ok)
		ring_free(&tl.r);
	memset(&tl, 0, sizeof(tl));
	return 0;
}

static void sample(uint64_t *sum, uint32_t ncpu)
{
	const struct frame *f;

	procfs_sample(tl.p, ring_begin(&tl.r));
	ring_commit(&tl.r);
	f = ring_at_age(&tl.r, 0);
	for (uint32_t c = 0; c < ncpu; c++)
		sum[c] += f->cpu[c].irq[IRQ_TLB];
}

static void collector_matches_kernel(void **state)
{
	static uint64_t a1[MAXC], a2[MAXC], b1[MAXC], b2[MAXC], sum[MAXC];
	static uint8_t on[MAXC];
	long ncpu = sysconf(_SC_NPROCESSORS_CONF), id = tracepoint_id("tlb", "tlb_flush");
	int status, target, fd, ticks = 0;
	char t[16], m[16], *argv[9];
	uint64_t own = 0;
	pid_t pid;

	(void)state;
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2 || read_tlb(a1, on) < 2) {
		printf("SKIP: needs 2 online CPUs with a TLB line in /proc/interrupts\n");
		skip();
	}
	target = (int)sysconf(_SC_NPROCESSORS_ONLN) - 1;
	assert_int_equal(ring_init(&tl.r, 16, (uint32_t)ncpu), 0);
	tl.ring_ok = 1;
	tl.p = procfs_open("", (uint32_t)ncpu);
	assert_non_null(tl.p);

	read_tlb(a1, on);
	sample(sum, (uint32_t)ncpu); /* baseline: deltas are 0 */
	read_tlb(a2, on);

	churn_argv(argv, t, m, target, 0, "1.5");
	/* counting churn's own flushes needs perf tracepoints (root) */
	pid = geteuid() == 0 && id >= 0 ? spawn_counted(argv, id, "reason == 1", &fd) : (fd = -1, spawn(argv));
	assert_true(pid > 0);
	while (live_running(pid, &status)) {
		sleep_ms(200);
		sample(sum, (uint32_t)ncpu);
		ticks++;
	}
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	read_tlb(b1, on);
	sample(sum, (uint32_t)ncpu);
	read_tlb(b2, on);

	for (long c = 0; c < ncpu; c++) {
		if (!on[c])
			continue;
		printf("cpu%ld%s: collector %lu, kernel %lu..%lu over %d ticks\n", c,
		       c == target ? " (churn's)" : "", (unsigned long)sum[c], (unsigned long)(b1[c] - a2[c]),
		       (unsigned long)(b2[c] - a1[c]), ticks);
		assert_true(sum[c] >= b1[c] - a2[c]);
		assert_true(sum[c] <= b2[c] - a1[c]);
	}
	if (fd < 0) {
		/* without perf, the storm is known only by its size */
		printf("churn's own flushes: not counted (needs root for perf)\n");
		assert_true(b1[target] - a2[target] > 50);
		return;
	}
	own = counter_read(fd);
	printf("flushes run in IPIs on churn's touchers (perf on its tasks): %lu\n", (unsigned long)own);
	/* the storm really happened, and on the CPU churn targeted: churn's
	 * start and exit are inside [A2, B1].  Two at most may have been the
	 * main thread's, on the mutator's CPU: a toucher's exit unmaps its
	 * stack while the main thread runs there. */
	assert_true(own > 50);
	assert_true(b1[target] - a2[target] + 2 >= own);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(collector_matches_kernel, teardown),
	};
	return cmocka_run_group_tests_name("live TLB vs /proc/interrupts", tests, NULL, NULL);
}
