/* SPDX-License-Identifier: GPL-2.0-only */
/* The per-tick stages, in the order they run on each new frame: each reads
 * the ring and the frame the source just filled and writes its own part of
 * that frame (frame.corr, frame.regime).  One row of stage_table[] per
 * stage, so adding one is one row, never an edit of the sampling loop. */
#ifndef STORMTOP_STAGES_H
#define STORMTOP_STAGES_H

#include <stdint.h>

#include "core/config.h"
#include "core/frame.h"
#include "core/ring.h"

/* What a stage may need to start: the thresholds (config file and --set),
 * the ring's size in frames (bounds every window) and the per-core TLB
 * IPI rate (/s) where the heatmap turns red. */
struct stage_conf {
	const struct config *cfg;
	uint32_t cap;
	double crit;
};

struct stage_desc {
	const char *name;
	void *(*new)(const struct stage_conf *c);      /* NULL: out of memory */
	void (*run)(void *s, const struct frame_ring *r, struct frame *cur);
	void (*free)(void *s);                         /* NULL is fine */
};

#define STAGES_MAX 4

/* One instance per row of the table, in its order. */
struct stages {
	void *st[STAGES_MAX];
};

/* 0, or -1 when out of memory (nothing left allocated). */
int stages_new(struct stages *s, const struct stage_conf *c);
/* Each stage on cur, in order; cur is the frame being filled, the ring's
 * newest committed frames come before it. */
void stages_run(struct stages *s, const struct frame_ring *r, struct frame *cur);
void stages_free(struct stages *s);
/* The row named name (drill runs the controller alone), or NULL. */
const struct stage_desc *stage_find(const char *name);

#endif
