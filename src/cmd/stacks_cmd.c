// SPDX-License-Identifier: GPL-2.0-only
/* stormtop stacks: one process's call sites as folded stacks
 * (export/folded.h), live (the sampler with its stack target set for
 * --seconds) or from a recording made while the where view was open. */
#include "cmd/app.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "collectors/hostfs.h"
#include "collectors/sampler.h"
#include "export/folded.h"
#include "record/recreader.h"
#include "record/timesel.h"
#include "util/text.h"
#include "util/regfile.h"

#define STACKS_CAP 2048 /* distinct stacks kept; the rest counted as dropped */

static int64_t frame_wall(const void *r, size_t i)
{
	return rec_reader_time(r, i);
}

/* The frames of the recording in --from/--to (all without them). */
static int from_file(const struct options *o, struct folded *fo)
{
	char err[320];
	struct rec_reader *r = app_open_recording(o->file);
	struct frame_ring ring;
	struct time_sel sel = { .from = INT64_MIN, .to = INT64_MAX };
	struct rec_losses lost = { 0 };
	int rc = 0;

	if (!r)
		return EXIT_RUNTIME;
	if (ring_init(&ring, 1, rec_reader_meta(r)->ncpu) < 0) {
		rec_reader_close(r);
		return text_say(stderr, "out of memory"), EXIT_RUNTIME;
	}
	if (o->read.from || o->read.to) {
		struct timeline tl = { rec_reader_count(r), frame_wall, r, rec_reader_meta(r)->interval_ns };

		if (timesel_window(&tl, o->read.from, o->read.to, &sel, err, sizeof(err)) < 0) {
			text_say(stderr, "%s", err);
			rc = EXIT_USAGE;
		} else if (sel.note[0]) {
			text_say(stderr, "%s: %s", o->file, sel.note);
		}
		/* an empty window: the note said so and what the file covers; not
		 * "no call sites recorded", which blames the recording */
		if (rc == 0 && !sel.frames)
			rc = EXIT_RUNTIME;
	}
	for (size_t i = 0; rc == 0 && rec_reader_next(r, &sel, &i, &ring.frames[0], &lost);)
		folded_add(fo, &ring.frames[0], o->stacks.pid);
	/* damage in the window only, counted as dump counts it */
	if (lost.total)
		text_say(stderr, "%s: %zu damaged frames skipped", o->file, lost.total);
	ring_free(&ring);
	rec_reader_close(r);
	return rc;
}

/* /proc/PID/comm, for the stacks of ticks whose process list lacks it. */
static void read_comm(struct app *a, struct folded *fo)
{
	char path[300], comm[FRAME_COMM_LEN + 2] = "";
	FILE *f;

	snprintf(path, sizeof(path), "%s/proc/%d/comm", a->opt.host.root, (int)a->opt.stacks.pid);
	if (!(f = regfile_fopen(path, NULL)))
		return;
	if (fgets(comm, sizeof(comm), f)) {
		comm[strcspn(comm, "\n")] = '\0';
		folded_name(fo, a->opt.stacks.pid, comm);
	}
	fclose(f);
}

/* The sampler with the stack target on for --seconds; each tick's sites
 * summed. */
static int live(struct app *a, struct folded *fo)
{
	char why[256];
	int64_t next, end;

	if (!hostfs_has_pid(a->opt.host.root, a->opt.stacks.pid)) { /* gone since the command line was read */
		text_say(stderr, "stacks: process %d exited", (int)a->opt.stacks.pid);
		return EXIT_RUNTIME;
	}
	read_comm(a, fo);
	app_sample(a); /* baseline: the target is sampled from the next tick */
	if (sampler_stacks(a->sampler, a->opt.stacks.pid, why, sizeof(why)) < 0) {
		text_say(stderr, "stacks: %s", why);
		return EXIT_RUNTIME;
	}
	next = ring_at_age(&a->ring, 0)->mono_ns;
	end = next + (int64_t)(a->opt.stacks.seconds * 1e9);
	while (!stop_requested && next < end) {
		next += app_interval_ns(a);
		if (next > end)
			next = end;
		if (app_sleep_until(next))
			break;
		app_sample(a);
		folded_add(fo, ring_at_age(&a->ring, 0), a->opt.stacks.pid);
	}
	sampler_stacks(a->sampler, 0, why, sizeof(why));
	if (!fo->frames) {
		text_say(stderr, "stacks: the sampler gave no call sites for process %d", (int)a->opt.stacks.pid);
		return EXIT_RUNTIME;
	}
	return 0;
}

int run_stacks(struct app *a)
{
	struct folded fo;
	FILE *out = NULL;
	int rc;

	if (folded_init(&fo, STACKS_CAP) < 0)
		return text_say(stderr, "out of memory"), EXIT_RUNTIME;
	rc = a->opt.file ? from_file(&a->opt, &fo) : live(a, &fo);
	if (rc == 0 && a->opt.file && !fo.frames) {
		text_say(stderr, "%s: no call sites recorded%s", a->opt.file,
			 a->opt.stacks.pid ? " for that process" : " (the where view was not open)");
		rc = EXIT_RUNTIME;
	}
	if (rc == 0 && !(out = app_open_out(a->opt.stacks.out)))
		rc = EXIT_RUNTIME;
	if (rc == 0) {
		/* an idle process is no error, but empty output alone looks
		 * like one that did not run */
		if (folded_print(&fo, out) == 0 && !fo.dropped)
			text_say(stderr, "stacks: process %d made no TLB flushes or map calls while it was sampled",
				 (int)a->opt.stacks.pid);
		if (fo.dropped)
			text_say(stderr, "stacks: %llu events of stacks past the first %d left out",
				 (unsigned long long)fo.dropped, STACKS_CAP);
		if ((out == stdout ? fflush(out) : fclose(out)) != 0)
			rc = EXIT_RUNTIME;
	}
	folded_free(&fo);
	return rc;
}
