/* SPDX-License-Identifier: GPL-2.0-only */
/* /proc/vmstat: the memory-management events behind TLB storms. */
#ifndef STORMTOP_VMSTAT_H
#define STORMTOP_VMSTAT_H

#include <stddef.h>
#include <stdint.h>

#include "core/frame.h"

/* Fills vals[VM_STAT_MAX] with the counters found and returns a bitmask of
 * the ones present (nr_tlb_* exist only with CONFIG_DEBUG_TLBFLUSH). */
uint32_t vmstat_parse(const char *text, size_t len, uint64_t *vals);

#endif
