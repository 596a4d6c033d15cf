/* SPDX-License-Identifier: GPL-2.0-only */
/* A BPF array of per-CPU slots mapped into our memory: read every tick
 * with no system call.  The BPF side is BANK_MAP in bpf/twin.bpf.h. */
#ifndef STORMTOP_BANK_H
#define STORMTOP_BANK_H

#include <stddef.h>
#include <stdint.h>

#include "collectors/bpf_load.h"

struct bpf_map;

struct bank {
	const uint8_t *base;
	size_t len;
	size_t stride;   /* bytes per slot, a multiple of 8 */
	uint32_t n;      /* slots */
};

/* Maps n slots of stride bytes (sizeof the slot type) of the mmapable
 * array map_fd read-only: 0, or -errno.  bank_unmap undoes it (an empty
 * bank too). */
int bank_map(struct bank *b, int map_fd, size_t stride, uint32_t n);
void bank_unmap(struct bank *b);

static inline const void *bank_slot(const struct bank *b, uint32_t i)
{
	return b->base + (size_t)i * b->stride;
}

/* A BPF unit whose counters live in a bank, with last tick's copy of
 * every slot to take deltas against. */
struct banked {
	struct bpf_unit unit;      /* described by the caller before open */
	struct bank bank;
	void *prev;                /* bank.n slots */
	int primed;                /* prev holds a real reading */
};

/* Loads b->unit and maps the bank that map_of picks from its skeleton.
 * 0, or -errno with everything released but the unit's hook table, which
 * says why (banked_close frees it); the bank is then empty. */
int banked_open(struct banked *b, const struct bpf_setup *s,
		struct bpf_map *(*map_of)(void *skel), size_t stride);
void banked_close(struct banked *b);

#endif
