/* SPDX-License-Identifier: GPL-2.0-only */
/* Colour themes: key="value" files in themes/ (themes/README.md documents
 * the format).  A theme names colours; how many the terminal can show is
 * termout's business, so one theme serves 16, 256 and 24-bit terminals. */
#ifndef STORMTOP_THEME_H
#define STORMTOP_THEME_H

#include <stddef.h>
#include <stdint.h>

#include "ui/heat.h"

enum role {
	ROLE_TEXT, ROLE_TITLE, ROLE_DIM, ROLE_BAD, ROLE_GOOD,
	ROLE_HEADER,   /* the top line */
	ROLE_BAR,      /* the key bar at the bottom */
	ROLE_CURSOR,   /* the selected core or process */
	ROLE_TAG,      /* tagged processes */
	ROLE_COUNT
};

#define THEME_NAME_LEN 64

struct theme {
	char name[THEME_NAME_LEN];
	char description[128];
	uint32_t heat[HEAT_LEVELS];    /* a colour per level; NODATA is the dim role's */
	uint32_t fg[ROLE_COUNT], bg[ROLE_COUNT];
	uint8_t crit_set;              /* heat_crit given: the gradient leaves it */
};

/* The built-in theme (themes/default.theme says the same). */
void theme_default(struct theme *t);
/* Parses one colour: "default", a palette index 0-255 or "#rrggbb". */
int theme_color(const char *s, uint32_t *out);
/* Loads a theme file over t (start from theme_default).  Returns the
 * number of bad lines (the first said in err as FILE:LINE: reason), or -1
 * when the file cannot be read (err says why). */
int theme_load_file(struct theme *t, const char *path, char *err, size_t errlen);
/* Finds NAME (or a path, when it has a '/') in ./themes, the XDG config
 * directory's themes/, themes/ beside the running binary (a build tree),
 * ../share/stormtop/themes from it (an installed or moved prefix) and the
 * PREFIX/share/stormtop/themes built in, and loads it: as theme_load_file,
 * -1 with err when no directory has it.  "default" is built in
 * (a default.theme file found first wins). */
int theme_load(struct theme *t, const char *name, char *err, size_t errlen);
/* The theme names found in those directories, sorted, without repeats;
 * returns how many (at most max). */
size_t theme_list(char names[][THEME_NAME_LEN], size_t max);

#endif
