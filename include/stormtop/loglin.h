/* SPDX-License-Identifier: MIT */
/* stormtop's latency histogram layout, shared by its BPF programs, its
 * collectors and (later) applications publishing their own histograms.
 *
 * Log-linear: below 16 one slot per unit, then 16 slots per power of two,
 * so a slot is at most 1/16 (6.25 %) of its lower bound wide.  528 slots
 * reach 2^36 units (68 s in nanoseconds); larger values land in the last
 * slot.  Header-only, no dependencies, C and BPF alike. */
#ifndef STORMTOP_LOGLIN_H
#define STORMTOP_LOGLIN_H

#ifndef __VMLINUX_H__
#include <stdint.h>
#endif

#define LOGLIN_SUB_BITS 4
#define LOGLIN_SUB (1 << LOGLIN_SUB_BITS)
#define LOGLIN_SLOTS 528

static inline unsigned int loglin_log2(uint64_t v)
{
	unsigned int r = 0, s;

	s = (v > 0xFFFFFFFFULL) << 5; v >>= s; r |= s;
	s = (v > 0xFFFF) << 4; v >>= s; r |= s;
	s = (v > 0xFF) << 3; v >>= s; r |= s;
	s = (v > 0xF) << 2; v >>= s; r |= s;
	s = (v > 0x3) << 1; v >>= s; r |= s;
	return r | (unsigned int)(v >> 1);
}

static inline unsigned int loglin_slot(uint64_t v)
{
	unsigned int m, s;

	if (v < LOGLIN_SUB)
		return (unsigned int)v;
	m = loglin_log2(v);
	s = (m - LOGLIN_SUB_BITS + 1) * LOGLIN_SUB +
	    (unsigned int)((v >> (m - LOGLIN_SUB_BITS)) & (LOGLIN_SUB - 1));
	return s < LOGLIN_SLOTS ? s : LOGLIN_SLOTS - 1;
}

/* The smallest value that lands in slot s. */
static inline uint64_t loglin_low(unsigned int s)
{
	unsigned int m;

	if (s < LOGLIN_SUB)
		return s;
	m = s / LOGLIN_SUB + LOGLIN_SUB_BITS - 1;
	return (uint64_t)(LOGLIN_SUB + s % LOGLIN_SUB) << (m - LOGLIN_SUB_BITS);
}

/* One past the largest value that lands in slot s (not for the last). */
static inline uint64_t loglin_high(unsigned int s)
{
	return loglin_low(s + 1);
}

#endif
