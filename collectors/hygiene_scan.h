/* SPDX-License-Identifier: GPL-2.0-only */
/* Observes the host-hygiene checks (src/core/hygiene.h) under a root: kernel
 * command line, sysfs and procfs settings, daemons, IRQ placement.  No
 * allocation, so the sampler can rescan every few seconds. */
#ifndef STORMTOP_HYGIENE_SCAN_H
#define STORMTOP_HYGIENE_SCAN_H

#include "core/frame.h"
#include "collectors/topology.h"

/* Every check into out (out->n = HYG_CHECKS, in enum order). */
void hygiene_scan(const char *root, const struct topology *topo, struct frame_hygiene *out);

/* The longest file a check reads whole (hostfs_read refuses, never cuts,
 * a longer one): a CPU list of 4096 CPUs one by one, a command line with
 * bootconfig's additions. */
#define HYG_TEXT_MAX 32768

/* What the checks share (hygiene_scan.c), and the ones that walk IRQs and
 * processes (hygiene_irq.c). */
struct hyg_ctx {
	const char *root;
	const struct topology *topo;
	char cmdline[HYG_TEXT_MAX];
	uint8_t isolated[FRAME_MAX_CPUS];
	int nisolated;
	char isolated_list[64];
};

void hyg_set(struct frame_hygiene *out, int check, int state, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void hyg_check_irqbalance(const struct hyg_ctx *c, struct frame_hygiene *out);
void hyg_check_irq_affinity(const struct hyg_ctx *c, struct frame_hygiene *out);
void hyg_check_nic_numa(const struct hyg_ctx *c, struct frame_hygiene *out);

#endif
