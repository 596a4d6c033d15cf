/* SPDX-License-Identifier: GPL-2.0-only */
/* IOMMU map/unmap and IOTLB invalidations per CPU (bpf/iotlb.bpf.c). */
#ifndef STORMTOP_IOTLB_H
#define STORMTOP_IOTLB_H

#include "collectors/bpf_load.h"
#include "core/frame.h"

struct iotlb_coll;

struct iotlb_coll *iotlb_open(const struct bpf_setup *s, int *err);
void iotlb_sample(struct iotlb_coll *t, struct frame *f);
const struct bpf_unit *iotlb_unit(const struct iotlb_coll *t);
void iotlb_close(struct iotlb_coll *t);

#endif
