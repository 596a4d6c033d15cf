/* SPDX-License-Identifier: GPL-2.0-only */
/* The storm-triggered capture (stormtop record --trigger storm): a sink
 * beside the recording.  Every frame is packed (src/record/recpack.h)
 * into a bounded in-memory ring of the last --pre seconds; on a
 * transition into STORM, SAFE_DEGRADED, FLUSH_STORM or SAFE_DMA_CONTAIN
 * (the frame's regime, set by the controller) the ring and then every
 * frame until --post after it go to DIR/storm-<UTC>-<state>.rec, a
 * normal recording.  A trigger inside the post window extends the file;
 * one whose --pre window reaches back into the last file's frames
 * appends to that file, so overlapping windows make one file.  Nothing
 * is allocated per frame; a write error closes the file with one line on
 * stderr and the next trigger tries again. */
#ifndef STORMTOP_CAPTURE_H
#define STORMTOP_CAPTURE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/frame.h"
#include "record/recfmt.h"

struct capture;

struct capture_conf {
	const char *dir;        /* where capture files go (must exist) */
	double pre_s, post_s;   /* the window around a transition, seconds */
	double interval_s;      /* the sampling interval: the ring's slots are pre / interval + 1 */
	uint64_t mem_bytes;     /* the ring's bytes at most (--trigger-mem) */
	FILE *log;              /* where the one-line notes and errors go */
};

/* What the ring holds (its own accounting, said at close). */
struct capture_stats {
	uint32_t slots;         /* frames --pre asks for, + the current one */
	uint32_t frames;        /* frames in the ring now */
	uint64_t arena_bytes;   /* bytes reserved for packed frames: <= mem_bytes */
	uint64_t used_bytes;    /* bytes of the frames in the ring now */
	uint64_t peak_bytes;    /* the most used_bytes has been */
	uint64_t byte_drops;    /* frames dropped early because the bytes ran out */
	uint64_t files;         /* capture files written (SIGHUP's included) */
	uint64_t written;       /* frames written to them */
};

/* Sets up the ring for frames like first (its CPU count).  The ring's
 * bytes are reserved at the first tick: --pre's frames at twice that
 * tick's packed size, at most mem_bytes (one line says so when that
 * holds less; frames that pack larger later keep the newest that fit,
 * said once).  meta is the recordings' header (copied).  NULL with a
 * reason. */
struct capture *capture_open(const struct capture_conf *conf, const struct rec_meta *meta,
			     const struct frame *first, char *err, size_t errlen);
/* One tick: into the ring, into an open capture file, and a transition
 * into a storm state starts or extends one. */
void capture_frame(struct capture *c, const struct frame *f);
/* Writes the ring as it is now to DIR/storm-<UTC>-sighup.rec (SIGHUP);
 * sampling and any open capture go on.  0, or -1 after a line on log. */
int capture_save_ring(struct capture *c);
void capture_stats(const struct capture *c, struct capture_stats *s);
/* Closes an open capture file (what it holds stays) and frees all. */
void capture_close(struct capture *c);

#endif
