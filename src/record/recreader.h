/* SPDX-License-Identifier: GPL-2.0-only */
/* Reads a recording: never refuses a torn file.  Opening indexes every
 * record (offset and time of every frame), checking each one's CRC before
 * its stored length is trusted, and stops at the last valid frame saying
 * how much it dropped.  A damaged record in the middle (header or
 * payload) keeps its place in the index as an unreadable entry and the
 * next record is found by its sync word: it loses itself and the rest of
 * its stream block, never more. */
#ifndef STORMTOP_RECREADER_H
#define STORMTOP_RECREADER_H

#include <stddef.h>
#include <stdint.h>

#include "record/recfmt.h"

struct rec_reader;

/* NULL with a one-line reason: not a regular file, empty, truncated
 * header, not a recording, a newer format, a damaged header. */
struct rec_reader *rec_reader_open(const char *path, char *err, size_t errlen);
/* The same on a file already open for reading (the writer's, checked as
 * it opened it): the reader uses a duplicate of fd. */
struct rec_reader *rec_reader_open_fd(int fd, char *err, size_t errlen);
/* Picks up frames appended since (following a file being written).
 * Returns how many were added. */
size_t rec_reader_refresh(struct rec_reader *r);
const struct rec_meta *rec_reader_meta(const struct rec_reader *r);
/* Index entries: the frames, and one per damaged record. */
size_t rec_reader_count(const struct rec_reader *r);
/* Frame i's wall_ns, from the index.  Not sorted when the clock stepped
 * back: select by time through src/record/timesel.h. */
int64_t rec_reader_time(const struct rec_reader *r, size_t i);
/* Decodes frame i into f (its ncpu slots bound the CPUs read); a frame
 * recorded without topology gets one from its CPU slots
 * (frame_topo_derive).  0, or -1 when the record was damaged, its stream
 * block lost its start, or it does not decode (the frame is lost, the
 * others are not). */
int rec_reader_frame(struct rec_reader *r, size_t i, struct frame *f);
/* Frames lost so far, in the whole file: damaged records and frames
 * whose block start was damaged (both known from opening), frames that
 * failed when read, each once, plus what a damaged span swallowed
 * between two frames read (struct rec_losses below: the same rule dump
 * applies, so a reader that read every frame says what dump says). */
size_t rec_reader_lost(const struct rec_reader *r);
/* Frames lost to damage, counted as a reader walks the index in order.
 * An unreadable entry is one frame, but a damaged span can swallow
 * several records whole, sync words too, leaving one entry for them all;
 * the next good frame's seq, where it continues the same run (seq grew
 * past the last good one, nothing unselected between), says how many
 * were there.  Zero it to start. */
struct rec_losses {
	uint64_t seq;    /* the last good frame's */
	size_t run;      /* unreadable entries since it */
	size_t total;    /* frames lost so far */
	int have;        /* seq is of the entry just before the run */
};
void rec_losses_bad(struct rec_losses *l);
void rec_losses_good(struct rec_losses *l, uint64_t seq);
/* An entry passed over unread (outside the window): the next gap is not
 * all damage. */
void rec_losses_skip(struct rec_losses *l);
struct time_sel;
/* The next frame from entry *i on that sel takes (NULL: every frame),
 * read into f: 1 with *i one past it, 0 once the index ends.  Entries
 * sel leaves out and entries that fail to read go to lost as above, so
 * every reader of a window counts damage as dump does. */
int rec_reader_next(struct rec_reader *r, const struct time_sel *sel, size_t *i, struct frame *f,
		    struct rec_losses *lost);
/* Where the last good record ends: appending resumes there. */
uint64_t rec_reader_end(const struct rec_reader *r);
/* What opening had to skip: bytes of damaged records in the middle, and
 * bytes of a torn tail. */
uint64_t rec_reader_skipped(const struct rec_reader *r);
uint64_t rec_reader_torn(const struct rec_reader *r);
void rec_reader_close(struct rec_reader *r);

#endif
