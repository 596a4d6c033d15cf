// SPDX-License-Identifier: GPL-2.0-only
/* frame.cgroups (field 254) and frame_proc.cgroup_id (217) in recordings:
 * hostile paths come back byte for byte at every table size; a frame with
 * every table full and the largest values fits codec_bound; a newer
 * writer's extra strings, unknown ids and cgroups past FRAME_TOP_CGROUPS
 * are read (the extra cgroups land in other, so the table still adds up);
 * a cut record fails cleanly; the recordings made before 254 read as
 * CGROUPS_NONE with every process's cgroup unknown. */
#include "testlib.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd/app.h"
#include "cmd/cli.h"
#include "core/ring.h"
#include "record/codec.h"
#include "record/recreader.h"
#include "record/recwriter.h"

static void assert_frames_equal(const struct frame *a, const struct frame *b)
{
	struct frame x = *a, y = *b;

	x.cpu = y.cpu = NULL;
	assert_memory_equal(&x, &y, sizeof(x));
	assert_memory_equal(a->cpu, b->cpu, sizeof(*a->cpu) * a->ncpu);
}

/* len bytes (NUL excluded) of ESC sequences, C0/C1 controls, invalid
 * UTF-8, quotes, backslashes, newlines and '/': what a cgroup directory
 * name may hold. */
static void hostile(char *dst, size_t len, unsigned int seed)
{
	static const char alphabet[] = "\x1b[2J\x01\x7f\xc2\x9b\xff\xfe\"\\\n\t/\xe2\x80\xae}{=,"
				       "docker-0123abcd.scope";

	for (size_t i = 0; i < len; i++)
		dst[i] = alphabet[(seed * 31 + i * 7) % (sizeof(alphabet) - 1)];
	dst[len] = '\0';
}

static void fill_sum(struct frame_proc *p, uint64_t base, uint64_t id)
{
	for (size_t k = 0; k < frame_nfields; k++)
		if (frame_fields[k].scope == SCOPE_PROC)
			field_set_bits(&frame_fields[k], p, base + k);
	p->tgid = 0;
	p->cgroup_id = id;
}

static void fill_cgroups(struct frame *f, uint32_t n)
{
	struct frame_cgroups *g = &f->cgroups;

	g->state = CGROUPS_OK;
	g->n = n;
	g->others = n * 3;
	for (uint32_t i = 0; i < n; i++) {
		g->top[i].id = 0x100000000ull + i * 977;
		g->top[i].procs = i + 1;
		hostile(g->top[i].path, i % 2 ? sizeof(g->top[i].path) - 1 : i, i);
		fill_sum(&g->top[i].sum, 1000u * i, g->top[i].id);
	}
	g->other.procs = 7;
	fill_sum(&g->other.sum, 5, 0);
}

static void hostile_paths_round_trip(void **state)
{
	struct frame_ring r;
	size_t cap = codec_bound(2), n;
	uint8_t *buf = malloc(cap);
	char want[FRAME_CGROUP_PATH];

	(void)state;
	assert_non_null(buf);
	assert_int_equal(ring_init(&r, 2, 2), 0);
	for (uint32_t k = 0; k <= FRAME_TOP_CGROUPS; k++) {
		frame_clear(&r.frames[0]);
		r.frames[0].seq = k;
		fill_cgroups(&r.frames[0], k);
		r.frames[0].procs.n = 2;
		r.frames[0].procs.top[0].tgid = 42;
		r.frames[0].procs.top[0].cgroup_id = r.frames[0].cgroups.top[0].id + k;
		r.frames[0].procs.top[1].cgroup_id = ~0ull;
		n = frame_encode(&r.frames[0], buf, cap);
		assert_true(n > 0);
		assert_int_equal(frame_decode(buf, n, &r.frames[1]), 0);
		assert_frames_equal(&r.frames[0], &r.frames[1]);
	}
	/* every byte of a full-length path, and the ones JSON and promtext
	 * must escape */
	assert_int_equal(strlen(r.frames[1].cgroups.top[FRAME_TOP_CGROUPS - 1].path), FRAME_CGROUP_PATH - 1);
	hostile(want, FRAME_CGROUP_PATH - 1, 1);
	assert_non_null(strchr(want, 0x1b));
	assert_non_null(strchr(want, '"'));
	assert_string_equal(r.frames[1].cgroups.top[1].path, want);
	assert_int_equal(r.frames[1].procs.top[1].cgroup_id, ~0ull);
	/* a host without the view: the state and why alone come back */
	frame_clear(&r.frames[0]);
	r.frames[0].cgroups.state = CGROUPS_V1_ONLY;
	snprintf(r.frames[0].cgroups.why, FRAME_REASON_LEN, "cgroup v1: per-cgroup view unavailable");
	n = frame_encode(&r.frames[0], buf, cap);
	assert_int_equal(frame_decode(buf, n, &r.frames[1]), 0);
	assert_frames_equal(&r.frames[0], &r.frames[1]);
	ring_free(&r);
	free(buf);
}

/* Every frame field, process, site-less table and cgroup at its fullest
 * with the largest values: encoding into exactly codec_bound succeeds. */
static void bound_covers_full_table(void **state)
{
	struct frame_ring r;
	size_t cap = codec_bound(4);
	uint8_t *buf = malloc(cap);
	struct frame *f;

	(void)state;
	assert_non_null(buf);
	assert_int_equal(ring_init(&r, 1, 4), 0);
	f = &r.frames[0];
	frame_clear(f);
	for (size_t k = 0; k < frame_nfields; k++)
		if (frame_fields[k].scope == SCOPE_FRAME)
			field_set_bits(&frame_fields[k], f, ~0ull);
	f->ncpu = 4;
	f->procs.n = FRAME_TOP_PROCS;
	for (uint32_t i = 0; i < FRAME_TOP_PROCS; i++) {
		memset(f->procs.top[i].comm, 'c', FRAME_COMM_LEN - 1);
		for (size_t k = 0; k < frame_nfields; k++)
			if (frame_fields[k].scope == SCOPE_PROC)
				field_set_bits(&frame_fields[k], &f->procs.top[i], ~0ull);
	}
	fill_cgroups(f, FRAME_TOP_CGROUPS);
	memset(f->cgroups.why, 'w', FRAME_REASON_LEN - 1);
	for (size_t k = 0; k < cgroup_nfields; k++)
		if (cgroup_fields[k].scope == SCOPE_CGROUPS)
			field_set_bits(&cgroup_fields[k], &f->cgroups, ~0ull);
	for (uint32_t i = 0; i <= FRAME_TOP_CGROUPS; i++) {
		struct frame_cgroup *cg = i < FRAME_TOP_CGROUPS ? &f->cgroups.top[i] : &f->cgroups.other;

		memset(cg->path, 0xff, FRAME_CGROUP_PATH - 1);
		for (size_t k = 0; k < cgroup_nfields; k++)
			if (cgroup_fields[k].scope == SCOPE_CGROUP)
				field_set_bits(&cgroup_fields[k], cg, ~0ull);
		for (size_t k = 0; k < frame_nfields; k++)
			if (frame_fields[k].scope == SCOPE_PROC)
				field_set_bits(&frame_fields[k], &cg->sum, ~0ull);
	}
	f->cgroups.n = FRAME_TOP_CGROUPS;
	assert_true(frame_encode(f, buf, cap) > 0);
	/* 254's own share of the bound holds 254 (the rest of the bound is
	 * generous enough to hide a short share) */
	{
		size_t with = frame_encode(f, buf, cap), without;
		struct frame_cgroups keep = f->cgroups;

		memset(&f->cgroups, 0, sizeof(f->cgroups));
		without = frame_encode(f, buf, cap);
		f->cgroups = keep;
		print_message("254 at its fullest: %zu bytes (its bound %zu)\n", with - without, codec_bound_cgroups());
		assert_true(with - without <= codec_bound_cgroups());
	}
	/* and one byte less than what it needed does not overflow silently */
	assert_int_equal(frame_encode(f, buf, frame_encode(f, buf, cap) - 1), 0);
	ring_free(&r);
	free(buf);
}

static size_t varint(uint8_t *p, uint64_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		p[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (uint8_t)v;
	return n;
}

static size_t str(uint8_t *p, const char *s)
{
	size_t n = varint(p, strlen(s));

	memcpy(p + n, s, strlen(s));
	return n + strlen(s);
}

/* One cgroup as a newer writer might send it: a second string, an
 * unknown cgroup id (29) and an unknown process id (239). */
static size_t newer_cgroup(uint8_t *p, const char *path, uint64_t id, uint64_t procs, uint64_t sent)
{
	size_t b = 0;

	b += varint(p + b, 2);
	b += str(p + b, path);
	b += str(p + b, "a string this reader does not know");
	b += varint(p + b, 3);
	b += varint(p + b, 10), b += varint(p + b, id);
	b += varint(p + b, 11), b += varint(p + b, procs);
	b += varint(p + b, 29), b += varint(p + b, 5);
	b += varint(p + b, 2);
	b += varint(p + b, 201), b += varint(p + b, sent);
	b += varint(p + b, 239), b += varint(p + b, 9);
	return b;
}

/* A newer writer's 254 by hand with FRAME_TOP_CGROUPS + 2 cgroups: the
 * known parts kept, the 2 past the top summed into other (by hand:
 * other's sent 100 + 17 + 18, procs 1 + 1 + 1, others 4 + 2). */
static void newer_writer_is_read(void **state)
{
	struct frame_ring r;
	uint8_t body[8192], rec[8400];
	size_t b = 0, m = 0;
	const struct frame_cgroups *g;

	(void)state;
	assert_int_equal(ring_init(&r, 1, 2), 0);
	b += varint(body + b, 3);
	b += varint(body + b, 1), b += varint(body + b, CGROUPS_OK);
	b += varint(body + b, 2), b += varint(body + b, 4);
	b += varint(body + b, 9), b += varint(body + b, 5); /* unknown */
	b += varint(body + b, 2);
	b += str(body + b, "");
	b += str(body + b, "unknown");
	b += varint(body + b, FRAME_TOP_CGROUPS + 2);
	for (int i = 0; i < FRAME_TOP_CGROUPS + 2; i++)
		b += newer_cgroup(body + b, i ? "/system.slice/x.service" : "/kubepods.slice/a\"b", 1000u + (unsigned)i,
				  1, (uint64_t)i + 1);
	b += newer_cgroup(body + b, "", 0, 1, 100);
	m += varint(rec + m, 254 * 2 + 1);
	m += varint(rec + m, b);
	memcpy(rec + m, body, b);
	m += b;
	m += varint(rec + m, 1 * 2), m += varint(rec + m, 9); /* seq after it: still read */
	assert_int_equal(frame_decode(rec, m, &r.frames[0]), 0);
	g = &r.frames[0].cgroups;
	assert_int_equal(r.frames[0].seq, 9);
	assert_int_equal(g->state, CGROUPS_OK);
	assert_int_equal(g->n, FRAME_TOP_CGROUPS);
	assert_string_equal(g->top[0].path, "/kubepods.slice/a\"b");
	assert_int_equal(g->top[0].id, 1000);
	assert_int_equal(g->top[15].sum.sent, 16);
	assert_int_equal(g->other.sum.sent, 100 + 17 + 18);
	assert_int_equal(g->other.procs, 3);
	assert_int_equal(g->others, 4 + 2);
	/* a cut inside it fails the frame cleanly */
	for (size_t cut = 1; cut < m - 2; cut++)
		assert_int_equal(frame_decode(rec, cut, &r.frames[0]), -1);
	ring_free(&r);
}

/* Recordings made before 254: every frame reads, with no cgroups and
 * every process's cgroup unknown. */
static void old_recordings_have_no_cgroups(void **state)
{
	static const char *const files[] = { "tests/fixtures/rec/seed-2cpu.rec", "tests/fixtures/rec/step-back-60s.rec",
					      "tests/fixtures/rec/escape-strings-c0-c1-invalid-utf8.rec" };
	static const struct frame_cgroups none;
	size_t frames = 0, procs = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char err[256];
		struct rec_reader *rd = rec_reader_open(files[i], err, sizeof(err));
		struct frame_ring r;

		if (!rd)
			fail_msg("%s: %s", files[i], err);
		assert_int_equal(ring_init(&r, 1, rec_reader_meta(rd)->ncpu), 0);
		for (size_t k = 0; k < rec_reader_count(rd); k++, frames++) {
			assert_int_equal(rec_reader_frame(rd, k, &r.frames[0]), 0);
			assert_memory_equal(&r.frames[0].cgroups, &none, sizeof(none));
			assert_int_equal(r.frames[0].cgroups.state, CGROUPS_NONE);
			for (uint32_t p = 0; p < r.frames[0].procs.n; p++, procs++)
				assert_int_equal(r.frames[0].procs.top[p].cgroup_id, 0);
		}
		rec_reader_close(rd);
		ring_free(&r);
	}
	printf("%zu old frames (%zu processes) read, none with cgroups\n", frames, procs);
	assert_true(frames > 10);
}

/* `stormtop dump --format json` of one frame with two cgroups (one path
 * with a quote, a backslash, a newline and an ESC) and a v1 frame: a
 * strict JSON reader (python3) finds the paths byte for byte, the
 * counters as stored, other, and the v1 frame's why. */
static void dump_json_has_cgroups(void **state)
{
	char dir[] = "/tmp/cgdump.XXXXXX", rec[64], out[64], err[256], cmd[1024];
	char *argv[] = { "stormtop", "dump", rec, "--format", "json", NULL };
	struct rec_meta meta = { .ncpu = 2, .interval_ns = 1000000000 };
	struct frame_ring r;
	struct rec_writer *w;
	struct options o;
	struct frame *f;
	pid_t pid;
	int st;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(rec, sizeof(rec), "%s/c.rec", dir);
	snprintf(out, sizeof(out), "%s/c.json", dir);
	assert_int_equal(ring_init(&r, 1, 2), 0);
	f = &r.frames[0];
	frame_clear(f);
	f->signals = 1u << SIG_SENDERS | 1u << SIG_TLB_FANOUT;
	f->cgroups.state = CGROUPS_OK;
	f->cgroups.n = 2;
	f->cgroups.others = 5;
	snprintf(f->cgroups.top[0].path, FRAME_CGROUP_PATH, "/system.slice/docker-%s.scope",
		 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	f->cgroups.top[0].id = 4026531835ull;
	f->cgroups.top[0].procs = 3;
	f->cgroups.top[0].sum.sent = 1234;
	f->cgroups.top[0].sum.fanout = 5678;
	snprintf(f->cgroups.top[1].path, FRAME_CGROUP_PATH, "/evil\"\\\n\x1b[2J");
	f->cgroups.top[1].id = 77;
	f->cgroups.top[1].sum.sent = 1;
	f->cgroups.other.sum.sent = 9;
	w = rec_writer_open(rec, &meta, NULL, err, sizeof(err));
	if (!w)
		fail_msg("%s", err);
	assert_int_equal(rec_writer_append(w, f, err, sizeof(err)), 0);
	f->seq = 1;
	memset(&f->cgroups, 0, sizeof(f->cgroups));
	f->cgroups.state = CGROUPS_V1_ONLY;
	snprintf(f->cgroups.why, FRAME_REASON_LEN, "cgroup v1: per-cgroup view unavailable");
	assert_int_equal(rec_writer_append(w, f, err, sizeof(err)), 0);
	rec_writer_close(w);
	ring_free(&r);
	assert_int_equal(cli_parse(5, argv, &o, err, sizeof(err)), CLI_RUN);
	pid = fork();
	if (pid == 0) {
		int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		dup2(fd, 1);
		_exit(run_dump(&o));
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	if (system("python3 -c 1 2>/dev/null") != 0) {
		printf("skip: no python3 to read the JSON strictly\n");
		return;
	}
	snprintf(cmd, sizeof(cmd), "python3 -c '\n"
		 "import json, sys\n"
		 "a, b = [json.loads(l)[\"cgroups\"] for l in open(sys.argv[1])]\n"
		 "l = a[\"list\"]\n"
		 "assert a[\"state_name\"] == \"ok\" and a[\"other_cgroups\"] == 5, a\n"
		 "assert l[0][\"path\"].endswith(\"abcdef.scope\") and l[0][\"cgroup_id\"] == 4026531835, l[0]\n"
		 "assert l[0][\"procs\"] == 3 and l[0][\"sent\"] == 1234 and l[0][\"fanout\"] == 5678, l[0]\n"
		 "assert l[1][\"path\"] == \"/evil\\\"\\\\\\n\\x1b[2J\", l[1]\n"
		 "assert a[\"other\"][\"sent\"] == 9 and l[0][\"migrated\"] is None, a\n"
		 "assert b[\"state_name\"] == \"v1_only\" and \"unavailable\" in b[\"why\"] and b[\"list\"] == [], b\n"
		 "' %s", out);
	assert_int_equal(system(cmd), 0);
	unlink(rec);
	unlink(out);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hostile_paths_round_trip),
		cmocka_unit_test(bound_covers_full_table),
		cmocka_unit_test(newer_writer_is_read),
		cmocka_unit_test(old_recordings_have_no_cgroups),
		cmocka_unit_test(dump_json_has_cgroups),
	};
	return cmocka_run_group_tests_name("cgroups_codec", tests, NULL, NULL);
}
