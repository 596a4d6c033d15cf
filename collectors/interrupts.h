/* SPDX-License-Identifier: GPL-2.0-only */
/* /proc/interrupts: per-CPU TLB, CAL, RES, LOC and IOMMU interrupt counts. */
#ifndef STORMTOP_INTERRUPTS_H
#define STORMTOP_INTERRUPTS_H

#include <stddef.h>
#include <stdint.h>

#include "core/frame.h"

/* One parse of the file.  Arrays have ncpu slots, indexed by CPU id (the
 * header names the id of each column; offline CPUs have no column). */
struct irq_snapshot {
	uint32_t ncpu;
	uint32_t columns;
	uint8_t *online;
	uint32_t *val[IRQ_KIND_MAX];   /* raw 32-bit counters */
	uint8_t present[IRQ_KIND_MAX]; /* the line exists on this host */
	uint32_t iommu_lines;          /* device lines summed into IRQ_IOMMU */
	int32_t *col_cpu;              /* column -> CPU id */
	uint32_t *scratch;             /* one line's counts, by column */
};

int irq_snapshot_init(struct irq_snapshot *s, uint32_t ncpu);
void irq_snapshot_free(struct irq_snapshot *s);

/* Parses text (len bytes).  Returns 0, or -1 with a one-line reason in err
 * for a malformed or truncated file.  A missing TLB line is not an error:
 * present[IRQ_TLB] says so (arm64 flushes by broadcast, without IPIs). */
int irq_parse(const char *text, size_t len, struct irq_snapshot *s,
	      char *err, size_t errlen);

#endif
