// SPDX-License-Identifier: GPL-2.0-only
#include "ui/heatseries.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/metric.h"
#include "ui/heat.h"
#include "util/mem.h"

/* Float steps tried to keep a value on its side of a threshold. */
#define KEEP_STEPS 8

void heatseries_free(struct heatseries *s)
{
	free(s->val);
	free(s->serial);
	free(s->seq);
	memset(s, 0, sizeof(*s));
}

int heatseries_alloc(struct heatseries *s, uint32_t ncpu, uint32_t cols)
{
	heatseries_free(s);
	if (!ncpu || !cols)
		return 0;
	s->val = mem_zalloc((size_t)cols * ncpu, sizeof(*s->val));
	s->serial = mem_zalloc(cols, sizeof(*s->serial));
	s->seq = mem_zalloc(cols, sizeof(*s->seq));
	if (!s->val || !s->serial || !s->seq) {
		heatseries_free(s);
		return -1;
	}
	s->ncpu = ncpu;
	s->cap = cols;
	return 0;
}

/* The float nearest x on the same side of 0, warn, crit and 10 crit, so
 * the cell's level is the double's: a plain (float)x may round 4.99999999
 * up to a warn of 5, or 1e-50 down to 0.  Levels rise with the value, so
 * the hottest of a row's floats has the level of its hottest double. */
static int keep_level(double x, double warn, double crit, float *out)
{
	enum heat_level want = heat_classify(x, warn, crit), l;
	float f = (float)x;

	for (int i = 0; i < KEEP_STEPS; i++) {
		l = heat_classify(f, warn, crit);
		if (l == want) {
			*out = f;
			return 0;
		}
		f = nextafterf(f, l < want ? INFINITY : -INFINITY);
	}
	return -1;
}

/* Starts over when what the columns mean changed. */
static void reshape(struct heatseries *s, const struct frame_ring *r, uint32_t ticks, uint32_t panels)
{
	if (s->ring == r && s->ticks == ticks && s->panels == panels)
		return;
	memset(s->serial, 0, (size_t)s->cap * sizeof(*s->serial));
	for (int p = 0; p < HEATSERIES_PANELS; p++)
		s->metric[p] = -1;
	s->ring = r;
	s->ticks = ticks;
	s->panels = panels;
}

static void repanel(struct heatseries *s, int p, int metric, double warn, double crit)
{
	if (s->metric[p] == metric && s->warn[p] == warn && s->crit[p] == crit)
		return;
	memset(s->serial + (size_t)p * s->ticks, 0, s->ticks * sizeof(*s->serial));
	s->metric[p] = metric;
	s->warn[p] = warn;
	s->crit[p] = crit;
}

/* From the ring's cells: per_cpu of each CPU, taken at commit. */
static int fill(float *v, uint32_t ncpu, const double *cells, uint32_t ring_ncpu, double warn, double crit)
{
	for (uint32_t c = 0; c < ncpu; c++)
		if (keep_level(c < ring_ncpu ? cells[c] : -1, warn, crit, &v[c]) < 0)
			return -1;
	return 0;
}

const float *heatseries_column(struct heatseries *s, const struct frame_ring *r, uint32_t age, int p,
			       int metric, double warn, double crit, uint32_t ticks, uint32_t panels)
{
	const struct tick_sum *f = ring_tick_at_age(r, age);
	const double *cells = ring_cells_at_age(r, age, metric);
	uint64_t serial;
	size_t k;
	float *v;

	if (!f || !cells || !s->val || p < 0 || p >= HEATSERIES_PANELS || (uint32_t)p >= panels || !ticks ||
	    (uint64_t)ticks * panels > s->cap || metric < 0 || metric >= METRIC_COUNT)
		return NULL;
	reshape(s, r, ticks, panels);
	repanel(s, p, metric, warn, crit);
	serial = ring_serial(r, age);
	k = (size_t)p * ticks + serial % ticks;
	v = s->val + k * s->ncpu;
	if (s->serial[k] == serial + 1 && s->seq[k] == f->seq)
		return v;
	s->serial[k] = 0;
	if (fill(v, s->ncpu, cells, r->ncpu, warn, crit) < 0)
		return NULL;
	s->serial[k] = serial + 1;
	s->seq[k] = f->seq;
	return v;
}
