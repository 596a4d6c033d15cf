// SPDX-License-Identifier: GPL-2.0-only
/* Live, as root: the call-site sampler (collectors/stacks.c through
 * sampler_stacks) on tools/sitesim, which munmaps from one function and
 * mprotects from another on a known schedule and prints what it did.
 *
 * - Each function is named as the caller of its own kind of call, and the
 *   sampled estimates (sampled count x period) are within 5 % of sitesim's
 *   own counts.
 * - The flushes charged to sitesim's two functions add up, within 5 %, to
 *   the kernel's count of sitesim's tlb_flush reason-4 events (a perf
 *   counter on its mutator thread, the only thread that changes mappings).
 * - The kernel paths of the two functions' flushes differ as the kernel
 *   makes them: an unmap path for munmap, an mprotect path for mprotect.
 * - A target that exits mid-run leaves no site the next tick.
 * - Its stripped copy (tools/sitesim-stripped) shows module+offset, the
 *   offset the return address of sitesim_unmap_here's munmap call by nm,
 *   readelf and objdump of the unstripped binary, never a name.
 *
 * Names: when the build has no symbolizer the sites carry raw addresses;
 * the test then names them itself, from the binary's symbol table (nm)
 * and /proc/PID/maps for user addresses and /proc/kallsyms for kernel
 * ones, sharing no code with stormtop. */
#include "live.h"

#include <limits.h>
#include <poll.h>

#include "collectors/privs.h"
#include "collectors/sampler.h"
#include "collectors/topology.h"
#include "core/ring.h"

/* At period 16 each kind is sampled about as a coin with p = 1/16: over
 * 240000 munmaps and 160000 mprotects the ratio varies by about 1.3 %
 * (one sd), so 5 % is 3.9 sd. */
#define CYCLES "80000"
#define TOL 0.05

enum fn { FN_UNMAP, FN_PROTECT, FN_OTHER, FN_COUNT };
static const char *const fn_name[] = { "sitesim_unmap_here", "sitesim_protect_there" };

static struct {
	struct topology topo;
	struct frame_ring r;
	struct sampler *s;
	int topo_ok, ring_ok;
	int in, out;     /* sitesim's stdin (ours to write) and stdout */
	uint64_t lo[2], hi[2]; /* the two functions' addresses in the run */
} lt = { .in = -1, .out = -1 };

static int teardown(void **state)
{
	(void)state;
	if (lt.in >= 0)
		close(lt.in);
	if (lt.out >= 0)
		close(lt.out);
	lt.in = lt.out = -1;
	live_release();
	sampler_close(lt.s);
	lt.s = NULL;
	if (lt.ring_ok)
		ring_free(&lt.r);
	if (lt.topo_ok)
		topology_free(&lt.topo);
	lt.ring_ok = lt.topo_ok = 0;
	return 0;
}

static const char *sitesim_path(void)
{
	return getenv("STORMTOP_SITESIM") ? getenv("STORMTOP_SITESIM") : "tools/sitesim";
}

/* sitesim (or bin) -w with pipes on stdin and stdout; its pid. */
static pid_t start_bin(const char *bin, const char *cycles)
{
	int in[2], out[2];
	pid_t pid;

	assert_int_equal(pipe2(in, O_CLOEXEC), 0);
	assert_int_equal(pipe2(out, O_CLOEXEC), 0);
	pid = fork();
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		execl(bin, bin, "-w", "-n", cycles, "-m", "0", "-c", "1", (char *)NULL);
		_exit(127);
	}
	live_kid(pid);
	close(in[0]);
	close(out[1]);
	lt.in = in[1];
	lt.out = out[0];
	return pid;
}

static pid_t start_sitesim(const char *cycles)
{
	return start_bin(sitesim_path(), cycles);
}

/* One line of sitesim's stdout into buf; waits up to ms (0: none). */
static int read_line(char *buf, size_t len, int ms)
{
	size_t n = 0;

	while (n + 1 < len) {
		struct pollfd p = { .fd = lt.out, .events = POLLIN };
		char c;

		if (poll(&p, 1, ms) <= 0 || read(lt.out, &c, 1) != 1)
			return -1;
		if (c == '\n')
			break;
		buf[n++] = c;
	}
	buf[n] = '\0';
	return 0;
}

/* The two functions' [lo, hi) in process pid: nm's values and sizes
 * plus the load base (the binary's mapping at offset 0). */
static void find_functions(pid_t pid)
{
	char cmd[PATH_MAX + 64], line[512], path[PATH_MAX], maps[64];
	uint64_t base = 0;
	FILE *f;

	assert_non_null(realpath(sitesim_path(), path));
	snprintf(maps, sizeof(maps), "/proc/%d/maps", (int)pid);
	assert_non_null(f = fopen(maps, "r"));
	while (!base && fgets(line, sizeof(line), f)) {
		unsigned long long lo, off;

		if (strstr(line, path) && sscanf(line, "%llx-%*x %*s %llx", &lo, &off) == 2 && off == 0)
			base = lo;
	}
	fclose(f);
	assert_true(base != 0);
	snprintf(cmd, sizeof(cmd), "nm -S --defined-only '%s'", path);
	assert_non_null(f = popen(cmd, "r"));
	while (fgets(line, sizeof(line), f)) {
		unsigned long long v, sz;
		char type, name[128];

		if (sscanf(line, "%llx %llx %c %127s", &v, &sz, &type, name) != 4)
			continue;
		for (int i = 0; i < 2; i++)
			if (strcmp(name, fn_name[i]) == 0) {
				lt.lo[i] = base + v; /* PIE: the first segment at 0 */
				lt.hi[i] = base + v + sz;
			}
	}
	pclose(f);
	assert_true(lt.lo[0] && lt.lo[1]);
}

/* Which of the two functions a caller names ("name+0x1f", or a raw
 * address in a build without the symbolizer). */
static enum fn fn_of(const char *caller)
{
	for (int i = 0; i < 2; i++) {
		size_t n = strlen(fn_name[i]);

		if (strncmp(caller, fn_name[i], n) == 0 && (caller[n] == '+' || caller[n] == '\0'))
			return (enum fn)i;
	}
	if (strncmp(caller, "0x", 2) == 0) {
		uint64_t a = strtoull(caller, NULL, 16);

		for (int i = 0; i < 2; i++)
			if (a >= lt.lo[i] && a < lt.hi[i])
				return (enum fn)i;
	}
	return FN_OTHER;
}

/* A kernel path with raw addresses named from /proc/kallsyms (nearest
 * text symbol at or below); names are kept as they are. */
static void name_kpath(const char *in, char *out, size_t len)
{
	static char names[64][128];
	static uint64_t want[64], best[64];
	char copy[FRAME_SITE_PATH], line[256], *tok, *save = NULL;
	int n = 0;
	size_t at = 0;
	FILE *f;

	snprintf(copy, sizeof(copy), "%s", in);
	for (tok = strtok_r(copy, ";", &save); tok && n < 64; tok = strtok_r(NULL, ";", &save), n++) {
		snprintf(names[n], sizeof(names[n]), "%s", tok);
		want[n] = strncmp(tok, "0x", 2) == 0 ? strtoull(tok, NULL, 16) : 0;
		best[n] = 0;
	}
	if ((f = fopen("/proc/kallsyms", "r"))) {
		while (fgets(line, sizeof(line), f)) {
			unsigned long long a;
			char type, name[128];

			if (sscanf(line, "%llx %c %127s", &a, &type, name) != 3 || (type != 't' && type != 'T'))
				continue;
			for (int i = 0; i < n; i++)
				if (want[i] && a <= want[i] && a > best[i]) {
					best[i] = a;
					snprintf(names[i], sizeof(names[i]), "%s", name);
				}
		}
		fclose(f);
	}
	out[0] = '\0';
	for (int i = 0; i < n && at < len; i++)
		at += (size_t)snprintf(out + at, len - at, "%s%s", i ? ";" : "", names[i]);
}

/* A text symbol's address from /proc/kallsyms (root sees them), or 0. */
static uint64_t ksym(const char *want)
{
	char line[256], name[128], type;
	unsigned long long a, found = 0;
	FILE *f = fopen("/proc/kallsyms", "r");

	while (f && !found && fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx %c %127s", &a, &type, name) == 3 && strcmp(name, want) == 0)
			found = a;
	if (f)
		fclose(f);
	return found;
}

/* What the sampler reported over a run, per kind and calling function. */
struct tally {
	uint64_t ev[SITE_KINDS][FN_COUNT];
	uint64_t ipis[FN_COUNT];
	uint64_t other;                 /* sites that did not fit, all kinds */
	uint64_t kpath_ev[2];           /* the biggest flush site of each function */
	char kpath[2][FRAME_SITE_PATH];
	int ticks_with_sites;
};

static const struct frame *tick(void)
{
	struct frame *f = ring_begin(&lt.r);

	sampler_fill(lt.s, f);
	ring_commit(&lt.r);
	return ring_at_age(&lt.r, 0);
}

static void add(struct tally *t, const struct frame *f, pid_t pid)
{
	assert_int_equal(f->sites.tgid, pid);
	assert_true(frame_has(f, SIG_STACKS));
	t->other += f->sites.other_events;
	for (uint32_t i = 0; getenv("STACKS_DEBUG") && i < f->sites.n; i++)
		printf("site %u kind %u ev %llu ipis %llu caller %s\n  u %s\n  k %s\n", i, f->sites.site[i].kind,
		       (unsigned long long)f->sites.site[i].events, (unsigned long long)f->sites.site[i].ipis,
		       f->sites.site[i].caller, f->sites.site[i].upath, f->sites.site[i].kpath);
	t->ticks_with_sites += f->sites.n > 0;
	for (uint32_t i = 0; i < f->sites.n; i++) {
		const struct frame_site *s = &f->sites.site[i];
		enum fn fn = fn_of(s->caller);

		assert_true(s->kind < SITE_KINDS);
		t->ev[s->kind][fn] += s->events;
		if (s->kind != SITE_FLUSH)
			continue;
		t->ipis[fn] += s->ipis;
		if (fn != FN_OTHER && s->events > t->kpath_ev[fn]) {
			t->kpath_ev[fn] = s->events;
			snprintf(t->kpath[fn], sizeof(t->kpath[fn]), "%s", s->kpath);
		}
	}
}

static void open_rig_with(int drop_privs)
{
	char err[256];

	NEED_ROOT("loading BPF programs");
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2 || topology_detect(&lt.topo, "", err, sizeof(err)) < 0) {
		printf("SKIP: needs 2 online CPUs\n");
		skip();
	}
	lt.topo_ok = 1;
	assert_int_equal(ring_init(&lt.r, 8, lt.topo.ncpu), 0);
	lt.ring_ok = 1;
	lt.s = sampler_open(&lt.topo, &(struct sampler_opts){ .root = "", .disable = "perf", .attach_owner = -1,
							    .drop_privs = drop_privs });
	assert_non_null(lt.s);
}

static void open_rig(void) { open_rig_with(0); }

static void near(const char *what, double got, double want)
{
	printf("  %-44s %10.2f vs %10.2f (%+.2f %%)\n", what, got, want, want ? (got / want - 1) * 100 : 0);
	if (!(want > 0 && got >= want * (1 - TOL) && got <= want * (1 + TOL)))
		fail_msg("%s: %.0f, expected %.0f within %.0f %%", what, got, want, TOL * 100);
}

static int contains_any(const char *path, const char *const *words)
{
	for (; *words; words++)
		if (strstr(path, *words))
			return 1;
	return 0;
}

static void sites_match_sitesim_and_kernel(void **state)
{
	static struct tally t;
	static const char *const unmap_words[] = { "munmap", "unmap", "zap", NULL };
	static const char *const protect_words[] = { "mprotect", "change_prot", NULL };
	long mmaps, munmaps, mprotects, cycles, id = tracepoint_id("tlb", "tlb_flush");
	char line[256], why[256], named[2][2048], filter[64];
	long csd = tracepoint_id("csd", "csd_queue_cpu");
	uint64_t ftf = ksym("flush_tlb_func"), ipis = 0;
	int fd, ipi_fd = -1;
	pid_t pid;
	uint64_t flushes, sampled_flush;

	(void)state;
	memset(&t, 0, sizeof(t));
	open_rig();
	if (id < 0) {
		printf("SKIP: no tlb:tlb_flush tracepoint\n");
		skip();
	}
	pid = start_sitesim(CYCLES);
	assert_int_equal(read_line(line, sizeof(line), 10000), 0);
	assert_non_null(strstr(line, "ready"));
	find_functions(pid);
	/* the mutator is the main thread: the one perf_event_open(pid) counts */
	fd = tp_counter(id, pid, -1, "reason == 4", 0);
	if (fd < 0)
		fail_msg("cannot count tlb:tlb_flush for sitesim: %s", strerror(errno));
	snprintf(filter, sizeof(filter), "func == 0x%llx", (unsigned long long)ftf);
	if (csd >= 0 && ftf)
		ipi_fd = tp_counter(csd, pid, -1, filter, 0);
	if (sampler_stacks(lt.s, pid, why, sizeof(why)) < 0) {
		if (strstr(why, "needs") || strstr(why, "tlb_flush") || strstr(why, "sys_enter")) {
			printf("SKIP: %s\n", why);
			skip();
		}
		fail_msg("sampler_stacks: %s", why);
	}
	add(&t, tick(), pid); /* before the run: sitesim is idle */
	assert_int_equal(write(lt.in, "go\n", 3), 3);
	while (read_line(line, sizeof(line), 300) < 0)
		add(&t, tick(), pid);
	add(&t, tick(), pid); /* what was sampled after the last tick */
	flushes = counter_read(fd);
	if (ipi_fd >= 0)
		ipis = counter_read(ipi_fd);
	assert_int_equal(sscanf(line, "sitesim: cycles %ld sitesim_unmap_here mmap %ld munmap %ld "
			       "sitesim_protect_there mprotect %ld", &cycles, &mmaps, &munmaps, &mprotects), 4);
	assert_int_equal(cycles, atol(CYCLES));

	sampled_flush = t.ev[SITE_FLUSH][FN_UNMAP] + t.ev[SITE_FLUSH][FN_PROTECT];
	name_kpath(t.kpath[FN_UNMAP], named[FN_UNMAP], sizeof(named[0]));
	name_kpath(t.kpath[FN_PROTECT], named[FN_PROTECT], sizeof(named[0]));
	printf("sitesim %d: %ld cycles, %ld mmap %ld munmap %ld mprotect; kernel: reason-4 flushes %llu, "
	       "flush_tlb_func IPIs queued %llu\n", (int)pid, cycles, mmaps, munmaps, mprotects,
	       (unsigned long long)flushes, (unsigned long long)ipis);
	printf("  flushes charged: unmap_here %llu (ipis %llu), protect_there %llu (ipis %llu), "
	       "elsewhere %llu, other %llu\n",
	       (unsigned long long)t.ev[SITE_FLUSH][FN_UNMAP], (unsigned long long)t.ipis[FN_UNMAP],
	       (unsigned long long)t.ev[SITE_FLUSH][FN_PROTECT], (unsigned long long)t.ipis[FN_PROTECT],
	       (unsigned long long)t.ev[SITE_FLUSH][FN_OTHER], (unsigned long long)t.other);
	printf("  munmap flush kernel path: %s\n  mprotect flush kernel path: %s\n", named[FN_UNMAP],
	       named[FN_PROTECT]);
	/* each function is the caller of its own calls, and of no other kind */
	near("munmap calls from sitesim_unmap_here", (double)t.ev[SITE_MUNMAP][FN_UNMAP], (double)munmaps);
	near("mmap calls from sitesim_unmap_here", (double)t.ev[SITE_MMAP][FN_UNMAP], (double)mmaps);
	near("mprotect calls from sitesim_protect_there", (double)t.ev[SITE_MPROTECT][FN_PROTECT],
	     (double)mprotects);
	near("munmap : mprotect, sampled vs sitesim's",
	     (double)t.ev[SITE_MUNMAP][FN_UNMAP] / (double)t.ev[SITE_MPROTECT][FN_PROTECT],
	     (double)munmaps / (double)mprotects);
	assert_int_equal(t.ev[SITE_MUNMAP][FN_PROTECT] + t.ev[SITE_MPROTECT][FN_UNMAP], 0);
	assert_int_equal(t.ev[SITE_MUNMAP][FN_OTHER] + t.ev[SITE_MPROTECT][FN_OTHER], 0);
	/* the flushes: charged to the two call sites, as many as the kernel's */
	near("reason-4 flushes charged to the two functions", (double)sampled_flush, (double)flushes);
	assert_true(t.ev[SITE_FLUSH][FN_UNMAP] > 0 && t.ev[SITE_FLUSH][FN_PROTECT] > 0);
	/* and their IPIs (csd_queue_cpu of flush_tlb_func), where the kernel has them */
	if (ipi_fd >= 0)
		near("IPIs charged to the two functions", (double)(t.ipis[FN_UNMAP] + t.ipis[FN_PROTECT]),
		     (double)ipis);
	else
		printf("  IPIs not compared: no csd_queue_cpu counter (%s)\n", ftf ? "no tracepoint" : "no address");
	/* their kernel paths differ as the kernel makes them */
	assert_true(contains_any(named[FN_UNMAP], unmap_words));
	assert_false(contains_any(named[FN_UNMAP], protect_words));
	assert_true(contains_any(named[FN_PROTECT], protect_words));
	assert_false(contains_any(named[FN_PROTECT], unmap_words));
	close(lt.in); /* sitesim exits */
	lt.in = -1;
	assert_int_equal(live_reap(pid), 0);
}

static void exited_target_leaves_no_site(void **state)
{
	char line[256], why[256];
	const struct frame *f;
	int seen = 0;
	pid_t pid;

	(void)state;
	open_rig();
	pid = start_sitesim("100000000");
	assert_int_equal(read_line(line, sizeof(line), 10000), 0);
	if (sampler_stacks(lt.s, pid, why, sizeof(why)) < 0) {
		printf("SKIP: %s\n", why);
		skip();
	}
	tick();
	assert_int_equal(write(lt.in, "go\n", 3), 3);
	for (int i = 0; i < 20 && seen < 2; i++) {
		sleep_ms(200);
		f = tick();
		assert_int_equal(f->sites.tgid, pid);
		seen += f->sites.n > 0;
	}
	assert_int_equal(seen, 2); /* sites while it ran */
	kill(pid, SIGKILL); /* mid-run, between two ticks */
	live_reap(pid);
	f = tick();
	printf("after exit: tgid %d, %u sites, other %llu\n", f->sites.tgid, f->sites.n,
	       (unsigned long long)f->sites.other_events);
	assert_int_equal(f->sites.tgid, pid);
	assert_int_equal(f->sites.n, 0);
	assert_int_equal(f->sites.other_events, 0);
	f = tick();
	assert_int_equal(f->sites.n, 0);
	/* a new target, and off */
	assert_int_equal(sampler_stacks(lt.s, 0, why, sizeof(why)), 0);
	f = tick();
	assert_int_equal(f->sites.tgid, 0);
	assert_false(frame_has(f, SIG_STACKS));
	assert_int_equal(sampler_stacks(lt.s, pid, why, sizeof(why)), -1); /* gone: refused */
	printf("refused for a gone pid: %s\n", why);
}

/* One number from a command's first line that sscanf's fmt reads. */
static int cmd_value(const char *cmd, const char *fmt, unsigned long long *v)
{
	char line[512];
	FILE *f = popen(cmd, "r");
	int ok = 0;

	assert_non_null(f);
	while (!ok && fgets(line, sizeof(line), f))
		ok = sscanf(line, fmt, v) == 1;
	pclose(f);
	return ok;
}

/* A stripped binary (the Makefile's strip -o of tools/sitesim) has no
 * names: its user frames read "sitesim-stripped+0x<off>", never a name,
 * where off is the address less the load base (the binary's mapping at
 * file offset 0, collectors/symbolize.c's rule).  The reference is the
 * unstripped file's symbol table: off plus the first PT_LOAD's link-time
 * address (readelf) falls in sitesim_unmap_here's [value, value + size)
 * (nm -S) for every munmap's caller, and is the return address of its
 * call to munmap (the instruction after it, objdump), when objdump has
 * one. */
static void stripped_binary_shows_offsets(void **state)
{
	char stripped[PATH_MAX], cmd[PATH_MAX + 96], line[256], why[256], want[64];
	unsigned long long v = 0, size = 0, load0 = 0, left = 1, ret = 0;
	uint64_t named = 0, in_fn = 0, outside = 0;
	size_t wn;
	pid_t pid;

	(void)state;
	snprintf(stripped, sizeof(stripped), "%s-stripped", sitesim_path());
	if (access(stripped, X_OK) != 0) {
		printf("SKIP: no %s (make tools/sitesim builds it)\n", stripped);
		skip();
	}
	open_rig();
	snprintf(cmd, sizeof(cmd), "nm -S --defined-only '%s' | grep ' sitesim_unmap_here$'", sitesim_path());
	assert_true(cmd_value(cmd, "%*x %llx", &size));
	assert_true(cmd_value(cmd, "%llx", &v));
	snprintf(cmd, sizeof(cmd), "readelf -lW '%s' | grep -m1 ' LOAD '", stripped);
	assert_true(cmd_value(cmd, " LOAD %*x %llx", &load0));
	snprintf(cmd, sizeof(cmd), "nm '%s' 2>/dev/null | grep -c sitesim_", stripped);
	assert_true(cmd_value(cmd, "%llu", &left));
	assert_int_equal(left, 0); /* stripped indeed */
	snprintf(cmd, sizeof(cmd), "objdump -d --no-show-raw-insn --disassemble=sitesim_unmap_here '%s' 2>/dev/null "
		 "| grep -A1 'call.*<munmap@plt>' | tail -1", sitesim_path());
	if (!cmd_value(cmd, " %llx:", &ret))
		printf("no return address from objdump: checked against the function's range only\n");
	wn = (size_t)snprintf(want, sizeof(want), "sitesim-stripped+0x");
	pid = start_bin(stripped, "100000000");
	assert_int_equal(read_line(line, sizeof(line), 10000), 0);
	if (sampler_stacks(lt.s, pid, why, sizeof(why)) < 0) {
		printf("SKIP: %s\n", why);
		skip();
	}
	tick();
	assert_int_equal(write(lt.in, "go\n", 3), 3);
	for (int i = 0; i < 10 && in_fn + outside < 4; i++) {
		const struct frame *f;

		sleep_ms(200);
		f = tick();
		for (uint32_t k = 0; k < f->sites.n; k++) {
			const struct frame_site *x = &f->sites.site[k];
			unsigned long long off;

			if (strstr(x->caller, "sitesim_") || strstr(x->upath, "sitesim_"))
				named++;
			if (x->kind != SITE_MUNMAP)
				continue;
			if (strncmp(x->caller, "0x", 2) == 0) {
				printf("SKIP: built without the symbolizer (caller %s)\n", x->caller);
				skip();
			}
			printf("munmap caller %s, %llu events\n", x->caller, (unsigned long long)x->events);
			if (strncmp(x->caller, want, wn) != 0 || sscanf(x->caller + wn, "%llx", &off) != 1) {
				outside++;
				continue;
			}
			if (off + load0 >= v && off + load0 < v + size && (!ret || off + load0 == ret))
				in_fn++;
			else
				outside++;
		}
	}
	printf("sitesim_unmap_here [0x%llx, 0x%llx), munmap returns to 0x%llx, first LOAD at 0x%llx: %llu munmap "
	       "sites there, %llu not, %llu named\n", v, v + size, ret, load0, (unsigned long long)in_fn,
	       (unsigned long long)outside, (unsigned long long)named);
	kill(pid, SIGKILL);
	live_reap(pid);
	assert_true(in_fn > 0);
	assert_int_equal(outside, 0);
	assert_int_equal(named, 0);
}

/* Last: it drops this process's capabilities for good.  stormtop drops
 * them after set-up, so the programs are loaded then and attached only
 * when a target is set, with no capability left.  The sampling is
 * checked; the names are printed, not asserted: without
 * CAP_SYS_PTRACE, /proc/PID/maps of a process with more capabilities
 * (sitesim runs as root) cannot be read, so the symbolizer (when built
 * in) says "[unknown]" for it. */
static void works_with_privileges_dropped(void **state)
{
	char line[256], why[256], caller[FRAME_SITE_SYM] = "";
	uint64_t munmaps = 0, named = 0;
	const struct frame *f;
	pid_t pid;

	(void)state;
	NEED_ROOT("loading BPF programs");
	pid = start_sitesim("100000000");
	assert_int_equal(read_line(line, sizeof(line), 10000), 0);
	find_functions(pid); /* while /proc/PID/maps of a root process is ours to read */
	open_rig_with(1);
	assert_int_equal(privs_effective() & ((1ull << CAP_BPF) | (1ull << CAP_PERFMON)), 0);
	for (int round = 0; round < 2; round++) { /* aimed, stopped, aimed again */
		if (sampler_stacks(lt.s, pid, why, sizeof(why)) < 0)
			fail_msg("sampler_stacks without capabilities: %s", why);
		tick();
		if (round == 0)
			assert_int_equal(write(lt.in, "go\n", 3), 3);
		for (int i = 0; i < 3; i++) {
			sleep_ms(200);
			f = tick();
			for (uint32_t k = 0; k < f->sites.n; k++)
				if (f->sites.site[k].kind == SITE_MUNMAP) {
					munmaps += f->sites.site[k].events;
					named += fn_of(f->sites.site[k].caller) == FN_UNMAP ? f->sites.site[k].events : 0;
					snprintf(caller, sizeof(caller), "%s", f->sites.site[k].caller);
				}
		}
		printf("round %d without capabilities: %llu munmaps, %llu of them named sitesim_unmap_here "
		       "(caller \"%s\")\n", round, (unsigned long long)munmaps, (unsigned long long)named, caller);
		assert_true(munmaps > 0);
		munmaps = named = 0;
		assert_int_equal(sampler_stacks(lt.s, 0, why, sizeof(why)), 0);
		f = tick();
		assert_int_equal(f->sites.tgid, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(sites_match_sitesim_and_kernel, teardown),
		cmocka_unit_test_teardown(exited_target_leaves_no_site, teardown),
		cmocka_unit_test_teardown(stripped_binary_shows_offsets, teardown),
		cmocka_unit_test_teardown(works_with_privileges_dropped, teardown),
	};

	return cmocka_run_group_tests_name("live: call sites of tools/sitesim", tests, NULL, NULL);
}
