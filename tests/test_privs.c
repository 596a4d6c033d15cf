// SPDX-License-Identifier: GPL-2.0-only
/* What stormtop says when a privilege is missing, and how it finds
 * flush_tlb_func without CAP_SYSLOG.
 *
 * - The capabilities lacking are named, CAP_SYS_ADMIN standing in for
 *   CAP_BPF and CAP_PERFMON as the kernel's bpf_capable() and
 *   perfmon_capable() let it; EPERM with both held is RLIMIT_MEMLOCK only
 *   before 5.11 (memcg accounting came then), else a policy.
 * - kallsyms lines: text symbols only, zeros (hidden) told from absent.
 * - As root: the address the kernel resolves from BTF for our BPF
 *   program equals the one /proc/kallsyms shows root.
 * - The TLB collector's note for the bpf status: what a kernel without
 *   csd tracepoints (before 6.5: 5.10, 6.1) cannot count, and where the received
 *   count comes from instead. */
#include "testlib.h"

#include <unistd.h>
#include <linux/capability.h>

#include "collectors/bpf_load.h"
#include "collectors/kallsyms.h"
#include "collectors/privs.h"
#include "collectors/tlb.h"

#define BIT(c) (1ULL << (c))

static void names_what_is_missing(void **state)
{
	char buf[128];

	(void)state;
	assert_int_equal(privs_missing(0, BIT(CAP_BPF) | BIT(CAP_PERFMON), buf, sizeof(buf)), 2);
	assert_string_equal(buf, "CAP_BPF and CAP_PERFMON");
	assert_int_equal(privs_missing(BIT(CAP_BPF), BIT(CAP_BPF) | BIT(CAP_PERFMON), buf, sizeof(buf)), 1);
	assert_string_equal(buf, "CAP_PERFMON");
	assert_int_equal(privs_missing(0, BIT(CAP_BPF) | BIT(CAP_PERFMON) | BIT(CAP_SYSLOG), buf,
				       sizeof(buf)), 3);
	assert_string_equal(buf, "CAP_BPF, CAP_PERFMON and CAP_SYSLOG");
	/* CAP_SYS_ADMIN passes bpf_capable() and perfmon_capable()... */
	assert_int_equal(privs_missing(BIT(CAP_SYS_ADMIN), BIT(CAP_BPF) | BIT(CAP_PERFMON), buf,
				       sizeof(buf)), 0);
	assert_string_equal(buf, "");
	/* ...but kallsyms_show_value() asks for CAP_SYSLOG itself */
	assert_int_equal(privs_missing(BIT(CAP_SYS_ADMIN), BIT(CAP_SYSLOG), buf, sizeof(buf)), 1);
	assert_string_equal(buf, "CAP_SYSLOG");
	/* a short buffer is cut, not overrun */
	assert_int_equal(privs_missing(0, BIT(CAP_BPF) | BIT(CAP_PERFMON), buf, 8), 2);
	assert_string_equal(buf, "CAP_BPF");
}

static void bpf_refusal_says_why(void **state)
{
	unsigned long long both = BIT(CAP_BPF) | BIT(CAP_PERFMON);
	char buf[200];

	(void)state;
	privs_bpf_denied(BIT(CAP_PERFMON), "6.18.0", ~0ULL, buf, sizeof(buf));
	assert_string_equal(buf, "not permitted: needs CAP_BPF (or root)");
	privs_bpf_denied(0, "6.1.0-18-amd64", 65536, buf, sizeof(buf));
	assert_string_equal(buf, "not permitted: needs CAP_BPF and CAP_PERFMON (or root)");
	/* 5.10 charges map memory to RLIMIT_MEMLOCK: 64 KiB is too little */
	privs_bpf_denied(both, "5.10.0-28-amd64", 65536, buf, sizeof(buf));
	assert_non_null(strstr(buf, "RLIMIT_MEMLOCK 64 KiB"));
	assert_non_null(strstr(buf, "CAP_SYS_RESOURCE"));
	/* unlimited, or a kernel with memcg accounting: something else said no */
	privs_bpf_denied(both, "5.10.0", ~0ULL, buf, sizeof(buf));
	assert_non_null(strstr(buf, "although CAP_BPF and CAP_PERFMON are held"));
	privs_bpf_denied(both, "5.11.0", 65536, buf, sizeof(buf));
	assert_non_null(strstr(buf, "although CAP_BPF and CAP_PERFMON are held"));
	privs_bpf_denied(BIT(CAP_SYS_ADMIN), "6.18.0", 65536, buf, sizeof(buf));
	assert_non_null(strstr(buf, "although"));
}

static void perf_refusal_says_why(void **state)
{
	char buf[200];

	(void)state;
	privs_perf_denied(0, 2, buf, sizeof(buf));
	assert_string_equal(buf, "not permitted: needs CAP_PERFMON (kernel.perf_event_paranoid is 2; "
				 "0 or less would do)");
	privs_perf_denied(0, -1, buf, sizeof(buf));
	assert_string_equal(buf, "not permitted: needs CAP_PERFMON");
	privs_perf_denied(BIT(CAP_PERFMON), 2, buf, sizeof(buf));
	assert_non_null(strstr(buf, "although CAP_PERFMON is held"));
}

static const char *fixture_path(const char *name)
{
	static char path[512];
	const char *dir = getenv("STORMTOP_FIXTURES");

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "tests/fixtures", name);
	return path;
}

static void kallsyms_lines(void **state)
{
	int listed = -1;

	(void)state;
	/* the data symbol of the same name, listed first, is not taken */
	assert_true(kallsyms_addr(fixture_path("kallsyms-visible"), "flush_tlb_func", &listed) ==
		    0xffffffff81a00010ULL);
	assert_int_equal(listed, 1);
	assert_true(kallsyms_addr(fixture_path("kallsyms-hidden"), "flush_tlb_func", &listed) == 0);
	assert_int_equal(listed, 1);
	assert_true(kallsyms_addr(fixture_path("kallsyms-absent"), "flush_tlb_func", &listed) == 0);
	assert_int_equal(listed, 0);
	assert_true(kallsyms_addr(fixture_path("no-such-file"), "flush_tlb_func", &listed) == 0);
	assert_int_equal(listed, 0);
}

static void hidden_address_says_why(void **state)
{
	char buf[128];

	(void)state;
	kallsyms_hidden_why("flush_tlb_func", 2, buf, sizeof(buf));
	assert_string_equal(buf, "flush_tlb_func address hidden by kernel.kptr_restrict=2");
	kallsyms_hidden_why("flush_tlb_func", 1, buf, sizeof(buf));
	assert_string_equal(buf, "flush_tlb_func address hidden: needs CAP_SYSLOG (no kernel BTF to "
				 "resolve it)");
	kallsyms_hidden_why("flush_tlb_func", 0, buf, sizeof(buf));
	assert_non_null(strstr(buf, "needs CAP_SYSLOG"));
}

/* Root reads /proc/kallsyms in the clear: the reference for the address
 * the kernel resolved for our BPF program. */
static void btf_address_matches_kallsyms(void **state)
{
	char why[96];
	int listed;
	uint64_t ref, got;

	(void)state;
	if (geteuid() != 0) {
		printf("SKIP: needs root to read /proc/kallsyms addresses\n");
		skip();
	}
	ref = kallsyms_addr("/proc/kallsyms", "flush_tlb_func", &listed);
	if (!ref) {
		printf("SKIP: no flush_tlb_func on this kernel (listed %d)\n", listed);
		skip();
	}
	got = flush_tlb_func_addr("/dev/null", why, sizeof(why)); /* no kallsyms to fall back on */
	if (!got && access("/sys/kernel/btf/vmlinux", R_OK) != 0) {
		printf("SKIP: no kernel BTF: %s\n", why);
		skip();
	}
	printf("flush_tlb_func: kallsyms %#llx, from BTF %#llx\n", (unsigned long long)ref,
	       (unsigned long long)got);
	assert_true(got == ref);
	assert_string_equal(why, "");
}

static void csd_notes(void **state)
{
	char buf[FRAME_REASON_LEN];
	int covers = -1;
	size_t n;

	(void)state;
	n = tlb_csd_note(HOOK_NO_TRACEPOINT, "", buf, sizeof(buf), &covers);
	assert_int_equal(n, strlen(buf));
	assert_int_equal(covers, 1);
	assert_non_null(strstr(buf, "no csd tracepoints (kernel before 6.5)"));
	assert_non_null(strstr(buf, "received from /proc/interrupts only"));
	assert_non_null(strstr(buf, "none sent, no handler time"));
	n = tlb_csd_note(HOOK_ATTACHED, "flush_tlb_func address hidden: needs CAP_SYSLOG", buf, sizeof(buf),
			 &covers);
	assert_string_equal(buf, "flush_tlb_func address hidden: needs CAP_SYSLOG: no TLB IPIs sent, no csd "
				 "received count");
	assert_int_equal(covers, 0);
	assert_int_equal(tlb_csd_note(HOOK_ATTACHED, "", buf, sizeof(buf), &covers), 0);
	assert_string_equal(buf, "");
	/* disabled or refused hooks are named by the loader's own list */
	assert_int_equal(tlb_csd_note(HOOK_DISABLED, "x", buf, sizeof(buf), &covers), 0);
	assert_int_equal(tlb_csd_note(HOOK_REFUSED, "", buf, sizeof(buf), &covers), 0);
	n = tlb_csd_note(HOOK_NO_TRACEPOINT, "", buf, 10, &covers);
	assert_int_equal(n, 9);
	assert_int_equal(strlen(buf), 9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_what_is_missing),
		cmocka_unit_test(bpf_refusal_says_why),
		cmocka_unit_test(perf_refusal_says_why),
		cmocka_unit_test(kallsyms_lines),
		cmocka_unit_test(hidden_address_says_why),
		cmocka_unit_test(btf_address_matches_kallsyms),
		cmocka_unit_test(csd_notes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
