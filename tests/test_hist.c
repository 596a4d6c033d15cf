// SPDX-License-Identifier: GPL-2.0-only
/* The log-linear histogram layout, its quantiles (and the stormprobe
 * histogram's, which share the rank rule), and the process table's sort:
 * pure functions, checked exhaustively where that is cheap. */
#include "testlib.h"

#include <math.h>

#include "collectors/probe_hist.h"
#include "core/hist.h"
#include "util/quantile.h"
#include "ui/proccols.h"

/* Every slot's bounds map back to it, slots tile the range with no gap,
 * and each is at most 1/16 of its lower bound wide. */
static void slots_tile_the_range(void **state)
{
	(void)state;
	for (unsigned int s = 0; s + 1 < LOGLIN_SLOTS; s++) {
		uint64_t lo = loglin_low(s), hi = loglin_high(s);

		assert_int_equal(loglin_slot(lo), s);
		assert_int_equal(loglin_slot(hi - 1), s);
		assert_true(hi > lo);
		if (s >= LOGLIN_SUB)
			assert_true((hi - lo) * 16 <= lo);
	}
	assert_int_equal(loglin_slot(0), 0);
	assert_int_equal(loglin_slot(15), 15);
	assert_int_equal(loglin_slot(16), 16);
	assert_int_equal(loglin_slot(UINT64_MAX), LOGLIN_SLOTS - 1);
	/* 1 us and 10 s are inside the range, not clamped */
	assert_true(loglin_slot(1000) < LOGLIN_SLOTS - 1);
	assert_true(loglin_slot(10000000000ULL) < LOGLIN_SLOTS - 1);
}

static void log2_matches_a_loop(void **state)
{
	(void)state;
	for (uint64_t v = 1; v; v <<= 1) {
		for (uint64_t d = 0; d < 3 && v + d; d++) {
			uint64_t x = v + d;
			unsigned int want = 0;

			while (want < 63 && x >> (want + 1))
				want++;
			assert_int_equal(loglin_log2(v + d), want);
		}
	}
}

/* 1..100000 ns, one each: every quantile within 1/32 of the true one. */
static void quantiles_within_bucket_error(void **state)
{
	static uint32_t h[LOGLIN_SLOTS];
	static const double qs[] = { 0.5, 0.9, 0.95, 0.99, 0.999 };

	(void)state;
	memset(h, 0, sizeof(h));
	for (uint64_t v = 1; v <= 100000; v++)
		h[loglin_slot(v)]++;
	assert_int_equal(hist_total(h), 100000);
	for (size_t i = 0; i < sizeof(qs) / sizeof(qs[0]); i++) {
		double want = qs[i] * 100000, got = (double)hist_quantile(h, qs[i]);

		assert_true(got >= want * (1 - 1.0 / 32) && got <= want * (1 + 1.0 / 32));
	}
	assert_true(hist_max(h) >= hist_quantile(h, 0.999));
	assert_true(hist_max(h) >= 100000 * (1 - 1.0 / 32));
}

/* Delays placed by value, folded by hand: 5 ns and 15 ns are octave 0
 * ([0, 16)); 16 and 31 octave 1 ([16, 32)); 1000 ns is octave 6
 * (512 <= 1000 < 1024, 2^(6+3)); 3 ms is octave 18 (2^21 = 2097152 <=
 * 3000000 < 4194304); 100 s lands in the last slot, octave 32. */
static void octaves_fold_by_hand(void **state)
{
	static uint32_t h[LOGLIN_SLOTS];
	uint32_t oct[HIST_OCTAVES] = { 0 };
	static const struct { uint64_t ns; uint32_t n; } put[] = {
		{ 5, 2 }, { 15, 1 }, { 16, 4 }, { 31, 3 }, { 1000, 7 }, { 1023, 1 }, { 1024, 5 },
		{ 3000000, 11 }, { 4194303, 2 }, { 100000000000ULL, 9 },
	};
	uint64_t total = 0;

	(void)state;
	assert_int_equal(HIST_OCTAVES, 33);
	memset(h, 0, sizeof(h));
	for (size_t i = 0; i < sizeof(put) / sizeof(put[0]); i++)
		h[loglin_slot(put[i].ns)] += put[i].n;
	hist_fold_octaves(h, oct);
	assert_int_equal(oct[0], 3);
	assert_int_equal(oct[1], 7);
	assert_int_equal(oct[6], 8);   /* 1000 and 1023 */
	assert_int_equal(oct[7], 5);   /* 1024 starts the next */
	assert_int_equal(oct[18], 13); /* 3 ms and 4194303 ns */
	assert_int_equal(oct[32], 9);
	for (unsigned int k = 0; k < HIST_OCTAVES; k++)
		total += oct[k];
	assert_int_equal(total, hist_total(h));
	assert_int_equal(total, 45); /* 2+1+4+3+7+1+5+11+2+9 */
	/* folding adds: a second histogram on top */
	hist_fold_octaves(h, oct);
	assert_int_equal(oct[18], 26);
}

/* Octave bounds by hand, and each bound the first value of its octave
 * by loglin_slot: the octaves tile [0, 2^36) and the last has no top. */
static void octave_bounds(void **state)
{
	(void)state;
	assert_int_equal(hist_octave_low(0), 0);
	assert_int_equal(hist_octave_high(0), 16);
	assert_int_equal(hist_octave_low(1), 16);
	assert_int_equal(hist_octave_high(1), 32);
	assert_int_equal(hist_octave_low(6), 512);
	assert_int_equal(hist_octave_high(6), 1024);
	assert_int_equal(hist_octave_low(18), 2097152);
	assert_int_equal(hist_octave_low(32), 34359738368ULL);
	assert_true(hist_octave_high(32) == UINT64_MAX);
	for (unsigned int k = 0; k < HIST_OCTAVES; k++) {
		uint64_t lo = hist_octave_low(k), hi = hist_octave_high(k);

		assert_int_equal(loglin_slot(lo) / LOGLIN_SUB, k);
		if (k + 1 < HIST_OCTAVES) {
			assert_int_equal(loglin_slot(hi - 1) / LOGLIN_SUB, k);
			assert_int_equal(hi, hist_octave_low(k + 1));
			if (k)
				assert_int_equal(hi, 2 * lo);
		}
	}
}

static void empty_and_single(void **state)
{
	static uint32_t h[LOGLIN_SLOTS];

	(void)state;
	memset(h, 0, sizeof(h));
	assert_int_equal(hist_quantile(h, 0.99), 0);
	assert_int_equal(hist_max(h), 0);
	h[loglin_slot(7)] = 1;
	assert_int_equal(hist_quantile(h, 0.5), 7);    /* exact below 16 */
	assert_int_equal(hist_quantile(h, 0.999), 7);
}

/* The nearest-rank rule by hand: the q-quantile of n samples is the
 * ceil(q * n)-th smallest, 1 <= rank <= n, and a whole q * n that double
 * puts a hair high (0.07 * 100 = 7.0000000000000009) is not bumped. */
static void rank_rule_by_hand(void **state)
{
	(void)state;
	assert_int_equal(quantile_rank(100, 0.07), 7);
	assert_int_equal(quantile_rank(10000, 0.07), 700);
	assert_int_equal(quantile_rank(100, 0.0701), 8);
	assert_int_equal(quantile_rank(100, 0.99), 99);
	assert_int_equal(quantile_rank(200000, 0.999), 199800);
	assert_int_equal(quantile_rank(3, 0.5), 2);
	assert_int_equal(quantile_rank(3, 1.0 / 3), 1);
	assert_int_equal(quantile_rank(3, 0.34), 2);
	assert_int_equal(quantile_rank(5, 0), 1);
	assert_int_equal(quantile_rank(5, NAN), 1);
	assert_int_equal(quantile_rank(5, 1), 5);
	assert_int_equal(quantile_rank(5, 2), 5);
	assert_int_equal(quantile_rank(0, 0.5), 0);
}

/* Both kinds of histogram, one set of samples worked out by hand: 7 at a
 * low value, 93 at a high one, 1 far above.  Sorted, the 7th of 101 is
 * the last low one: rank ceil(0.0693 * 101) = ceil(6.9993) = 7; 0.07 * 101
 * = 7.07 asks for the 8th, the first high one.  The top sample reads as
 * its bucket's midpoint rounded down: loglin 1000 ns sits in [992, 1024)
 * (2^9 in 16 parts of 32), midpoint (992 + 1023) / 2 = 1007; stormprobe
 * 1000 ns sits in [1000, 1004) (2^9 in 128 parts of 4), midpoint 1001. */
static void both_histograms_round_alike(void **state)
{
	static uint32_t h[LOGLIN_SLOTS];
	static uint64_t p[STORMPROBE_BUCKETS];
	static const double qs[] = { 0, 0.0693, 0.07, 0.5, 100.0 / 101, 0.999, 1 };
	/* by hand, for low = 3 and high = 10 (loglin, exact below 16) and
	 * low = 200, high = 250 (stormprobe, exact below 256) */
	static const uint64_t want_h[] = { 3, 3, 10, 10, 10, 1007, 1007 };
	static const uint64_t want_p[] = { 200, 200, 250, 250, 250, 1001, 1001 };

	(void)state;
	memset(h, 0, sizeof(h));
	memset(p, 0, sizeof(p));
	h[loglin_slot(3)] = 7, h[loglin_slot(10)] = 93, h[loglin_slot(1000)] = 1;
	p[stormprobe_bucket(200)] = 7, p[stormprobe_bucket(250)] = 93;
	p[stormprobe_bucket(1000)] = 1;
	for (size_t i = 0; i < sizeof(qs) / sizeof(qs[0]); i++) {
		assert_int_equal(hist_quantile(h, qs[i]), want_h[i]);
		assert_int_equal(probe_hist_quantile(p, 101, qs[i]), want_p[i]);
	}
	assert_int_equal(hist_max(h), 1007);
	assert_int_equal(probe_hist_max(p), 1001);
	/* 100 samples, 7 low: q = 0.07 is the 7th, not the 8th */
	h[loglin_slot(1000)] = 0, p[stormprobe_bucket(1000)] = 0;
	assert_int_equal(hist_quantile(h, 0.07), 3);
	assert_int_equal(probe_hist_quantile(p, 100, 0.07), 200);
	assert_int_equal(hist_quantile(h, 0.0701), 10);
	assert_int_equal(probe_hist_quantile(p, 100, 0.0701), 250);
}

static void table_sorts_by_column(void **state)
{
	static struct frame f;
	uint8_t order[FRAME_TOP_PROCS];

	(void)state;
	memset(&f, 0, sizeof(f));
	f.procs.n = 4;
	f.procs.top[0] = (struct frame_proc){ .tgid = 40, .sent = 5, .faults = 900 };
	f.procs.top[1] = (struct frame_proc){ .tgid = 10, .sent = 70 };
	f.procs.top[2] = (struct frame_proc){ .tgid = 30, .sent = 70, .ops = { [MAP_MUNMAP] = 3 } };
	f.procs.top[3] = (struct frame_proc){ .tgid = 20, .ops = { [MAP_MUNMAP] = 8 } };
	assert_int_equal(procs_sort(&f, COL_SENT, 0, order), 4);
	/* ties broken by the lower pid */
	assert_int_equal(f.procs.top[order[0]].tgid, 10);
	assert_int_equal(f.procs.top[order[1]].tgid, 30);
	assert_int_equal(f.procs.top[order[2]].tgid, 40);
	assert_int_equal(f.procs.top[order[3]].tgid, 20);
	procs_sort(&f, COL_MUNMAP, 0, order);
	assert_int_equal(f.procs.top[order[0]].tgid, 20);
	assert_int_equal(f.procs.top[order[1]].tgid, 30);
	procs_sort(&f, COL_FAULTS, 0, order);
	assert_int_equal(f.procs.top[order[0]].tgid, 40);
	/* inverted: fewest requests first, ties still by the lower pid */
	procs_sort(&f, COL_SENT, 1, order);
	assert_int_equal(f.procs.top[order[0]].tgid, 20);
	assert_int_equal(f.procs.top[order[1]].tgid, 40);
	assert_int_equal(f.procs.top[order[2]].tgid, 10);
	assert_int_equal(f.procs.top[order[3]].tgid, 30);
	/* the fixed columns: PID largest first, COMM A to Z, CPU largest first
	 * with an unknown CPU (on_cpu 0) last */
	procs_sort(&f, SORT_PID, 0, order);
	for (int i = 0; i < 4; i++)
		assert_int_equal(f.procs.top[order[i]].tgid, 40 - 10 * i);
	memcpy(f.procs.top[0].comm, "kswapd0", 8);
	memcpy(f.procs.top[1].comm, "gateway", 8);
	memcpy(f.procs.top[2].comm, "gateway", 8);
	memcpy(f.procs.top[3].comm, "Xorg", 5); /* byte order: capitals first */
	procs_sort(&f, SORT_COMM, 0, order);
	assert_int_equal(f.procs.top[order[0]].tgid, 20);
	assert_int_equal(f.procs.top[order[1]].tgid, 10);
	assert_int_equal(f.procs.top[order[2]].tgid, 30);
	assert_int_equal(f.procs.top[order[3]].tgid, 40);
	f.procs.top[0].on_cpu = 2, f.procs.top[1].on_cpu = 0, f.procs.top[2].on_cpu = 1, f.procs.top[3].on_cpu = 2;
	procs_sort(&f, SORT_CPU, 0, order);
	assert_int_equal(f.procs.top[order[0]].tgid, 20);
	assert_int_equal(f.procs.top[order[1]].tgid, 40);
	assert_int_equal(f.procs.top[order[2]].tgid, 30);
	assert_int_equal(f.procs.top[order[3]].tgid, 10);
	/* < and > walk the header left to right, every column once */
	assert_int_equal(proc_sort_step(COL_SENT, -1), SORT_CPU);
	assert_int_equal(proc_sort_step(SORT_PID, -1), COL_RECLAIM);
	assert_int_equal(proc_sort_step(COL_RECLAIM, 1), SORT_PID);
	for (int k = 0, seen = 0, i = 0; i < SORT_KEYS; i++, k = proc_sort_step(k, 1)) {
		assert_int_equal(seen & 1 << k, 0);
		seen |= 1 << k;
		assert_true(strlen(proc_col_name(k)) > 0 && strlen(proc_col_hint(k)) > 0);
	}
	for (int c = 0; c < COL_COUNT; c++)
		assert_true(strlen(proc_col_name((enum proc_col)c)) > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(slots_tile_the_range),
		cmocka_unit_test(log2_matches_a_loop),
		cmocka_unit_test(quantiles_within_bucket_error),
		cmocka_unit_test(empty_and_single),
		cmocka_unit_test(octaves_fold_by_hand),
		cmocka_unit_test(octave_bounds),
		cmocka_unit_test(rank_rule_by_hand),
		cmocka_unit_test(both_histograms_round_alike),
		cmocka_unit_test(table_sorts_by_column),
	};
	return cmocka_run_group_tests_name("histograms and the process table", tests, NULL, NULL);
}
