/* SPDX-License-Identifier: GPL-2.0-only */
/* --publish NAME: the host regime for applications, in a stormprobe
 * segment's state block (seqlock, heartbeat), so an execution engine reads
 * it with plain loads and no syscall.  include/README.md documents the
 * values and tools/regime-reader.c is a reader. */
#ifndef STORMTOP_PUBLISH_H
#define STORMTOP_PUBLISH_H

#include "core/frame.h"

/* What value[i] of the state block holds; rates and ratios are x1000. */
enum publish_value {
	PUB_TLB,           /* enum tlb_regime */
	PUB_IOMMU,         /* enum iommu_regime */
	PUB_SBI_MILLI,
	PUB_DFI_MILLI,
	PUB_DVR_MILLI,     /* -1 when not measurable */
	PUB_RATE_MILLI,    /* hottest core's TLB IPIs/s */
	PUB_WIDEN_MILLI,   /* app p99 widening, else run-queue; -1 when neither */
	PUB_SEQ,           /* the frame's tick number */
};

struct stormprobe;

/* NULL with errno set when the segment cannot be made. */
struct stormprobe *publish_open(const char *name);
void publish_frame(struct stormprobe *p, const struct frame *f);
void publish_close(struct stormprobe *p);

#endif
