/* SPDX-License-Identifier: GPL-2.0-only */
/* Playback: a recording as a frame source.  Keeps the ring holding the
 * frames up to the position shown, so the heatmap's history is right after
 * any jump; steps, jumps by time, finds bursts.  No curses here. */
#ifndef STORMTOP_PLAYER_H
#define STORMTOP_PLAYER_H

#include <stddef.h>
#include <stdint.h>

#include "core/ring.h"
#include "core/source.h"

struct rec_reader;
struct when;

#define PLAYER_SPEEDS 9 /* x1/4 .. x64 */

struct player {
	struct rec_reader *r;
	struct frame_ring *ring;
	struct frame_ring scratch;   /* one frame, for burst searches */
	size_t pos;                  /* frames [0, pos) shown: pos - 1 is on screen */
	int speed;                   /* index into the speed ladder */
	double crit;                 /* a burst: some core at or above this TLB rate */
	const char *name;
};

int player_init(struct player *p, struct rec_reader *r, struct frame_ring *ring,
		const char *name, double crit);
void player_free(struct player *p);
/* Shows frame i (refilling the ring with the frames before it); -1 when
 * the recording has no such frame. */
int player_show(struct player *p, size_t i);
/* The next frame into f, as a source fills (source.h): SOURCE_FRAME,
 * SOURCE_SKIPPED for a damaged one (the reader counts it), SOURCE_END
 * after the last (after looking for appended frames). */
int player_fill(struct player *p, struct frame *f);
/* The next frame into the ring (player_fill); -1 at the end. */
int player_step(struct player *p);
/* The frame delta_ns of recorded time from the one shown, along the
 * recording (timeline_walk). */
int player_jump(struct player *p, int64_t delta_ns);
/* The frame a typed time means (timesel_instant); note says when it is
 * one of several or none matched.  -1 when the recording is empty. */
int player_goto(struct player *p, const struct when *w, char *note, size_t n);
/* Start of the next (dir > 0) or previous burst; -1 when there is none. */
int player_burst(struct player *p, int dir);
/* To the next (dir > 0) or previous regime transition: 0, or -1 when none. */
int player_transition(struct player *p, int dir);
void player_speed_step(struct player *p, int up);
/* Recorded time until the next frame is due, scaled by the speed. */
int64_t player_gap_ns(const struct player *p);
void player_status(const struct player *p, char *buf, size_t n);
/* A recording as a frame source: open takes reader, ring, name and crit of
 * source_conf; close frees the player (not the reader). */
extern const struct source_ops player_source;

#endif
