// SPDX-License-Identifier: GPL-2.0-only
#include "export/publish.h"

#include <math.h>
#include <stdio.h>

#include "core/frame.h"
#include "stormtop/probe.h"

struct stormprobe *publish_open(const char *name)
{
	return stormprobe_create(name, 1);
}

static int64_t milli(float v)
{
	return isfinite(v) ? (int64_t)llround((double)v * 1000) : -1;
}

void publish_frame(struct stormprobe *p, const struct frame *f)
{
	const struct frame_regime *g = &f->regime;
	int64_t v[STORMPROBE_STATE_VALUES];
	char label[STORMPROBE_LABEL_MAX];

	v[PUB_TLB] = g->tlb;
	v[PUB_IOMMU] = g->iommu;
	v[PUB_SBI_MILLI] = milli(g->sbi);
	v[PUB_DFI_MILLI] = milli(g->dfi);
	v[PUB_DVR_MILLI] = milli(g->dvr);
	v[PUB_RATE_MILLI] = milli(g->rate);
	v[PUB_WIDEN_MILLI] = milli(isfinite(g->app_widen) ? g->app_widen : g->rq_widen);
	v[PUB_SEQ] = (int64_t)f->seq;
	snprintf(label, sizeof(label), "%s/%s", tlb_regime_name(g->tlb), iommu_regime_name(g->iommu));
	stormprobe_state_set(p, (uint32_t)g->tlb | (uint32_t)g->iommu << 8, label, v, STORMPROBE_STATE_VALUES);
	stormprobe_heartbeat(p);
}

void publish_close(struct stormprobe *p)
{
	stormprobe_close(p, 1);
}
