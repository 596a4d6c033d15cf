// SPDX-License-Identifier: GPL-2.0-only
/* Files stormtop creates or replaces as root, with symlinks and other
 * users' files planted in a world-writable sticky (1777) directory: the
 * config save, recordings (create, append, rotation, pruning), the w
 * key's state directory and published segments never follow a planted link, never write into or
 * delete a file that is not theirs, and have exactly their mode whatever
 * the umask.  The victim is a root-owned 0600 file elsewhere. */
#include "testlib.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/config.h"
#include "record/recreader.h"
#include "record/recwriter.h"
#include "core/ring.h"
#include "util/safefile.h"
#include "stormtop/probe.h"

#define NCPU 2
#define NOBODY 65534

static char shared[] = "/tmp/stormtop-shared-XXXXXX";   /* mode 1777 */
static char safe[] = "/tmp/stormtop-victim-XXXXXX";     /* 0700, root's */
static char victim[128];

static const char *in(const char *d, const char *name)
{
	static char p[4][256];
	static int i;

	i = (i + 1) % 4;
	snprintf(p[i], sizeof(p[i]), "%s/%s", d, name);
	return p[i];
}

static void put(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	fchmod(fd, mode);
	close(fd);
}

static const char *text_of(const char *path)
{
	static char buf[256];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	assert_true(fd >= 0);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

/* The victim still says "secret", is 0600 and is root's. */
static void victim_intact(void)
{
	char buf[64] = "";
	struct stat st;
	int fd = open(victim, O_RDONLY);

	assert_true(fd >= 0);
	assert_true(read(fd, buf, sizeof(buf) - 1) >= 0);
	close(fd);
	assert_string_equal(buf, "secret\n");
	assert_int_equal(stat(victim, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
}

static mode_t mode_of(const char *path)
{
	struct stat st;

	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	return st.st_mode & 07777;
}

static int is_symlink(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 && S_ISLNK(st.st_mode);
}

static off_t size_of(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_size;
}

/* The old temporary name (PATH.tmp.PID) and the file itself are links to
 * the victim: the save writes neither, the file becomes a regular 0644
 * one under any umask. */
static void config_save_plants(void **state)
{
	static const mode_t masks[] = { 0, 077, 022 };
	char tmp[300], err[300];
	struct config c;

	(void)state;
	config_defaults(&c);
	for (size_t i = 0; i < sizeof(masks) / sizeof(masks[0]); i++) {
		const char *rc = in(shared, "stormtoprc");
		mode_t old = umask(masks[i]);

		unlink(rc);
		snprintf(tmp, sizeof(tmp), "%s.tmp.%d", rc, (int)getpid());
		unlink(tmp);
		assert_int_equal(symlink(victim, tmp), 0);
		assert_int_equal(symlink(victim, rc), 0);
		if (config_save(&c, rc, err, sizeof(err)) != 0)
			fail_msg("umask %03o: %s", (unsigned int)masks[i], err);
		umask(old);
		victim_intact();
		assert_int_equal(mode_of(rc), 0644);
		assert_true(is_symlink(tmp)); /* the plant is left alone, unfollowed */
		unlink(tmp);
	}
}

static void write_rec(const char *path, int frames, char *err, size_t errlen, int *ok)
{
	static uint16_t nodes[NCPU];
	struct rec_meta m = { .host = "h", .kernel = "k", .version = "v", .ncpu = NCPU, .nnodes = 1,
			      .node_of = nodes, .interval_ns = 1000000000, .start_ns = 1700000000000000000LL };
	struct rec_writer *w = rec_writer_open(path, &m, NULL, err, errlen);
	struct frame_ring r;

	*ok = w != NULL;
	if (!w)
		return;
	assert_int_equal(ring_init(&r, 1, NCPU), 0);
	for (int i = 0; i < frames; i++) {
		frame_clear(&r.frames[0]);
		r.frames[0].seq = (uint64_t)i;
		r.frames[0].wall_ns = m.start_ns + (int64_t)i * 1000000000;
		assert_int_equal(rec_writer_append(w, &r.frames[0], err, errlen), 0);
	}
	rec_writer_close(w);
	ring_free(&r);
}

/* record -o onto a planted symlink, someone else's recording, a hard
 * link and a FIFO: refused, saying why, and nothing written anywhere. */
static void recording_plants(void **state)
{
	char err[400];
	const char *other = in(safe, "other.rec");
	off_t before;
	int ok;

	(void)state;
	write_rec(other, 3, err, sizeof(err), &ok);
	assert_true(ok);
	before = size_of(other);
	assert_int_equal(symlink(other, in(shared, "x.rec")), 0);
	write_rec(in(shared, "x.rec"), 3, err, sizeof(err), &ok);
	assert_false(ok);
	assert_non_null(strstr(err, "is a symbolic link"));
	assert_int_equal(size_of(other), before);
	/* a dangling link: nothing is created where it points */
	assert_int_equal(symlink(in(safe, "new.rec"), in(shared, "d.rec")), 0);
	write_rec(in(shared, "d.rec"), 3, err, sizeof(err), &ok);
	assert_false(ok);
	assert_int_equal(access(in(safe, "new.rec"), F_OK), -1);
	/* a hard link to a recording: two links, refused */
	if (link(other, in(shared, "h.rec")) == 0) {
		write_rec(in(shared, "h.rec"), 3, err, sizeof(err), &ok);
		assert_false(ok);
		assert_non_null(strstr(err, "has 2 links"));
		assert_int_equal(size_of(other), before);
	}
	assert_int_equal(mkfifo(in(shared, "f.rec"), 0666), 0);
	write_rec(in(shared, "f.rec"), 3, err, sizeof(err), &ok);
	assert_false(ok);
	assert_non_null(strstr(err, "not a regular file"));
	if (geteuid() == 0) { /* someone else's recording in the shared directory */
		write_rec(in(shared, "n.rec"), 3, err, sizeof(err), &ok);
		assert_true(ok);
		assert_int_equal(chown(in(shared, "n.rec"), NOBODY, NOBODY), 0);
		before = size_of(in(shared, "n.rec"));
		write_rec(in(shared, "n.rec"), 3, err, sizeof(err), &ok);
		assert_false(ok);
		assert_non_null(strstr(err, "owned by uid 65534"));
		assert_int_equal(size_of(in(shared, "n.rec")), before);
	} else {
		printf("skipped: someone else's recording (needs root to chown)\n");
	}
	victim_intact();
}

/* A new recording, and one appended to, is 0644 under any umask. */
static void recording_modes(void **state)
{
	char err[400];
	mode_t old = umask(0);
	int ok;

	(void)state;
	write_rec(in(shared, "m0.rec"), 2, err, sizeof(err), &ok);
	assert_true(ok);
	umask(077);
	write_rec(in(shared, "m77.rec"), 2, err, sizeof(err), &ok);
	assert_true(ok);
	write_rec(in(shared, "m77.rec"), 2, err, sizeof(err), &ok); /* appended */
	assert_true(ok);
	umask(old);
	assert_int_equal(mode_of(in(shared, "m0.rec")), 0644);
	assert_int_equal(mode_of(in(shared, "m77.rec")), 0644);
}

/* Rotation renames aside without replacing names already taken (links
 * to the victim planted for every stamp) and pruning deletes only its
 * own rotated files: not a user's r.rec.notes, not another user's file
 * or a link that look rotated. */
static void rotation_plants(void **state)
{
	struct rec_rotate rot = { .max_bytes = 65536, .keep = 1 };
	static uint16_t nodes[NCPU];
	struct rec_meta m = { .host = "h", .kernel = "k", .version = "v", .ncpu = NCPU, .nnodes = 1,
			      .node_of = nodes, .interval_ns = 1000000000, .start_ns = 1700000000000000000LL };
	char path[256], name[64], pattern[300], err[400];
	struct frame_ring r;
	struct rec_writer *w;
	int planted = 0;
	glob_t g;

	(void)state;
	snprintf(path, sizeof(path), "%s/r.rec", shared);
	for (int i = 0; i < 4000; i++) { /* the stamps frames 0..3999 would rotate at */
		time_t t = 1700000000 + i;
		struct tm tm;

		localtime_r(&t, &tm);
		strftime(name, sizeof(name), "r.rec.%Y%m%d-%H%M%S", &tm);
		planted += symlink(victim, in(shared, name)) == 0;
	}
	put(in(shared, "r.rec.notes"), "mine\n", 0644);
	put(in(shared, "r.rec.20991231-235959"), "theirs\n", 0644);
	if (geteuid() == 0)
		assert_int_equal(chown(in(shared, "r.rec.20991231-235959"), NOBODY, NOBODY), 0);
	if (!(w = rec_writer_open(path, &m, &rot, err, sizeof(err))))
		fail_msg("%s", err);
	assert_int_equal(ring_init(&r, 1, NCPU), 0);
	for (int i = 0; i < 4000; i++) {
		frame_clear(&r.frames[0]);
		r.frames[0].seq = (uint64_t)i;
		r.frames[0].wall_ns = m.start_ns + (int64_t)i * 1000000000;
		r.frames[0].cpu[0].irq[0] = (uint64_t)i * 7919; /* something to compress */
		if (rec_writer_append(w, &r.frames[0], err, sizeof(err)) != 0)
			fail_msg("frame %d: %s", i, err);
	}
	rec_writer_close(w);
	ring_free(&r);
	victim_intact();
	assert_string_equal(text_of(in(shared, "r.rec.notes")), "mine\n");
	if (geteuid() == 0)
		assert_string_equal(text_of(in(shared, "r.rec.20991231-235959")), "theirs\n");
	for (int i = 0; i < 4000; i++) { /* every plant still a link */
		time_t t = 1700000000 + i;
		struct tm tm;

		localtime_r(&t, &tm);
		strftime(name, sizeof(name), "r.rec.%Y%m%d-%H%M%S", &tm);
		planted -= is_symlink(in(shared, name));
	}
	assert_int_equal(planted, 0);
	snprintf(pattern, sizeof(pattern), "%s/r.rec.*.1", shared); /* rotated past the plants, one kept */
	assert_int_equal(glob(pattern, 0, NULL, &g), 0);
	printf("rotated files kept: %zu\n", g.gl_pathc);
	assert_int_equal(g.gl_pathc, 1);
	globfree(&g);
}

/* A published segment: the old temporary name and the segment's name are
 * planted links; publishing works, follows neither, and the segment is
 * 0644 under umask 077 (apps of other users read it). */
static void segment_plants(void **state)
{
	char tmp[300];
	struct stormprobe *p;
	mode_t old;

	(void)state;
	setenv("STORMPROBE_DIR", shared, 1);
	snprintf(tmp, sizeof(tmp), "%s/stormprobe.pub.tmp.%d", shared, (int)getpid());
	assert_int_equal(symlink(victim, tmp), 0);
	assert_int_equal(symlink(victim, in(shared, "stormprobe.pub")), 0);
	old = umask(077);
	p = stormprobe_create("pub", 1);
	umask(old);
	if (!p)
		fail_msg("stormprobe_create: %s", strerror(errno));
	assert_int_equal(mode_of(in(shared, "stormprobe.pub")), 0644);
	assert_true(is_symlink(tmp));
	stormprobe_close(p, 1);
	victim_intact();
	unsetenv("STORMPROBE_DIR");
}

/* The helpers' own contract, without a planted name. */
static void helpers(void **state)
{
	char tmp[300], err[300];
	int fd;

	(void)state;
	fd = safefile_create(in(shared, "c1"), O_WRONLY, 0600, err, sizeof(err));
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(safefile_create(in(shared, "c1"), O_WRONLY, 0600, err, sizeof(err)), -1);
	assert_int_equal(errno, EEXIST);
	fd = safefile_temp(in(shared, "c1"), tmp, sizeof(tmp), O_WRONLY, 0640, err, sizeof(err));
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(mode_of(tmp), 0640);
	assert_true(strncmp(tmp, in(shared, "c1.tmp."), strlen(in(shared, "c1.tmp."))) == 0);
	assert_int_equal(safefile_rename_new(tmp, in(shared, "c1")), -1);
	assert_int_equal(errno, EEXIST);
	assert_int_equal(safefile_rename_new(tmp, in(shared, "c2")), 0);
	assert_true(safefile_is_own(in(shared, "c2")));
	assert_false(safefile_is_own(in(shared, "stormtoprc.tmp.none")));
}

/* The w key's state directory: missing parts made 0700 whatever the
 * umask; a symlink, a file, someone else's directory or one others can
 * write to at the name is refused, and nothing is made through it. */
static mode_t dir_mode(const char *path)
{
	struct stat st;

	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	return st.st_mode & 07777;
}

static void state_dir_plants(void **state)
{
	char err[300];
	mode_t old;

	(void)state;
	old = umask(0);
	assert_int_equal(safefile_mkdir_own(in(shared, "st/a/b"), 0700, err, sizeof(err)), 0);
	umask(old);
	assert_int_equal(dir_mode(in(shared, "st")), 0700);
	assert_int_equal(dir_mode(in(shared, "st/a")), 0700);
	assert_int_equal(dir_mode(in(shared, "st/a/b")), 0700);
	assert_int_equal(safefile_mkdir_own(in(shared, "st/a/b/"), 0700, err, sizeof(err)), 0);
	assert_int_equal(symlink(safe, in(shared, "lnk")), 0);
	assert_int_equal(safefile_mkdir_own(in(shared, "lnk"), 0700, err, sizeof(err)), -1);
	assert_int_equal(errno, ELOOP);
	assert_non_null(strstr(err, "symbolic link"));
	put(in(shared, "file"), "x\n", 0600);
	assert_int_equal(safefile_mkdir_own(in(shared, "file"), 0700, err, sizeof(err)), -1);
	assert_int_equal(errno, ENOTDIR);
	assert_int_equal(mkdir(in(shared, "open"), 0700), 0);
	assert_int_equal(chmod(in(shared, "open"), 0757), 0);
	assert_int_equal(safefile_mkdir_own(in(shared, "open"), 0700, err, sizeof(err)), -1);
	assert_int_equal(errno, EPERM);
	assert_non_null(strstr(err, "writable by others"));
	assert_int_equal(chmod(in(shared, "open"), 0755), 0); /* readable is fine */
	assert_int_equal(safefile_mkdir_own(in(shared, "open"), 0700, err, sizeof(err)), 0);
	if (geteuid() == 0) { /* someone else's, planted in the shared directory */
		assert_int_equal(mkdir(in(shared, "theirs"), 0700), 0);
		assert_int_equal(chown(in(shared, "theirs"), NOBODY, NOBODY), 0);
		assert_int_equal(safefile_mkdir_own(in(shared, "theirs"), 0700, err, sizeof(err)), -1);
		assert_int_equal(errno, EPERM);
		assert_non_null(strstr(err, "owned by uid 65534"));
	}
	victim_intact();
}

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(shared) || !mkdtemp(safe) || chmod(shared, 01777) < 0)
		return -1;
	snprintf(victim, sizeof(victim), "%s/secret", safe);
	put(victim, "secret\n", 0600);
	return 0;
}

static int teardown(void **state)
{
	char cmd[200];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s %s", shared, safe);
	return system(cmd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(helpers),
		cmocka_unit_test(config_save_plants),
		cmocka_unit_test(recording_plants),
		cmocka_unit_test(recording_modes),
		cmocka_unit_test(rotation_plants),
		cmocka_unit_test(segment_plants),
		cmocka_unit_test(state_dir_plants),
	};
	if (geteuid() != 0)
		printf("not root: the plants are tested as this user; someone else's files are skipped\n");
	return cmocka_run_group_tests_name("safe files", tests, setup, teardown);
}
