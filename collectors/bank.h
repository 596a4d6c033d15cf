/* A BPF array of per-CPU slots mapped into our memory: read every tick
 * with no system call.  The BPF side is BANK_MAP in bpf/twin.bpf.h. */
#ifndef STORMTOP_BANK_H
#define STORMTOP_BANK_H

#include <stddef.h>
#include <stdint.h>

struct bank {
	const uint8_t *base;
	size_t len;
	size_t stride;   /* bytes per slot, a multiple of 8 */
	uint32_t n;      /* slots */
};

/* 0, or -errno.  stride is sizeof the slot type. */
int bank_map(struct bank *b, int map_fd, size_t stride, uint32_t n);
void bank_unmap(struct bank *b);

static inline const void *bank_slot(const struct bank *b, uint32_t i)
{
	return b->base + (size_t)i * b->stride;
}

#endif
