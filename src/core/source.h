/* SPDX-License-Identifier: GPL-2.0-only */
/* A frame source: what fills the ring, one frame a tick.  The live sampler
 * (collectors/sampler.h), the synthetic host (collectors/synth.h) and a
 * recording's player (src/record/player.h) each export a const
 * source_ops; the sampling loop calls only through it, so a new source is
 * one ops struct and never an edit of the loop. */
#ifndef STORMTOP_SOURCE_H
#define STORMTOP_SOURCE_H

#include <stdint.h>
#include <stdio.h>

#include "core/frame.h"
#include "core/ring.h"

struct topology;
struct rec_reader;

/* Everything any source may need to open; each reads only its part. */
struct source_conf {
	/* live and synthetic: the host (made up for synthetic) */
	const struct topology *topo;
	/* live: see struct sampler_opts (collectors/sampler.h) */
	const char *root;       /* "" for the live host */
	const char *disable;    /* comma list: "bpf", "perf", tracepoint names */
	int force_raw;          /* BPF raw_tp twins only */
	int drop_privs;         /* drop every capability once collectors are open */
	long attach_owner;      /* uid also trusted to own app segments, or -1 */
	uint64_t late_ns;       /* phase error counted late for CBR; 0 = 50 us */
	/* synthetic: the tick it pretends, in ns */
	int64_t interval_ns;
	/* playback: the open recording, the ring it keeps up to the frame
	 * shown, the file's name (status line) and the red threshold (per-core
	 * TLB IPIs/s) that makes a burst */
	struct rec_reader *reader;
	struct frame_ring *ring;
	const char *name;
	double crit;
};

/* fill's answers */
enum { SOURCE_FRAME = 0, SOURCE_SKIPPED = 1, SOURCE_END = -1 };

struct source_ops {
	const char *name;                       /* "live", "synthetic", "playback" */
	void *(*open)(const struct source_conf *c); /* NULL: out of memory */
	/* Into f (cleared by ring_begin, ncpu slots): SOURCE_FRAME; a
	 * recording's SOURCE_SKIPPED (a damaged frame: f holds nothing) or
	 * SOURCE_END (no frame after the last, even after looking again). */
	int (*fill)(void *s, struct frame *f);
	/* What the source is made of, tab-separated lines (--probes): unit,
	 * tracepoint, program kind, recursion misses, state. */
	void (*describe)(const void *s, FILE *out);
	void (*close)(void *s);                 /* NULL is fine */
};

/* An open source: its ops and the state they were given by open. */
struct frame_source {
	const struct source_ops *ops;
	void *self;
};

/* Opens ops' source into src: 0, or -1 when out of memory. */
static inline int source_open(struct frame_source *src, const struct source_ops *ops,
			      const struct source_conf *c)
{
	src->ops = ops;
	src->self = ops->open(c);
	return src->self ? 0 : -1;
}

static inline void source_close(struct frame_source *src)
{
	if (src->ops && src->self)
		src->ops->close(src->self);
	src->self = NULL;
}

#endif
