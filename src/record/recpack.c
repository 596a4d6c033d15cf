// SPDX-License-Identifier: GPL-2.0-only
#include "record/recpack.h"

#include <stdlib.h>
#include <zstd.h>

#include "record/codec.h"
#include "record/recfmt.h"
#include "util/mem.h"

/* zstd's fastest level: a frame is packed on every tick, and the ring
 * and captures hold minutes, not years. */
#define PACK_LEVEL 1

size_t rec_pack_bound(uint32_t ncpu)
{
	return REC_HEAD_LEN + ZSTD_compressBound(codec_bound(ncpu));
}

int rec_packer_init(struct rec_packer *p, uint32_t ncpu)
{
	p->raw_cap = codec_bound(ncpu);
	p->raw = mem_zalloc(1, p->raw_cap);
	p->zc = ZSTD_createCCtx();
	if (!p->raw || !p->zc)
		return -1;
	ZSTD_CCtx_setParameter(p->zc, ZSTD_c_compressionLevel, PACK_LEVEL);
	return 0;
}

/* One zstd frame of n bytes.  Fed first without ZSTD_e_end, so zstd does
 * not know the size and never fits its tables to it: the workspace has
 * one size, allocated at the first frame, whatever the frames' sizes
 * (ZSTD_compressCCtx re-sizes it as frames grow: an allocation in the
 * sampling loop). */
static size_t squeeze(ZSTD_CCtx *zc, const uint8_t *src, size_t n, uint8_t *dst, size_t cap)
{
	ZSTD_inBuffer in = { src, n, 0 };
	ZSTD_outBuffer out = { dst, cap, 0 };
	size_t left;

	ZSTD_CCtx_reset(zc, ZSTD_reset_session_only);
	if (ZSTD_isError(ZSTD_compressStream2(zc, &out, &in, ZSTD_e_continue)))
		return 0;
	do {
		left = ZSTD_compressStream2(zc, &out, &in, ZSTD_e_end);
		if (ZSTD_isError(left) || (left && out.pos == out.size))
			return 0;
	} while (left);
	return out.pos;
}

size_t rec_pack(struct rec_packer *p, const struct frame *f, uint8_t *out, size_t cap)
{
	struct rec_head h = { .sync = REC_SYNC, .type = REC_FRAME, .codec = REC_ZSTD, .wall_ns = f->wall_ns };
	size_t raw = frame_encode(f, p->raw, p->raw_cap), packed;

	if (!raw || cap <= REC_HEAD_LEN)
		return 0;
	packed = squeeze(p->zc, p->raw, raw, out + REC_HEAD_LEN, cap - REC_HEAD_LEN);
	if (!packed)
		return 0;
	h.stored_len = (uint32_t)packed;
	h.raw_len = (uint32_t)raw;
	h.crc = rec_crc(&h, out + REC_HEAD_LEN);
	rec_head_pack(&h, out);
	return REC_HEAD_LEN + packed;
}

void rec_packer_free(struct rec_packer *p)
{
	ZSTD_freeCCtx(p->zc);
	free(p->raw);
	p->zc = NULL;
	p->raw = NULL;
}
