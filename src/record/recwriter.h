/* SPDX-License-Identifier: GPL-2.0-only */
/* Appends frames to a recording: one write() per frame, so a crash loses
 * at most the frame in flight; rotation by size or by day. */
#ifndef STORMTOP_RECWRITER_H
#define STORMTOP_RECWRITER_H

#include <stddef.h>
#include <stdint.h>

#include "record/recfmt.h"

struct rec_writer;

struct rec_rotate {
	uint64_t max_bytes;    /* 0: no size limit */
	int daily;             /* rotate when the local date changes */
	unsigned int keep;     /* rotated files kept; 0 = all */
};

/* Creates path (new, mode 0644, never through a symlink: src/util/safefile.h),
 * or appends to it when it is a regular file of this user with one link,
 * not a symlink, and a recording of the same CPU count (a torn tail is cut
 * first).  NULL with a one-line reason. */
struct rec_writer *rec_writer_open(const char *path, const struct rec_meta *meta,
				   const struct rec_rotate *rot, char *err, size_t errlen);
/* A writer of records packed elsewhere (rec_writer_append_packed only;
 * it holds no encode buffers): append 0 creates path as rec_writer_open
 * does but never appends (NULL with errno EEXIST when the name is taken;
 * a file whose header failed is removed); append 1 appends to the
 * recording at path under rec_writer_open's checks. */
struct rec_writer *rec_writer_open_packed(const char *path, const struct rec_meta *meta, int append,
					  char *err, size_t errlen);
/* Appends one record as src/record/recpack.h packs it (header and its
 * own REC_ZSTD payload), in one write().  0, or -errno with a reason, as
 * below. */
int rec_writer_append_packed(struct rec_writer *w, const uint8_t *rec, size_t len, char *err,
			     size_t errlen);
/* 0, or -errno with a reason (disk full: the file stays readable and
 * the writer refuses further frames). */
int rec_writer_append(struct rec_writer *w, const struct frame *f, char *err, size_t errlen);
uint64_t rec_writer_frames(const struct rec_writer *w);
uint64_t rec_writer_bytes(const struct rec_writer *w);
void rec_writer_close(struct rec_writer *w);

#endif
