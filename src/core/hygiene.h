/* SPDX-License-Identifier: GPL-2.0-only */
/* Host hygiene: the settings seed 003 and the kernel's own docs tie to
 * TLB-shootdown, IOTLB and jitter storms.  The checks' names, why each
 * matters and the command that changes it; collectors/hygiene_scan.c
 * observes them, `stormtop check` and the hygiene view show them. */
#ifndef STORMTOP_HYGIENE_H
#define STORMTOP_HYGIENE_H

#include "core/frame.h"

enum hyg_check {
	HYG_ISOLCPUS, HYG_NOHZ_FULL, HYG_RCU_NOCBS, HYG_THP_ENABLED, HYG_THP_DEFRAG,
	HYG_NUMA_BALANCING, HYG_DEMOTION, HYG_IRQBALANCE, HYG_IRQ_AFFINITY, HYG_CLOCKSOURCE,
	HYG_GOVERNOR, HYG_IOMMU, HYG_SWAP, HYG_NIC_NUMA, HYG_CHECKS
};

struct hyg_info {
	const char *name;          /* stable id, for scripts (json) */
	const char *title;
	const char *why;           /* what it does to storms */
	const char *fix;           /* the command that changes it */
};

const struct hyg_info *hyg_info(int check);
const char *hyg_state_name(int state);
/* Findings in a report (the exit status of stormtop check). */
uint32_t hyg_findings(const struct frame_hygiene *h);

#endif
