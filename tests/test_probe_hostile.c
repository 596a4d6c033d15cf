// SPDX-License-Identifier: GPL-2.0-only
/* Hostile and broken stormprobe segments: each gets its own status, none
 * crashes the reader. */
#include "testlib.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "collectors/attach.h"
#include "collectors/probe_seg.h"
#include "core/ring.h"
#include "stormtop/probe.h"

static char dir[64];
static struct frame_ring ring;

static int setup_all(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/dev/shm/stormtop-hostile-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	setenv("STORMPROBE_DIR", dir, 1);
	return ring_init(&ring, 4, 4);
}

static int teardown_all(void **state)
{
	char cmd[128];

	(void)state;
	ring_free(&ring);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd);
}

/* Two buffers, so one call can take two paths. */
static char *path_of(const char *name)
{
	static char p[2][256];
	static int k;

	k ^= 1;
	snprintf(p[k], sizeof(p[k]), "%s/stormprobe.%s", dir, name);
	return p[k];
}

/* What one fresh reader makes of the segment NAME on its first tick. */
static const struct frame_app *look(const char *name, uid_t owner)
{
	struct attach *a = attach_open(owner, 50000);
	struct frame *f = ring_begin(&ring);
	char err[200];

	assert_non_null(a);
	assert_int_equal(attach_add(a, name, err, sizeof(err)), 0);
	attach_fill(a, f);
	ring_commit(&ring);
	attach_close(a);
	return &ring_at_age(&ring, 0)->apps[0];
}

static void expect(const char *name, enum app_state st, const char *why)
{
	const struct frame_app *app = look(name, (uid_t)-1);

	if (app->state != st || !strstr(app->why, why))
		fail_msg("%s: state %d '%s', want %d '%s'", name, app->state, app->why, st, why);
}

/* A valid segment, then bytes of its header overwritten. */
static struct stormprobe *patched(const char *name, size_t off, const void *v, size_t n)
{
	struct stormprobe *p = stormprobe_create(name, 1);
	int fd;

	assert_non_null(p);
	if (n) {
		fd = open(path_of(name), O_WRONLY);
		assert_true(fd >= 0);
		assert_int_equal(pwrite(fd, v, n, (off_t)off), (ssize_t)n);
		close(fd);
	}
	return p;
}

#define PATCH(name, field, value)                                                              \
	patched(name, offsetof(struct stormprobe_header, field),                               \
		&(__typeof__(((struct stormprobe_header *)0)->field)){ value },                 \
		sizeof(((struct stormprobe_header *)0)->field))

static void good_segment_reads(void **state)
{
	struct stormprobe *p = patched("good", 0, NULL, 0);

	(void)state;
	expect("good", APP_OK, "");
	stormprobe_close(p, 1);
}

static void missing_segment_waits(void **state)
{
	(void)state;
	expect("nobody-home", APP_WAITING, "no segment");
}

static void header_lies_are_rejected(void **state)
{
	struct stormprobe *p[8];

	(void)state;
	p[0] = PATCH("magic", magic, 0x1234);
	expect("magic", APP_REJECTED, "bad magic");
	p[1] = PATCH("major", version, 2u << 16);
	expect("major", APP_REJECTED, "ABI version 2");
	p[2] = PATCH("unready", version, 0);
	expect("unready", APP_WAITING, "initialising");
	p[3] = PATCH("total", total_size, 1ull << 40);
	expect("total", APP_REJECTED, "header says");
	p[4] = PATCH("slots", slot_count, 100000);
	expect("slots", APP_REJECTED, "slot count");
	p[5] = PATCH("slotsize", slot_size, 0xfffffff0u);
	expect("slotsize", APP_REJECTED, "past the");
	p[6] = PATCH("slotoff", slot_offset, 8);
	expect("slotoff", APP_REJECTED, "overlap");
	p[7] = PATCH("buckets", buckets, 17);
	expect("buckets", APP_REJECTED, "histogram layout");
	for (int i = 0; i < 8; i++)
		stormprobe_close(p[i], 1);
}

static void wrong_files_are_rejected(void **state)
{
	struct stormprobe *p = patched("target", 0, NULL, 0);

	(void)state;
	assert_int_equal(symlink(path_of("target"), path_of("link")), 0);
	expect("link", APP_REJECTED, "symlink");
	assert_int_equal(mkdir(path_of("adir"), 0700), 0);
	expect("adir", APP_REJECTED, "not a regular file");
	assert_int_equal(mkfifo(path_of("fifo"), 0600), 0);
	expect("fifo", APP_REJECTED, "not a regular file");
	assert_int_equal(link(path_of("target"), path_of("twin")), 0);
	expect("twin", APP_REJECTED, "2 links");
	unlink(path_of("twin"));
	assert_int_equal(truncate(path_of("target"), (off_t)stormprobe_header(p)->total_size + 100), 0);
	expect("target", APP_REJECTED, "not a multiple");
	stormprobe_close(p, 1);
}

static void strangers_segments_need_leave(void **state)
{
	struct stormprobe *p = patched("stranger", 0, NULL, 0);

	(void)state;
	if (geteuid() != 0) {
		stormprobe_close(p, 1);
		if (getenv("CI") && strcmp(getenv("CI"), "true") == 0)
			fail_msg("CI must run as root: chown");
		printf("SKIP: giving a file away needs root\n");
		skip();
	}
	assert_int_equal(chown(path_of("stranger"), 65534, 65534), 0);
	expect("stranger", APP_REJECTED, "owned by uid 65534");
	assert_int_equal(look("stranger", 65534)->state, APP_OK); /* --attach-owner 65534 */
	stormprobe_close(p, 1);
}

/* A segment others can write is read, and says so in the app's state and
 * the sources line (partial); a 0644 one says nothing. */
static void writable_by_others_is_said(void **state)
{
	struct stormprobe *p = patched("open", 0, NULL, 0);
	const struct frame *f;

	(void)state;
	assert_int_equal(chmod(path_of("open"), 0666), 0);
	expect("open", APP_OK, "world-writable (mode 0666): any local user can forge its figures");
	f = ring_at_age(&ring, 0);
	assert_int_equal(f->status[SRC_APP].state, SOURCE_PARTIAL);
	assert_non_null(strstr(f->status[SRC_APP].reason, "open: world-writable"));
	assert_int_equal(chmod(path_of("open"), 0660), 0);
	expect("open", APP_OK, "group-writable (mode 0660)");
	assert_int_equal(chmod(path_of("open"), 0644), 0);
	expect("open", APP_OK, "");
	assert_string_equal(ring_at_age(&ring, 0)->apps[0].why, "");
	assert_int_equal(ring_at_age(&ring, 0)->status[SRC_APP].state, SOURCE_OK);
	stormprobe_close(p, 1);
}

static pid_t dead_pid(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	return pid;
}

static void gone_writers_are_told(void **state)
{
	struct stormprobe *p[4];

	(void)state;
	p[0] = PATCH("dead", writer_pid, dead_pid());
	expect("dead", APP_GONE, "writer process is gone");
	p[1] = PATCH("reused", writer_starttime, 12345);
	expect("reused", APP_GONE, "pid was reused");
	p[2] = PATCH("silent", heartbeat_mono_ns, 1);
	expect("silent", APP_GONE, "heartbeat");
	p[3] = PATCH("closed", writer_state, STORMPROBE_WRITER_CLOSED);
	expect("closed", APP_GONE, "closed");
	for (int i = 0; i < 4; i++)
		stormprobe_close(p[i], 1);
}

/* Removed, shrunk and restarted under a reader that already mapped it. */
static void changes_under_a_reader(void **state)
{
	struct stormprobe *p = patched("moving", 0, NULL, 0);
	struct attach *a = attach_open((uid_t)-1, 50000);
	char err[200];
	const struct frame *f;

	(void)state;
	assert_int_equal(attach_add(a, "moving", err, sizeof(err)), 0);
#define TICK() (attach_fill(a, ring_begin(&ring)), ring_commit(&ring), f = ring_at_age(&ring, 0))
	TICK();
	assert_int_equal(f->apps[0].state, APP_OK);
	assert_int_equal(truncate(path_of("moving"), 4096), 0);
	TICK();
	assert_int_equal(f->apps[0].state, APP_REJECTED);
	assert_non_null(strstr(f->apps[0].why, "resized"));
	stormprobe_close(p, 1);
	TICK();
	assert_int_equal(f->apps[0].state, APP_WAITING);
	p = patched("moving", 0, NULL, 0); /* the writer restarts */
	TICK();
	assert_int_equal(f->apps[0].state, APP_OK);
	unlink(path_of("moving"));
	TICK();
	assert_int_equal(f->apps[0].state, APP_GONE);
	assert_non_null(strstr(f->apps[0].why, "removed"));
#undef TICK
	attach_close(a);
	stormprobe_close(p, 0);
}

/* A file shrunk between the size check and the copy: SIGBUS, caught. */
static void sigbus_is_caught(void **state)
{
	struct stormprobe *p = patched("shrink", 0, NULL, 0);
	uid_t owners[] = { geteuid() };
	struct probe_seg s;
	static char buf[STORMPROBE_HEADER_SIZE];
	uint64_t size = stormprobe_header(p)->total_size;

	(void)state;
	assert_int_equal(probe_seg_init(&s, "shrink"), 0);
	probe_seg_refresh(&s, owners, 1, 1);
	assert_int_equal(s.state, APP_OK);
	assert_int_equal(truncate(path_of("shrink"), 0), 0);
	assert_int_equal(probe_seg_copy(&s, buf, s.size - sizeof(buf), sizeof(buf)), -1);
	assert_int_equal(s.state, APP_REJECTED);
	assert_non_null(strstr(s.why, "SIGBUS"));
	probe_seg_close(&s);
	/* the writer's own mapping would fault too: give it its pages back */
	assert_int_equal(truncate(path_of("shrink"), (off_t)size), 0);
	stormprobe_close(p, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good_segment_reads),
		cmocka_unit_test(missing_segment_waits),
		cmocka_unit_test(header_lies_are_rejected),
		cmocka_unit_test(wrong_files_are_rejected),
		cmocka_unit_test(strangers_segments_need_leave),
		cmocka_unit_test(writable_by_others_is_said),
		cmocka_unit_test(gone_writers_are_told),
		cmocka_unit_test(changes_under_a_reader),
		cmocka_unit_test(sigbus_is_caught),
	};

	return cmocka_run_group_tests(tests, setup_all, teardown_all);
}
