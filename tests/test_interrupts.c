// SPDX-License-Identifier: GPL-2.0-only
/* /proc/interrupts parser on real and broken files. */
#include "testlib.h"

#include "collectors/interrupts.h"

static struct irq_snapshot snap;
static char err[128];

static int parse_fixture(const char *name, uint32_t ncpu)
{
	size_t len;
	const char *text = fixture(name, &len);

	irq_snapshot_free(&snap);
	assert_int_equal(irq_snapshot_init(&snap, ncpu), 0);
	err[0] = '\0';
	return irq_parse(text, len, &snap, err, sizeof(err));
}

static void seed_64cpu(void **state)
{
	uint64_t sum = 0;

	(void)state;
	assert_int_equal(parse_fixture("interrupts-64cpu-seed004", 64), 0);
	assert_int_equal(snap.columns, 64);
	assert_true(snap.present[IRQ_TLB] && snap.present[IRQ_CAL] && snap.present[IRQ_LOC]);
	/* first, a middle and the last figure of the seed's TLB line */
	assert_int_equal(snap.val[IRQ_TLB][0], 80911532u);
	assert_int_equal(snap.val[IRQ_TLB][32], 140987367u);
	assert_int_equal(snap.val[IRQ_TLB][63], 124340278u);
	for (int c = 0; c < 64; c++) {
		sum += snap.val[IRQ_TLB][c];
		assert_int_equal(snap.val[IRQ_CAL][c], snap.val[IRQ_TLB][c] + 5);
		assert_int_equal(snap.val[IRQ_RES][c], 1000u + (unsigned)c);
		/* two DMAR lines: 3c + 7; the ACPI line is not an IOMMU line */
		assert_int_equal(snap.val[IRQ_IOMMU][c], 3u * (unsigned)c + 7u);
		assert_true(snap.online[c]);
	}
	assert_true(sum == 7859322631ull);
	assert_int_equal(snap.iommu_lines, 2);
}

static void vm_2cpu(void **state)
{
	(void)state;
	assert_int_equal(parse_fixture("interrupts-2cpu-vm", 2), 0);
	assert_int_equal(snap.columns, 2);
	assert_true(snap.present[IRQ_TLB]);
	assert_false(snap.present[IRQ_IOMMU]);
	assert_int_equal(snap.iommu_lines, 0);
}

static void offline_cpu_has_no_column(void **state)
{
	(void)state;
	assert_int_equal(parse_fixture("interrupts-offline", 4), 0);
	assert_int_equal(snap.columns, 3);
	assert_true(snap.online[0] && snap.online[1] && snap.online[3]);
	assert_false(snap.online[2]);
	/* the third column belongs to CPU3, not CPU2 */
	assert_int_equal(snap.val[IRQ_TLB][3], 53);
	assert_int_equal(snap.val[IRQ_TLB][2], 0);
	assert_int_equal(snap.val[IRQ_CAL][1], 102);
}

static void old_spacing_and_wide_counts(void **state)
{
	(void)state;
	assert_int_equal(parse_fixture("interrupts-oldspacing", 2), 0);
	assert_int_equal(snap.val[IRQ_TLB][0], 4u); /* 4294967300 mod 2^32 */
	assert_int_equal(snap.val[IRQ_TLB][1], 7u);
	assert_int_equal(snap.val[IRQ_CAL][1], 2u);
}

static void arm64_has_no_tlb_line(void **state)
{
	(void)state;
	assert_int_equal(parse_fixture("interrupts-arm64", 2), 0);
	assert_false(snap.present[IRQ_TLB]);
	assert_true(snap.present[IRQ_LOC]);
}

/* A real arm64 layout: IPI0..IPI6 with the counts glued to "IPIn:",
 * named at the end (arch/arm64/kernel/smp.c ipi_types).  Rescheduling
 * is RES, function call CAL, the arch_timer PPI the local timer LOC; no
 * TLB line (broadcast TLBI), no IOMMU. */
static void arm64_ipis_map_to_kinds(void **state)
{
	static const uint32_t res[4] = { 1234567890u, 2234567890u, 123u, 4294967295u };
	static const uint32_t cal[4] = { 1234567891u, 2234567890u, 123u, 4294967295u };
	static const uint32_t loc[4] = { 3287008667u, 3310445093u, 3301386305u, 3273132897u };

	(void)state;
	assert_int_equal(parse_fixture("arm64-batch/arm.t1", 4), 0);
	assert_int_equal(snap.columns, 4);
	assert_false(snap.present[IRQ_TLB]);
	assert_false(snap.present[IRQ_IOMMU]);
	assert_true(snap.present[IRQ_RES] && snap.present[IRQ_CAL] && snap.present[IRQ_LOC]);
	for (int c = 0; c < 4; c++) {
		assert_int_equal(snap.val[IRQ_RES][c], res[c]);
		assert_int_equal(snap.val[IRQ_CAL][c], cal[c]);
		assert_int_equal(snap.val[IRQ_LOC][c], loc[c]);
	}
}

static void expect_error(const char *name, uint32_t ncpu, const char *words)
{
	assert_int_equal(parse_fixture(name, ncpu), -1);
	if (!strstr(err, words))
		fail_msg("%s: error '%s' lacks '%s'", name, err, words);
	assert_null(strchr(err, '\n')); /* one line */
}

static void broken_files_fail_cleanly(void **state)
{
	(void)state;
	expect_error("interrupts-truncated-line", 2, "TLB has 1 of 2 CPU columns");
	expect_error("interrupts-truncated-file", 2, "TLB has 1 of 2");
	expect_error("interrupts-badnumber", 2, "bad count");
	expect_error("interrupts-noheader", 2, "header");
	expect_error("interrupts-empty", 2, "empty");
	/* a 64-CPU file read on a host sized for 2 CPUs */
	expect_error("interrupts-64cpu-seed004", 2, "is beyond the 2 possible CPUs");
}

static void every_truncation_is_safe(void **state)
{
	size_t len;
	const char *full = fixture("interrupts-64cpu-seed004", &len);
	char *copy = malloc(len);

	(void)state;
	irq_snapshot_free(&snap);
	assert_int_equal(irq_snapshot_init(&snap, 64), 0);
	/* Any prefix parses or fails with a message; ASan checks the reads. */
	/* every byte through the header and TLB line region, then strides */
	for (size_t cut = 0; cut < len; cut += cut < 1200 ? 1 : 7) {
		memcpy(copy, full, cut);
		err[0] = '\0';
		if (irq_parse(copy, cut, &snap, err, sizeof(err)) < 0)
			assert_true(err[0] != '\0');
	}
	free(copy);
}

static int teardown(void **state)
{
	(void)state;
	irq_snapshot_free(&snap);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(seed_64cpu, teardown),
		cmocka_unit_test_teardown(vm_2cpu, teardown),
		cmocka_unit_test_teardown(offline_cpu_has_no_column, teardown),
		cmocka_unit_test_teardown(old_spacing_and_wide_counts, teardown),
		cmocka_unit_test_teardown(arm64_has_no_tlb_line, teardown),
		cmocka_unit_test_teardown(arm64_ipis_map_to_kinds, teardown),
		cmocka_unit_test_teardown(broken_files_fail_cleanly, teardown),
		cmocka_unit_test_teardown(every_truncation_is_safe, teardown),
	};
	return cmocka_run_group_tests_name("interrupts", tests, NULL, NULL);
}
