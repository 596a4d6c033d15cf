// SPDX-License-Identifier: GPL-2.0-only
/* Time arithmetic on values read from files is checked: the saturating
 * helpers at their edges, typed times past what int64 ns hold refused,
 * negative times formatted the right way round, and the player, drill
 * and regime ladder driven with extreme times (this program is built
 * with UBSan: an overflow aborts it). */
#include "testlib.h"

#include <time.h>
#include <unistd.h>

#include "stages/drill.h"
#include "util/nstime.h"
#include "record/player.h"
#include "record/recreader.h"
#include "record/recwriter.h"
#include "stages/regime.h"
#include "util/when.h"

#define NCPU 2

static char dir[] = "/tmp/stormtop-nstime-XXXXXX";

static void helpers_saturate(void **state)
{
	(void)state;
	assert_true(ns_add(INT64_MAX, 1) == INT64_MAX);
	assert_true(ns_add(INT64_MIN, -1) == INT64_MIN);
	assert_true(ns_add(-5, 3) == -2);
	assert_true(ns_sub(1, INT64_MIN) == INT64_MAX);
	assert_true(ns_sub(INT64_MIN, 1) == INT64_MIN);
	assert_true(ns_sub(INT64_MAX, INT64_MAX) == 0);
	assert_true(ns_mul(INT64_MAX / 2 + 1, 2) == INT64_MAX);
	assert_true(ns_mul(INT64_MIN, -1) == INT64_MAX);
	assert_true(ns_mul(-3, 1000000000) == -3000000000LL);
	assert_true(ns_from_double(1e300) == INT64_MAX);
	assert_true(ns_from_double(-1e300) == INT64_MIN);
	assert_true(ns_from_double(NAN) == 0);
	assert_true(ns_from_double(-2.5) == -2);
	assert_true(ns_diff_s(3000000000LL, 1000000000LL) == 2.0);
	assert_true(ns_diff_s(INT64_MAX, INT64_MIN) == (double)INT64_MAX / 1e9);
}

/* In UTC: the epoch's neighbours by hand, and years out of int64 ns. */
static void typed_and_printed_times(void **state)
{
	char buf[64];
	struct when w;

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	when_format(-1, 'T', buf, sizeof(buf));
	assert_string_equal(buf, "1969-12-31T23:59:59.999+00:00");
	when_format(-1500000000LL, 'T', buf, sizeof(buf));
	assert_string_equal(buf, "1969-12-31T23:59:58.500+00:00");
	when_format(INT64_MIN, 'T', buf, sizeof(buf));
	assert_string_equal(buf, "1677-09-21T00:12:43.145+00:00");
	when_format(INT64_MAX, ' ', buf, sizeof(buf));
	assert_string_equal(buf, "2262-04-11 23:47:16");
	/* a typed time becomes a reading that saturates, never overflows */
	assert_int_equal(when_parse("2262-04-11 23:47", &w), 0);
	assert_true(when_at(&w, 0) == 9223372020000000000LL);
	assert_int_equal(when_parse("2262-04-12 00:00", &w), 0);
	assert_true(when_at(&w, 0) == INT64_MAX);
	assert_int_equal(when_parse("9999-12-31 23:59:59", &w), 0);
	assert_true(when_at(&w, 0) == INT64_MAX);
	assert_int_equal(when_parse("1677-09-21 00:12", &w), 0); /* before int64 ns begins */
	assert_true(when_at(&w, 0) == INT64_MIN);
	assert_int_equal(when_parse("0001-01-01 00:00", &w), 0);
	assert_true(when_at(&w, 0) == INT64_MIN);
	assert_int_equal(when_parse("-2147483648-01-01 00:00", &w), -1);
	assert_int_equal(when_parse("99999999999-01-01 00:00", &w), -1);
	assert_int_equal(when_parse("2024-13-01 00:00", &w), -1);
	/* days a month lacks; leap years by the Gregorian rule */
	assert_int_equal(when_parse("2026-02-30 10:00", &w), -1);
	assert_int_equal(when_parse("2026-04-31 10:00", &w), -1);
	assert_int_equal(when_parse("2026-02-29 10:00", &w), -1);
	assert_int_equal(when_parse("2100-02-29 10:00", &w), -1);
	assert_int_equal(when_parse("2024-02-29 10:00", &w), 0);
	assert_int_equal(when_parse("2000-02-29 10:00", &w), 0);
	assert_int_equal(when_parse("2026-12-31 10:00", &w), 0);
	assert_int_equal(when_parse("00:00:01", &w), 0);
	assert_true(when_at(&w, INT64_MIN) == INT64_MIN + 1000000000LL);
	assert_int_equal(when_parse("12:00", &w), 0);
	assert_true(when_at(&w, INT64_MAX) == INT64_MAX);
	assert_true(when_at(&w, -WHEN_DAY_NS) == -43200000000000LL); /* noon, 1969-12-31 */
}

static const int64_t extremes[] = { INT64_MIN, -1, INT64_MAX, 0, INT64_MIN + 1, INT64_MAX - 1,
				    4611686018427387904LL, -4611686018427387904LL };
#define NEXT (sizeof(extremes) / sizeof(extremes[0]))

/* A recording whose frames' wall clocks jump between the extremes. */
static void write_extremes(const char *path)
{
	static uint16_t nodes[NCPU];
	struct rec_meta m = { .host = "h", .kernel = "k", .version = "v", .ncpu = NCPU, .nnodes = 1,
			      .node_of = nodes, .interval_ns = 1, .start_ns = INT64_MIN };
	struct frame_ring r;
	char err[256];
	struct rec_writer *w = rec_writer_open(path, &m, NULL, err, sizeof(err));

	if (!w)
		fail_msg("%s", err);
	assert_int_equal(ring_init(&r, 1, NCPU), 0);
	for (size_t i = 0; i < 3 * NEXT; i++) {
		frame_clear(&r.frames[0]);
		r.frames[0].seq = i;
		r.frames[0].wall_ns = extremes[i % NEXT];
		r.frames[0].mono_ns = extremes[(i + 3) % NEXT];
		r.frames[0].interval_ns = extremes[(i + 5) % NEXT];
		assert_int_equal(rec_writer_append(w, &r.frames[0], err, sizeof(err)), 0);
	}
	rec_writer_close(w);
	ring_free(&r);
}

/* Every move of the player over that file: gaps stay in [0, 10 s / speed],
 * jumps and go-tos land on a frame. */
static void player_over_extreme_times(void **state)
{
	char path[256], err[256];
	struct frame_ring ring;
	struct player p;
	struct rec_reader *r;

	(void)state;
	snprintf(path, sizeof(path), "%s/x.rec", dir);
	write_extremes(path);
	assert_non_null(r = rec_reader_open(path, err, sizeof(err)));
	assert_int_equal(ring_init(&ring, 8, NCPU), 0);
	assert_int_equal(player_init(&p, r, &ring, "x.rec", 20), 0);
	assert_int_equal(player_show(&p, 0), 0);
	for (int k = 0; k < PLAYER_SPEEDS; k++)
		player_speed_step(&p, 0); /* from the slowest up */
	for (int speed = 0; speed < PLAYER_SPEEDS; speed++) {
		/* the speeds the play keys step through: x1/4, x1/2, x1 .. x64 */
		double times = 0.25 * (double)(1 << speed);

		for (size_t i = 0; i < rec_reader_count(r); i++) {
			int64_t gap = player_gap_ns(&p), most = ns_from_double(10e9 / times);

			/* at the end it looks for appended frames 4 times a second */
			if (!(gap >= 0 && gap <= (most > 250000000 ? most : 250000000)))
				fail_msg("gap %lld at %zu speed %g", (long long)gap, p.pos, times);
			assert_int_equal(player_jump(&p, (i & 1) ? INT64_MAX : INT64_MIN), 0);
			assert_int_equal(player_show(&p, i), 0);
			assert_int_equal(player_jump(&p, (i & 1) ? -600000000000LL : 600000000000LL), 0);
			assert_int_equal(player_show(&p, i), 0);
		}
		player_speed_step(&p, 1);
	}
	{
		struct when first, last;
		char note[256];

		/* the earliest and the latest a user can type: each lands on a frame */
		assert_int_equal(when_parse("1900-01-01 00:00", &first), 0);
		assert_int_equal(when_parse("9999-12-31 23:59:59", &last), 0);
		assert_int_equal(player_goto(&p, &first, note, sizeof(note)), 0);
		assert_true(p.pos >= 1 && p.pos <= rec_reader_count(r));
		assert_int_equal(player_goto(&p, &last, note, sizeof(note)), 0);
		assert_true(p.pos >= 1 && p.pos <= rec_reader_count(r));
	}
	player_free(&p);
	ring_free(&ring);
	rec_reader_close(r);
}

/* Drill and the ladder with mono times at the extremes: flap and lead
 * times saturate instead of overflowing. */
static void drill_and_ladder_over_extreme_times(void **state)
{
	static struct drill d;
	static const char *const names[] = { "A", "B", "C", "D" };
	struct ladder_cfg cfg = { .min_dwell_s = 1, .cooldown_s = 1, .level_names = names, .input_names = names };
	struct frame_ring ring;
	struct ladder l;
	double in[8] = { 0 };
	char why[256];

	(void)state;
	assert_int_equal(ring_init(&ring, 1, NCPU), 0);
	drill_init(&d, 10);
	for (size_t i = 0; i < 4 * NEXT; i++) {
		struct frame *f = &ring.frames[0];

		frame_clear(f);
		f->mono_ns = extremes[i % NEXT];
		f->wall_ns = extremes[(i + 1) % NEXT];
		f->interval_ns = extremes[(i + 2) % NEXT];
		f->regime.tlb_was = (uint8_t)(i % 3);
		f->regime.tlb = (uint8_t)((i + 1) % 3);
		drill_add(&d, f, &f->regime);
	}
	assert_int_equal(d.total, 4 * NEXT);
	for (size_t k = 0; k < d.nlead; k++)
		assert_true(isfinite(d.lead_s[k]));
	ladder_init(&l, INT64_MIN);
	for (size_t i = 0; i < 4 * NEXT; i++)
		assert_true(ladder_tick(&l, &cfg, in, extremes[i % NEXT], why, sizeof(why)) >= 0);
	ring_free(&ring);
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
		cmocka_unit_test(helpers_saturate),
		cmocka_unit_test(typed_and_printed_times),
		cmocka_unit_test(player_over_extreme_times),
		cmocka_unit_test(drill_and_ladder_over_extreme_times),
	};
	return cmocka_run_group_tests_name("checked time arithmetic", tests, setup, teardown);
}
