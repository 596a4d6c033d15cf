// SPDX-License-Identifier: GPL-2.0-only
/* Folded stacks from frames' call sites (export/folded.h) and `stormtop
 * stacks FILE`: every line parses as flamegraph.pl and inferno read it
 * (frames joined by ';', kernel frames "_[k]", a space, an integer), the
 * counts are the sums worked out here by hand, hostile names cannot
 * break a line, and bad arguments are one line and exit 2. */
#include "testlib.h"

#include <regex.h>
#include <sys/wait.h>

#include "core/ring.h"
#include "export/folded.h"
#include "record/recwriter.h"

#define PID 4242
#define OTHER_PID 99

/* flamegraph.pl: the count after the last space; ';' between frames;
 * nothing but printable ASCII without spaces in a frame. */
#define LINE_RE "^[!-:<-~]+(;[!-:<-~]+)* ([0-9]+)$"

static char dir[] = "/tmp/stormtop-folded-XXXXXX";

static void site(struct frame_site *s, int kind, const char *caller, const char *upath, const char *kpath,
		 uint64_t events, uint64_t ipis)
{
	memset(s, 0, sizeof(*s));
	s->kind = (uint8_t)kind;
	snprintf(s->caller, sizeof(s->caller), "%s", caller);
	snprintf(s->upath, sizeof(s->upath), "%s", upath);
	snprintf(s->kpath, sizeof(s->kpath), "%s", kpath);
	s->events = events;
	s->ipis = ipis;
}

static void proc(struct frame *f, int32_t pid, const char *comm)
{
	f->procs.top[f->procs.n].tgid = pid;
	snprintf(f->procs.top[f->procs.n++].comm, FRAME_COMM_LEN, "%s", comm);
}

#define KPATH "entry_SYSCALL_64;do_syscall_64;__x64_sys_munmap;unmap_region;flush_tlb_mm_range"

/* Frame i of three: PID's sites in 0 and 1 (1 without PID in its
 * process list: the name is kept from 0), another process's in 2. */
static void make_frame(struct frame *f, int i)
{
	struct frame_sites *s = &f->sites;

	frame_clear(f);
	f->seq = (uint64_t)i;
	f->wall_ns = 1700000000000000000LL + i * 1000000000LL;
	f->interval_ns = 1000000000;
	f->signals = 1u << SIG_STACKS;
	s->period = 64;
	if (i == 0) {
		proc(f, 7, "bash");
		proc(f, PID, "churn");
		s->tgid = PID;
		s->n = 3;
		site(&s->site[0], SITE_MUNMAP, "unmap_hot+0x1f", "main;worker;unmap_hot+0x1f;munmap", "", 640, 1280);
		site(&s->site[1], SITE_FLUSH, "unmap_hot+0x1f", "main;worker;unmap_hot+0x1f;munmap", KPATH, 320, 640);
		site(&s->site[2], SITE_MPROTECT, "protect_cold+0x9", "main;worker;protect_cold+0x9", "", 64, 0);
		s->other_events = 128;
	} else if (i == 1) {
		s->tgid = PID;
		s->n = 2;
		site(&s->site[0], SITE_MUNMAP, "unmap_hot+0x1f", "main;worker;unmap_hot+0x1f;munmap", "", 128, 256);
		site(&s->site[1], SITE_MADVISE, "[unknown]", "", "", 0, 0); /* no events: no line */
	} else {
		proc(f, OTHER_PID, "other");
		s->tgid = OTHER_PID;
		s->n = 1;
		site(&s->site[0], SITE_FLUSH, "free_it+0x4", "main;free_it+0x4;madvise", "__x64_sys_madvise;flush_tlb_mm_range", 64, 64);
	}
}

/* The lines of text, each checked against LINE_RE; *sum their counts. */
static int parse(const char *text, char lines[][1200], uint64_t *counts, int max, uint64_t *sum)
{
	regex_t re;
	regmatch_t m[3];
	int n = 0;

	assert_int_equal(regcomp(&re, LINE_RE, REG_EXTENDED), 0);
	*sum = 0;
	for (const char *p = text; *p && n < max;) {
		size_t len = strcspn(p, "\n");

		assert_true(len < 1200);
		memcpy(lines[n], p, len);
		lines[n][len] = '\0';
		if (regexec(&re, lines[n], 3, m, 0) != 0)
			fail_msg("not a folded line: '%s'", lines[n]);
		counts[n] = strtoull(lines[n] + m[2].rm_so, NULL, 10);
		lines[n][m[2].rm_so - 1] = '\0';
		*sum += counts[n++];
		p += len + (p[len] == '\n');
	}
	regfree(&re);
	return n;
}

static uint64_t count_of(char lines[][1200], const uint64_t *counts, int n, const char *stack)
{
	for (int i = 0; i < n; i++)
		if (strcmp(lines[i], stack) == 0)
			return counts[i];
	fail_msg("no line '%s'", stack);
	return 0;
}

/* The hand sums: munmap 640 + 128, the flush 320 with its kernel frames
 * "_[k]", mprotect 64, the rest 128; another process's sites only with
 * pid 0.  The caller is in each user path, under the wrapper, once. */
static void check_lines(const char *text, int all)
{
	static char lines[16][1200];
	uint64_t counts[16], sum;
	int n = parse(text, lines, counts, 16, &sum);

	assert_int_equal(n, all ? 5 : 4);
	assert_int_equal(count_of(lines, counts, n, "churn;main;worker;unmap_hot+0x1f;munmap"), 640 + 128);
	assert_int_equal(count_of(lines, counts, n,
				  "churn;main;worker;unmap_hot+0x1f;munmap;entry_SYSCALL_64_[k];do_syscall_64_[k];"
				  "__x64_sys_munmap_[k];unmap_region_[k];flush_tlb_mm_range_[k]"), 320);
	assert_int_equal(count_of(lines, counts, n, "churn;main;worker;protect_cold+0x9"), 64);
	assert_int_equal(count_of(lines, counts, n, "churn;[other]"), 128);
	if (all)
		assert_int_equal(count_of(lines, counts, n,
					  "other;main;free_it+0x4;madvise;__x64_sys_madvise_[k];flush_tlb_mm_range_[k]"), 64);
	assert_int_equal(sum, 640 + 128 + 320 + 64 + 128 + (all ? 64 : 0));
	assert_true(counts[0] >= counts[n - 1]); /* largest first */
}

static char *fold(struct folded *fo)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	assert_non_null(out);
	folded_print(fo, out);
	fclose(out);
	return text;
}

static void frames_fold_to_hand_sums(void **state)
{
	struct frame_ring r;
	struct folded fo;
	char *text;

	(void)state;
	assert_int_equal(ring_init(&r, 1, 2), 0);
	for (int all = 0; all < 2; all++) {
		assert_int_equal(folded_init(&fo, 64), 0);
		for (int i = 0; i < 3; i++) {
			make_frame(&r.frames[0], i);
			folded_add(&fo, &r.frames[0], all ? 0 : PID);
		}
		assert_int_equal(fo.frames, all ? 3 : 2);
		text = fold(&fo);
		check_lines(text, all);
		free(text);
		folded_free(&fo);
	}
	ring_free(&r);
}

/* Names with spaces, ';', newlines, ESC, invalid UTF-8 and empty frames:
 * still one line a stack, each parsing; and a table that is full counts
 * what it could not keep. */
static void hostile_names_keep_lines_whole(void **state)
{
	struct frame_ring r;
	struct folded fo;
	static char lines[16][1200];
	uint64_t counts[16], sum;
	char *text;
	struct frame *f;
	int n;

	(void)state;
	assert_int_equal(ring_init(&r, 1, 2), 0);
	f = &r.frames[0];
	frame_clear(f);
	f->signals = 1u << SIG_STACKS;
	proc(f, PID, "a b;c\n\x1b[2J");
	f->sites.tgid = PID;
	f->sites.n = 3;
	site(&f->sites.site[0], SITE_FLUSH, "x y;z\t\xff", ";;\xc0\xaf bad;\n;main", " ;k p;\x1b]0;t\x07", 5, 1);
	site(&f->sites.site[1], SITE_MUNMAP, "", "", "", 7, 0);
	memset(f->sites.site[2].upath, 'u', FRAME_SITE_PATH - 1);
	memset(f->sites.site[2].kpath, ';', FRAME_SITE_PATH - 1);
	f->sites.site[2].kpath[FRAME_SITE_PATH - 2] = 'k';
	memset(f->sites.site[2].caller, 'c', FRAME_SITE_SYM - 1);
	f->sites.site[2].events = 11;
	assert_int_equal(folded_init(&fo, 2), 0); /* room for two stacks of three */
	folded_add(&fo, f, PID);
	text = fold(&fo);
	n = parse(text, lines, counts, 16, &sum);
	assert_int_equal(n, 2);
	assert_int_equal(count_of(lines, counts, n, "a_b_c__[2J;___bad;_;main;__[k];k_p_[k];_]0_[k];t__[k]"),
			 5);
	assert_int_equal(count_of(lines, counts, n, "a_b_c__[2J"), 7);
	assert_int_equal(fo.dropped, 11);
	free(text);
	folded_free(&fo);
	ring_free(&r);
}

/* Runs cmd; its exit status, its stdout in out (cap bytes). */
static int run(const char *cmd, char *out, size_t cap)
{
	FILE *p = popen(cmd, "r");
	size_t n;
	int st;

	assert_non_null(p);
	n = fread(out, 1, cap - 1, p);
	out[n] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The binary on a recording written here: the same lines; bad arguments
 * are one line on stderr and exit 2. */
static void stacks_command_reads_a_recording(void **state)
{
	static uint16_t nodes[2];
	struct rec_meta m = { .host = "testhost", .kernel = "6.18", .version = "0.1.0", .ncpu = 2, .nnodes = 1,
			      .node_of = nodes, .interval_ns = 1000000000, .start_ns = 1700000000000000000LL };
	const char *bin = getenv("STORMTOP_BIN") ? getenv("STORMTOP_BIN") : "./stormtop";
	static const char *const bad[] = { "stacks", "stacks --pid x --seconds 1", "stacks --pid 1",
					   "stacks %s --seconds 3", "stacks --seconds 1 --pid 2147483647",
					   "stacks %s --pid 0", "stacks --pid 1 --seconds 0" };
	char path[300], cmd[900], out[16384], err[256], args[600];
	struct frame_ring r;
	struct rec_writer *w;

	(void)state;
	if (access(bin, X_OK) != 0) {
		printf("skipped: no %s (make all first)\n", bin);
		skip();
	}
	snprintf(path, sizeof(path), "%s/sites.rec", dir);
	assert_int_equal(ring_init(&r, 1, 2), 0);
	w = rec_writer_open(path, &m, NULL, err, sizeof(err));
	if (!w)
		fail_msg("%s", err);
	for (int i = 0; i < 3; i++) {
		make_frame(&r.frames[0], i);
		assert_int_equal(rec_writer_append(w, &r.frames[0], err, sizeof(err)), 0);
	}
	rec_writer_close(w);
	ring_free(&r);
	snprintf(cmd, sizeof(cmd), "%s stacks %s --pid %d", bin, path, PID);
	assert_int_equal(run(cmd, out, sizeof(out)), 0);
	check_lines(out, 0);
	snprintf(cmd, sizeof(cmd), "%s stacks %s -o %s/out.folded && cat %s/out.folded", bin, path, dir, dir);
	assert_int_equal(run(cmd, out, sizeof(out)), 0);
	check_lines(out, 1);
	/* dump: the same sites in JSON, the fields by the table's names */
	snprintf(cmd, sizeof(cmd), "%s dump %s --format json | head -1", bin, path);
	assert_int_equal(run(cmd, out, sizeof(out)), 0);
	if (!strstr(out, "\"sites\":{\"pid\":4242,\"period\":64,\"other_events\":128,\"other_ipis\":0,\"list\":["
			 "{\"kind_name\":\"munmap\",\"caller\":\"unmap_hot+0x1f\",\"upath\":\"main;worker;unmap_hot+0x1f;munmap\","
			 "\"kpath\":\"\",\"kind\":2,\"events\":640,\"ipis\":1280},{\"kind_name\":\"flush\","))
		fail_msg("dump: %s", out);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(args, sizeof(args), bad[i], path);
		snprintf(cmd, sizeof(cmd), "%s %s 2>&1", bin, args);
		assert_int_equal(run(cmd, out, sizeof(out)), 2);
		if (!strstr(out, "stormtop: ") || strchr(out, '\n') != out + strlen(out) - 1)
			fail_msg("%s: not one line: '%s'", args, out);
		printf("%s -> %s", args, out);
	}
}

static int setup(void **state)
{
	(void)state;
	return scratch_make(dir);
}

static int teardown(void **state)
{
	(void)state;
	return scratch_remove(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(frames_fold_to_hand_sums),
		cmocka_unit_test(hostile_names_keep_lines_whole),
		cmocka_unit_test(stacks_command_reads_a_recording),
	};
	return cmocka_run_group_tests_name("folded", tests, setup, teardown);
}
