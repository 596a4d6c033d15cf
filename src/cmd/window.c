// SPDX-License-Identifier: GPL-2.0-only
#include "cmd/window.h"

#include <stdio.h>
#include <string.h>

#include "cmd/cli.h"
#include "core/ring.h"
#include "record/recreader.h"
#include "record/timesel.h"
#include "util/text.h"

static int64_t frame_wall(const void *r, size_t i)
{
	return rec_reader_time(r, i);
}

/* The frames the window selects, into w->sum (sized by the selection). */
static int read_frames(struct rec_window *w, struct rec_reader *r, const struct time_sel *sel)
{
	const struct rec_meta *m = rec_reader_meta(r);
	struct frame_ring ring;
	struct rec_losses lost = { 0 };
	char err[320];

	if (!(w->sum = summary_new(m->ncpu, sel->frames, err, sizeof(err))))
		return text_say(stderr, "%s: %s", w->path, err), EXIT_RUNTIME;
	if (ring_init(&ring, 1, m->ncpu) < 0)
		return text_say(stderr, "out of memory"), EXIT_RUNTIME;
	for (size_t i = 0; rec_reader_next(r, sel, &i, &ring.frames[0], &lost);)
		summary_add(w->sum, &ring.frames[0]);
	ring_free(&ring);
	summary_finish(w->sum);
	w->damaged = lost.total;
	if (w->damaged)
		text_say(stderr, "%s: %zu damaged frames skipped", w->path, w->damaged);
	if (!w->sum->ticks)
		return text_say(stderr, "%s: no readable frame in the window", w->path), EXIT_RUNTIME;
	return 0;
}

int window_load(struct rec_window *w, const char *path, const char *from, const char *to)
{
	char err[320];
	struct rec_reader *r;
	struct time_sel sel = { .from = INT64_MIN, .to = INT64_MAX };
	int rc;

	memset(w, 0, sizeof(*w));
	w->path = path;
	if (!(r = rec_reader_open(path, err, sizeof(err))))
		return text_say(stderr, "%s: %s", path, err), EXIT_RUNTIME;
	snprintf(w->host, sizeof(w->host), "%s", rec_reader_meta(r)->host);
	snprintf(w->kernel, sizeof(w->kernel), "%s", rec_reader_meta(r)->kernel);
	snprintf(w->version, sizeof(w->version), "%s", rec_reader_meta(r)->version);
	w->ncpu = rec_reader_meta(r)->ncpu;
	sel.frames = rec_reader_count(r);
	sel.last = sel.frames ? sel.frames - 1 : 0;
	if (from || to) {
		struct timeline tl = { rec_reader_count(r), frame_wall, r, rec_reader_meta(r)->interval_ns };

		if (timesel_window(&tl, from, to, &sel, err, sizeof(err)) < 0) {
			rec_reader_close(r);
			return text_say(stderr, "%s", err), EXIT_USAGE;
		}
		snprintf(w->note, sizeof(w->note), "%s", sel.note);
		if (sel.note[0])
			text_say(stderr, "%s: %s", path, sel.note);
	}
	if (!sel.frames) { /* a --from/--to note has said so, with what the file covers */
		rec_reader_close(r);
		if (!sel.note[0])
			text_say(stderr, "%s: no frame in the window", path);
		return EXIT_RUNTIME;
	}
	rc = read_frames(w, r, &sel);
	rec_reader_close(r);
	if (rc) /* callers free only what loaded: no frame readable must not leak the summary */
		window_free(w);
	return rc;
}

void window_free(struct rec_window *w)
{
	summary_free(w->sum);
	w->sum = NULL;
}
