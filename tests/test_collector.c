// SPDX-License-Identifier: GPL-2.0-only
/* The procfs collector end to end on a fixture tree that the test rewrites
 * between ticks: deltas, 32-bit wrap, hotplug, missing and broken sources. */
#include "testlib.h"

#include <sys/stat.h>
#include <unistd.h>

#include "collectors/procfs.h"
#include "core/ring.h"

static char root[64];

static void put(const char *rel, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	/* rewrite in place: the collector keeps its file open across ticks */
	f = fopen(path, "r+");
	if (!f)
		f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(ftruncate(fileno(f), 0), 0);
	fputs(text, f);
	fclose(f);
}

static void irq(uint32_t tlb0, uint32_t tlb1, const char *extra_cpu)
{
	char buf[512];

	if (extra_cpu)
		snprintf(buf, sizeof(buf), "  CPU0 CPU1 CPU2\nTLB: %u %u %s TLB shootdowns\n"
			 "CAL: 1 1 1 calls\nRES: 1 1 1 resched\nLOC: 1 1 1 timer\n", tlb0, tlb1, extra_cpu);
	else
		snprintf(buf, sizeof(buf), "  CPU0 CPU1\nTLB: %u %u TLB shootdowns\nCAL: 1 1 calls\n"
			 "RES: 1 1 resched\nLOC: 1 1 timer\n", tlb0, tlb1);
	put("/proc/interrupts", buf);
}

static int make_root(void **state)
{
	char dir[128];

	(void)state;
	snprintf(root, sizeof(root), "/tmp/stormtop-test-XXXXXX");
	assert_non_null(mkdtemp(root));
	snprintf(dir, sizeof(dir), "%s/proc", root);
	mkdir(dir, 0755);
	snprintf(dir, sizeof(dir), "%s/proc/pressure", root);
	mkdir(dir, 0755);
	return 0;
}

static int remove_root(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	return system(cmd);
}

/* A collector over the fixture tree with a small ring behind it. */
struct rig {
	struct frame_ring r;
	struct procfs *p;
};

static void rig_open(struct rig *g, uint32_t ncpu)
{
	assert_int_equal(ring_init(&g->r, 8, ncpu), 0);
	g->p = procfs_open(root, ncpu);
	assert_non_null(g->p);
}

static void rig_close(struct rig *g)
{
	procfs_close(g->p);
	ring_free(&g->r);
}

/* One collector tick into the ring; returns the frame it made. */
static const struct frame *tick(struct procfs *p, struct frame_ring *r)
{
	procfs_sample(p, ring_begin(r));
	ring_commit(r);
	return ring_at_age(r, 0);
}

/* A file without some of the lines every kernel of its kind has is
 * partial, and says which; without TLB, why. */
static void missing_lines_are_partial(void **state)
{
	struct rig g;
	const struct frame *f;

	(void)state;
	put("/proc/interrupts", "  CPU0 CPU1\nIPI0: 5 6 Rescheduling interrupts\nIPI1: 1 2 Function call interrupts\n");
	rig_open(&g, 2);
	f = tick(g.p, &g.r);
	assert_int_equal(f->status[SRC_INTERRUPTS].state, SOURCE_PARTIAL);
	assert_string_equal(f->status[SRC_INTERRUPTS].reason,
			    "no TLB, LOC lines: this architecture counts no TLB shootdown IPIs apart (arm64 broadcasts TLBI; riscv and arm send them as function calls, in CAL)");
	assert_int_equal(f->irq_present, 1u << IRQ_CAL | 1u << IRQ_RES);
	rig_close(&g);
}

static void wrap_and_hotplug(void **state)
{
	struct rig g;
	const struct frame *f;

	(void)state;
	irq(4294967290u, 100, NULL);
	rig_open(&g, 3);

	f = tick(g.p, &g.r);
	assert_int_equal(f->status[SRC_INTERRUPTS].state, SOURCE_OK);
	assert_true(f->cpu[0].fresh && f->cpu[0].irq[IRQ_TLB] == 0); /* baseline */

	irq(5, 150, NULL); /* CPU0 wrapped past 2^32 */
	f = tick(g.p, &g.r);
	assert_int_equal(f->cpu[0].irq[IRQ_TLB], 11);
	assert_int_equal(f->cpu[1].irq[IRQ_TLB], 50);
	assert_false(f->cpu[2].online);
	assert_int_equal(f->online, 2);

	irq(25, 150, "9000"); /* CPU2 comes online with an old count */
	f = tick(g.p, &g.r);
	assert_true(f->cpu[2].online && f->cpu[2].fresh);
	assert_int_equal(f->cpu[2].irq[IRQ_TLB], 0);
	assert_int_equal(f->cpu[0].irq[IRQ_TLB], 20);

	irq(25, 150, "9004");
	f = tick(g.p, &g.r);
	assert_false(f->cpu[2].fresh);
	assert_int_equal(f->cpu[2].irq[IRQ_TLB], 4);

	rig_close(&g);
}

static void broken_file_reports_then_recovers(void **state)
{
	struct rig g;
	const struct frame *f;

	(void)state;
	irq(10, 10, NULL);
	rig_open(&g, 2);
	tick(g.p, &g.r);

	put("/proc/interrupts", "  CPU0 CPU1\nTLB: 12\n");
	f = tick(g.p, &g.r);
	assert_int_equal(f->status[SRC_INTERRUPTS].state, SOURCE_ERROR);
	assert_non_null(strstr(f->status[SRC_INTERRUPTS].reason, "truncated"));
	assert_int_equal(f->cpu[0].irq[IRQ_TLB], 0);

	irq(30, 10, NULL); /* good again: a fresh baseline, no bogus delta */
	f = tick(g.p, &g.r);
	assert_int_equal(f->status[SRC_INTERRUPTS].state, SOURCE_OK);
	assert_true(f->cpu[0].fresh);
	irq(33, 10, NULL);
	assert_int_equal(tick(g.p, &g.r)->cpu[0].irq[IRQ_TLB], 3);
	rig_close(&g);
}

static void missing_sources_say_why(void **state)
{
	struct rig g;
	const struct frame *f;

	(void)state;
	irq(1, 1, NULL);
	/* no schedstat, vmstat or pressure files in this tree */
	rig_open(&g, 2);
	f = tick(g.p, &g.r);
	assert_int_equal(f->status[SRC_INTERRUPTS].state, SOURCE_OK);
	assert_int_equal(f->status[SRC_SCHEDSTAT].state, SOURCE_UNAVAILABLE);
	assert_non_null(strstr(f->status[SRC_SCHEDSTAT].reason, "CONFIG_SCHEDSTATS"));
	assert_int_equal(f->status[SRC_PSI_CPU].state, SOURCE_UNAVAILABLE);
	assert_non_null(strstr(f->status[SRC_PSI_CPU].reason, "PSI"));
	assert_int_equal(f->status[SRC_VMSTAT].state, SOURCE_UNAVAILABLE);
	rig_close(&g);
}

static void schedstat_vmstat_psi_deltas(void **state)
{
	struct rig g;
	const struct frame *f;

	(void)state;
	irq(1, 1, NULL);
	put("/proc/schedstat", "version 15\ntimestamp 1\ncpu0 0 0 0 0 0 0 1000 500 10\n"
			       "cpu1 0 0 0 0 0 0 2000 700 20\n");
	put("/proc/vmstat", "pgfault 100\npgdemote_kswapd 1\npgdemote_direct 1\n");
	put("/proc/pressure/cpu", "some avg10=0.00 avg60=0.00 avg300=0.00 total=1000\n");
	rig_open(&g, 2);
	tick(g.p, &g.r);
	put("/proc/schedstat", "version 15\ntimestamp 2\ncpu0 0 0 0 0 0 0 1500 800 14\n"
			       "cpu1 0 0 0 0 0 0 2000 700 20\n");
	put("/proc/vmstat", "pgfault 160\npgdemote_kswapd 4\npgdemote_direct 2\n");
	put("/proc/pressure/cpu", "some avg10=2.50 avg60=0.00 avg300=0.00 total=251000\n");
	f = tick(g.p, &g.r);
	assert_int_equal(f->status[SRC_SCHEDSTAT].state, SOURCE_OK);
	assert_int_equal(f->cpu[0].run_ns, 500);
	assert_int_equal(f->cpu[0].run_delay_ns, 300);
	assert_int_equal(f->cpu[0].timeslices, 4);
	assert_int_equal(f->cpu[1].run_delay_ns, 0);
	assert_int_equal(f->sys.vm[VM_PGFAULT], 60);
	assert_int_equal(f->sys.vm[VM_PGDEMOTE], 4);
	assert_false(f->sys.vm_present & (1u << VM_TLB_REMOTE_FLUSH));
	assert_int_equal(f->sys.psi_cpu.some_us, 250000);
	assert_true(f->sys.psi_cpu.some_avg10 > 2.4f && f->sys.psi_cpu.some_avg10 < 2.6f);
	rig_close(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(wrap_and_hotplug, make_root, remove_root),
		cmocka_unit_test_setup_teardown(missing_lines_are_partial, make_root, remove_root),
		cmocka_unit_test_setup_teardown(broken_file_reports_then_recovers, make_root, remove_root),
		cmocka_unit_test_setup_teardown(missing_sources_say_why, make_root, remove_root),
		cmocka_unit_test_setup_teardown(schedstat_vmstat_psi_deltas, make_root, remove_root),
	};
	return cmocka_run_group_tests_name("procfs collector", tests, NULL, NULL);
}
