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

#include "frame.h"

enum field_scope { SCOPE_FRAME, SCOPE_CPU, SCOPE_PROC, SCOPE_SERIES, SCOPE_APP, SCOPE_NODE, SCOPE_HYG,
		   SCOPE_TOPO_NODE };
enum field_kind { KIND_U64, KIND_I64, KIND_U32, KIND_I32, KIND_U16, KIND_I16, KIND_U8, KIND_F32 };

struct field {
	uint16_t id;          /* stable forever; never reused */
	uint8_t scope;        /* enum field_scope */
	uint8_t kind;         /* enum field_kind */
	uint32_t offset;      /* in struct frame, frame_cpu, frame_proc, frame_series, frame_app, frame_node_desk,
	                         frame_hyg_item or frame_node */
	const char *name;     /* stable column name */
};

/* Every plain field, in id order within each scope. */
extern const struct field codec_fields[];
extern const size_t codec_nfields;

/* Bytes that frame_encode may need for ncpu CPUs. */
size_t codec_bound(uint32_t ncpu);
/* Encodes f into buf; returns the length, or 0 when cap is too small. */
size_t frame_encode(const struct frame *f, uint8_t *buf, size_t cap);
/* Decodes into f (cleared first; its ncpu slots bound the CPUs read).
 * 0, or -1 when the bytes are malformed. */
int frame_decode(const uint8_t *buf, size_t len, struct frame *f);

/* The value of a plain field, widened, from its base (frame, cpu or proc). */
double field_value(const struct field *fd, const void *base);
/* The same as text, exact: integers in full, floats to 9 digits. */
int field_format(const struct field *fd, const void *base, char *buf, size_t n);

#endif
