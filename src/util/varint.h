/* SPDX-License-Identifier: GPL-2.0-only */
/* LEB128 unsigned varints: the number encoding of recordings. */
#ifndef STORMTOP_VARINT_H
#define STORMTOP_VARINT_H

#include <stddef.h>
#include <stdint.h>

#define VARINT_MAX 10

/* Writes v at p (room for VARINT_MAX bytes); returns bytes written. */
static inline size_t varint_put(uint8_t *p, uint64_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		p[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (uint8_t)v;
	return n;
}

/* Reads a varint from [*p, end); 0 on success (advancing *p), -1 when
 * truncated or longer than 64 bits. */
static inline int varint_get(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
	uint64_t x = 0;

	for (unsigned int shift = 0; shift < 64; shift += 7) {
		uint8_t b;

		if (*p >= end)
			return -1;
		b = *(*p)++;
		x |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			if (shift == 63 && b > 1)
				return -1;
			*v = x;
			return 0;
		}
	}
	return -1;
}

#endif
