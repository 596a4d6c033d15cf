/* SPDX-License-Identifier: GPL-2.0-only */
/* Frames as self-describing bytes: every figure is a (field id, length,
 * value) triple from one table, so a recording survives changes to
 * struct frame, newer readers read older files (missing fields stay 0) and
 * older readers skip fields they do not know.  The same table names the
 * columns of `stormtop dump`. */
#ifndef STORMTOP_CODEC_H
#define STORMTOP_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "core/field.h"
#include "core/frame.h"

/* Bytes that frame_encode may need for ncpu CPUs. */
size_t codec_bound(uint32_t ncpu);
/* The part of codec_bound for field 254 (frame.cgroups at its fullest). */
size_t codec_bound_cgroups(void);
/* Encodes f into buf; returns the length, or 0 when cap is too small. */
size_t frame_encode(const struct frame *f, uint8_t *buf, size_t cap);
/* Decodes into f (cleared first; its ncpu slots bound the CPUs read).
 * 0, or -1 when the bytes are malformed. */
int frame_decode(const uint8_t *buf, size_t len, struct frame *f);

#endif
