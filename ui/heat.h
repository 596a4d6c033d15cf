/* SPDX-License-Identifier: GPL-2.0-only */
/* Heat levels: how a per-core rate maps to a colour and a glyph.  The
 * glyph ramp alone carries the level, so the heatmap reads in monochrome. */
#ifndef STORMTOP_HEAT_H
#define STORMTOP_HEAT_H

#include <stdint.h>

enum heat_level {
	HEAT_NODATA,   /* offline, first tick, source missing */
	HEAT_ZERO,
	HEAT_LOW,      /* below warn: green */
	HEAT_WARN,     /* warn..crit: yellow */
	HEAT_CRIT,     /* crit..10x crit: red */
	HEAT_EXTREME,  /* >= 10x crit */
	HEAT_LEVELS
};

/* rate < 0 means no data.  Default thresholds (5, 20 per core per second)
 * are the seeds' per-core normalisation. */
static inline enum heat_level heat_classify(double rate, double warn, double crit)
{
	/* inline: it runs for every CPU of every new column and every cell */
	if (rate < 0)
		return HEAT_NODATA;
	if (rate == 0)
		return HEAT_ZERO;
	if (rate < warn)
		return HEAT_LOW;
	if (rate < crit)
		return HEAT_WARN;
	return rate < crit * 10 ? HEAT_CRIT : HEAT_EXTREME;
}
const char *heat_glyph(enum heat_level l, int utf8);
/* The same glyph as one code point, for screen_set: a cell drawn per
 * tick per CPU is not worth a UTF-8 decode (bench/ui_cost). */
uint32_t heat_glyph_cp(enum heat_level l, int utf8);

#endif
