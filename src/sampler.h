/* The live frame source: stamps the time and lets each collector fill its
 * part of the frame.  Playback will be another source with the same shape. */
#ifndef STORMTOP_SAMPLER_H
#define STORMTOP_SAMPLER_H

#include "frame.h"

struct topology;
struct sampler;

/* root: "" for the live host (see procfs_open).  NULL when out of memory. */
struct sampler *sampler_open(const struct topology *topo, const char *root);
void sampler_fill(struct sampler *s, struct frame *f);
void sampler_close(struct sampler *s);

int64_t clock_ns(int clock_id);

#endif
