// SPDX-License-Identifier: GPL-2.0-only
/* Time selection on a recording's own timeline: a wall clock stepped
 * back (the clock-step case's figures), midnight, several days, DST both
 * ways, typed-time parsing and the ISO time with its UTC offset.  Frame
 * times come from libc's timegm; expected frames are counted by hand. */
#include "testlib.h"

#include <regex.h>
#include <time.h>

#include "record/recwriter.h"
#include "core/ring.h"
#include "record/timesel.h"

#define SEC 1000000000LL

static int64_t walls[256];

static int64_t wall_at(const void *ctx, size_t i)
{
	(void)ctx;
	return walls[i];
}

static void zone(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
	when_tz_changed();
}

/* UTC instant of a date and time, ns. */
static int64_t utc(int y, int mo, int d, int h, int mi, int s)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi, .tm_sec = s };

	return (int64_t)timegm(&tm) * SEC;
}

/* n frames from start, every step ns. */
static struct timeline even(int64_t start, int64_t step, size_t n)
{
	for (size_t i = 0; i < n; i++)
		walls[i] = start + (int64_t)i * step;
	return (struct timeline){ n, wall_at, NULL, step };
}

static struct time_sel sel;
static char err[256];

/* A note says every time as the user typed it and as --from is echoed
 * ("2026-11-30 00:53:20"): never ISO 8601 ("2026-11-30T00:53:20.366+00:00")
 * in the same line. */
static void one_time_format(const char *note)
{
	regex_t iso;

	assert_int_equal(regcomp(&iso, "[0-9]T[0-9][0-9]:|:[0-9][0-9][.][0-9]{3}|[0-9][+-][0-9][0-9]:[0-9][0-9]",
				 REG_EXTENDED | REG_NOSUB), 0);
	if (!regexec(&iso, note, 0, NULL, 0))
		fail_msg("two time formats in one note: %s", note);
	regfree(&iso);
}

static size_t window(const struct timeline *tl, const char *from, const char *to)
{
	assert_int_equal(timesel_window(tl, from, to, &sel, err, sizeof(err)), 0);
	one_time_format(sel.note);
	return sel.frames;
}

/* The clock-step recording: 17 frames 100 ms apart from 00:53:20.366,
 * then the clock 60 s back: 23 frames from 00:52:22.066. */
static struct timeline stepped(void)
{
	for (size_t i = 0; i < 40; i++)
		walls[i] = utc(2026, 11, 30, 0, 53, 20) + 366000000LL + (int64_t)i * 100000000LL - (i >= 17 ? 60 * SEC : 0);
	return (struct timeline){ 40, wall_at, NULL, 100000000LL };
}

static void clock_stepped_back(void **state)
{
	struct timeline tl = stepped();

	(void)state;
	zone("UTC");
	assert_int_equal(window(&tl, "00:52:22", "00:52:25"), 23);
	assert_int_equal(sel.stretches, 1);
	assert_true(timesel_has(&sel, 17, walls[17]) && !timesel_has(&sel, 16, walls[16]));
	assert_string_equal(sel.note, "");
	assert_int_equal(window(&tl, "00:53:20", "00:53:22"), 17);
	assert_true(timesel_has(&sel, 0, walls[0]) && timesel_has(&sel, 16, walls[16]) && !timesel_has(&sel, 17, walls[17]));
	/* a window the step cuts in two: both stretches, and why */
	assert_int_equal(window(&tl, "00:52:23", "00:53:21"), 7 + 13);
	assert_int_equal(sel.stretches, 2);
	assert_non_null(strstr(sel.note, "2 separate stretches"));
	assert_non_null(strstr(sel.note, "frames 1-7, 2026-11-30 00:53:20 to 2026-11-30 00:53:20"));
	assert_non_null(strstr(sel.note, "frames 28-40"));
	assert_non_null(strstr(sel.note, "the wall clock stepped back 60.0 s"));
	/* in the minute the clock skipped: nothing, and what there is */
	assert_int_equal(window(&tl, "00:53:00", "00:53:10"), 0);
	assert_non_null(strstr(sel.note, "no frame from 2026-11-30 00:53:00 to 2026-11-30 00:53:10"));
	assert_non_null(strstr(sel.note, "covers 2026-11-30 00:53:20 to 2026-11-30 00:53:21, then 2026-11-30 00:52:22"));
	assert_int_equal(window(&tl, "2026-11-30 00:52:00", "2026-11-30 00:54"), 40);
	assert_int_equal(sel.stretches, 1);
	/* one end is a place on the timeline: from 00:52:24 is the tail */
	assert_int_equal(window(&tl, "00:52:24", NULL), 3);
	assert_true(timesel_has(&sel, 37, walls[37]) && !timesel_has(&sel, 0, walls[0]));
	assert_int_equal(window(&tl, NULL, "00:53:21"), 8); /* 00:53:21.066 covers it */
	assert_int_equal(window(&tl, "00:52:00", NULL), 40); /* before it all: from the start */
	assert_int_equal(window(&tl, "00:55:00", NULL), 0);
	/* reversed on the clock, in order on the timeline: frame 8 (00:53:21.066
	 * covers 00:53:21) to frame 27 (00:52:22.966, the last read by
	 * 00:52:23, as a forward --to would end), the step between */
	assert_int_equal(window(&tl, "00:53:21", "00:52:23"), 20);
	assert_true(timesel_has(&sel, 7, walls[7]) && timesel_has(&sel, 26, walls[26]) && !timesel_has(&sel, 27, walls[27]));
	/* an end outside the recording: from its start, to its end */
	assert_int_equal(window(&tl, "00:53:00", "00:52:23"), 27);
	assert_int_equal(window(&tl, "00:53:21", "00:52:30"), 33);
	assert_non_null(strstr(sel.note, "taking frames 8-40"));
	assert_non_null(strstr(sel.note, "the wall clock stepped back 60.0 s"));
}

/* 23:59:50 to 00:00:10, one a second: hh:mm is on the day it happens. */
static void over_midnight(void **state)
{
	struct timeline tl = even(utc(2026, 11, 30, 23, 59, 50), SEC, 21);

	(void)state;
	zone("UTC");
	assert_int_equal(window(&tl, "23:59:55", "00:00:05"), 11);
	assert_true(timesel_has(&sel, 5, walls[5]) && timesel_has(&sel, 15, walls[15]) && !timesel_has(&sel, 16, walls[16]));
	assert_int_equal(window(&tl, "00:00:00", "00:00:05"), 6);
	assert_true(timesel_has(&sel, 10, walls[10]));
	assert_int_equal(window(&tl, NULL, "23:59:52"), 3);
	assert_int_equal(window(&tl, "00:00:08", NULL), 3);
	assert_string_equal(sel.note, "");
	assert_int_equal(window(&tl, "2026-11-30 23:59:58", "00:00:01"), 4);
}

/* One frame an hour for three days: 10:00 is on each of them. */
static void several_days(void **state)
{
	struct timeline tl = even(utc(2026, 11, 28, 0, 0, 0), 3600 * SEC, 72);

	(void)state;
	zone("UTC");
	assert_int_equal(window(&tl, "10:00", "10:30"), 1);
	assert_true(timesel_has(&sel, 10, walls[10]));
	assert_non_null(strstr(sel.note, "on 3 days of the recording (2026-11-28, 2026-11-29, 2026-11-30): taking 2026-11-28"));
	assert_int_equal(window(&tl, "2026-11-29 10:00", "10:30"), 1);
	assert_true(timesel_has(&sel, 34, walls[34]));
	assert_string_equal(sel.note, "");
	assert_int_equal(window(&tl, "2026-11-29 23:00", "2026-11-30 01:00"), 3);
	/* reversed with no step back between: a mistake, said */
	assert_int_equal(timesel_window(&tl, "2026-11-30 10:00", "2026-11-30 09:00", &sel, err, sizeof(err)), -1);
	assert_string_equal(err, "--to 2026-11-30 09:00 is before --from 2026-11-30 10:00");
}

/* Europe/Berlin, 2026-10-25: 03:00 CEST becomes 02:00 CET at 01:00 UTC,
 * so 02:15-02:45 local happens twice. */
static void dst_fall_back(void **state)
{
	struct timeline tl = even(utc(2026, 10, 24, 23, 30, 0), 600 * SEC, 19); /* 01:30 CEST .. 03:30 CET */
	char t[48];

	(void)state;
	zone("Europe/Berlin");
	assert_int_equal(window(&tl, "02:15", "02:45"), 6);
	assert_int_equal(sel.stretches, 2);
	assert_non_null(strstr(sel.note, "local time went back 1.0 h"));
	/* the same readings twice: the frame numbers and the offsets tell them apart */
	assert_non_null(strstr(sel.note, "frames 6-8, 2026-10-25 02:20:00 to 2026-10-25 02:40:00"));
	assert_non_null(strstr(sel.note, "frames 12-14, 2026-10-25 02:20:00 to 2026-10-25 02:40:00 (local time went "
					 "back 1.0 h before it: UTC offset +02:00 to +01:00)"));
	assert_int_equal(window(&tl, "02:25", NULL), 13); /* the first 02:25: CEST */
	assert_true(timesel_has(&sel, 6, walls[6]) && !timesel_has(&sel, 5, walls[5]));
	assert_non_null(strstr(sel.note, "--from happened 2 times"));
	/* 02:45 to 02:15 is the repeated hour on the timeline: frame 9
	 * (02:50 CEST covers 02:45) to frame 11 (02:10 CET, the last read by
	 * 02:15) */
	assert_int_equal(window(&tl, "02:45", "02:15"), 3);
	assert_true(timesel_has(&sel, 8, walls[8]) && timesel_has(&sel, 10, walls[10]));
	assert_true(!timesel_has(&sel, 7, walls[7]) && !timesel_has(&sel, 11, walls[11]) && !timesel_has(&sel, 14, walls[14]));
	assert_non_null(strstr(sel.note, "--to 02:15 is before --from 02:45 on the clock, but the clock went back"));
	assert_non_null(strstr(sel.note, "local time went back 1.0 h"));
	assert_non_null(strstr(sel.note, "taking frames 9-11 in recording order, 2026-10-25 02:50:00 to 2026-10-25 02:10:00"));
	assert_non_null(strstr(sel.note, "UTC offset +02:00 to +01:00"));
	/* over midnight it would be 02:50 CEST and 02:50-03:30 CET */
	assert_non_null(strstr(sel.note, "over midnight it would be 6 frames"));
	assert_int_equal(window(&tl, "2026-10-25 02:45", "2026-10-25 02:15"), 3);
	assert_true(timesel_has(&sel, 8, walls[8]) && timesel_has(&sel, 10, walls[10]));
	assert_null(strstr(sel.note, "over midnight"));
	/* --to in the gap the step leaves (02:00 CET comes right after
	 * 02:50 CEST): up to the step */
	assert_int_equal(window(&tl, "02:45", "01:59:30"), 1);
	assert_true(timesel_has(&sel, 8, walls[8]));
	/* Australia/Lord_Howe falls back half an hour: +11:00 to +10:30 at
	 * 2026-04-05 02:00 local (15:00 UTC); 01:30-02:00 happens twice */
	zone("Australia/Lord_Howe");
	tl = even(utc(2026, 4, 4, 14, 30, 0), 600 * SEC, 7); /* 01:30-01:50 +11, 01:30-02:00 +10:30 */
	assert_int_equal(window(&tl, "01:45", "01:35"), 2); /* 01:50 +11:00, then 01:30 +10:30 */
	assert_non_null(strstr(sel.note, "local time went back 0.5 h before it: UTC offset +11:00 to +10:30"));
	zone("Europe/Berlin");
	when_format(utc(2026, 10, 25, 0, 30, 0), 'T', t, sizeof(t));
	assert_string_equal(t, "2026-10-25T02:30:00.000+02:00");
	when_format(utc(2026, 10, 25, 1, 30, 0) + 123456789, 'T', t, sizeof(t));
	assert_string_equal(t, "2026-10-25T02:30:00.123+01:00");
}

/* 2026-03-29: 02:00 CET becomes 03:00 CEST; 02:30 never happened. */
static void dst_spring_forward(void **state)
{
	struct timeline tl = even(utc(2026, 3, 29, 0, 30, 0), 600 * SEC, 10); /* 01:30 CET .. 04:00 CEST */

	(void)state;
	zone("Europe/Berlin");
	assert_int_equal(window(&tl, "02:30", "03:10"), 2); /* 03:00 and 03:10 CEST */
	assert_true(timesel_has(&sel, 3, walls[3]) && timesel_has(&sel, 4, walls[4]) && !timesel_has(&sel, 2, walls[2]));
	assert_int_equal(sel.stretches, 1);
}

static void offsets_of_other_zones(void **state)
{
	char t[48];

	(void)state;
	zone("Asia/Kathmandu");
	when_format(utc(2026, 11, 30, 0, 0, 0), 'T', t, sizeof(t));
	assert_string_equal(t, "2026-11-30T05:45:00.000+05:45");
	zone("America/St_Johns");
	when_format(utc(2026, 11, 30, 0, 0, 0), 'T', t, sizeof(t));
	assert_string_equal(t, "2026-11-29T20:30:00.000-03:30");
	/* times before 1970 and at the ends of int64 do not overflow */
	when_format(-1, 'T', t, sizeof(t));
	assert_string_equal(t, "1969-12-31T20:29:59.999-03:30");
	assert_true(when_reading(INT64_MAX) == INT64_MAX || when_reading(INT64_MAX) < INT64_MAX);
	assert_true(when_reading(INT64_MIN) <= INT64_MIN + 4 * 3600 * SEC);
}

static void typed_times(void **state)
{
	struct timeline tl = even(utc(2026, 11, 30, 0, 0, 0), SEC, 3);
	struct when w;

	(void)state;
	assert_int_equal(when_parse("00:52", &w), 0);
	assert_true(!w.has_date && w.h == 0 && w.mi == 52 && w.s == 0);
	assert_int_equal(when_parse("2026-11-30 00:52:22", &w), 0);
	assert_true(w.has_date && w.d == 30 && w.s == 22);
	assert_int_equal(when_parse("2026-11-30T00:52", &w), 0);
	assert_int_equal(when_parse("24:00", &w), -1);
	assert_int_equal(when_parse("12:60", &w), -1);
	assert_int_equal(when_parse("12:30:1x", &w), -1);
	assert_int_equal(when_parse("2026-13-01 00:00", &w), -1);
	assert_int_equal(when_parse("soon", &w), -1);
	assert_int_equal(timesel_window(&tl, "12:3", "x", &sel, err, sizeof(err)), -1);
	assert_string_equal(err, "--to: 'x' is not hh:mm[:ss] or YYYY-mm-dd hh:mm[:ss]");
	assert_int_equal(timesel_window(&tl, "2026-11-30 10:00", "2026-11-30 09:00", &sel, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "is before --from"));
}

/* play's "go to": the frame covering a time; repeated times cycle. */
static void go_to_a_time(void **state)
{
	struct timeline tl = even(utc(2026, 10, 24, 23, 30, 0), 600 * SEC, 19);
	struct timeline st;
	struct when w;
	char note[200];
	long a, b;

	(void)state;
	zone("Europe/Berlin");
	assert_int_equal(when_parse("02:25", &w), 0);
	a = timesel_instant(&tl, &w, 0, note, sizeof(note));
	assert_int_equal(a, 6); /* 02:30 CEST covers 02:20-02:30 */
	assert_non_null(strstr(note, "2 frames at that time"));
	b = timesel_instant(&tl, &w, (size_t)a, note, sizeof(note));
	assert_int_equal(b, 12); /* 02:30 CET */
	assert_int_equal(timesel_instant(&tl, &w, (size_t)b, note, sizeof(note)), 6);
	assert_int_equal(when_parse("05:00", &w), 0);
	assert_int_equal(timesel_instant(&tl, &w, 0, note, sizeof(note)), 18);
	assert_non_null(strstr(note, "not in the recording: the nearest frame, 2026-10-25 03:30:00"));
	one_time_format(note);
	zone("UTC");
	st = stepped();
	assert_int_equal(when_parse("00:52:23", &w), 0);
	assert_int_equal(timesel_instant(&st, &w, 0, note, sizeof(note)), 27); /* 00:52:23.066 */
	assert_string_equal(note, "");
}

/* Jumps and pacing along the recording: a step back counts one interval. */
static void walking_the_timeline(void **state)
{
	struct timeline tl = stepped();

	(void)state;
	assert_int_equal(timeline_step(&tl, 17), 100000000LL);
	assert_int_equal(timeline_step(&tl, 5), 100000000LL);
	assert_int_equal(timeline_walk(&tl, 0, 1 * SEC), 10);
	assert_int_equal(timeline_walk(&tl, 16, 300000000LL), 19);
	assert_int_equal(timeline_walk(&tl, 19, -300000000LL), 16);
	assert_int_equal(timeline_walk(&tl, 30, 60 * SEC), 39);
	assert_int_equal(timeline_walk(&tl, 3, INT64_MIN), 0);
	walls[1] = INT64_MAX;  /* extreme times: no overflow */
	walls[2] = INT64_MIN;
	assert_true(timeline_step(&tl, 1) > 0 && timeline_step(&tl, 2) > 0);
	assert_int_equal(timeline_walk(&tl, 0, INT64_MAX), 39);
}

/* The hardening case's wall clocks (int64 ends, before 1970): no
 * overflow anywhere (the sanitizer would abort), and a frame found. */
static void extreme_times(void **state)
{
	static const int64_t hostile[] = { -4611686018427387904LL, 0, INT64_MIN, 4611686018427387904LL, -1,
					   INT64_MAX };
	struct timeline tl = { 6, wall_at, NULL, 50000000 };
	struct when w;
	char note[200], t[48];

	(void)state;
	zone("Europe/Berlin");
	memcpy(walls, hostile, sizeof(hostile));
	assert_int_equal(timesel_window(&tl, "00:00", "23:59", &sel, err, sizeof(err)), 0);
	assert_true(sel.frames >= 1);
	assert_int_equal(timesel_window(&tl, "2262-04-11 23:00", NULL, &sel, err, sizeof(err)), 0);
	assert_int_equal(timesel_window(&tl, NULL, "1900-01-01 01:00", &sel, err, sizeof(err)), 0);
	/* before int64 ns begins: a defined reading, before every frame */
	assert_int_equal(timesel_window(&tl, NULL, "1677-09-21 01:00", &sel, err, sizeof(err)), 0);
	assert_int_equal(sel.frames, 0);
	assert_int_equal(when_parse("00:00", &w), 0);
	assert_true(timesel_instant(&tl, &w, 0, note, sizeof(note)) >= 0);
	when_format_reading(INT64_MIN, ' ', t, sizeof(t));
	when_format_reading(INT64_MAX, ' ', t, sizeof(t));
	assert_true(when_day(INT64_MIN) == INT64_MIN && when_day(INT64_MAX) <= INT64_MAX);
	for (size_t i = 0; i < 6; i++)
		assert_true(timeline_step(&tl, i) >= 0);
}

/* Through the binary: a 2-CPU recording over the fall-back, dumped in
 * Europe/Berlin: the repeated half hour is both its stretches, each
 * with its own offset in the time column. */
static void dump_over_dst_through_the_binary(void **state)
{
	const char *bin = getenv("STORMTOP_BIN") ? getenv("STORMTOP_BIN") : "./stormtop";
	char dir[] = "/tmp/stormtop-dst-XXXXXX", path[64], cmd[400], line[512], err[256];
	struct rec_meta m = { .host = "fixture", .kernel = "6.18", .version = "0.1.0", .ncpu = 2, .nnodes = 1,
			      .interval_ns = 600 * SEC };
	struct frame_ring r;
	struct rec_writer *w;
	size_t rows = 0, cest = 0, cet = 0;
	FILE *p;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/dst.rec", dir);
	m.start_ns = utc(2026, 10, 24, 23, 30, 0);
	assert_non_null(w = rec_writer_open(path, &m, NULL, err, sizeof(err)));
	assert_int_equal(ring_init(&r, 1, 2), 0);
	for (int i = 0; i < 19; i++) {
		frame_clear(&r.frames[0]);
		r.frames[0].seq = (uint64_t)i + 1;
		r.frames[0].wall_ns = m.start_ns + i * 600 * SEC;
		r.frames[0].mono_ns = (i + 1) * 600 * SEC;
		r.frames[0].interval_ns = 600 * SEC;
		assert_int_equal(rec_writer_append(w, &r.frames[0], err, sizeof(err)), 0);
	}
	rec_writer_close(w);
	ring_free(&r);
	snprintf(cmd, sizeof(cmd), "TZ=Europe/Berlin %s dump %s --format csv --from 02:15 --to 02:45 --metrics online 2>%s/err",
		 bin, path, dir);
	assert_non_null(p = popen(cmd, "r"));
	while (fgets(line, sizeof(line), p)) {
		rows++;
		cest += strstr(line, ":00.000+02:00,") != NULL;
		cet += strstr(line, ":00.000+01:00,") != NULL;
	}
	assert_int_equal(pclose(p), 0);
	assert_int_equal(rows, 1 + 6 * 2);
	assert_int_equal(cest, 3 * 2);
	assert_int_equal(cet, 3 * 2);
	snprintf(cmd, sizeof(cmd), "grep -c 'matches 2 separate stretches.*local time went back 1.0 h' %s/err", dir);
	assert_non_null(p = popen(cmd, "r"));
	assert_non_null(fgets(line, sizeof(line), p));
	assert_string_equal(line, "1\n");
	pclose(p);
	/* 02:45 to 02:15: the repeated hour between, 02:50 CEST to 02:20 CET */
	snprintf(cmd, sizeof(cmd), "TZ=Europe/Berlin %s dump %s --format csv --from 02:45 --to 02:15 --metrics online 2>%s/err"
		 " | cut -d, -f3 | uniq | tr '\\n' ' '", bin, path, dir);
	assert_non_null(p = popen(cmd, "r"));
	assert_non_null(fgets(line, sizeof(line), p));
	assert_int_equal(pclose(p), 0);
	assert_string_equal(line, "time 2026-10-25T02:50:00.000+02:00 2026-10-25T02:00:00.000+01:00 "
				  "2026-10-25T02:10:00.000+01:00 ");
	snprintf(cmd, sizeof(cmd), "grep -c 'the clock went back between them.*taking frames 9-11' %s/err", dir);
	assert_non_null(p = popen(cmd, "r"));
	assert_non_null(fgets(line, sizeof(line), p));
	assert_string_equal(line, "1\n");
	pclose(p);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(clock_stepped_back),
		cmocka_unit_test(over_midnight),
		cmocka_unit_test(several_days),
		cmocka_unit_test(dst_fall_back),
		cmocka_unit_test(dst_spring_forward),
		cmocka_unit_test(offsets_of_other_zones),
		cmocka_unit_test(typed_times),
		cmocka_unit_test(go_to_a_time),
		cmocka_unit_test(walking_the_timeline),
		cmocka_unit_test(extreme_times),
		cmocka_unit_test(dump_over_dst_through_the_binary),
	};

	return cmocka_run_group_tests_name("time selection", tests, NULL, NULL);
}
