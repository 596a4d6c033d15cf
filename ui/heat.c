// SPDX-License-Identifier: GPL-2.0-only
#include "ui/heat.h"

const char *heat_glyph(enum heat_level l, int utf8)
{
	static const char *const u[HEAT_LEVELS] = { " ", "\u00b7", "\u2591", "\u2592", "\u2593", "\u2588" };
	static const char *const a[HEAT_LEVELS] = { " ", ".", ":", "+", "#", "@" };

	if ((unsigned)l >= HEAT_LEVELS)
		l = HEAT_NODATA;
	return utf8 ? u[l] : a[l];
}

uint32_t heat_glyph_cp(enum heat_level l, int utf8)
{
	static const uint32_t u[HEAT_LEVELS] = { ' ', 0x00b7, 0x2591, 0x2592, 0x2593, 0x2588 };
	static const uint32_t a[HEAT_LEVELS] = { ' ', '.', ':', '+', '#', '@' };

	if ((unsigned)l >= HEAT_LEVELS)
		l = HEAT_NODATA;
	return utf8 ? u[l] : a[l];
}
