// SPDX-License-Identifier: GPL-2.0-only
#include "record/player.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/metric.h"
#include "util/mem.h"
#include "util/nstime.h"
#include "record/recreader.h"
#include "record/timesel.h"
#include "util/when.h"

static const double speeds[PLAYER_SPEEDS] = { 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64 };

int player_init(struct player *p, struct rec_reader *r, struct frame_ring *ring,
		const char *name, double crit)
{
	*p = (struct player){ .r = r, .ring = ring, .speed = 2, .crit = crit, .name = name };
	return ring_init(&p->scratch, 1, ring->ncpu);
}

void player_free(struct player *p)
{
	ring_free(&p->scratch);
}

/* Decodes frame i into the ring; a damaged frame is left out (the
 * reader counts it, once). */
static void push(struct player *p, size_t i)
{
	if (rec_reader_frame(p->r, i, ring_begin(p->ring)) == 0)
		ring_commit(p->ring);
}

int player_show(struct player *p, size_t i)
{
	size_t n = rec_reader_count(p->r), from;

	if (i >= n)
		return -1;
	from = i + 1 > p->ring->cap ? i + 1 - p->ring->cap : 0;
	ring_reset(p->ring);
	for (size_t k = from; k <= i; k++)
		push(p, k);
	p->pos = i + 1;
	return 0;
}

int player_fill(struct player *p, struct frame *f)
{
	if (p->pos >= rec_reader_count(p->r) && !rec_reader_refresh(p->r))
		return SOURCE_END;
	return rec_reader_frame(p->r, p->pos++, f) == 0 ? SOURCE_FRAME : SOURCE_SKIPPED;
}

int player_step(struct player *p)
{
	int rc = player_fill(p, ring_begin(p->ring));

	if (rc == SOURCE_FRAME)
		ring_commit(p->ring);
	return rc == SOURCE_END ? -1 : 0;
}

/* The recorded time of the frame shown. */
static int64_t player_time(const struct player *p)
{
	return p->pos ? rec_reader_time(p->r, p->pos - 1) : 0;
}

static int64_t frame_wall(const void *r, size_t i)
{
	return rec_reader_time(r, i);
}

/* The recording's timeline as it is now (a followed file grows). */
static struct timeline timeline_of(const struct player *p)
{
	return (struct timeline){ rec_reader_count(p->r), frame_wall, p->r, rec_reader_meta(p->r)->interval_ns };
}

int player_goto(struct player *p, const struct when *w, char *note, size_t n)
{
	struct timeline tl = timeline_of(p);
	long i = timesel_instant(&tl, w, p->pos ? p->pos - 1 : 0, note, n);

	return i < 0 ? -1 : player_show(p, (size_t)i);
}

/* Along the recording, summing the gaps between frames, so a clock that
 * stepped back or forward moves the jump by no more than one interval. */
int player_jump(struct player *p, int64_t delta_ns)
{
	struct timeline tl = timeline_of(p);

	if (!p->pos)
		return -1;
	return player_show(p, timeline_walk(&tl, p->pos - 1, delta_ns));
}

/* A frame in a burst: some core at or above the critical TLB rate. */
static int hot(struct player *p, size_t i)
{
	struct frame *f = &p->scratch.frames[0];

	if (rec_reader_frame(p->r, i, f) < 0)
		return 0;
	for (uint32_t c = 0; c < f->ncpu; c++)
		if (metric_tlb_rx.per_cpu(f, c) >= p->crit)
			return 1;
	return 0;
}

int player_burst(struct player *p, int dir)
{
	size_t n = rec_reader_count(p->r), cur = p->pos ? p->pos - 1 : 0;
	int prev_hot;

	if (dir > 0) {
		prev_hot = hot(p, cur);
		for (size_t i = cur + 1; i < n; i++) {
			int h = hot(p, i);

			if (h && !prev_hot)
				return player_show(p, i);
			prev_hot = h;
		}
		return -1;
	}
	for (size_t i = cur; i-- > 0;)
		if (hot(p, i) && (i == 0 || !hot(p, i - 1)))
			return player_show(p, i);
	return -1;
}

/* A frame where either regime machine changed state. */
static int moved(struct player *p, size_t i)
{
	struct frame *f = &p->scratch.frames[0];

	if (rec_reader_frame(p->r, i, f) < 0)
		return 0;
	return f->regime.tlb != f->regime.tlb_was || f->regime.iommu != f->regime.iommu_was;
}

int player_transition(struct player *p, int dir)
{
	size_t n = rec_reader_count(p->r), cur = p->pos ? p->pos - 1 : 0;

	if (dir > 0) {
		for (size_t i = cur + 1; i < n; i++)
			if (moved(p, i))
				return player_show(p, i);
		return -1;
	}
	for (size_t i = cur; i-- > 0;)
		if (moved(p, i))
			return player_show(p, i);
	return -1;
}

void player_speed_step(struct player *p, int up)
{
	if (up && p->speed + 1 < PLAYER_SPEEDS)
		p->speed++;
	else if (!up && p->speed > 0)
		p->speed--;
}

/* A gap in the recording (stopped, suspended) plays as at most 10 s; a
 * clock that stepped back as one interval. */
int64_t player_gap_ns(const struct player *p)
{
	struct timeline tl = timeline_of(p);
	int64_t gap;

	if (!p->pos || p->pos >= rec_reader_count(p->r))
		return 1000000000LL / 4; /* at the end: look for appended frames */
	gap = timeline_step(&tl, p->pos);
	if (gap > 10000000000LL)
		gap = 10000000000LL;
	return ns_from_double((double)gap / speeds[p->speed]);
}

void player_status(const struct player *p, char *buf, size_t n)
{
	char t[32], sp[16];
	size_t count = rec_reader_count(p->r);

	when_format(player_time(p), ' ', t, sizeof(t));
	if (speeds[p->speed] < 1)
		snprintf(sp, sizeof(sp), "x1/%d", (int)(1 / speeds[p->speed]));
	else
		snprintf(sp, sizeof(sp), "x%d", (int)speeds[p->speed]);
	const char *base = strrchr(p->name, '/');

	snprintf(buf, n, "PLAY %s %zu/%zu %s %s%s", base ? base + 1 : p->name, p->pos, count, t, sp,
		 p->pos >= count ? " END" : "");
}

/* A recording as a frame source (src/core/source.h): the player is
 * allocated at set-up; fill is player_fill. */
static void *play_open(const struct source_conf *c)
{
	struct player *p = mem_zalloc(1, sizeof(*p));

	if (p && player_init(p, c->reader, c->ring, c->name, c->crit) < 0) {
		free(p);
		return NULL;
	}
	return p;
}

static int play_fill(void *p, struct frame *f) { return player_fill(p, f); }

/* Where playback stands, as the status line says it. */
static void play_describe(const void *p, FILE *out)
{
	char line[300];

	player_status(p, line, sizeof(line));
	fprintf(out, "playback\t-\t-\t-\t%s\n", line);
}

static void play_close(void *p)
{
	player_free(p);
	free(p);
}

const struct source_ops player_source = {
	.name = "playback", .open = play_open, .fill = play_fill, .describe = play_describe,
	.close = play_close,
};
