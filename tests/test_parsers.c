// SPDX-License-Identifier: GPL-2.0-only
/* schedstat, vmstat and PSI parsers on real and broken text; the small
 * /proc and /sys readers never cut a file or a value silently; kallsyms
 * lines are read whole. */
#include "testlib.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collectors/hostfs.h"
#include "collectors/kallsyms.h"
#include "collectors/psi.h"
#include "collectors/schedstat.h"
#include "collectors/vmstat.h"

static void schedstat_v15(void **state)
{
	struct sched_snapshot s;
	char err[128];
	size_t len;
	const char *t = fixture("schedstat-v15", &len);

	(void)state;
	assert_int_equal(sched_snapshot_init(&s, 2), 0);
	assert_int_equal(schedstat_parse(t, len, &s, err, sizeof(err)), 0);
	assert_int_equal(s.version, 15);
	assert_true(s.run_ns[0] == 349744497212ull);
	assert_true(s.delay_ns[0] == 49087380766ull);
	assert_int_equal(s.slices[1], 687567);
	sched_snapshot_free(&s);
}

static void schedstat_broken(void **state)
{
	struct sched_snapshot s;
	char err[128];
	static const char *bad[] = {
		"timestamp 1\ncpu0 1 2 3\n",             /* no version line */
		"version 15\ncpu0 1 2\n",                /* too few fields */
		"version 15\ncpu9 1 2 3 4 5 6 7 8 9\n",  /* CPU beyond the host */
		"version 15\ncpu0 1 2 x 4\n",            /* junk */
	};

	(void)state;
	assert_int_equal(sched_snapshot_init(&s, 2), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_int_equal(schedstat_parse(bad[i], strlen(bad[i]), &s, err, sizeof(err)), -1);
		assert_true(err[0] != '\0');
	}
	sched_snapshot_free(&s);
}

static void vmstat_sums_and_absence(void **state)
{
	uint64_t v[VM_STAT_MAX];
	size_t len;
	const char *t = fixture("vmstat-debug", &len);
	uint32_t present = vmstat_parse(t, len, v);

	(void)state;
	assert_int_equal(v[VM_PGDEMOTE], 12);     /* 3 + 4 + 5 */
	assert_int_equal(v[VM_PGPROMOTE], 9);     /* success only, not candidates */
	assert_int_equal(v[VM_TLB_REMOTE_FLUSH], 42);
	assert_int_equal(v[VM_TLB_REMOTE_FLUSH_RECEIVED], 84);
	assert_int_equal(v[VM_PGFAULT], 1000);
	assert_false(present & (1u << VM_PGMAJFAULT)); /* "pgmajfault x" */
	assert_false(present & (1u << VM_THP_SPLIT_PAGE));

	t = fixture("vmstat-vm", &len);
	present = vmstat_parse(t, len, v);
	assert_true(present & (1u << VM_PGFAULT));
	assert_true(v[VM_PGFAULT] > 0);
}

static void psi_variants(void **state)
{
	struct psi_reading r;
	char err[128];
	size_t len;
	const char *t = fixture("psi-cpu-vm", &len);

	(void)state;
	assert_int_equal(psi_parse(t, len, &r, err, sizeof(err)), 0);
	assert_true(r.has_full);
	t = fixture("psi-someonly", &len);
	assert_int_equal(psi_parse(t, len, &r, err, sizeof(err)), 0);
	assert_false(r.has_full);
	assert_int_equal(r.some_total_us, 123456);
	assert_true(r.some_avg10 > 1.49f && r.some_avg10 < 1.51f);
	t = fixture("psi-bad", &len);
	assert_int_equal(psi_parse(t, len, &r, err, sizeof(err)), -1);
	assert_int_equal(psi_parse("", 0, &r, err, sizeof(err)), -1);
}

static void put(const char *path, const char *text, size_t n)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, n, f), n);
	fclose(f);
}

/* The host's /proc at a prefix (a container) is live, a copied tree is not;
 * this process's pid and another's presence come from the prefix's procfs,
 * checked against the NSpid line /proc/self/status gives for it. */
static void hostfs_live_prefix(void **state)
{
	char dir[] = "/tmp/stormtop-hostfs-XXXXXX", path[128], status[4096], *ns;
	long nspid;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/proc", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	assert_int_equal(hostfs_live(""), 1);
	assert_int_equal(hostfs_live("/"), 1);         /* /proc is a procfs */
	assert_int_equal(hostfs_live(dir), 0);         /* an ordinary directory */
	assert_int_equal(hostfs_live("/nonexistent"), 0);
	assert_true(hostfs_read("", "/proc/self/status", status, sizeof(status)) > 0);
	assert_non_null(ns = strstr(status, "\nNSpid:"));
	nspid = strtol(ns + 7, NULL, 10);
	assert_int_equal(hostfs_self_pid(""), nspid);
	assert_int_equal(hostfs_self_pid("/"), nspid);
	assert_int_equal(hostfs_self_pid(dir), getpid()); /* no proc/self: the fallback */
	assert_int_equal(hostfs_has_pid("/", (int)nspid), 1);
	assert_int_equal(hostfs_has_pid(dir, (int)nspid), 0);
	assert_int_equal(hostfs_has_pid("", 0), 0);
	assert_int_equal(hostfs_has_pid("", -1), 0);
	rmdir(path);
	rmdir(dir);
}

/* A file that fills the buffer exactly reads; one byte more is EFBIG,
 * not the first n - 1 bytes.  The same for a selector and a parameter. */
static void hostfs_never_cuts(void **state)
{
	char dir[] = "/tmp/stormtop-hostfs-XXXXXX", path[128], text[600], buf[256];

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/list", dir);
	memset(text, '7', sizeof(text));
	put(path, text, 255);
	assert_int_equal(hostfs_read(dir, "/list", buf, sizeof(buf)), 255);
	put(path, text, 256);
	errno = 0;
	assert_int_equal(hostfs_read(dir, "/list", buf, sizeof(buf)), -1);
	assert_int_equal(errno, EFBIG);
	put(path, "0-3\n", 4);
	assert_int_equal(hostfs_read(dir, "/list", buf, sizeof(buf)), 3);
	assert_string_equal(buf, "0-3");
	assert_int_equal(hostfs_selected("always [madvise] never", buf, 8), 0);
	assert_string_equal(buf, "madvise");
	assert_int_equal(hostfs_selected("always [madvise] never", buf, 7), -1);
	assert_int_equal(hostfs_param("ro isolcpus=2-5,7 quiet", "isolcpus", buf, 6), 1);
	assert_string_equal(buf, "2-5,7");
	assert_int_equal(hostfs_param("ro isolcpus=2-5,7 quiet", "isolcpus", buf, 5), -1);
	assert_string_equal(buf, "");
	unlink(path);
	rmdir(dir);
}

/* A symbol line longer than any fixed buffer is one line: its tail,
 * which looks like another symbol's line, is not read as one. */
static void kallsyms_whole_lines(void **state)
{
	char path[] = "/tmp/stormtop-kallsyms-XXXXXX", text[2048];
	int fd = mkstemp(path);
	size_t at;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	at = (size_t)snprintf(text, sizeof(text), "ffffffff81000010 t ");
	memset(text + at, 'a', 511 - at); /* where a 512-byte fgets buffer would cut */
	at = 511;
	at += (size_t)snprintf(text + at, sizeof(text) - at,
			       "ffffffff8badf00d t flush_tlb_func\nffffffff81342490 t __pfx_flush_tlb_func\n"
			       "ffffffff813424a0 t flush_tlb_func_x\nffffffff813424b0 t flush_tlb_func\t[kvm]\n");
	put(path, text, at);
	assert_true(kallsyms_addr(path, "flush_tlb_func", NULL) == 0xffffffff813424b0ull);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(schedstat_v15),
		cmocka_unit_test(schedstat_broken),
		cmocka_unit_test(vmstat_sums_and_absence),
		cmocka_unit_test(psi_variants),
		cmocka_unit_test(hostfs_never_cuts),
		cmocka_unit_test(hostfs_live_prefix),
		cmocka_unit_test(kallsyms_whole_lines),
	};
	return cmocka_run_group_tests_name("parsers", tests, NULL, NULL);
}
