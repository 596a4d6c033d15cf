// SPDX-License-Identifier: GPL-2.0-only
/* The privilege-separated opener (collectors/privsep.h), as root: the
 * opener starts, this process drops its capabilities as stormtop does
 * (privs_drop), and then
 * - the maps of a process holding more capabilities (a child of ours that
 *   keeps them) and /proc/kallsyms read through the opener match what this
 *   process read itself before the drop (the reference), while a direct
 *   open now fails (maps) or shows zero addresses (kallsyms);
 * - paths of any other shape are refused with EPERM, and so is a root or
 *   map_files path that is not an ELF regular file;
 * - the opener holds CAP_SYS_PTRACE, CAP_SYSLOG and CAP_CHECKPOINT_RESTORE
 *   only (those this process held), one descriptor,
 *   and is named; this process holds nothing;
 * - it is reaped when stopped, and dies with its parent.
 * Without root only the plain-open fallback is tested. */
#include "live.h"

#include <dirent.h>
#include <limits.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "collectors/privs.h"
#include "collectors/privsep.h"

#define KEEP (1ULL << CAP_SYS_PTRACE | 1ULL << CAP_SYSLOG | 1ULL << CAP_CHECKPOINT_RESTORE)
#define KSYM "flush_tlb_mm_range"

static struct {
	int root;                /* set up as root: the opener runs, capabilities dropped */
	pid_t child;
	unsigned long long held; /* effective capabilities before the drop */
	pid_t target;            /* ours, holding every capability we had: out of reach after the drop */
	int target_go;           /* its stdin: closing it ends it */
	int child_fds;           /* descriptors the opener held once set up */
	char maps1[512];         /* the target's first maps line, read before the drop */
	unsigned long long ksym; /* KSYM's address, read before the drop; 0: hidden */
} t;

/* The first line naming a file (" /") in the maps behind fd (closed). */
static int first_line(int fd, char *buf, size_t len)
{
	FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;
	int ok = 0;

	if (!f) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while (!ok && fgets(buf, (int)len, f))
		ok = strstr(buf, " /") != NULL;
	fclose(f);
	return ok ? 0 : -1;
}

/* KSYM's address in the kallsyms behind fd (closed); *nonzero: lines
 * with an address other than 0.  -1 when KSYM is not listed. */
static int ksym_addr(int fd, unsigned long long *addr, long *nonzero)
{
	FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;
	char line[512], name[256], type;
	unsigned long long a;
	int found = -1;

	*nonzero = 0;
	if (!f) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx %c %255s", &a, &type, name) == 3) {
			*nonzero += a != 0;
			if (found < 0 && !strcmp(name, KSYM)) {
				*addr = a;
				found = 0;
			}
		}
	fclose(f);
	return found;
}

/* CapEff and CapPrm of pid, from its status file. */
static int caps_of(pid_t pid, unsigned long long *eff, unsigned long long *prm)
{
	char path[64], line[256];
	FILE *f;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	if (!(f = fopen(path, "r")))
		return -1;
	while (fgets(line, sizeof(line), f))
		n += sscanf(line, "CapEff: %llx", eff) + sscanf(line, "CapPrm: %llx", prm);
	fclose(f);
	return n == 2 ? 0 : -1;
}

/* One hexadecimal line of pid's status ("CapBnd"), ~0 when missing. */
static unsigned long long status_hex(pid_t pid, const char *key)
{
	char path[64], line[256];
	unsigned long long v = ~0ULL;
	size_t n = strlen(key);
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	if (!(f = fopen(path, "r")))
		return v;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ':')
			sscanf(line + n + 1, "%llx", &v);
	fclose(f);
	return v;
}

static int count_fds(pid_t pid)
{
	char path[64];
	struct dirent *e;
	DIR *d;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	if (!(d = opendir(path)))
		return -1;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* Waits (up to 5 s) until pid's comm is name: the opener names itself
 * last in its set-up. */
static int wait_comm(pid_t pid, const char *name)
{
	char path[64], comm[32];

	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	for (int i = 0; i < 500; i++) {
		FILE *f = fopen(path, "r");
		int ok = f && fgets(comm, sizeof(comm), f) && !strncmp(comm, name, strlen(name));

		if (f)
			fclose(f);
		if (ok)
			return 0;
		usleep(10000);
	}
	return -1;
}

/* A process of ours that keeps every capability this one drops: the
 * kernel lets an opener read its maps only with CAP_SYS_PTRACE then (the
 * target's capabilities are not a subset of the opener's), as for any
 * more privileged process.  It waits for its pipe to close. */
static int start_target(void)
{
	int p[2];
	char c;

	if (pipe(p) < 0)
		return -1;
	if ((t.target = fork()) == 0) {
		close(p[1]);
		_exit(read(p[0], &c, 1) < 0);
	}
	close(p[0]);
	t.target_go = p[1];
	return t.target > 0 ? 0 : -1;
}

static int stop_target(void **state)
{
	(void)state;
	if (t.target > 0) {
		close(t.target_go);
		waitpid(t.target, NULL, 0);
		t.target = 0;
	}
	return 0;
}

/* /proc/TARGET/what, in a static buffer. */
static const char *target_path(const char *what)
{
	static char path[PATH_MAX + 64];

	snprintf(path, sizeof(path), "/proc/%d/%s", t.target, what);
	return path;
}

/* Before the first opener test: the references read, the opener
 * started, then this process's capabilities dropped (for good). */
static int start_and_drop(void **state)
{
	long nz;

	(void)state;
	if (geteuid() != 0 || !(privs_effective() & (1ULL << CAP_SYS_PTRACE)))
		return 0;
	if (start_target() < 0 || first_line(open(target_path("maps"), O_RDONLY), t.maps1, sizeof(t.maps1)) < 0 ||
	    ksym_addr(open("/proc/kallsyms", O_RDONLY), &t.ksym, &nz) < 0) {
		printf("cannot start a target, read its maps or find %s in /proc/kallsyms\n", KSYM);
		return -1;
	}
	t.held = privs_effective();
	if (privsep_start("") != 1 || !(t.child = privsep_pid()) || wait_comm(t.child, "stormtop-open") < 0) {
		printf("the opener did not start: %s\n", strerror(errno));
		return -1;
	}
	t.child_fds = count_fds(t.child);
	if (privs_drop() != 0) {
		printf("privs_drop kept capabilities\n");
		return -1;
	}
	t.root = 1;
	return 0;
}

#define NEED_OPENER()                                                               \
	do {                                                                        \
		NEED_ROOT("the opener's capabilities");                             \
		if (!t.root) {                                                      \
			printf("SKIP: no CAP_SYS_PTRACE to hand to the opener\n"); \
			skip();                                                     \
		}                                                                   \
	} while (0)

static void maps_of_a_privileged_process_through_the_opener(void **state)
{
	char line[512];
	int fd;

	(void)state;
	NEED_OPENER();
	errno = 0;
	fd = open(target_path("maps"), O_RDONLY | O_CLOEXEC);
	assert_int_equal(fd, -1);
	assert_true(errno == EACCES || errno == EPERM);
	assert_int_equal(first_line(privsep_open(target_path("maps")), line, sizeof(line)), 0);
	assert_string_equal(line, t.maps1);
}

static void kallsyms_addresses_through_the_opener(void **state)
{
	unsigned long long addr = 0;
	long nz;

	(void)state;
	NEED_OPENER();
	if (!t.ksym) {
		printf("SKIP: kallsyms hides addresses from root too (kptr_restrict 2)\n");
		skip();
	}
	assert_int_equal(ksym_addr(open("/proc/kallsyms", O_RDONLY), &addr, &nz), 0);
	assert_int_equal(nz, 0); /* without CAP_SYSLOG every address reads 0 */
	assert_int_equal(addr, 0);
	assert_int_equal(ksym_addr(privsep_open("/proc/kallsyms"), &addr, &nz), 0);
	assert_true(nz > 1000);
	assert_int_equal(addr, t.ksym);
}

static void other_shapes_refused(void **state)
{
	static const char *const bad[] = {
		"/etc/shadow", "/proc/1/mem", "/proc/1/root/../../etc/shadow", "/proc/self/maps",
		"/proc/1/environ", "/proc/1/root/..", "/proc/1/map_files/x-y", "/proc/1/maps/",
		"/proc//maps", "/proc/1/fd/0", "/proc/kallsyms/", "proc/kallsyms",
	};

	(void)state;
	NEED_OPENER();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		assert_int_equal(privsep_open(bad[i]), -1);
		if (errno != EPERM)
			fail_msg("%s: errno %d, not EPERM", bad[i], errno);
	}
}

/* Inside the allowed shapes, what is not a binary: a text file in a
 * process's root (pid 1's root is the host's), a shared memfd's pages
 * through map_files (this process's own here; any process's alike) and
 * its data mapping.  The symbolizer opens ELF files there and nothing
 * else, so the opener hands out nothing else: EPERM, at once. */
static void only_binaries_from_roots_and_map_files(void **state)
{
	static const char secret[] = "not a binary: memory of another process";
	char path[PATH_MAX], buf[64];
	unsigned long long lo, hi;
	int mfd, fd;
	void *p;

	(void)state;
	NEED_OPENER();
	snprintf(path, sizeof(path), "/proc/%d/root/etc/passwd", t.target);
	errno = 0;
	fd = privsep_open(path);
	if (fd >= 0 && read(fd, buf, sizeof(buf)) > 0)
		fail_msg("%s: the opener handed out a text file (%.20s...)", path, buf);
	assert_int_equal(fd, -1);
	assert_int_equal(errno, EPERM);
	assert_true((mfd = memfd_create("stormtop-secret", 0)) >= 0);
	assert_int_equal(write(mfd, secret, sizeof(secret)), (ssize_t)sizeof(secret));
	assert_true((p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, mfd, 0)) != MAP_FAILED);
	lo = (unsigned long long)(uintptr_t)p, hi = lo + 4096;
	snprintf(path, sizeof(path), "/proc/%d/map_files/%llx-%llx", (int)getpid(), lo, hi);
	errno = 0;
	fd = privsep_open(path);
	if (fd >= 0 && read(fd, buf, sizeof(buf)) > 0)
		fail_msg("%s: the opener handed out a memfd's pages (%.20s...)", path, buf);
	assert_int_equal(fd, -1);
	assert_int_equal(errno, EPERM);
	munmap(p, 4096);
	close(mfd);
}

/* The target's binary, by its path in its root and through map_files:
 * the same inode as the mapping names (the symbolizer's two ways). */
static void binaries_through_the_opener(void **state)
{
	unsigned long long lo, hi, off, ino;
	char path[PATH_MAX + 64], file[PATH_MAX];
	struct stat st;
	int fd;

	(void)state;
	NEED_OPENER();
	if (sscanf(t.maps1, "%llx-%llx %*s %llx %*s %llu %4095s", &lo, &hi, &off, &ino, file) != 5)
		fail_msg("not a file mapping: %s", t.maps1);
	snprintf(path, sizeof(path), "/proc/%d/root%s", t.target, file);
	assert_true((fd = privsep_open(path)) >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	close(fd);
	assert_int_equal(st.st_ino, ino);
	snprintf(path, sizeof(path), "/proc/%d/map_files/%llx-%llx", t.target, lo, hi);
	fd = privsep_open(path);
	if (!(t.held >> CAP_CHECKPOINT_RESTORE & 1)) { /* the kernel asks it for map_files */
		assert_int_equal(fd, -1);
		assert_int_equal(errno, EPERM);
		return;
	}
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	close(fd);
	assert_int_equal(st.st_ino, ino);
}

/* A FIFO where a binary should be: the opener answers at once (EPERM:
 * not a binary) instead of waiting for a writer. */
static void fifo_in_a_root_does_not_hold_the_opener(void **state)
{
	char fifo[64], path[PATH_MAX];
	struct timespec t0, t1;
	int fd;

	(void)state;
	NEED_OPENER();
	snprintf(fifo, sizeof(fifo), "/tmp/stormtop-privsep-fifo-%d", (int)getpid());
	unlink(fifo);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	snprintf(path, sizeof(path), "/proc/%d/root%s", t.target, fifo);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	fd = privsep_open(path);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	unlink(fifo);
	assert_int_equal(fd, -1);
	assert_int_equal(errno, EPERM);
	/* the parent gives up on a silent opener after 5 s */
	assert_true(t1.tv_sec - t0.tv_sec < 2);
}

static void opener_holds_two_capabilities_this_process_none(void **state)
{
	unsigned long long eff = ~0ULL, prm = ~0ULL;
	char comm[32] = "", cmd[256];
	FILE *f;

	(void)state;
	NEED_OPENER();
	assert_int_equal(caps_of(t.child, &eff, &prm), 0);
	assert_int_equal(eff, KEEP & t.held);
	assert_int_equal(prm, KEEP & t.held);
	assert_int_equal(status_hex(t.child, "CapInh"), 0);
	assert_int_equal(status_hex(t.child, "CapAmb"), 0);
	if (t.held >> CAP_SETPCAP & 1) /* the bounding set goes too */
		assert_int_equal(status_hex(t.child, "CapBnd"), KEEP & t.held);
	assert_int_equal(status_hex(t.child, "NoNewPrivs"), 1);
	assert_int_equal(caps_of(getpid(), &eff, &prm), 0);
	assert_int_equal(eff, 0);
	assert_int_equal(prm, 0);
	assert_int_equal(t.child_fds, 1); /* its socket */
	snprintf(comm, sizeof(comm), "/proc/%d/comm", t.child);
	assert_non_null(f = fopen(comm, "r"));
	assert_non_null(fgets(comm, sizeof(comm), f));
	fclose(f);
	assert_string_equal(comm, "stormtop-open\n");
	/* a fresh exec of this program: no page shared with it */
	snprintf(comm, sizeof(comm), "/proc/%d/cmdline", t.child);
	assert_non_null(f = fopen(comm, "r"));
	memset(cmd, 0, sizeof(cmd));
	assert_true(fread(cmd, 1, sizeof(cmd) - 1, f) > 14);
	fclose(f);
	assert_string_equal(cmd, "stormtop-open");
	assert_string_equal(cmd + strlen(cmd) + 1, PRIVSEP_ARG);
}

static void stopped_opener_is_reaped(void **state)
{
	pid_t child = t.child;
	int fd;

	(void)state;
	NEED_OPENER();
	privsep_stop();
	assert_int_equal(privsep_pid(), 0);
	errno = 0;
	assert_int_equal(waitpid(child, NULL, WNOHANG), -1); /* reaped already: no zombie */
	assert_int_equal(errno, ECHILD);
	assert_int_equal(kill(child, 0), -1);
	/* nothing held now: no opener starts, opens are plain (and fail) */
	assert_int_equal(privsep_start(""), 0);
	assert_int_equal(privsep_pid(), 0);
	errno = 0;
	assert_int_equal(privsep_open(target_path("maps")), -1);
	assert_true(errno == EACCES || errno == EPERM);
	assert_true((fd = privsep_open("/proc/self/maps")) >= 0); /* no shape rule without the opener */
	close(fd);
	stop_target(NULL);
}

/* A parent that exits without stopping it takes the opener along (first:
 * this process still holds its capabilities). */
static void opener_dies_with_its_parent(void **state)
{
	int p[2];
	pid_t mid, child = 0;

	(void)state;
	NEED_ROOT("an opener to start");
	if (!(privs_effective() & (1ULL << CAP_SYS_PTRACE))) {
		printf("SKIP: no CAP_SYS_PTRACE left to start an opener with\n");
		skip();
	}
	assert_int_equal(pipe(p), 0);
	if ((mid = fork()) == 0) {
		pid_t c = privsep_start("") == 1 ? privsep_pid() : 0;

		_exit(write(p[1], &c, sizeof(c)) == sizeof(c) ? 0 : 1);
	}
	close(p[1]);
	assert_int_equal(read(p[0], &child, sizeof(child)), sizeof(child));
	close(p[0]);
	assert_true(child > 0);
	assert_int_equal(waitpid(mid, NULL, 0), mid);
	for (int i = 0; i < 500 && kill(child, 0) == 0; i++)
		usleep(10000);
	assert_int_equal(kill(child, 0), -1);
}

/* Without the opener: a plain open, errors as open(2) gives them. */
static void without_opener_plain_open(void **state)
{
	int fd;

	(void)state;
	if (privsep_pid()) {
		printf("SKIP: an opener runs\n");
		skip();
	}
	assert_true((fd = privsep_open("/proc/self/maps")) >= 0);
	close(fd);
	errno = 0;
	assert_int_equal(privsep_open("/nonexistent/stormtop"), -1);
	assert_int_equal(errno, ENOENT);
	errno = 0;
	assert_int_equal(privsep_open(""), -1);
	assert_int_equal(errno, ENOENT);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(opener_dies_with_its_parent),
		cmocka_unit_test_setup(maps_of_a_privileged_process_through_the_opener, start_and_drop),
		cmocka_unit_test(kallsyms_addresses_through_the_opener),
		cmocka_unit_test(other_shapes_refused),
		cmocka_unit_test(binaries_through_the_opener),
		cmocka_unit_test(fifo_in_a_root_does_not_hold_the_opener),
		cmocka_unit_test(only_binaries_from_roots_and_map_files),
		cmocka_unit_test(opener_holds_two_capabilities_this_process_none),
		cmocka_unit_test(stopped_opener_is_reaped),
		cmocka_unit_test(without_opener_plain_open),
	};

	privsep_main(argc, argv); /* the opener runs as a fresh exec of this test, as of stormtop */
	return cmocka_run_group_tests(tests, NULL, stop_target);
}
