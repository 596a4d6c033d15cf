// SPDX-License-Identifier: GPL-2.0-only
/* stormprobe: the histogram layout, the writer library, and the attach
 * collector reading it, including while writers run. */
#include "testlib.h"

#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collectors/attach.h"
#include "collectors/probe_hist.h"
#include "core/ring.h"
#include "stormtop/probe.h"

static char dir[64];

static int make_dir(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/dev/shm/stormtop-test-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	setenv("STORMPROBE_DIR", dir, 1);
	return 0;
}

static int drop_dir(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd);
}

/* Every value lands in a bucket that holds it, no wider than 2^-7 of it. */
static void buckets_hold_their_values(void **state)
{
	(void)state;
	assert_int_equal(STORMPROBE_BUCKETS, 3584);
	assert_int_equal(sizeof(uint64_t) * STORMPROBE_BUCKETS, 28 * 1024);
	for (uint64_t v = 0; v < (1ull << 34); v = v < 4096 ? v + 1 : v + v / 97 + 1) {
		unsigned int b = stormprobe_bucket(v);
		uint64_t lo = stormprobe_bucket_low(b), hi = stormprobe_bucket_high(b);

		assert_true(b < STORMPROBE_BUCKETS);
		assert_true(lo <= v && v < hi);
		assert_true((double)(hi - lo) <= 1.0 + (double)lo / 128.0);
	}
	for (unsigned int b = 1; b < STORMPROBE_BUCKETS; b++)
		assert_int_equal(stormprobe_bucket_low(b), stormprobe_bucket_high(b - 1));
	assert_int_equal(stormprobe_bucket(~0ull), STORMPROBE_BUCKETS - 1);
}

static void overflow_clamps_and_counts(void **state)
{
	struct stormprobe *p = stormprobe_create("clamp", 1);
	struct stormprobe_slot *s;

	(void)state;
	assert_non_null(p);
	s = stormprobe_slot_open(p, STORMPROBE_LATENCY, "x", -1);
	assert_non_null(s);
	stormprobe_record(s, 5);
	stormprobe_record(s, 1ull << 40);
	assert_int_equal(s->count, 2);
	assert_int_equal(s->overflow, 1);
	assert_int_equal(s->hist[STORMPROBE_BUCKETS - 1], 1);
	assert_int_equal(s->hist[5], 1);
	stormprobe_close(p, 1);
}

/* The segment as the ABI says: named file, version last, sizes agree. */
static void writer_builds_the_segment(void **state)
{
	struct stormprobe *p = stormprobe_create("shape", 3);
	const struct stormprobe_header *h;
	char path[256];
	struct stat st;

	(void)state;
	assert_non_null(p);
	h = stormprobe_header(p);
	assert_int_equal(stormprobe_path("shape", path, sizeof(path)), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal((uint64_t)st.st_size, h->total_size);
	assert_int_equal(st.st_size % sysconf(_SC_PAGESIZE), 0);
	assert_int_equal(h->version, STORMPROBE_VERSION);
	assert_int_equal(h->writer_pid, getpid());
	assert_true(h->writer_starttime > 0);
	assert_int_equal(h->slot_count, 3);
	assert_true(h->slot_offset + 3ull * h->slot_size <= h->total_size);
	assert_int_equal(stormprobe_path("../x", path, sizeof(path)), -1);
	assert_int_equal(stormprobe_path(".hidden", path, sizeof(path)), -1);
	assert_null(stormprobe_create("shape", 0));
	stormprobe_close(p, 1);
	assert_int_equal(stat(path, &st), -1);
}

struct rig {
	struct frame_ring ring;
	struct attach *at;
};

static void rig_open(struct rig *g, const char *name)
{
	char err[200];

	assert_int_equal(ring_init(&g->ring, 4, 4), 0);
	g->at = attach_open((uid_t)-1, 50000);
	assert_non_null(g->at);
	assert_int_equal(attach_add(g->at, name, err, sizeof(err)), 0);
}

static const struct frame *rig_tick(struct rig *g)
{
	struct frame *f = ring_begin(&g->ring);

	attach_fill(g->at, f);
	ring_commit(&g->ring);
	return ring_at_age(&g->ring, 0);
}

static void rig_close(struct rig *g)
{
	attach_close(g->at);
	ring_free(&g->ring);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* The reader's percentiles against a sort of the very same samples. */
static void percentiles_match_a_sort(void **state)
{
	static uint64_t v[200000];
	static const double qs[] = { 0.50, 0.90, 0.99, 0.999 };
	struct stormprobe *p = stormprobe_create("pct", 1);
	struct stormprobe_slot *s = stormprobe_slot_open(p, STORMPROBE_LATENCY, "lat", 1);
	uint64_t x = 88172645463325252ull;
	const struct frame *f;
	struct rig g;

	(void)state;
	rig_open(&g, "pct");
	rig_tick(&g); /* baseline */
	for (size_t i = 0; i < 200000; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		v[i] = (uint64_t)exp(log(100.0) + (double)(x % 1000000) / 1e6 * log(1e5)); /* 100 ns..10 ms */
		stormprobe_record(s, v[i]);
	}
	f = rig_tick(&g);
	qsort(v, 200000, sizeof(v[0]), cmp_u64);
	assert_int_equal(f->nseries, 1);
	assert_int_equal(f->series[0].n, 200000);
	assert_int_equal(f->series[0].reset, 0);
	for (int q = 0; q < 4; q++) {
		double want = (double)v[(size_t)ceil(qs[q] * 200000) - 1];
		double got = (double)f->series[0].q[q];

		assert_true(fabs(got - want) <= want / 128.0 + 1);
	}
	assert_true(fabs((double)f->series[0].max_ns - (double)v[199999]) <= (double)v[199999] / 128.0);
	assert_true(frame_has(f, SIG_APP_LAT));
	rig_close(&g);
	stormprobe_close(p, 1);
}

static int writers_done; /* atomic */

struct writer_arg {
	struct stormprobe *p;
	uint64_t value, n;
	char label[8];
};

static void *writer(void *arg)
{
	struct writer_arg *w = arg;
	struct stormprobe_slot *s = stormprobe_slot_open(w->p, STORMPROBE_PHASE, w->label, -1);

	for (uint64_t i = 0; i < w->n; i++)
		stormprobe_record(s, w->value);
	__atomic_add_fetch(&writers_done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* Two writers flat out, a reader snapshotting all along: every sample and
 * every nanosecond counted exactly once, and no interval torn (a word read
 * half-written or a bucket read backwards would show as a sum that is not
 * whole samples or a quantile that is not the one value written). */
static void concurrent_totals_are_conserved(void **state)
{
	struct writer_arg w[2] = { { .value = 1000, .n = 3000000, .label = "a" },
				   { .value = 70000, .n = 3000000, .label = "b" } };
	struct stormprobe *p = stormprobe_create("conc", 2);
	uint64_t got[2] = { 0, 0 }, sum[2] = { 0, 0 }, intervals = 0;
	pthread_t t[2];
	struct rig g;
	int done = 0;

	(void)state;
	writers_done = 0;
	rig_open(&g, "conc");
	rig_tick(&g); /* attached before the slots are claimed: count from zero */
	for (int i = 0; i < 2; i++) {
		w[i].p = p;
		pthread_create(&t[i], NULL, writer, &w[i]);
	}
	while (!done) {
		const struct frame *f;

		/* one more snapshot after both finished collects their tails */
		done = __atomic_load_n(&writers_done, __ATOMIC_ACQUIRE) == 2;
		f = rig_tick(&g);
		for (uint32_t k = 0; k < f->nseries; k++) {
			const struct frame_series *s = &f->series[k];
			int i = s->label[0] == 'b';

			if (s->reset)
				continue;
			intervals++;
			got[i] += s->n;
			assert_true(s->n <= w[i].n);
			/* no torn word, no bucket read backwards: every figure is
			 * whole samples of the one value this writer records */
			assert_int_equal(s->sum_ns % w[i].value, 0);
			if (s->n)
				assert_int_equal(s->q[SQ_P99], probe_bucket_mid(stormprobe_bucket(w[i].value)));
			sum[i] += s->sum_ns;
		}
		usleep(200);
	}
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
	assert_int_equal(got[0], w[0].n);
	assert_int_equal(got[1], w[1].n);
	assert_int_equal(sum[0], w[0].n * w[0].value);
	assert_int_equal(sum[1], w[1].n * w[1].value);
	assert_true(intervals > 10);
	rig_close(&g);
	stormprobe_close(p, 1);
}

/* A slot closed and claimed again: the reader counts the new owner from
 * zero, never the old owner's samples. */
static void reuse_resets_the_baseline(void **state)
{
	struct stormprobe *p = stormprobe_create("reuse", 1);
	struct stormprobe_slot *s = stormprobe_slot_open(p, STORMPROBE_LATENCY, "one", 0);
	const struct frame *f;
	struct rig g;

	(void)state;
	rig_open(&g, "reuse");
	for (int i = 0; i < 500; i++)
		stormprobe_record(s, 4000);
	rig_tick(&g);
	stormprobe_slot_close(p, s);
	f = rig_tick(&g);
	assert_int_equal(f->nseries, 0); /* retired, nothing new */
	s = stormprobe_slot_open(p, STORMPROBE_LATENCY, "two", 0);
	assert_int_equal(s->generation, 2);
	stormprobe_record(s, 9000);
	stormprobe_record(s, 9000);
	f = rig_tick(&g);
	assert_int_equal(f->nseries, 1);
	assert_int_equal(f->series[0].reset, 0);
	assert_string_equal(f->series[0].label, "two");
	assert_int_equal(f->series[0].n, 2); /* from zero, not from "one"'s 500 */
	assert_int_equal(f->series[0].sum_ns, 18000);
	stormprobe_record(s, 9000);
	f = rig_tick(&g);
	assert_int_equal(f->series[0].n, 1);
	rig_close(&g);
	stormprobe_close(p, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(buckets_hold_their_values),
		cmocka_unit_test(overflow_clamps_and_counts),
		cmocka_unit_test(writer_builds_the_segment),
		cmocka_unit_test(percentiles_match_a_sort),
		cmocka_unit_test(concurrent_totals_are_conserved),
		cmocka_unit_test(reuse_resets_the_baseline),
	};

	return cmocka_run_group_tests(tests, make_dir, drop_dir);
}
