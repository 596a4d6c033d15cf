// SPDX-License-Identifier: GPL-2.0-only
/* stormtop record: the live collectors into a file, no UI, until the
 * duration ends or a signal asks to stop (systemd, cron). */
#include "cmd/app.h"

#include <stdio.h>
#include <time.h>

#include "record/recwriter.h"
#include "collectors/sampler.h"
#include "util/text.h"

int run_record(struct app *a)
{
	char err[512];
	int64_t next, stop_at = 0;
	uint64_t frames;

	app_sample(a); /* the baseline frame: collectors' status for the header */
	if (app_rec_start(a, a->opt.file, err, sizeof(err)) < 0) {
		text_say(stderr, "%s", err);
		return EXIT_RUNTIME;
	}
	next = ring_at_age(&a->ring, 0)->mono_ns;
	if (a->opt.rec.duration_s > 0)
		stop_at = next + (int64_t)(a->opt.rec.duration_s * 1e9);
	for (long i = 0; a->rec && (!a->opt.tick.iterations || i < a->opt.tick.iterations); i++) {
		next += app_interval_ns(a);
		if ((stop_at && next > stop_at) || app_sleep_until(next))
			break;
		app_sample(a);
	}
	if (!a->rec) { /* a write failed: the file keeps every frame before it */
		text_say(stderr, "%s", a->rec_err);
		return EXIT_RUNTIME;
	}
	frames = rec_writer_frames(a->rec);
	text_say(stderr, "%llu frames in %s (%llu bytes)", (unsigned long long)frames,
		a->opt.file, (unsigned long long)rec_writer_bytes(a->rec));
	app_rec_stop(a);
	return 0;
}
