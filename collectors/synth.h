/* SPDX-License-Identifier: GPL-2.0-only */
/* A synthetic frame source: a made-up host of any size with storms that
 * move from node to node, for demos, screenshots and the many-core views
 * (--synthetic).  It replaces the collectors as playback does, and every
 * figure is deterministic in the tick number. */
#ifndef STORMTOP_SYNTH_H
#define STORMTOP_SYNTH_H

#include <stdint.h>

#include "core/frame.h"
#include "core/source.h"
#include "collectors/topology.h"

struct synth {
	const struct topology *topo;
	uint64_t tick;
	int64_t interval_ns;
	int64_t mono_ns, wall_ns;
};

void synth_init(struct synth *s, const struct topology *t, int64_t interval_ns);
/* One tick's worth into f (cleared, ncpu slots). */
void synth_fill(struct synth *s, struct frame *f);
/* The synthetic host as a frame source: open takes topo and interval_ns
 * of source_conf; fill never ends. */
extern const struct source_ops synth_source;

#endif
