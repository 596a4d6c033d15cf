// SPDX-License-Identifier: GPL-2.0-only
/* Recordings on disk: written and read back equal; a torn tail at every
 * byte of the last frame recovers every earlier frame; a damaged record in
 * the middle is stepped over; appending resumes after a torn tail;
 * rotation loses nothing; bad files give one clear reason. */
#include "testlib.h"

#include <fcntl.h>
#include <errno.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/crc32c.h"
#include "record/recreader.h"
#include "record/recwriter.h"
#include "core/ring.h"

#define NCPU 8

static char dir[] = "/tmp/stormtop-rec-XXXXXX";

/* The topology the sampler writes: CPU 6 is a hole in the ids, node 3
 * has memory and no CPUs. */
static void make_topology(struct frame *f)
{
	static const struct frame_node nodes[] = { { 0, 4, 1ull << 34 }, { 1, 3, 1ull << 34 }, { 3, 0, 1ull << 38 } };

	for (uint32_t c = 0; c < f->ncpu; c++) {
		f->cpu[c].possible = f->cpu[c].present = c != 6;
		f->cpu[c].node = c < 4 ? 0 : 1;
	}
	f->topo.possible = f->topo.present = NCPU - 1;
	f->topo.nnodes = f->topo.nlist = 3;
	memcpy(f->topo.node, nodes, sizeof(nodes));
}

static void make_frame(struct frame *f, uint64_t i)
{
	frame_clear(f);
	make_topology(f);
	f->seq = i;
	f->wall_ns = 1700000000000000000LL + (int64_t)i * 1000000000LL;
	f->mono_ns = (int64_t)i * 1000000000LL;
	f->interval_ns = 1000000000LL;
	f->online = NCPU - 1;
	f->irq_present = 1u << IRQ_TLB;
	f->signals = 1u << SIG_RUNQ;
	for (uint32_t c = 0; c < f->ncpu; c++) {
		f->cpu[c].online = c != 6;
		f->cpu[c].irq[IRQ_TLB] = i * 100 + c;
		f->cpu[c].rq_q[RQ_P99] = i * 7 + c;
	}
	f->procs.n = 1;
	f->procs.top[0] = (struct frame_proc){ .tgid = 42, .sent = i, .comm = "churn" };
	frame_set_status(f, SRC_BPF, SOURCE_PARTIAL, "no tracepoint: qi_submit");
}

static struct rec_meta meta(void)
{
	static uint16_t nodes[NCPU] = { 0, 0, 0, 0, 1, 1, 1, 1 };
	struct rec_meta m = { .host = "testhost", .kernel = "6.18", .version = "0.1.0",
			      .ncpu = NCPU, .nnodes = 2, .node_of = nodes,
			      .interval_ns = 1000000000, .start_ns = 1700000000000000000LL };

	return m;
}

/* Four buffers in turn: a call may take two paths. */
static const char *path_of(const char *name)
{
	static char p[4][256];
	static int i;

	i = (i + 1) % 4;
	snprintf(p[i], sizeof(p[i]), "%s/%s", dir, name);
	return p[i];
}

static void write_frames(const char *path, uint64_t from, uint64_t n, const struct rec_rotate *rot)
{
	struct rec_meta m = meta();
	struct frame_ring r;
	char err[256];
	struct rec_writer *w = rec_writer_open(path, &m, rot, err, sizeof(err));

	if (!w)
		fail_msg("%s", err);
	assert_int_equal(ring_init(&r, 1, NCPU), 0);
	for (uint64_t i = from; i < from + n; i++) {
		make_frame(&r.frames[0], i);
		assert_int_equal(rec_writer_append(w, &r.frames[0], err, sizeof(err)), 0);
	}
	rec_writer_close(w);
	ring_free(&r);
}

/* Reads every frame and checks each is the one written with that seq. */
static size_t check_frames(const char *path, uint64_t first)
{
	struct frame_ring r;
	char err[256];
	struct rec_reader *rd = rec_reader_open(path, err, sizeof(err));
	size_t n;

	if (!rd)
		fail_msg("%s", err);
	assert_int_equal(ring_init(&r, 2, NCPU), 0);
	n = rec_reader_count(rd);
	for (size_t i = 0; i < n; i++) {
		struct frame *want = &r.frames[0], *got = &r.frames[1];
		struct frame a, b;

		make_frame(want, first + i);
		assert_int_equal(rec_reader_frame(rd, i, got), 0);
		a = *want;
		b = *got;
		a.cpu = b.cpu = NULL;
		assert_memory_equal(&a, &b, sizeof(a));
		assert_memory_equal(want->cpu, got->cpu, sizeof(*got->cpu) * NCPU);
		assert_int_equal(rec_reader_time(rd, i), want->wall_ns);
	}
	assert_int_equal(rec_reader_meta(rd)->ncpu, NCPU);
	assert_int_equal(rec_reader_meta(rd)->node_of[5], 1);
	assert_string_equal(rec_reader_meta(rd)->host, "testhost");
	rec_reader_close(rd);
	ring_free(&r);
	return n;
}

static void round_trip(void **state)
{
	(void)state;
	write_frames(path_of("a.rec"), 0, 100, NULL);
	assert_int_equal(check_frames(path_of("a.rec"), 0), 100);
}

/* A recording made before frames carried their topology: every CPU slot
 * reads back as a possible, present CPU, and the nodes are those its CPUs
 * name (the fixture was recorded on a 2-CPU, one-node VM). */
static void old_recordings_get_topology(void **state)
{
	struct frame_ring r;
	char err[256];
	struct rec_reader *rd = rec_reader_open("tests/fixtures/rec/seed-2cpu.rec", err, sizeof(err));
	struct frame *f;

	(void)state;
	if (!rd)
		fail_msg("%s", err);
	assert_int_equal(ring_init(&r, 1, rec_reader_meta(rd)->ncpu), 0);
	f = &r.frames[0];
	assert_true(rec_reader_count(rd) > 0);
	assert_int_equal(rec_reader_frame(rd, 0, f), 0);
	assert_int_equal(f->ncpu, 2);
	assert_int_equal(f->topo.possible, 2);
	assert_int_equal(f->topo.present, 2);
	assert_int_equal(frame_cpus(f), 2);
	assert_int_equal(f->topo.nnodes, 1);
	assert_int_equal(f->topo.nlist, 1);
	assert_int_equal(f->topo.node[0].node, 0);
	assert_int_equal(f->topo.node[0].cpus, 2);
	assert_true(frame_cpu_exists(f, 0) && frame_cpu_exists(f, 1));
	rec_reader_close(rd);
	ring_free(&r);
}

/* The same derivation on frames of sparse nodes, hand-made. */
static void derived_topology_counts_sets(void **state)
{
	struct frame_ring r;

	(void)state;
	assert_int_equal(ring_init(&r, 1, 6), 0);
	frame_clear(&r.frames[0]);
	for (uint32_t c = 0; c < 6; c++)
		r.frames[0].cpu[c].node = c < 2 ? 5 : c < 5 ? 0 : 2; /* nodes 0, 2, 5 */
	assert_int_equal(frame_nnodes(&r.frames[0]), 3);
	frame_topo_derive(&r.frames[0]);
	assert_int_equal(r.frames[0].topo.nnodes, 3);
	assert_int_equal(r.frames[0].topo.node[0].node, 0);
	assert_int_equal(r.frames[0].topo.node[0].cpus, 3);
	assert_int_equal(r.frames[0].topo.node[1].node, 2);
	assert_int_equal(r.frames[0].topo.node[1].cpus, 1);
	assert_int_equal(r.frames[0].topo.node[2].node, 5);
	assert_int_equal(r.frames[0].topo.node[2].cpus, 2);
	ring_free(&r);
}

static uint64_t size_of(const char *p)
{
	struct stat st;

	assert_int_equal(stat(p, &st), 0);
	return (uint64_t)st.st_size;
}

static void copy_prefix(const char *from, const char *to, uint64_t n)
{
	static uint8_t buf[1 << 20];
	int in = open(from, O_RDONLY), out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	assert_true(n <= sizeof(buf));
	assert_int_equal(read(in, buf, n), (ssize_t)n);
	assert_int_equal(write(out, buf, n), (ssize_t)n);
	close(in);
	close(out);
}

/* Cut the file at every byte inside its last record: all 9 earlier
 * frames come back, and the reader says how much tail it dropped. */
static void torn_tail_at_every_byte(void **state)
{
	uint64_t full, last;
	char err[256];
	struct rec_reader *rd;

	(void)state;
	write_frames(path_of("t9.rec"), 0, 9, NULL);
	last = size_of(path_of("t9.rec"));
	write_frames(path_of("t10.rec"), 0, 10, NULL);
	full = size_of(path_of("t10.rec"));
	for (uint64_t cut = last; cut < full; cut++) {
		copy_prefix(path_of("t10.rec"), path_of("cut.rec"), cut);
		rd = rec_reader_open(path_of("cut.rec"), err, sizeof(err));
		if (!rd)
			fail_msg("cut at %llu: %s", (unsigned long long)cut, err);
		assert_int_equal(rec_reader_count(rd), 9);
		assert_int_equal(rec_reader_torn(rd), cut - last);
		assert_int_equal(rec_reader_skipped(rd), 0);
		rec_reader_close(rd);
	}
	assert_int_equal(check_frames(path_of("cut.rec"), 0), 9);
}

/* A damaged byte in frame 4's payload: frame 4 cannot be read, nor the
 * frames after it in its stream block; from the next keyframe on every
 * frame reads again.  A damaged header is stepped over. */
static void damage_in_the_middle(void **state)
{
	char err[256];
	struct rec_reader *rd;
	struct frame_ring r;
	size_t n = 3 * REC_BLOCK;
	uint64_t at;
	int fd;

	(void)state;
	write_frames(path_of("m4.rec"), 0, 4, NULL);
	at = size_of(path_of("m4.rec")) + REC_HEAD_LEN + 3;
	write_frames(path_of("m.rec"), 0, n, NULL);
	fd = open(path_of("m.rec"), O_RDWR);
	assert_int_equal(pwrite(fd, "\xff", 1, (off_t)at), 1);
	close(fd);
	rd = rec_reader_open(path_of("m.rec"), err, sizeof(err));
	assert_non_null(rd);
	assert_int_equal(rec_reader_count(rd), n);
	assert_int_equal(ring_init(&r, 1, NCPU), 0);
	for (size_t i = 0; i < n; i++) {
		int lost = i >= 4 && i < REC_BLOCK;

		assert_int_equal(rec_reader_frame(rd, i, &r.frames[0]), lost ? -1 : 0);
		if (!lost)
			assert_int_equal(r.frames[0].seq, i);
	}
	assert_int_equal(rec_reader_lost(rd), REC_BLOCK - 4);
	rec_reader_close(rd);
	/* frame 4's sync word: it keeps its place, unreadable, as does 5 */
	write_frames(path_of("h.rec"), 0, 10, NULL);
	fd = open(path_of("h.rec"), O_RDWR);
	assert_int_equal(pwrite(fd, "\xff", 1, (off_t)(at - REC_HEAD_LEN - 3)), 1);
	close(fd);
	rd = rec_reader_open(path_of("h.rec"), err, sizeof(err));
	assert_non_null(rd);
	assert_int_equal(rec_reader_count(rd), 10);
	assert_true(rec_reader_skipped(rd) > 0);
	assert_int_equal(rec_reader_time(rd, 5), 1700000000000000000LL + 5000000000LL);
	assert_int_equal(rec_reader_frame(rd, 3, &r.frames[0]), 0);
	assert_int_equal(rec_reader_frame(rd, 4, &r.frames[0]), -1); /* damaged */
	assert_int_equal(rec_reader_frame(rd, 5, &r.frames[0]), -1); /* its keyframe is gone */
	assert_int_equal(rec_reader_lost(rd), 10 - 4);
	rec_reader_close(rd);
	ring_free(&r);
}

/* Where each record of a file starts (n + 1 offsets: the last is the
 * file's end). */
static void record_offsets(const char *path, size_t n, uint64_t *at)
{
	for (size_t i = 0; i <= n; i++) {
		char name[32];

		snprintf(name, sizeof(name), "off%zu.rec", i);
		write_frames(path_of(name), 0, i, NULL);
		at[i] = size_of(path_of(name));
		unlink(path_of(name));
	}
	(void)path;
}

/* Opens path and reads every frame in order: how many read, and checks
 * the lost count the reader says against what really failed; frames
 * [lo, hi) must fail, every other one read as written. */
static void expect_lost(const char *path, size_t n, size_t lo, size_t hi, const char *what)
{
	struct frame_ring r;
	char err[256];
	struct rec_reader *rd = rec_reader_open(path, err, sizeof(err));
	size_t failed = 0;

	if (!rd)
		fail_msg("%s: %s", what, err);
	if (rec_reader_count(rd) != n)
		fail_msg("%s: %zu entries, want %zu", what, rec_reader_count(rd), n);
	assert_int_equal(ring_init(&r, 1, NCPU), 0);
	for (size_t i = 0; i < n; i++) {
		int rc = rec_reader_frame(rd, i, &r.frames[0]);

		if (rc != (i >= lo && i < hi ? -1 : 0))
			fail_msg("%s: frame %zu read %d, lost range [%zu, %zu)", what, i, rc, lo, hi);
		if (rc == 0 && r.frames[0].seq != i)
			fail_msg("%s: frame %zu is seq %llu", what, i, (unsigned long long)r.frames[0].seq);
		failed += rc < 0;
	}
	if (rec_reader_lost(rd) != failed)
		fail_msg("%s: says %zu lost, %zu were", what, rec_reader_lost(rd), failed);
	rec_reader_close(rd);
	ring_free(&r);
}

/* A zeroed span over records 10-14 (record 14's sync word too) leaves
 * one damaged entry for all five and orphans the rest of the block: 50
 * entries known unreadable, 54 frames lost.  The reader says 50 before
 * anything is read, and 54 once the frames on both sides were read (the
 * next good frame, 64, says how many the span held), as dump counts. */
static void zeroed_span_counts_every_frame(void **state)
{
	static uint64_t at[REC_BLOCK + 11];
	static const uint8_t zero[4096];
	size_t n = REC_BLOCK + 10, entries;
	struct rec_reader *rd;
	struct frame_ring r;
	char err[256];
	uint64_t from, len;
	int fd;

	(void)state;
	record_offsets(path_of("z.rec"), n, at);
	write_frames(path_of("z.rec"), 0, n, NULL);
	from = (at[10] + at[11]) / 2;
	len = (at[14] + at[15]) / 2 - from;
	assert_true(len <= sizeof(zero));
	fd = open(path_of("z.rec"), O_RDWR);
	assert_int_equal(pwrite(fd, zero, len, (off_t)from), (ssize_t)len);
	close(fd);
	rd = rec_reader_open(path_of("z.rec"), err, sizeof(err));
	assert_non_null(rd);
	entries = rec_reader_count(rd);
	assert_int_equal(entries, n - 4);
	assert_int_equal(rec_reader_lost(rd), REC_BLOCK - 10 - 4);
	assert_int_equal(ring_init(&r, 1, NCPU), 0);
	for (size_t i = 0; i < entries; i++)
		rec_reader_frame(rd, i, &r.frames[0]);
	assert_int_equal(r.frames[0].seq, n - 1);
	assert_int_equal(rec_reader_lost(rd), REC_BLOCK - 10);
	rec_reader_close(rd);
	ring_free(&r);
}

/* Every single-bit flip of every record header of a two-block file: the
 * damaged record loses itself and the rest of its block, never more, and
 * the reader's count is the count lost.  The last record has nothing
 * after it: it reads as a torn tail. */
static void header_bit_flips_lose_one_block_at_most(void **state)
{
	enum { N = REC_BLOCK + 6 };
	static uint64_t at[N + 1];
	const char *path = path_of("flip.rec");
	int fd;

	(void)state;
	record_offsets(path, N, at);
	write_frames(path, 0, N, NULL);
	assert_int_equal(size_of(path), at[N]);
	fd = open(path, O_RDWR);
	for (size_t k = 0; k < N; k++)
		for (unsigned int bit = 0; bit < REC_HEAD_LEN * 8; bit++) {
			uint64_t byte_at = at[k] + bit / 8;
			uint8_t b, flipped;
			char what[64];

			assert_int_equal(pread(fd, &b, 1, (off_t)byte_at), 1);
			flipped = b ^ (uint8_t)(1u << (bit % 8));
			assert_int_equal(pwrite(fd, &flipped, 1, (off_t)byte_at), 1);
			snprintf(what, sizeof(what), "record %zu header bit %u", k, bit);
			if (k == N - 1)
				expect_lost(path, N - 1, N, N, what);
			else
				expect_lost(path, N, k, k < REC_BLOCK ? REC_BLOCK : N, what);
			assert_int_equal(pwrite(fd, &b, 1, (off_t)byte_at), 1);
		}
	close(fd);
}

/* CRC-32C against RFC 3720's vectors and the textbook check value,
 * whole and in pieces (the hardware path and the byte loop agree). */
/* The widest host a frame holds (FRAME_MAX_CPUS possible CPUs, four
 * nodes) with every collector's status reason full length: the header
 * is written (it was refused as "No space left on device" past about
 * 2190 CPUs), a frame after it, and both read back: the node of each
 * CPU as written, the last CPU's counter. */
static void widest_host_records(void **state)
{
	static uint16_t nodes[FRAME_MAX_CPUS];
	struct rec_meta meta = { .ncpu = FRAME_MAX_CPUS, .nnodes = 4, .node_of = nodes,
				 .interval_ns = 1000000000 };
	char path[64], err[256];
	struct frame_ring r;
	struct rec_writer *w;
	struct rec_reader *rd;

	(void)state;
	for (uint32_t c = 0; c < FRAME_MAX_CPUS; c++)
		nodes[c] = (uint16_t)(c * 4 / FRAME_MAX_CPUS);
	for (int s = 0; s < SRC_MAX; s++) {
		memset(meta.status[s].reason, 'a' + s, FRAME_STATUS_LEN - 1);
		meta.status[s].state = SOURCE_PARTIAL;
	}
	snprintf(path, sizeof(path), "%s/wide.rec", dir);
	assert_int_equal(ring_init(&r, 1, FRAME_MAX_CPUS), 0);
	frame_clear(&r.frames[0]);
	r.frames[0].seq = 1;
	r.frames[0].cpu[FRAME_MAX_CPUS - 1].tlb_rx = 4095;
	if (!(w = rec_writer_open(path, &meta, NULL, err, sizeof(err))))
		fail_msg("%s", err);
	assert_int_equal(rec_writer_append(w, &r.frames[0], err, sizeof(err)), 0);
	rec_writer_close(w);
	if (!(rd = rec_reader_open(path, err, sizeof(err))))
		fail_msg("%s", err);
	assert_int_equal(rec_reader_meta(rd)->ncpu, FRAME_MAX_CPUS);
	assert_memory_equal(rec_reader_meta(rd)->node_of, nodes, sizeof(nodes));
	assert_int_equal(strlen(rec_reader_meta(rd)->status[SRC_MAX - 1].reason), FRAME_STATUS_LEN - 1);
	assert_int_equal(rec_reader_count(rd), 1);
	assert_int_equal(rec_reader_frame(rd, 0, &r.frames[0]), 0);
	assert_int_equal(r.frames[0].cpu[FRAME_MAX_CPUS - 1].tlb_rx, 4095);
	rec_reader_close(rd);
	ring_free(&r);
}

/* A header that cannot be written (the file size limit here; a full
 * disk alike) leaves no file behind: an empty or partial one would make
 * every later `record -o` of that name fail ("cannot be appended to"). */
static void failed_header_leaves_no_file(void **state)
{
	static uint16_t nodes[NCPU];
	struct rec_meta meta = { .ncpu = NCPU, .nnodes = 1, .node_of = nodes, .interval_ns = 1000000000 };
	struct rlimit was, small = { 64, 64 };
	char path[64], err[256];
	struct rec_writer *w;
	int gone;

	(void)state;
	snprintf(path, sizeof(path), "%s/nohdr.rec", dir);
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &was), 0);
	small.rlim_max = was.rlim_max;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
	w = rec_writer_open(path, &meta, NULL, err, sizeof(err));
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &was), 0);
	signal(SIGXFSZ, SIG_DFL);
	assert_null(w);
	assert_non_null(strstr(err, "header"));
	gone = access(path, F_OK) < 0 && errno == ENOENT;
	if (!gone)
		fail_msg("%s left behind after: %s", path, err);
}

static void crc32c_known_values(void **state)
{
	uint8_t zeros[32] = { 0 }, ones[32], inc[32];

	(void)state;
	memset(ones, 0xff, sizeof(ones));
	for (int i = 0; i < 32; i++)
		inc[i] = (uint8_t)i;
	assert_int_equal(crc32c(0, "123456789", 9), 0xE3069283u);
	assert_int_equal(crc32c(0, zeros, 32), 0x8A9136AAu);
	assert_int_equal(crc32c(0, ones, 32), 0x62A8AB43u);
	assert_int_equal(crc32c(0, inc, 32), 0x46DD794Eu);
	for (size_t cut = 0; cut <= 32; cut++)
		assert_int_equal(crc32c(crc32c(0, inc, cut), inc + cut, 32 - cut), 0x46DD794Eu);
}

/* Frames read in any order decode the same as in order (the stream is
 * restarted at the block's keyframe when needed). */
static void random_access(void **state)
{
	char err[256];
	struct rec_reader *rd;
	struct frame_ring r;
	static const size_t order[] = { 150, 3, 4, 5, 64, 63, 0, 199, 130, 131, 129 };

	(void)state;
	write_frames(path_of("ra.rec"), 0, 200, NULL);
	rd = rec_reader_open(path_of("ra.rec"), err, sizeof(err));
	assert_int_equal(ring_init(&r, 1, NCPU), 0);
	for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
		assert_int_equal(rec_reader_frame(rd, order[k], &r.frames[0]), 0);
		assert_int_equal(r.frames[0].seq, order[k]);
		assert_int_equal(r.frames[0].cpu[3].irq[IRQ_TLB], order[k] * 100 + 3);
	}
	rec_reader_close(rd);
	ring_free(&r);
}

/* Appending to a file with a torn tail cuts the tail and carries on. */
static void append_after_torn_tail(void **state)
{
	uint64_t size;

	(void)state;
	write_frames(path_of("ap.rec"), 0, 5, NULL);
	size = size_of(path_of("ap.rec"));
	assert_int_equal(truncate(path_of("ap.rec"), (off_t)(size - 7)), 0);
	write_frames(path_of("ap.rec"), 4, 6, NULL);
	assert_int_equal(check_frames(path_of("ap.rec"), 0), 10);
}

static void rotation_loses_nothing(void **state)
{
	struct rec_rotate rot = { .max_bytes = 8192, .keep = 0 };
	char cmd[512], line[512];
	uint64_t total = 0, files = 0;
	FILE *ls;

	(void)state;
	write_frames(path_of("rot.rec"), 0, 200, &rot);
	snprintf(cmd, sizeof(cmd), "ls %s/rot.rec*", dir);
	ls = popen(cmd, "r");
	while (fgets(line, sizeof(line), ls)) {
		char err[256];
		struct rec_reader *rd;

		line[strcspn(line, "\n")] = '\0';
		rd = rec_reader_open(line, err, sizeof(err));
		assert_non_null(rd);
		assert_true(size_of(line) <= 8192 + 4096);
		total += rec_reader_count(rd);
		files++;
		rec_reader_close(rd);
	}
	pclose(ls);
	printf("200 frames over %llu files\n", (unsigned long long)files);
	assert_true(files > 2);
	assert_int_equal(total, 200);
}

static void keep_prunes_old_files(void **state)
{
	struct rec_rotate rot = { .max_bytes = 8192, .keep = 2 };
	char cmd[512];

	(void)state;
	write_frames(path_of("k.rec"), 0, 300, &rot);
	snprintf(cmd, sizeof(cmd), "test $(ls %s/k.rec.* | wc -l) -eq 2", dir);
	assert_int_equal(system(cmd), 0);
}

static void expect_error(const char *path, const char *want)
{
	char err[256] = "";
	struct rec_reader *rd = rec_reader_open(path, err, sizeof(err));

	if (rd)
		fail_msg("%s opened; wanted '%s'", path, want);
	if (!strstr(err, want))
		fail_msg("%s: '%s', wanted '%s'", path, err, want);
}

static void write_file(const char *name, const void *p, size_t n)
{
	int fd = open(path_of(name), O_WRONLY | O_CREAT | O_TRUNC, 0644);

	assert_int_equal(write(fd, p, n), (ssize_t)n);
	close(fd);
}

static void bad_files_say_why(void **state)
{
	static uint8_t head[64];
	int fd;

	(void)state;
	write_file("empty.rec", "", 0);
	expect_error(path_of("empty.rec"), "empty file");
	write_file("short.rec", "STORMR", 6);
	expect_error(path_of("short.rec"), "truncated header");
	write_file("magic.rec", "NOTMAGIC0000000000000000000000", 30);
	expect_error(path_of("magic.rec"), "not a stormtop recording");
	write_frames(path_of("future.rec"), 0, 1, NULL);
	fd = open(path_of("future.rec"), O_RDWR);
	assert_int_equal(pwrite(fd, "\x07", 1, 8), 1);
	close(fd);
	expect_error(path_of("future.rec"), "format version 7.0 is newer");
	write_frames(path_of("hdr.rec"), 0, 1, NULL);
	fd = open(path_of("hdr.rec"), O_RDWR);
	assert_int_equal(pread(fd, head, 40, 0), 40);
	head[20] ^= 0x55;
	assert_int_equal(pwrite(fd, head + 20, 1, 20), 1);
	close(fd);
	expect_error(path_of("hdr.rec"), "damaged header");
	expect_error(dir, "a directory");
	expect_error("/dev/zero", "a character device");
	assert_int_equal(mkfifo(path_of("fifo"), 0644), 0);
	expect_error(path_of("fifo"), "a FIFO");
	expect_error(path_of("missing.rec"), "No such file");
}

/* stormtop dump of a known file: every number is the one written. */
static void dump_matches_frames(void **state)
{
	const char *bin = getenv("STORMTOP_BIN") ? getenv("STORMTOP_BIN") : "./stormtop";
	static char line[1 << 16];
	char cmd[512];
	unsigned long long seq, tlb, rq, wall, iv;
	unsigned int cpu;
	size_t rows = 0, objs = 0;
	FILE *p;

	(void)state;
	write_frames(path_of("d.rec"), 0, 70, NULL);
	snprintf(cmd, sizeof(cmd), "%s dump %s --format csv --metrics tlb,rq_p99_ns", bin, path_of("d.rec"));
	p = popen(cmd, "r");
	assert_non_null(fgets(line, sizeof(line), p));
	assert_string_equal(line, "seq,wall_ns,time,interval_ns,cpu,tlb,rq_p99_ns\n");
	while (fgets(line, sizeof(line), p)) {
		assert_int_equal(sscanf(line, "%llu,%llu,%*[^,],%llu,%u,%llu,%llu", &seq, &wall, &iv, &cpu, &tlb, &rq), 6);
		assert_int_equal(wall, 1700000000000000000ULL + seq * 1000000000ULL);
		assert_int_equal(tlb, seq * 100 + cpu);
		assert_int_equal(rq, seq * 7 + cpu);
		assert_int_not_equal(cpu, 6); /* a hole in the CPU ids is no row */
		rows++;
	}
	assert_int_equal(pclose(p), 0);
	assert_int_equal(rows, 70 * (NCPU - 1));
	snprintf(cmd, sizeof(cmd), "%s dump %s --format json", bin, path_of("d.rec"));
	p = popen(cmd, "r");
	while (fgets(line, sizeof(line), p)) {
		const char *c = strstr(line, "\"cpus\":[");

		assert_int_equal(sscanf(strstr(line, "\"seq\":"), "\"seq\":%llu", &seq), 1);
		assert_non_null(strstr(line, "\"comm\":\"churn\""));
		for (unsigned int k = 0; k < NCPU; k++) {
			if (k == 6) /* not a CPU */
				continue;
			c = strstr(c + 1, "{\"cpu\":");
			assert_int_equal(sscanf(c, "{\"cpu\":%u", &cpu), 1);
			assert_int_equal(sscanf(strstr(c, "\"tlb\":"), "\"tlb\":%llu", &tlb), 1);
			assert_int_equal(cpu, k);
			assert_int_equal(tlb, seq * 100 + k);
		}
		assert_null(strstr(c + 1, "{\"cpu\":"));
		assert_non_null(strstr(line, "\"node_topology\":[{\"node\":0,\"cpus\":4,"));
		assert_non_null(strstr(line, "{\"node\":3,\"cpus\":0,\"mem_total_bytes\":274877906944}"));
		objs++;
	}
	assert_int_equal(pclose(p), 0);
	assert_int_equal(objs, 70);
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
		cmocka_unit_test(crc32c_known_values),
		cmocka_unit_test(round_trip),
		cmocka_unit_test(widest_host_records),
		cmocka_unit_test(failed_header_leaves_no_file),
		cmocka_unit_test(old_recordings_get_topology),
		cmocka_unit_test(derived_topology_counts_sets),
		cmocka_unit_test(torn_tail_at_every_byte),
		cmocka_unit_test(damage_in_the_middle),
		cmocka_unit_test(zeroed_span_counts_every_frame),
		cmocka_unit_test(header_bit_flips_lose_one_block_at_most),
		cmocka_unit_test(random_access),
		cmocka_unit_test(append_after_torn_tail),
		cmocka_unit_test(rotation_loses_nothing),
		cmocka_unit_test(keep_prunes_old_files),
		cmocka_unit_test(bad_files_say_why),
		cmocka_unit_test(dump_matches_frames),
	};
	return cmocka_run_group_tests_name("recording files", tests, setup, teardown);
}
