// SPDX-License-Identifier: GPL-2.0-only
/* collectors/cgroupfs.c on fake roots (tests/fixtures/cgroups/): the
 * cgroup2 mount found in the host's proc/1/mounts whatever the layout
 * (not proc/mounts: at a prefix that is the container's own view), the v1-only and
 * no-cgroup states with their one-line reasons, a mount path the kernel
 * escaped (\040 and friends), and ids resolved to paths, checked against
 * stat()'s inode numbers of the very directories (the kernel's cgroup id
 * is that inode), with the rescan at most once a second. */
#include "testlib.h"

#include <errno.h>
#include <sys/stat.h>

#include "collectors/cgroupfs.h"

#define FIX "tests/fixtures/cgroups/"

static uint64_t ino_of(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		fail_msg("stat %s: %s", path, strerror(errno));
	return st.st_ino;
}

static void hybrid_finds_unified(void **state)
{
	struct cgroupfs *c = cgroupfs_open(FIX "hybrid");
	char path[FRAME_CGROUP_PATH];
	const char *why;

	(void)state;
	assert_non_null(c);
	assert_int_equal(cgroupfs_state(c, &why), CGROUPS_OK);
	/* proc/mounts (self: the container) names /sys/fs/cgroup; pid 1's wins */
	assert_string_equal(cgroupfs_mount(c), "/sys/fs/cgroup/unified");
	assert_int_equal(cgroupfs_path(c, ino_of(FIX "hybrid/sys/fs/cgroup/unified"), path, sizeof(path)), 0);
	assert_string_equal(path, "/");
	assert_int_equal(cgroupfs_path(c, ino_of(FIX "hybrid/sys/fs/cgroup/unified/system.slice/app.service"),
				       path, sizeof(path)), 0);
	assert_string_equal(path, "/system.slice/app.service");
	/* a file's inode is no cgroup */
	assert_int_equal(cgroupfs_path(c, ino_of(FIX "hybrid/sys/fs/cgroup/unified/system.slice/app.service/"
						     "cgroup.procs"), path, sizeof(path)), -1);
	assert_string_equal(path, "");
	cgroupfs_close(c);
}

static void v2only_first_mount_wins(void **state)
{
	struct cgroupfs *c = cgroupfs_open(FIX "v2only");
	const char *scope = FIX "v2only/sys/fs/cgroup/kubepods.slice/pod1.slice/cri-containerd-0123456789ab.scope";
	char path[FRAME_CGROUP_PATH];
	const char *why;

	(void)state;
	assert_int_equal(cgroupfs_state(c, &why), CGROUPS_OK);
	assert_string_equal(cgroupfs_mount(c), "/sys/fs/cgroup");
	assert_int_equal(cgroupfs_path(c, ino_of(scope), path, sizeof(path)), 0);
	assert_string_equal(path, "/kubepods.slice/pod1.slice/cri-containerd-0123456789ab.scope");
	cgroupfs_close(c);
}

static void v1_only_says_why(void **state)
{
	struct cgroupfs *c = cgroupfs_open(FIX "v1");
	char path[FRAME_CGROUP_PATH];
	const char *why;

	(void)state;
	assert_int_equal(cgroupfs_state(c, &why), CGROUPS_V1_ONLY);
	assert_string_equal(why, "cgroup v1 only: no cgroup2 mount, per-cgroup view unavailable");
	assert_int_equal(cgroupfs_path(c, 1, path, sizeof(path)), -1);
	cgroupfs_close(c);
}

static void no_cgroups_or_no_file(void **state)
{
	struct cgroupfs *c = cgroupfs_open(FIX "none");
	const char *why;

	(void)state;
	assert_int_equal(cgroupfs_state(c, &why), CGROUPS_UNAVAILABLE);
	assert_string_equal(why, "no cgroup filesystem mounted: per-cgroup view unavailable");
	cgroupfs_close(c);
	c = cgroupfs_open(FIX "absent");
	assert_int_equal(cgroupfs_state(c, &why), CGROUPS_UNAVAILABLE);
	assert_non_null(strstr(why, "cannot read <root>/proc/1/mounts"));
	cgroupfs_close(c);
	/* named in mounts but not there: says so rather than walking nothing */
	c = cgroupfs_open(FIX "hostile");
	assert_int_equal(cgroupfs_state(c, &why), CGROUPS_UNAVAILABLE);
	assert_non_null(strstr(why, "cannot open the cgroup2 mount"));
	cgroupfs_close(c);
}

static void parse_decodes_escapes(void **state)
{
	size_t len;
	const char *text = fixture("cgroups/hostile/proc/1/mounts", &len);
	char mnt[256], why[FRAME_REASON_LEN], tiny[8];

	(void)state;
	assert_int_equal(cgroupfs_parse_mounts(text, mnt, sizeof(mnt), why, sizeof(why)), CGROUPS_OK);
	assert_string_equal(mnt, "/mnt/my cg\ttab\\back\nnl");
	assert_int_equal(cgroupfs_parse_mounts(text, tiny, sizeof(tiny), why, sizeof(why)), CGROUPS_UNAVAILABLE);
	assert_non_null(strstr(why, "longer than 7 bytes"));
	/* a truncated last line, no newline, a lone backslash: no overrun */
	assert_int_equal(cgroupfs_parse_mounts("cgroup2 /x\\04", mnt, sizeof(mnt), why, sizeof(why)),
			 CGROUPS_UNAVAILABLE);
	assert_int_equal(cgroupfs_parse_mounts("cgroup2 cgroup2 /x cgroup2", mnt, sizeof(mnt), why, sizeof(why)),
			 CGROUPS_UNAVAILABLE); /* the type is the third field, not any */
	assert_int_equal(cgroupfs_parse_mounts("c /y\\04 cgroup2 rw 0 0", mnt, sizeof(mnt), why, sizeof(why)),
			 CGROUPS_OK);
	assert_string_equal(mnt, "/y\\04");
	assert_int_equal(cgroupfs_parse_mounts("", mnt, sizeof(mnt), why, sizeof(why)), CGROUPS_UNAVAILABLE);
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* The hostile mount made for real in a scratch root: its escaped path
 * walked, a path longer than the frame's keeps its innermost end, and a
 * cgroup made after open is found only once a second has passed. */
static void hostile_tree_and_rescan(void **state)
{
	char root[] = "/tmp/stormtop-cgfs-XXXXXX", p[1024], mnt[512], deep[1024], path[FRAME_CGROUP_PATH];
	const char *a = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"; /* 70 */
	const char *b = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"; /* 86 */
	const char *why;
	struct cgroupfs *c;
	uint32_t scans;
	size_t len;

	(void)state;
	assert_int_equal(scratch_make(root), 0);
	snprintf(p, sizeof(p), "%s/proc", root);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/proc/1", root);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/proc/1/mounts", root);
	put(p, fixture("cgroups/hostile/proc/1/mounts", &len));
	snprintf(mnt, sizeof(mnt), "%s/mnt", root);
	assert_int_equal(mkdir(mnt, 0755), 0);
	snprintf(mnt, sizeof(mnt), "%s/mnt/my cg\ttab\\back\nnl", root);
	assert_int_equal(mkdir(mnt, 0755), 0);
	snprintf(deep, sizeof(deep), "%s/%s", mnt, a);
	assert_int_equal(mkdir(deep, 0755), 0);
	snprintf(deep, sizeof(deep), "%s/%s/%s", mnt, a, b);
	assert_int_equal(mkdir(deep, 0755), 0);

	c = cgroupfs_open(root);
	assert_int_equal(cgroupfs_state(c, &why), CGROUPS_OK);
	assert_int_equal(cgroupfs_path(c, ino_of(mnt), path, sizeof(path)), 0);
	assert_string_equal(path, "/");
	assert_int_equal(cgroupfs_path(c, ino_of(deep), path, sizeof(path)), 0);
	snprintf(p, sizeof(p), "/%s/%s", a, b); /* 158 bytes: the last 127 kept */
	assert_int_equal(strlen(path), sizeof(path) - 1);
	assert_string_equal(path, p + strlen(p) - (sizeof(path) - 1));

	/* made after the walk at open: a miss, and no walk within the second */
	snprintf(p, sizeof(p), "%s/late\n name", mnt);
	assert_int_equal(mkdir(p, 0755), 0);
	scans = cgroupfs_scans(c);
	assert_int_equal(cgroupfs_path(c, ino_of(p), path, sizeof(path)), -1);
	assert_int_equal(cgroupfs_path(c, ino_of(p), path, sizeof(path)), -1);
	assert_int_equal(cgroupfs_scans(c), scans);
	usleep(1100 * 1000);
	assert_int_equal(cgroupfs_path(c, ino_of(p), path, sizeof(path)), 0);
	assert_string_equal(path, "/late\n name"); /* the bytes as they are */
	assert_int_equal(cgroupfs_scans(c), scans + 1);
	/* an id that is nowhere, within the second of that walk: no walk */
	assert_int_equal(cgroupfs_path(c, ino_of(p) + 1000000, path, sizeof(path)), -1);
	assert_int_equal(cgroupfs_path(c, ino_of(p) + 1000001, path, sizeof(path)), -1);
	assert_int_equal(cgroupfs_scans(c), scans + 1);
	cgroupfs_close(c);
	scratch_remove(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hybrid_finds_unified),
		cmocka_unit_test(v2only_first_mount_wins),
		cmocka_unit_test(v1_only_says_why),
		cmocka_unit_test(no_cgroups_or_no_file),
		cmocka_unit_test(parse_decodes_escapes),
		cmocka_unit_test(hostile_tree_and_rescan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
