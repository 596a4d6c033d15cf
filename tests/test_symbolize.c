// SPDX-License-Identifier: GPL-2.0-only
/* collectors/symbolize.c against references it does not compute: the
 * addresses a child process prints of its own functions (PIE: wherever
 * the loader put them), its /proc/PID/maps, binutils' nm and addr2line
 * on the same binary, and offsets worked out by hand for a made-up
 * kallsyms file. */
#include "testlib.h"

#include <inttypes.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "collectors/symbolize.h"

static char dir[] = "/tmp/stormtop-sym-XXXXXX";
static char fixtures[PATH_MAX / 2];
static int have_tools;

struct child {
	pid_t pid;
	int in;                    /* its stdin: it exits when this closes */
	FILE *out;                 /* its stdout */
	uint64_t alpha, beta, wr;  /* &stormtop_fixture_alpha, &..._beta, &write */
	uint64_t bare;             /* &stormtop_fixture_bare, a label with no size */
};

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

/* The first line a command prints, cut at the newline; "" when none. */
static char *first_line(char *out, size_t n, const char *cmd)
{
	FILE *p = popen(cmd, "r");

	out[0] = '\0';
	if (p) {
		if (!fgets(out, (int)n, p))
			out[0] = '\0';
		pclose(p);
	}
	out[strcspn(out, "\n")] = '\0';
	return out;
}

/* target (plain), stripped (no symbol table), linked (stripped, with a
 * .gnu_debuglink to linked.debug next to it), the stripped copy under a
 * name of control bytes and a ';', and gone (deleted once it runs). */
static int setup(void **state)
{
	const char *f = getenv("STORMTOP_FIXTURES");

	(void)state;
	snprintf(fixtures, sizeof(fixtures), "%s/symbolize", f ? f : "tests/fixtures");
	if (scratch_make(dir) < 0)
		return -1;
	have_tools = sh("cc -O1 -g -fno-inline -o %s/target %s/target.c 2>&1", dir, fixtures) == 0 &&
		     sh("cd %s && objcopy --strip-all target stripped && objcopy --only-keep-debug target "
			"linked.debug && objcopy --strip-all --add-gnu-debuglink=linked.debug target linked && "
			"cp stripped \"$(printf 'bad\\033[1m;name')\" && cp target gone",
			dir) == 0 &&
		     sh("command -v nm >/dev/null && command -v addr2line >/dev/null") == 0;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return scratch_remove(dir) == 0 ? 0 : -1;
}

static void need_tools(void)
{
	if (!have_tools) {
		print_message("skipped: needs cc, objcopy, nm and addr2line (binutils)\n");
		skip();
	}
}

static struct child spawn(const char *name)
{
	struct child c = {0};
	char path[PATH_MAX], line[256];
	int in[2], out[2];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(pipe2(in, O_CLOEXEC), 0);
	assert_int_equal(pipe2(out, O_CLOEXEC), 0);
	c.pid = fork();
	assert_true(c.pid >= 0);
	if (c.pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[1]);
		close(out[0]);
		execl(path, path, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	c.in = in[1];
	c.out = fdopen(out[0], "r");
	assert_non_null(c.out);
	assert_non_null(fgets(line, sizeof(line), c.out));
	assert_int_equal(sscanf(line, "%" SCNx64 " %" SCNx64 " %" SCNx64 " %" SCNx64, &c.alpha, &c.beta, &c.wr,
				&c.bare),
			 4);
	return c;
}

static void reap(struct child *c)
{
	int st;

	close(c->in);
	fclose(c->out);
	assert_int_equal(waitpid(c->pid, &st, 0), c->pid);
}

/* The load address of the file mapped at addr, as maps shows it: the
 * start of its first mapping less that mapping's file offset. */
static uint64_t load_base(pid_t pid, uint64_t addr, char *file, size_t n)
{
	char path[64], line[1024], name[PATH_MAX], first[PATH_MAX] = "";
	uint64_t start, end, off, base = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		name[0] = '\0';
		if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %*s %" SCNx64 " %*s %*s %4095[^\n]", &start, &end, &off,
			   name) < 3)
			continue;
		if (strcmp(name, first) != 0) {
			snprintf(first, sizeof(first), "%s", name);
			base = start - off;
		}
		if (addr >= start && addr < end)
			break;
	}
	fclose(f);
	snprintf(file, n, "%s", first);
	return base;
}

/* Where the mapping named name starts in pid ("[stack]"), 0 if none. */
static uint64_t map_start(pid_t pid, const char *name)
{
	char path[64], line[1024];
	uint64_t start = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		if (strstr(line, name) && sscanf(line, "%" SCNx64, &start) == 1)
			break;
	fclose(f);
	return start;
}

/* nm's value of sym in file (its link-time address), 0 when absent. */
static uint64_t nm_value(const char *file, const char *sym, uint64_t *size)
{
	char cmd[PATH_MAX + 128], out[256];
	uint64_t v = 0, sz = 0;

	snprintf(cmd, sizeof(cmd), "nm -S '%s' | awk '$4 == \"%s\" { print $1, $2 }'", file, sym);
	sscanf(first_line(out, sizeof(out), cmd), "%" SCNx64 " %" SCNx64, &v, &sz);
	if (size)
		*size = sz;
	return v;
}

/* With the symbol table: names and offsets from the child's own
 * printing; nm says the same link-time addresses; addr2line names the
 * function at the offset the module would report. */
static void names_and_offsets(void **state)
{
	struct symbolizer *s;
	struct child c;
	char buf[128], want[128], file[PATH_MAX], cmd[PATH_MAX + 64], out[256];
	uint64_t base, size;

	(void)state;
	need_tools();
	c = spawn("target");
	s = sym_new("");
	assert_non_null(s);
	base = load_base(c.pid, c.alpha, file, sizeof(file));
	assert_true(c.alpha - base == nm_value(file, "stormtop_fixture_alpha", &size)); /* reference: nm */
	assert_true(size > 5);
	assert_string_equal(sym_user(s, c.pid, c.alpha, buf, sizeof(buf)), "stormtop_fixture_alpha");
	assert_string_equal(sym_user(s, c.pid, c.alpha + 5, buf, sizeof(buf)), "stormtop_fixture_alpha+0x5");
	snprintf(want, sizeof(want), "stormtop_fixture_alpha+0x%" PRIx64, size - 1);
	assert_string_equal(sym_user(s, c.pid, c.alpha + size - 1, buf, sizeof(buf)), want);
	/* one past its size: not alpha's, whatever comes next */
	assert_null(strstr(sym_user(s, c.pid, c.alpha + size, buf, sizeof(buf)), "alpha"));
	assert_string_equal(sym_user(s, c.pid, c.beta + 3, buf, sizeof(buf)), "stormtop_fixture_beta+0x3");
	snprintf(cmd, sizeof(cmd), "addr2line -f -e '%s' 0x%" PRIx64, file, c.beta + 3 - base);
	assert_string_equal(first_line(out, sizeof(out), cmd), "stormtop_fixture_beta"); /* reference */
	/* a label with no size names its own address only */
	assert_string_equal(sym_user(s, c.pid, c.bare, buf, sizeof(buf)), "stormtop_fixture_bare");
	snprintf(want, sizeof(want), "target+0x%" PRIx64, c.bare + 1 - base);
	assert_string_equal(sym_user(s, c.pid, c.bare + 1, buf, sizeof(buf)), want);
	/* cut to the buffer, always terminated */
	assert_string_equal(sym_user(s, c.pid, c.alpha + 5, buf, 12), "stormtop_fi");
	assert_string_equal(sym_user(s, c.pid, c.alpha + 5, buf, 1), "");
	sym_free(s);
	reap(&c);
}

/* libc's symbol tables by nm: its dynamic symbols, and those of its
 * separate debug file by build-id when installed ("dbg" in the shell). */
#define LIBC_NM                                                                                              \
	"id=$(readelf -n '%s' | awk '/Build ID/ { print $3 }'); "                                           \
	"dbg=/usr/lib/debug/.build-id/$(echo \"$id\" | cut -c1-2)/$(echo \"$id\" | cut -c3-).debug; "       \
	"{ nm -D --defined-only '%s'; [ -f \"$dbg\" ] && nm \"$dbg\"; } | "

/* The module names libc's address vaddr as one of the names nm lists
 * there (aliases share addresses), symbol version left out. */
static void libc_check(struct symbolizer *s, pid_t pid, const char *file, uint64_t base, uint64_t vaddr)
{
	char buf[128], cmd[2 * PATH_MAX + 512], out[4096];

	sym_user(s, pid, base + vaddr, buf, sizeof(buf));
	snprintf(cmd, sizeof(cmd),
		 LIBC_NM "awk '$1 == \"%016" PRIx64 "\" { n = $3; sub(/@.*/, \"\", n); printf \" %%s\", n } "
			 "END { print \" \" }'",
		 file, file, vaddr);
	first_line(out, sizeof(out), cmd);
	print_message("%#" PRIx64 " in %s: \"%s\"; nm there:%s\n", vaddr, file, buf, out);
	snprintf(cmd, sizeof(cmd), " %s ", buf);
	assert_non_null(strstr(out, cmd));
}

/* write's address, and a function whose global names are all versioned
 * ("name@@GLIBC_x"): libdwfl prefers a global name to local aliases. */
static void libc_name(void **state)
{
	struct symbolizer *s;
	struct child c;
	char file[PATH_MAX], cmd[2 * PATH_MAX + 1024], out[64];
	uint64_t base, versioned = 0;

	(void)state;
	need_tools();
	c = spawn("target");
	s = sym_new("");
	base = load_base(c.pid, c.wr, file, sizeof(file));
	libc_check(s, c.pid, file, base, c.wr - base);
	snprintf(cmd, sizeof(cmd),
		 LIBC_NM "awk '$2 == \"T\" { v[$1] += $3 ~ /@@/; p[$1] += $3 !~ /@/ } END { "
			 "for (a in v) if (v[a] && !p[a]) { print a; exit } }'",
		 file, file);
	if (sscanf(first_line(out, sizeof(out), cmd), "%" SCNx64, &versioned) == 1)
		libc_check(s, c.pid, file, base, versioned);
	sym_free(s);
	reap(&c);
}

/* No symbol table: "file+0x..." with the offset from the file's load
 * address in maps, which for this PIE is nm's link-time value. */
static void stripped_offsets(void **state)
{
	struct symbolizer *s;
	struct child c;
	char buf[128], want[128], file[PATH_MAX], plain[PATH_MAX];
	uint64_t base;

	(void)state;
	need_tools();
	c = spawn("stripped");
	s = sym_new("");
	base = load_base(c.pid, c.alpha, file, sizeof(file));
	snprintf(plain, sizeof(plain), "%s/target", dir);
	assert_true(c.alpha + 5 - base == nm_value(plain, "stormtop_fixture_alpha", NULL) + 5);
	snprintf(want, sizeof(want), "stripped+0x%" PRIx64, c.alpha + 5 - base);
	assert_string_equal(sym_user(s, c.pid, c.alpha + 5, buf, sizeof(buf)), want);
	sym_free(s);
	reap(&c);
}

/* The names are in linked.debug only, found through .gnu_debuglink. */
static void separate_debug_info(void **state)
{
	struct symbolizer *s;
	struct child c;
	char buf[128];

	(void)state;
	need_tools();
	c = spawn("linked");
	s = sym_new("");
	assert_string_equal(sym_user(s, c.pid, c.beta + 2, buf, sizeof(buf)), "stormtop_fixture_beta+0x2");
	sym_free(s);
	reap(&c);
}

/* A copied /proc tree (--root): the process's maps, its root holding
 * the stripped binary and, under /usr/lib/debug/.build-id, the debug
 * file named by its build-id, the only place its names are. */
static void build_id_debug_file(void **state)
{
	struct symbolizer *s;
	struct child c;
	char buf[128], root[PATH_MAX], proc[PATH_MAX + 64], file[PATH_MAX], want[128];
	uint64_t base;

	(void)state;
	need_tools();
	c = spawn("stripped");
	snprintf(root, sizeof(root), "%s/fake", dir);
	snprintf(proc, sizeof(proc), "%s/proc/%d", root, (int)c.pid);
	assert_int_equal(sh("set -e; mkdir -p '%s/root%s'; cp /proc/%d/maps '%s/maps'; "
			    "ln -s '%s/stripped' '%s/root%s/stripped'; "
			    "id=$(readelf -n '%s/stripped' | awk '/Build ID/ { print $3 }'); [ -n \"$id\" ]; "
			    "d='%s/root/usr/lib/debug/.build-id/'$(echo $id | cut -c1-2); mkdir -p \"$d\"; "
			    "cp '%s/linked.debug' \"$d/$(echo $id | cut -c3-).debug\"",
			    proc, dir, (int)c.pid, proc, dir, proc, dir, dir, proc, dir),
			 0);
	s = sym_new(root);
	assert_string_equal(sym_user(s, c.pid, c.alpha + 5, buf, sizeof(buf)), "stormtop_fixture_alpha+0x5");
	sym_free(s);
	/* the host itself has no debug file for it: offsets only */
	base = load_base(c.pid, c.alpha, file, sizeof(file));
	snprintf(want, sizeof(want), "stripped+0x%" PRIx64, c.alpha + 5 - base);
	s = sym_new("");
	assert_string_equal(sym_user(s, c.pid, c.alpha + 5, buf, sizeof(buf)), want);
	sym_free(s);
	reap(&c);
}

/* A file name of control bytes and ';' comes out as printable ASCII. */
static void hostile_file_name(void **state)
{
	struct symbolizer *s;
	struct child c;
	char buf[128], want[128], file[PATH_MAX];
	uint64_t base;

	(void)state;
	need_tools();
	c = spawn("bad\033[1m;name");
	s = sym_new("");
	base = load_base(c.pid, c.alpha, file, sizeof(file));
	snprintf(want, sizeof(want), "bad?[1m?name+0x%" PRIx64, c.alpha - base);
	assert_string_equal(sym_user(s, c.pid, c.alpha, buf, sizeof(buf)), want);
	sym_free(s);
	reap(&c);
}

/* Unmapped, data and anonymous addresses: "[unknown]", no guess. */
static void unknown_addresses(void **state)
{
	struct symbolizer *s;
	struct child c;
	char buf[128];
	uint64_t stack;

	(void)state;
	need_tools();
	c = spawn("target");
	s = sym_new("");
	stack = map_start(c.pid, "[stack]");
	assert_true(stack != 0);
	assert_string_equal(sym_user(s, c.pid, 0x10, buf, sizeof(buf)), "[unknown]");
	assert_string_equal(sym_user(s, c.pid, UINT64_MAX - 4096, buf, sizeof(buf)), "[unknown]");
	assert_string_equal(sym_user(s, c.pid, stack + 8, buf, sizeof(buf)), "[unknown]");
	/* the vDSO is no file: named by its maps name, offset from its start */
	if (map_start(c.pid, "[vdso]"))
		assert_string_equal(sym_user(s, c.pid, map_start(c.pid, "[vdso]") + 0x10, buf, sizeof(buf)),
				    "[vdso]+0x10");
	assert_string_equal(sym_user(s, -1, c.alpha, buf, sizeof(buf)), "[unknown]");
	assert_string_equal(sym_user(s, c.pid, c.alpha, buf, sizeof(buf)), "stormtop_fixture_alpha");
	reap(&c);
	/* gone: nothing left to read, nothing made up */
	sym_forget(s, c.pid);
	assert_string_equal(sym_user(s, c.pid, c.alpha, buf, sizeof(buf)), "[unknown]");
	sym_free(s);
}

/* Descriptors of ours open on path: one per binary kept. */
static int fds_on(const char *path)
{
	char link[64], to[PATH_MAX];
	int n = 0;

	for (int fd = 0; fd < 1024; fd++) {
		ssize_t len;

		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		if ((len = readlink(link, to, sizeof(to) - 1)) < 0)
			continue;
		to[len] = '\0';
		n += strcmp(to, path) == 0;
	}
	return n;
}

/* Two processes of one binary read it once; forgetting one keeps it for
 * the other, forgetting both lets it go; a forgotten process is read
 * again on its next lookup. */
static void shared_binary_and_forget(void **state)
{
	struct symbolizer *s;
	struct child a, b;
	char buf[128], path[PATH_MAX];

	(void)state;
	need_tools();
	snprintf(path, sizeof(path), "%s/target", dir);
	a = spawn("target");
	b = spawn("target");
	s = sym_new("");
	assert_string_equal(sym_user(s, a.pid, a.alpha + 1, buf, sizeof(buf)), "stormtop_fixture_alpha+0x1");
	assert_string_equal(sym_user(s, b.pid, b.beta + 1, buf, sizeof(buf)), "stormtop_fixture_beta+0x1");
	assert_int_equal(fds_on(path), 1);
	sym_forget(s, a.pid);
	assert_int_equal(fds_on(path), 1);
	assert_string_equal(sym_user(s, b.pid, b.alpha + 2, buf, sizeof(buf)), "stormtop_fixture_alpha+0x2");
	assert_string_equal(sym_user(s, a.pid, a.alpha + 3, buf, sizeof(buf)), "stormtop_fixture_alpha+0x3");
	sym_forget(s, a.pid);
	sym_forget(s, b.pid);
	assert_int_equal(fds_on(path), 0);
	sym_free(s);
	reap(&a);
	reap(&b);
}

/* A library loaded after the maps were first read: a miss reads them
 * again (at most once a second). */
static void loaded_later(void **state)
{
	struct symbolizer *s;
	struct child c;
	char buf[128], line[64];
	uint64_t z = 0;

	(void)state;
	need_tools();
	c = spawn("target");
	s = sym_new("");
	assert_string_equal(sym_user(s, c.pid, c.alpha, buf, sizeof(buf)), "stormtop_fixture_alpha");
	assert_int_equal(write(c.in, "d", 1), 1);
	assert_non_null(fgets(line, sizeof(line), c.out));
	if (sscanf(line, "%" SCNx64, &z) != 1 || !z) {
		reap(&c);
		sym_free(s);
		print_message("skipped: the child could not load libz.so.1\n");
		skip();
	}
	usleep(1100 * 1000);
	assert_string_equal(sym_user(s, c.pid, z, buf, sizeof(buf)), "zlibVersion");
	sym_free(s);
	reap(&c);
}

/* The sanitizer runtime's (compiler-rt; gcc ships no header for it). */
int __sanitizer_install_malloc_and_free_hooks(void (*on_malloc)(const volatile void *, size_t),
					      void (*on_free)(const volatile void *));

static unsigned long mallocs;

static void count_malloc(const volatile void *p, size_t n)
{
	(void)p;
	(void)n;
	mallocs++;
}

static void no_free_hook(const volatile void *p)
{
	(void)p;
}

/* Once a process, its binaries and kallsyms are known, lookups allocate
 * nothing (the sanitizer's allocator counts every malloc). */
static void no_malloc_once_known(void **state)
{
	struct symbolizer *s, *k;
	struct child c;
	char buf[128], root[PATH_MAX];

	(void)state;
	need_tools();
	c = spawn("target");
	snprintf(root, sizeof(root), "%s/kroot", fixtures);
	s = sym_new("");
	k = sym_new(root);
	sym_user(s, c.pid, c.alpha + 5, buf, sizeof(buf));
	sym_user(s, c.pid, c.wr, buf, sizeof(buf));
	sym_user(s, c.pid, c.bare + 1, buf, sizeof(buf)); /* libdwfl's first miss builds a table */
	sym_kernel(k, 0xffffffff81000105, buf, sizeof(buf));
	assert_int_equal(__sanitizer_install_malloc_and_free_hooks(count_malloc, no_free_hook), 1);
	mallocs = 0;
	for (int i = 0; i < 1000; i++) {
		sym_user(s, c.pid, c.alpha + 5, buf, sizeof(buf));
		sym_user(s, c.pid, c.wr + (uint64_t)(i % 32), buf, sizeof(buf));
		sym_user(s, c.pid, c.bare + 1, buf, sizeof(buf));
		sym_kernel(k, 0xffffffff81000105 + (uint64_t)i, buf, sizeof(buf));
	}
	__sanitizer_install_malloc_and_free_hooks(NULL, NULL);
	assert_int_equal(mallocs, 0);
	assert_string_equal(sym_user(s, c.pid, c.alpha + 5, buf, sizeof(buf)), "stormtop_fixture_alpha+0x5");
	assert_string_equal(sym_kernel(k, 0xffffffff81000105, buf, sizeof(buf)), "start_kernel+0x5");
	sym_free(s);
	sym_free(k);
	reap(&c);
}

/* More processes than slots: the least recently used is dropped and
 * read again when asked for; the binary stays one. */
static void many_processes(void **state)
{
	enum { N = 20 };
	struct symbolizer *s;
	struct child c[N];
	char buf[128], path[PATH_MAX];

	(void)state;
	need_tools();
	snprintf(path, sizeof(path), "%s/target", dir);
	s = sym_new("");
	for (int i = 0; i < N; i++)
		c[i] = spawn("target");
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < N; i++)
			assert_string_equal(sym_user(s, c[i].pid, c[i].beta + 1, buf, sizeof(buf)),
					    "stormtop_fixture_beta+0x1");
	assert_int_equal(fds_on(path), 1);
	sym_free(s);
	assert_int_equal(fds_on(path), 0);
	for (int i = 0; i < N; i++)
		reap(&c[i]);
}

/* The binary deleted while it runs (an upgrade): read through map_files. */
static void deleted_binary(void **state)
{
	struct symbolizer *s;
	struct child c;
	char buf[128], path[PATH_MAX];

	(void)state;
	need_tools();
	c = spawn("gone");
	snprintf(path, sizeof(path), "%s/gone", dir);
	assert_int_equal(unlink(path), 0);
	s = sym_new("");
	assert_string_equal(sym_user(s, c.pid, c.alpha + 4, buf, sizeof(buf)), "stormtop_fixture_alpha+0x4");
	sym_free(s);
	reap(&c);
}

/* The host's /proc under a prefix (a container's view): root/proc is
 * the real /proc here, through a link. */
static void root_prefix(void **state)
{
	struct symbolizer *s;
	struct child c;
	char buf[128], root[PATH_MAX], link[PATH_MAX + 8];

	(void)state;
	need_tools();
	snprintf(root, sizeof(root), "%s/host", dir);
	snprintf(link, sizeof(link), "%s/proc", root);
	assert_int_equal(mkdir(root, 0755), 0);
	assert_int_equal(symlink("/proc", link), 0);
	c = spawn("target");
	s = sym_new(root);
	assert_string_equal(sym_user(s, c.pid, c.beta + 6, buf, sizeof(buf)), "stormtop_fixture_beta+0x6");
	sym_free(s);
	reap(&c);
}

static void kernel_fixture(void **state)
{
	char root[PATH_MAX], buf[128];
	struct symbolizer *s;

	(void)state;
	snprintf(root, sizeof(root), "%s/kroot", fixtures);
	s = sym_new(root);
	assert_non_null(s);
	assert_string_equal(sym_kernel(s, 0xffffffff81000100, buf, sizeof(buf)), "start_kernel");
	assert_string_equal(sym_kernel(s, 0xffffffff81000105, buf, sizeof(buf)), "start_kernel+0x5");
	assert_string_equal(sym_kernel(s, 0xffffffff810001ff, buf, sizeof(buf)), "start_kernel+0xff");
	assert_string_equal(sym_kernel(s, 0xffffffff81000200, buf, sizeof(buf)), "helper_fn");
	assert_string_equal(sym_kernel(s, 0xffffffff81000350, buf, sizeof(buf)), "weak_fn+0x50");
	/* data ends the weak function before it and names nothing */
	assert_string_equal(sym_kernel(s, 0xffffffff81000450, buf, sizeof(buf)), "[unknown]");
	/* below the first symbol; a marker followed by a gap covers 64 KiB at
	 * most, the core's last text symbol 16 KiB */
	assert_string_equal(sym_kernel(s, 0xffffffff80000000, buf, sizeof(buf)), "[unknown]");
	assert_string_equal(sym_kernel(s, 0xffffffff810008ff, buf, sizeof(buf)), "last_core_text+0xff");
	assert_string_equal(sym_kernel(s, 0xffffffff810108ff, buf, sizeof(buf)), "__entry_text_end+0xffff");
	assert_string_equal(sym_kernel(s, 0xffffffff81010900, buf, sizeof(buf)), "[unknown]");
	assert_string_equal(sym_kernel(s, 0xffffffff81103800, buf, sizeof(buf)), "far_text+0x3800");
	assert_string_equal(sym_kernel(s, 0xffffffff81104000, buf, sizeof(buf)), "[unknown]");
	/* modules, listed out of address order */
	assert_string_equal(sym_kernel(s, 0xffffffffc0001050, buf, sizeof(buf)), "mod_fn_a+0x50");
	assert_string_equal(sym_kernel(s, 0xffffffffc00050ff, buf, sizeof(buf)), "mod_fn_b+0x3fff");
	assert_string_equal(sym_kernel(s, 0xffffffffc0005100, buf, sizeof(buf)), "[unknown]");
	assert_string_equal(sym_kernel(s, 0xffffffffc0100010, buf, sizeof(buf)), "other_fn+0x10");
	assert_string_equal(sym_kernel(s, 0xffffffffc0104200, buf, sizeof(buf)), "[unknown]");
	/* hostile names: ESC, BEL, UTF-8, ';' */
	assert_string_equal(sym_kernel(s, 0xffffffff81000501, buf, sizeof(buf)), "?[31mevil?name+0x1");
	assert_string_equal(sym_kernel(s, 0xffffffff81000600, buf, sizeof(buf)), "na??ve_utf8");
	assert_string_equal(sym_kernel(s, 0xffffffff81000700, buf, sizeof(buf)), "semi?colon");
	assert_string_equal(sym_kernel(s, 0xffffffff81000105, buf, 8), "start_k");
	sym_free(s);
}

static void kernel_hidden_and_absent(void **state)
{
	char root[PATH_MAX], buf[128];
	struct symbolizer *s;

	(void)state;
	snprintf(root, sizeof(root), "%s/kroot-hidden", fixtures);
	s = sym_new(root);
	assert_string_equal(sym_kernel(s, 0xffffffff81000105, buf, sizeof(buf)), "[unknown]");
	assert_string_equal(sym_kernel(s, 0, buf, sizeof(buf)), "[unknown]");
	sym_free(s);
	s = sym_new(dir); /* no proc/kallsyms there */
	assert_string_equal(sym_kernel(s, 0xffffffff81000105, buf, sizeof(buf)), "[unknown]");
	sym_free(s);
}

/* The running kernel: awk's reading of /proc/kallsyms for one function. */
static void kernel_live(void **state)
{
	char out[128], buf[128];
	struct symbolizer *s;
	uint64_t addr = 0;

	(void)state;
	first_line(out, sizeof(out), "awk '$2 == \"T\" && $3 == \"schedule\" && NF == 3 { print $1 }' /proc/kallsyms");
	if (sscanf(out, "%" SCNx64, &addr) != 1 || !addr) {
		print_message("skipped: kernel addresses hidden (needs CAP_SYSLOG)\n");
		skip();
	}
	s = sym_new("");
	assert_string_equal(sym_kernel(s, addr + 1, buf, sizeof(buf)), "schedule+0x1");
	sym_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_and_offsets),
		cmocka_unit_test(libc_name),
		cmocka_unit_test(stripped_offsets),
		cmocka_unit_test(separate_debug_info),
		cmocka_unit_test(build_id_debug_file),
		cmocka_unit_test(hostile_file_name),
		cmocka_unit_test(unknown_addresses),
		cmocka_unit_test(shared_binary_and_forget),
		cmocka_unit_test(loaded_later),
		cmocka_unit_test(many_processes),
		cmocka_unit_test(no_malloc_once_known),
		cmocka_unit_test(deleted_binary),
		cmocka_unit_test(root_prefix),
		cmocka_unit_test(kernel_fixture),
		cmocka_unit_test(kernel_hidden_and_absent),
		cmocka_unit_test(kernel_live),
	};
	return cmocka_run_group_tests_name("symbolize", tests, setup, teardown);
}
