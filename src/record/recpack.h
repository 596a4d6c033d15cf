/* SPDX-License-Identifier: GPL-2.0-only */
/* One frame as one whole record of a recording (docs/FORMAT.md): header
 * and payload, compressed alone (REC_ZSTD), so it can be kept in memory,
 * dropped or written without the frames around it (the triggered
 * capture's ring, src/record/capture.h). */
#ifndef STORMTOP_RECPACK_H
#define STORMTOP_RECPACK_H

#include <stddef.h>
#include <stdint.h>

#include "core/frame.h"

struct rec_packer {
	void *zc;            /* ZSTD_CCtx, reused: no allocation per frame */
	uint8_t *raw;        /* frame_encode's output, codec_bound(ncpu) bytes */
	size_t raw_cap;
};

/* The most bytes rec_pack writes for a frame of ncpu CPUs. */
size_t rec_pack_bound(uint32_t ncpu);
/* Buffers for frames of up to ncpu CPUs: 0, or -1 out of memory. */
int rec_packer_init(struct rec_packer *p, uint32_t ncpu);
/* f as a record (REC_HEAD_LEN header, CRC'd, then the zstd payload) into
 * out: its length, or 0 when it does not fit or cannot be encoded. */
size_t rec_pack(struct rec_packer *p, const struct frame *f, uint8_t *out, size_t cap);
void rec_packer_free(struct rec_packer *p);

#endif
