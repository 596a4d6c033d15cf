// SPDX-License-Identifier: GPL-2.0-only
#include "ui/heatmemo.h"

#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

void heatmemo_free(struct heatmemo *m)
{
	free(m->lvl);
	free(m->serial);
	free(m->seq);
	memset(m, 0, sizeof(*m));
}

int heatmemo_alloc(struct heatmemo *m, uint32_t cols, uint32_t rows)
{
	heatmemo_free(m);
	if (!cols || !rows)
		return 0;
	m->lvl = mem_zalloc((size_t)cols * rows, 1);
	m->serial = mem_zalloc(cols, sizeof(*m->serial));
	m->seq = mem_zalloc(cols, sizeof(*m->seq));
	if (!m->lvl || !m->serial || !m->seq) {
		heatmemo_free(m);
		return -1;
	}
	m->cols = cols;
	m->rows = rows;
	for (int p = 0; p < HEATMEMO_PANELS; p++)
		m->metric[p] = -1;
	return 0;
}

void heatmemo_shape(struct heatmemo *m, const void *ring, uint32_t ticks, int panels, uint32_t first,
		    uint32_t nrows, uint32_t gen)
{
	if (m->ring == ring && m->ticks == ticks && m->panels == panels && m->first == first &&
	    m->nrows == nrows && m->gen == gen)
		return;
	if (m->serial)
		memset(m->serial, 0, (size_t)m->cols * sizeof(*m->serial));
	for (int p = 0; p < HEATMEMO_PANELS; p++)
		m->metric[p] = -1;
	m->ring = ring;
	m->ticks = ticks;
	m->panels = panels;
	m->first = first;
	m->nrows = nrows;
	m->gen = gen;
}

static int fits(const struct heatmemo *m, int p)
{
	return m->lvl && p >= 0 && p < HEATMEMO_PANELS && p < m->panels && m->ticks &&
	       (uint64_t)m->ticks * (uint64_t)m->panels <= m->cols && m->nrows <= m->rows;
}

void heatmemo_panel(struct heatmemo *m, int p, int metric, double warn, double crit)
{
	if (!fits(m, p) || (m->metric[p] == metric && m->warn[p] == warn && m->crit[p] == crit))
		return;
	memset(m->serial + (size_t)p * m->ticks, 0, m->ticks * sizeof(*m->serial));
	m->metric[p] = metric;
	m->warn[p] = warn;
	m->crit[p] = crit;
}

static size_t slot_of(const struct heatmemo *m, int p, uint64_t serial)
{
	return (size_t)p * m->ticks + serial % m->ticks;
}

uint8_t *heatmemo_slot(struct heatmemo *m, int p, uint64_t serial, uint64_t seq, int *hit)
{
	size_t k;

	*hit = 0;
	if (!fits(m, p) || m->metric[p] < 0)
		return NULL;
	k = slot_of(m, p, serial);
	*hit = m->serial[k] == serial + 1 && m->seq[k] == seq;
	if (!*hit)
		m->serial[k] = 0;
	return m->lvl + k * m->rows;
}

void heatmemo_keep(struct heatmemo *m, int p, uint64_t serial, uint64_t seq)
{
	size_t k;

	if (!fits(m, p))
		return;
	k = slot_of(m, p, serial);
	m->serial[k] = serial + 1;
	m->seq[k] = seq;
}
