/* SPDX-License-Identifier: GPL-2.0-only */
/* Counter arithmetic shared by every collector. */
#ifndef STORMTOP_DELTA_H
#define STORMTOP_DELTA_H

#include <stdint.h>

/* /proc/interrupts counters are 32-bit per CPU and wrap: the difference
 * mod 2^32 is right as long as fewer than 2^31 events fit in one tick.  A
 * counter that went back by less than that did not wrap, it was reset (a
 * CPU brought back, a copied tree rewritten): 0, never a 4e9 spike. */
static inline uint64_t delta_u32(uint32_t prev, uint32_t cur)
{
	uint32_t d = cur - prev;

	return d < 0x80000000u ? d : 0;
}

/* 64-bit event counters never wrap in practice; one that goes backwards
 * was reset (or is a gauge), so the honest delta is 0, not 2^64 - n. */
static inline uint64_t delta_u64(uint64_t prev, uint64_t cur)
{
	return cur >= prev ? cur - prev : 0;
}

#endif
