// SPDX-License-Identifier: GPL-2.0-only
/* Live: tools/churn makes real shootdowns; the collector's per-CPU TLB
 * counts must equal the kernel's /proc/interrupts deltas over the window.
 *
 * The window's edges are bracketed: the independent reads A1,A2 sit on
 * either side of the collector's first read and B1,B2 around its last, so
 * for every CPU  (B1 - A2) <= collector sum <= (B2 - A1)  holds exactly,
 * however the kernel interleaves, and any miscount of the collector
 * (wrong column, lost tick, bad wrap) falls outside it. */
#include "live.h"

#include "procfs.h"
#include "ring.h"

static void sample(struct procfs *p, struct frame_ring *r, uint64_t *sum, uint32_t ncpu)
{
	const struct frame *f;

	procfs_sample(p, ring_begin(r));
	ring_commit(r);
	f = ring_at_age(r, 0);
	for (uint32_t c = 0; c < ncpu; c++)
		sum[c] += f->cpu[c].irq[IRQ_TLB];
}

static void collector_matches_kernel(void **state)
{
	static uint64_t a1[MAXC], a2[MAXC], b1[MAXC], b2[MAXC], sum[MAXC];
	static uint8_t on[MAXC];
	long ncpu = sysconf(_SC_NPROCESSORS_CONF);
	struct frame_ring r;
	struct procfs *p;
	int status, target, ticks = 0;
	pid_t pid;

	(void)state;
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2 || read_tlb(a1, on) < 2) {
		printf("SKIP: needs 2 online CPUs with a TLB line in /proc/interrupts\n");
		skip();
	}
	target = (int)sysconf(_SC_NPROCESSORS_ONLN) - 1;
	assert_int_equal(ring_init(&r, 16, (uint32_t)ncpu), 0);
	p = procfs_open("", (uint32_t)ncpu);
	assert_non_null(p);

	read_tlb(a1, on);
	sample(p, &r, sum, (uint32_t)ncpu); /* baseline: deltas are 0 */
	read_tlb(a2, on);

	pid = start_churn(target, 0, "1.5");
	while (waitpid(pid, &status, WNOHANG) == 0) {
		sleep_ms(200);
		sample(p, &r, sum, (uint32_t)ncpu);
		ticks++;
	}
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	read_tlb(b1, on);
	sample(p, &r, sum, (uint32_t)ncpu);
	read_tlb(b2, on);

	for (long c = 0; c < ncpu; c++) {
		if (!on[c])
			continue;
		printf("cpu%ld: collector %lu, kernel %lu..%lu over %d ticks\n", c,
		       (unsigned long)sum[c], (unsigned long)(b1[c] - a2[c]),
		       (unsigned long)(b2[c] - a1[c]), ticks);
		assert_true(sum[c] >= b1[c] - a2[c]);
		assert_true(sum[c] <= b2[c] - a1[c]);
	}
	/* the storm really happened, on the CPU churn targeted */
	assert_true(sum[target] > 1000);
	assert_true(sum[target] > 10 * sum[0]);
	procfs_close(p);
	ring_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(collector_matches_kernel),
	};
	return cmocka_run_group_tests_name("live TLB vs /proc/interrupts", tests, NULL, NULL);
}
