// SPDX-License-Identifier: GPL-2.0-only
/* The page-walk events the perf collector chooses per PMU model, checked
 * against the vendors' own tables.  No PMU is needed: libpfm4 encodes for
 * a named model when LIBPFM_FORCE_PMU names it (read once per process, so
 * each model is encoded in a child of its own).
 *
 * The expected codes are event | umask << 8, as the vendors publish them:
 *
 * - Intel, the perfmon event lists (github.com/intel/perfmon,
 *   <model>_core.json; the same in Linux's
 *   tools/perf/pmu-events/arch/x86/<model>/virtual-memory.json):
 *   Haswell, Broadwell, Skylake, Skylake-X, Ice Lake, Ice Lake-X:
 *     DTLB_LOAD_MISSES.WALK_COMPLETED  event 0x08 umask 0x0E
 *     DTLB_STORE_MISSES.WALK_COMPLETED event 0x49 umask 0x0E
 *     ITLB_MISSES.WALK_COMPLETED       event 0x85 umask 0x0E
 *   Sapphire Rapids (Golden Cove):
 *     DTLB_LOAD_MISSES.WALK_COMPLETED  event 0x12 umask 0x0E
 *     DTLB_STORE_MISSES.WALK_COMPLETED event 0x13 umask 0x0E
 *     ITLB_MISSES.WALK_COMPLETED       event 0x11 umask 0x0E
 * - AMD, the Processor Programming Reference for family 17h (Zen, Zen 2)
 *   and 19h (Zen 3, Zen 4):
 *     PMCx045 LsL1DTlbMiss, unit mask bits 4-7 "TlbReload{4K,Coalesced,2M,
 *     1G}L2Miss" (an L1 and L2 DTLB miss: a page walk), loads and stores
 *     together: 0xF0 (Linux: ls_l1_d_tlb_miss.all_l2_miss)
 *     PMCx085 BpL1TlbMissL2TlbMiss, unit mask bits 0-2 IF4K, IF2M, IF1G,
 *     and bit 3 Coalesced4K from Zen 3: 0x07 on 17h, 0x0F on 19h
 * - a PMU with none of these (AMD family 15h): perf's generic events,
 *   PERF_TYPE_HW_CACHE with id | op << 8 | result << 16
 *   (include/uapi/linux/perf_event.h): DTLB read miss 0x10003, DTLB write
 *   miss 0x10103, ITLB read miss 0x10004. */
#include "testlib.h"

#include <unistd.h>
#include <sys/wait.h>
#include <perfmon/pfmlib_perf_event.h>

#include "collectors/perf.h"

#define NTLB 3

struct choice {
	int rc;
	uint32_t type;
	uint64_t config;
	char name[128];
};

/* Encodes the three slots for model in a child; its answers by pipe. */
static void choose_for(const char *model, struct choice out[NTLB])
{
	int fd[2], status;
	pid_t pid;

	assert_int_equal(pipe(fd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct choice c[NTLB];

		memset(c, 0, sizeof(c));
		setenv("LIBPFM_FORCE_PMU", model, 1);
		if (pfm_initialize() != PFM_SUCCESS)
			_exit(2);
		for (int k = 0; k < NTLB; k++) {
			struct perf_event_attr a;

			c[k].rc = perf_tlb_choose(k, &a, c[k].name, sizeof(c[k].name));
			c[k].type = a.type;
			c[k].config = a.config;
		}
		_exit(write(fd[1], c, sizeof(c)) == sizeof(c) ? 0 : 3);
	}
	close(fd[1]);
	assert_int_equal(read(fd[0], out, sizeof(struct choice) * NTLB), (ssize_t)sizeof(struct choice) * NTLB);
	close(fd[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void expect(const struct choice *c, int rc, uint32_t type, uint64_t config, const char *name)
{
	printf("  %-55.55s type %u config %#llx\n", c->name, c->type, (unsigned long long)c->config);
	assert_int_equal(c->rc, rc);
	assert_string_equal(c->name, name);
	assert_int_equal(c->type, type);
	assert_int_equal(c->config, config);
}

static void intel_walks(void **state)
{
	static const char *const classic[] = { "hsw", "bdw", "skl", "skx", "icl", "icx" };
	struct choice c[NTLB];

	(void)state;
	for (size_t m = 0; m < sizeof(classic) / sizeof(classic[0]); m++) {
		printf("%s:\n", classic[m]);
		choose_for(classic[m], c);
		expect(&c[0], 1, PERF_TYPE_RAW, 0x08 | 0x0E << 8, "DTLB_LOAD_MISSES:WALK_COMPLETED");
		expect(&c[1], 1, PERF_TYPE_RAW, 0x49 | 0x0E << 8, "DTLB_STORE_MISSES:WALK_COMPLETED");
		expect(&c[2], 1, PERF_TYPE_RAW, 0x85 | 0x0E << 8, "ITLB_MISSES:WALK_COMPLETED");
	}
	printf("spr:\n");
	choose_for("spr", c);
	expect(&c[0], 1, PERF_TYPE_RAW, 0x12 | 0x0E << 8, "DTLB_LOAD_MISSES:WALK_COMPLETED");
	expect(&c[1], 1, PERF_TYPE_RAW, 0x13 | 0x0E << 8, "DTLB_STORE_MISSES:WALK_COMPLETED");
	expect(&c[2], 1, PERF_TYPE_RAW, 0x11 | 0x0E << 8, "ITLB_MISSES:WALK_COMPLETED");
}

static const char amd_dtlb[] = "L1_DTLB_MISS:TLB_RELOAD_4K_L2_MISS:TLB_RELOAD_COALESCED_PAGE_MISS:"
			       "TLB_RELOAD_2M_L2_MISS:TLB_RELOAD_1G_L2_MISS";

static void amd_walks(void **state)
{
	static const char *const f17h[] = { "amd64_fam17h_zen1", "amd64_fam17h_zen2" };
	static const char *const f19h[] = { "amd64_fam19h_zen3", "amd64_fam19h_zen4" };
	struct choice c[NTLB];

	(void)state;
	for (int m = 0; m < 2; m++) {
		printf("%s:\n", f17h[m]);
		choose_for(f17h[m], c);
		expect(&c[0], 1, PERF_TYPE_RAW, 0x45 | 0xF0 << 8, amd_dtlb);
		expect(&c[1], -1, 0, 0, "counted with dTLB loads");
		expect(&c[2], 1, PERF_TYPE_RAW, 0x85 | 0x07 << 8, "L1_ITLB_MISS_L2_ITLB_MISS:IF4K:IF2M:IF1G");
		printf("%s:\n", f19h[m]);
		choose_for(f19h[m], c);
		expect(&c[0], 1, PERF_TYPE_RAW, 0x45 | 0xF0 << 8, amd_dtlb);
		expect(&c[1], -1, 0, 0, "counted with dTLB loads");
		expect(&c[2], 1, PERF_TYPE_RAW, 0x85 | 0x0F << 8,
		       "L1_ITLB_MISS_L2_ITLB_MISS:IF4K:IF2M:IF1G:COALESCED4K");
	}
}

static void generic_fallback(void **state)
{
	struct choice c[NTLB];

	(void)state;
	printf("amd64_fam15h_interlagos:\n");
	choose_for("amd64_fam15h_interlagos", c);
	expect(&c[0], 0, PERF_TYPE_HW_CACHE, 0x10003, "PERF_COUNT_HW_CACHE_DTLB:READ:MISS");
	expect(&c[1], 0, PERF_TYPE_HW_CACHE, 0x10103, "PERF_COUNT_HW_CACHE_DTLB:WRITE:MISS");
	expect(&c[2], 0, PERF_TYPE_HW_CACHE, 0x10004, "PERF_COUNT_HW_CACHE_ITLB:READ:MISS");
}

/* A slot out of range is refused, not read past. */
static void bad_slot(void **state)
{
	struct perf_event_attr a;
	char name[32] = "";

	(void)state;
	assert_int_equal(perf_tlb_choose(-1, &a, name, sizeof(name)), -1);
	assert_int_equal(perf_tlb_choose(NTLB, &a, name, sizeof(name)), -1);
	assert_int_equal(a.type, 0);
	assert_int_equal(a.config, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(intel_walks),
		cmocka_unit_test(amd_walks),
		cmocka_unit_test(generic_fallback),
		cmocka_unit_test(bad_slot),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
