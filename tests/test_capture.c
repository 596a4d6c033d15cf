// SPDX-License-Identifier: GPL-2.0-only
/* The storm-triggered capture's ring and windows (src/record/capture.h):
 * frames of varied packed sizes under a byte cap keep the newest ones,
 * consecutive and intact, and never more bytes than the cap; entries into
 * STORM, FLUSH_STORM and SAFE_DEGRADED write exactly the frames from
 * --pre before to --post after, a pre window reaching the last file
 * appends to it, and each file is named by the UTC time and the state. */
#include "testlib.h"

#include <dirent.h>
#include <time.h>

#include "core/ring.h"
#include "record/capture.h"
#include "record/recreader.h"

#define NCPU 4

static char dir[] = "/tmp/stormtop-capture-XXXXXX";
static FILE *quiet;

/* Frame i: every third one carries counters that do not compress (and so
 * packs several times larger), the others small ones. */
static void make_frame(struct frame *f, uint64_t i)
{
	uint64_t x = i * 0x9e3779b97f4a7c15ull;

	frame_clear(f);
	f->seq = i;
	f->wall_ns = 1700000000000000000LL + (int64_t)i * 1000000000LL;
	f->mono_ns = (int64_t)(i + 1) * 1000000000LL;
	f->interval_ns = 1000000000LL;
	f->online = NCPU;
	f->irq_present = 1u << IRQ_TLB;
	f->signals = 1u << SIG_RUNQ;
	for (uint32_t c = 0; c < f->ncpu; c++) {
		f->cpu[c].online = f->cpu[c].possible = f->cpu[c].present = 1;
		x ^= x >> 29;
		x *= 0xbf58476d1ce4e5b9ull;
		f->cpu[c].irq[IRQ_TLB] = i % 3 ? i + c : x >> 8;
		f->cpu[c].rq_q[RQ_P99] = i % 3 ? c : x >> 20;
	}
	f->procs.n = i % 3 ? 1 : FRAME_TOP_PROCS;
	for (uint32_t p = 0; p < f->procs.n; p++)
		f->procs.top[p] = (struct frame_proc){ .tgid = (int32_t)(1000 + p), .sent = (x >> p) & 0xffffff,
						       .comm = "churn" };
}

static struct rec_meta meta(void)
{
	static uint16_t nodes[NCPU];
	struct rec_meta m = { .host = "testhost", .kernel = "6.18", .version = "0.1.0", .ncpu = NCPU,
			      .nnodes = 1, .node_of = nodes, .interval_ns = 1000000000 };

	return m;
}

/* The seqs a recording holds, each checked equal to the frame made with
 * it; returns the count, seqs in out. */
static size_t read_seqs(const char *path, uint64_t *out, size_t cap)
{
	struct frame_ring r;
	char err[256];
	struct rec_reader *rd = rec_reader_open(path, err, sizeof(err));
	size_t n;

	if (!rd)
		fail_msg("%s: %s", path, err);
	assert_int_equal(ring_init(&r, 2, NCPU), 0);
	n = rec_reader_count(rd);
	assert_true(n <= cap);
	assert_int_equal(rec_reader_lost(rd), 0);
	for (size_t i = 0; i < n; i++) {
		struct frame *got = &r.frames[1], *want = &r.frames[0];

		assert_int_equal(rec_reader_frame(rd, i, got), 0);
		make_frame(want, got->seq);
		assert_int_equal(got->mono_ns, want->mono_ns);
		assert_memory_equal(got->cpu, want->cpu, sizeof(*got->cpu) * NCPU);
		assert_memory_equal(&got->procs, &want->procs, sizeof(got->procs));
		out[i] = got->seq;
	}
	rec_reader_close(rd);
	ring_free(&r);
	return n;
}

/* The files in dir, sorted; returns how many (at most 8). */
static int list(char names[8][300])
{
	struct dirent **ents;
	int n = scandir(dir, &ents, NULL, alphasort), k = 0;

	for (int i = 0; i < n; i++) {
		if (ents[i]->d_name[0] != '.' && k < 8)
			snprintf(names[k++], 300, "%s/%s", dir, ents[i]->d_name);
		free(ents[i]);
	}
	free(ents);
	return k;
}

static void clear_dir(void)
{
	char names[8][300];
	int n = list(names);

	for (int i = 0; i < n; i++)
		unlink(names[i]);
}

static struct capture *open_capture(double pre, double post, uint64_t mem, struct frame *first)
{
	struct capture_conf cc = { .dir = dir, .pre_s = pre, .post_s = post, .interval_s = 1,
				   .mem_bytes = mem, .log = quiet };
	struct rec_meta m = meta();
	char err[256];
	struct capture *c;

	make_frame(first, 0);
	c = capture_open(&cc, &m, first, err, sizeof(err));
	if (!c)
		fail_msg("%s", err);
	return c;
}

/* 200 frames through a 4 KiB ring that wants 41 slots: after each, the
 * bytes stay under the cap, and a SIGHUP file holds the newest frames,
 * consecutive, each intact, as many as the ring says. */
static void cap_keeps_newest_frames_intact(void **state)
{
	struct frame_ring r;
	struct capture_stats st;
	struct capture *c;
	uint64_t seqs[64];
	char names[8][300];
	size_t n;

	(void)state;
	assert_int_equal(ring_init(&r, 1, NCPU), 0);
	c = open_capture(40, 5, 4096, &r.frames[0]);
	for (uint64_t i = 1; i <= 200; i++) {
		make_frame(&r.frames[0], i);
		capture_frame(c, &r.frames[0]);
		capture_stats(c, &st);
		assert_true(st.used_bytes <= st.arena_bytes);
		assert_true(st.arena_bytes <= 4096);
		if (i % 37 && i != 200)
			continue;
		assert_int_equal(capture_save_ring(c), 0);
		assert_int_equal(list(names), 1);
		n = read_seqs(names[0], seqs, 64);
		assert_int_equal(n, st.frames);
		if (n < 2 || n >= 41)
			fail_msg("%zu frames at %llu, %llu of %llu bytes", n, (unsigned long long)i, (unsigned long long)st.used_bytes, (unsigned long long)st.arena_bytes);
		assert_int_equal(seqs[n - 1], i);
		for (size_t k = 1; k < n; k++)
			assert_int_equal(seqs[k], seqs[k - 1] + 1);
		assert_non_null(strstr(names[0], "-sighup.rec"));
		clear_dir();
	}
	capture_stats(c, &st);
	assert_true(st.byte_drops > 0);
	assert_int_equal(st.slots, 41);
	capture_close(c);
	ring_free(&r);
}

/* --pre 3 s, --post 2 s at 1 s: TLB STORM entered at 10, IOMMU
 * FLUSH_STORM at 14 (its pre window reaches frame 12, the first file's
 * last: appended), SAFE_DEGRADED at 25 (a new file); a WATCH entry and a
 * STORM held for ticks trigger nothing. */
static void windows_and_names(void **state)
{
	struct frame_ring r;
	struct capture *c;
	uint64_t seqs[64];
	char names[8][300], stamp[64];
	time_t t = 1700000000 + 10;
	struct tm tm;
	size_t n;

	(void)state;
	clear_dir();
	assert_int_equal(ring_init(&r, 1, NCPU), 0);
	c = open_capture(3, 2, 1 << 20, &r.frames[0]);
	for (uint64_t i = 1; i <= 40; i++) {
		struct frame_regime *g = &r.frames[0].regime;

		make_frame(&r.frames[0], i);
		g->tlb = g->tlb_was = i >= 10 && i < 25 ? TLB_STORM : i >= 25 ? TLB_SAFE_DEGRADED : TLB_CLEAN;
		if (i == 5)
			g->tlb = TLB_WATCH; /* not a trigger */
		if (i == 10)
			g->tlb_was = TLB_WATCH;
		if (i == 25)
			g->tlb_was = TLB_STORM;
		g->iommu = g->iommu_was = i >= 14 ? IOMMU_FLUSH_STORM : IOMMU_MAP_STABLE;
		if (i == 14)
			g->iommu_was = IOMMU_PRESSURE_WATCH;
		capture_frame(c, &r.frames[0]);
	}
	capture_close(c);
	assert_int_equal(list(names), 2);
	gmtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "storm-%Y%m%dT%H%M%SZ-STORM.rec", &tm);
	assert_non_null(strstr(names[0], stamp));
	assert_non_null(strstr(names[1], "-SAFE_DEGRADED.rec"));
	n = read_seqs(names[0], seqs, 64);
	assert_int_equal(n, 10);
	for (size_t k = 0; k < n; k++)
		assert_int_equal(seqs[k], 7 + k);
	n = read_seqs(names[1], seqs, 64);
	assert_int_equal(n, 6);
	for (size_t k = 0; k < n; k++)
		assert_int_equal(seqs[k], 22 + k);
	clear_dir();
	ring_free(&r);
}

static int setup(void **state)
{
	(void)state;
	quiet = fopen("/dev/null", "w");
	return scratch_make(dir) || !quiet ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	fclose(quiet);
	return scratch_remove(dir) ? -1 : 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cap_keeps_newest_frames_intact),
		cmocka_unit_test(windows_and_names),
	};

	return cmocka_run_group_tests_name("triggered capture", tests, setup, teardown);
}
