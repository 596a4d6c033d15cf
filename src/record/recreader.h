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
/* Entries known unreadable so far: damaged records and frames whose
 * block start was damaged (both known from opening), and frames that
 * failed when read; each counted once. */
size_t rec_reader_lost(const struct rec_reader *r);
/* Where the last good record ends: appending resumes there. */
uint64_t rec_reader_end(const struct rec_reader *r);
/* What opening had to skip: bytes of damaged records in the middle, and
 * bytes of a torn tail. */
uint64_t rec_reader_skipped(const struct rec_reader *r);
uint64_t rec_reader_torn(const struct rec_reader *r);
void rec_reader_close(struct rec_reader *r);

#endif
