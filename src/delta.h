/* SPDX-License-Identifier: GPL-2.0-only */
/* Counter arithmetic shared by every collector. */
#ifndef STORMTOP_DELTA_H
#define STORMTOP_DELTA_H

#include <stdint.h>

/* /proc/interrupts counters are 32-bit per CPU and wrap: the difference
 * mod 2^32 is right as long as fewer than 2^32 events fit in one tick. */
static inline uint64_t delta_u32(uint32_t prev, uint32_t cur)
{
	return (uint32_t)(cur - prev);
}

/* 64-bit event counters never wrap in practice; one that goes backwards
 * was reset (or is a gauge), so the honest delta is 0, not 2^64 - n. */
static inline uint64_t delta_u64(uint64_t prev, uint64_t cur)
{
	return cur >= prev ? cur - prev : 0;
}

#endif
