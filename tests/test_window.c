// SPDX-License-Identifier: GPL-2.0-only
/* window_load (src/cmd/window.c) on a recording whose every frame is
 * damaged: a non-zero status and nothing left to free, so report and diff
 * (which free only a window that loaded) do not leak the summary.  Run
 * under LeakSanitizer, a leak fails the program. */
#include "testlib.h"

#include <stdio.h>

#include "cmd/window.h"
#include "core/ring.h"
#include "record/recwriter.h"

/* A three-frame recording at path with a byte of the first (the key
 * frame the others are deltas of) flipped: the header reads, the first
 * frame is skipped as damaged bytes and the two deltas do not decode. */
static void write_damaged(const char *path)
{
	struct rec_meta meta = { .ncpu = 2, .interval_ns = 1000000000 };
	struct frame_ring ring;
	struct rec_writer *rw;
	char err[200];
	uint64_t at;
	FILE *f;
	int c;

	assert_int_equal(ring_init(&ring, 1, 2), 0);
	frame_clear(&ring.frames[0]);
	ring.frames[0].wall_ns = 1700000000LL * 1000000000;
	ring.frames[0].interval_ns = 1000000000;
	ring.frames[0].cpu[0].online = ring.frames[0].cpu[1].online = 1;
	if (!(rw = rec_writer_open(path, &meta, NULL, err, sizeof(err))))
		fail_msg("%s", err);
	at = rec_writer_bytes(rw) + 12;
	for (int t = 0; t < 3; t++) {
		ring.frames[0].seq = (uint64_t)t;
		ring.frames[0].wall_ns += 1000000000;
		ring.frames[0].cpu[0].irq[IRQ_TLB] = 100u * (uint64_t)t;
		assert_int_equal(rec_writer_append(rw, &ring.frames[0], err, sizeof(err)), 0);
	}
	rec_writer_close(rw);
	ring_free(&ring);
	assert_non_null(f = fopen(path, "r+"));
	assert_int_equal(fseek(f, (long)at, SEEK_SET), 0);
	c = fgetc(f);
	assert_int_equal(fseek(f, (long)at, SEEK_SET), 0);
	fputc(c ^ 0x40, f);
	fclose(f);
}

static void unreadable_frames_leave_nothing(void **state)
{
	char dir[] = "/tmp/test_window.XXXXXX", path[300];
	struct rec_window w;

	(void)state;
	assert_int_equal(scratch_make(dir), 0);
	snprintf(path, sizeof(path), "%s/damaged.rec", dir);
	write_damaged(path);
	assert_int_not_equal(window_load(&w, path, NULL, NULL), 0);
	assert_true(w.damaged >= 1);
	assert_null(w.sum);
	window_free(&w); /* still safe to call, as run_report does */
	assert_int_equal(scratch_remove(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(unreadable_frames_leave_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
