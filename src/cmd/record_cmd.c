// SPDX-License-Identifier: GPL-2.0-only
/* stormtop record: the live collectors into a file, no UI, until the
 * duration ends or a signal asks to stop (systemd, cron).  With
 * --trigger storm, the captures around each storm beside it (or alone):
 * one sampler, two sinks. */
#include "cmd/app.h"

#include <stdio.h>
#include <time.h>

#include "record/capture.h"
#include "record/recwriter.h"
#include "collectors/sampler.h"
#include "util/text.h"

/* The sinks asked for: the recording (-o FILE), the captures (--trigger). */
static int start_sinks(struct app *a)
{
	char err[512];

	if (a->opt.file && app_rec_start(a, a->opt.file, err, sizeof(err)) < 0) {
		text_say(stderr, "%s", err);
		return -1;
	}
	if (a->opt.rec.trigger_dir && app_cap_start(a, err, sizeof(err)) < 0) {
		text_say(stderr, "%s", err);
		return -1;
	}
	return 0;
}

/* The ring's own accounting, for the user and the tests. */
static void say_ring(const struct app *a)
{
	struct capture_stats s;

	capture_stats(a->cap, &s);
	text_say(stderr, "trigger: ring %u of %u frames, %llu bytes (peak %llu) of %llu reserved, %llu dropped for memory; %llu files, %llu frames written",
		 s.frames, s.slots, (unsigned long long)s.used_bytes, (unsigned long long)s.peak_bytes,
		 (unsigned long long)s.arena_bytes, (unsigned long long)s.byte_drops,
		 (unsigned long long)s.files, (unsigned long long)s.written);
}

/* --pid: the call sites go into the frames from the next tick on.  A
 * sampler that cannot (no BPF, no such process any more) says why once;
 * the recording goes on without them. */
static void aim_stacks(struct app *a)
{
	char why[256] = "";

	if (a->opt.stacks.pid && sampler_stacks(a->sampler, a->opt.stacks.pid, why, sizeof(why)) < 0)
		text_say(stderr, "record: call sites of process %d not recorded: %s", (int)a->opt.stacks.pid, why);
}

int run_record(struct app *a)
{
	int64_t next, stop_at = 0;
	uint64_t frames;

	app_sample(a); /* the baseline frame: collectors' status for the header */
	if (start_sinks(a) < 0)
		return EXIT_RUNTIME;
	aim_stacks(a);
	next = ring_at_age(&a->ring, 0)->mono_ns;
	if (a->opt.rec.duration_s > 0)
		stop_at = next + (int64_t)(a->opt.rec.duration_s * 1e9);
	/* a failed recording ends the run; the captures alone never do */
	for (long i = 0; (a->rec || !a->opt.file) && (!a->opt.tick.iterations || i < a->opt.tick.iterations); i++) {
		next += app_interval_ns(a);
		if ((stop_at && next > stop_at) || app_sleep_until(next))
			break;
		app_sample(a);
		if (hup_requested) {
			hup_requested = 0;
			capture_save_ring(a->cap);
		}
	}
	if (a->cap)
		say_ring(a);
	if (a->opt.file && !a->rec) { /* a write failed: the file keeps every frame before it */
		text_say(stderr, "%s", a->rec_err);
		return EXIT_RUNTIME;
	}
	if (!a->rec)
		return 0;
	frames = rec_writer_frames(a->rec);
	text_say(stderr, "%llu frames in %s (%llu bytes)", (unsigned long long)frames,
		a->opt.file, (unsigned long long)rec_writer_bytes(a->rec));
	app_rec_stop(a);
	return 0;
}
