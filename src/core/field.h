/* SPDX-License-Identifier: GPL-2.0-only */
/* The frame's fields, one row each: what recordings store (the id), what
 * dump and batch print (the name), where the figure lives in the frame and
 * how wide it is.  Every consumer that prints or stores a plain figure
 * walks this table, so a field is defined once. */
#ifndef STORMTOP_FIELD_H
#define STORMTOP_FIELD_H

#include <stddef.h>
#include <stdint.h>

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
extern const struct field frame_fields[];
extern const size_t frame_nfields;

/* The value as 64 bits: unsigned as is, signed zigzag-encoded, floats
 * their IEEE bits (the recording's wire form); and back. */
uint64_t field_bits(const struct field *fd, const void *base);
void field_set_bits(const struct field *fd, void *base, uint64_t x);
/* The value of a plain field, widened, from its base (frame, cpu or proc). */
double field_value(const struct field *fd, const void *base);
/* The same as text, exact: integers in full, floats to 9 digits. */
int field_format(const struct field *fd, const void *base, char *buf, size_t n);

#endif
