// SPDX-License-Identifier: GPL-2.0-only
#include "ui/theme.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/inifile.h"
#include "util/regfile.h"
#include "ui/screen.h"

#ifndef STORMTOP_SHARE
#define STORMTOP_SHARE "/usr/local/share/stormtop"
#endif

void theme_default(struct theme *t)
{
	memset(t, 0, sizeof(*t));
	snprintf(t->name, sizeof(t->name), "default");
	snprintf(t->description, sizeof(t->description), "green to red to magenta on the terminal's own background");
	t->heat[HEAT_NODATA] = COLOR_DEFAULT;
	t->heat[HEAT_ZERO] = COLOR_PAL(240);
	t->heat[HEAT_LOW] = COLOR_RGB(0x00af5f);
	t->heat[HEAT_WARN] = COLOR_RGB(0xd7af00);
	t->heat[HEAT_CRIT] = COLOR_RGB(0xd70000);
	t->heat[HEAT_EXTREME] = COLOR_RGB(0xff00ff);
	t->fg[ROLE_TITLE] = COLOR_PAL(6);
	t->fg[ROLE_DIM] = COLOR_PAL(244);
	t->fg[ROLE_BAD] = COLOR_PAL(1);
	t->fg[ROLE_GOOD] = COLOR_PAL(2);
	t->fg[ROLE_HEADER] = COLOR_DEFAULT;
	t->fg[ROLE_BAR] = COLOR_PAL(0);
	t->bg[ROLE_BAR] = COLOR_PAL(6);
	t->fg[ROLE_CURSOR] = COLOR_PAL(0);
	t->bg[ROLE_CURSOR] = COLOR_PAL(6);
	t->fg[ROLE_TAG] = COLOR_PAL(3);
}

int theme_color(const char *s, uint32_t *out)
{
	char *end;
	unsigned long v;

	if (!strcmp(s, "default")) {
		*out = COLOR_DEFAULT;
		return 0;
	}
	if (s[0] == '#' && strlen(s) == 7) {
		v = strtoul(s + 1, &end, 16);
		if (*end)
			return -1;
		*out = COLOR_RGB(v);
		return 0;
	}
	if (s[0] < '0' || s[0] > '9')
		return -1;
	v = strtoul(s, &end, 10);
	if (*end || v > 255)
		return -1;
	*out = COLOR_PAL(v);
	return 0;
}

static uint32_t lerp(uint32_t a, uint32_t b, double t)
{
	uint32_t out = 0;

	if (COLOR_KIND(a) != 2 || COLOR_KIND(b) != 2)
		return b; /* palette indices do not blend: take the hotter one */
	for (int sh = 0; sh <= 16; sh += 8) {
		double x = (double)(COLOR_VALUE(a) >> sh & 0xff), y = (double)(COLOR_VALUE(b) >> sh & 0xff);

		out |= (uint32_t)(x + (y - x) * t + 0.5) << sh;
	}
	return COLOR_RGB(out);
}

/* Role keys: "<role>" (its foreground) and "<role>_bg". */
static const char *const role_key[ROLE_COUNT] = {
	"text", "title", "dim", "bad", "good", "header", "bar", "cursor", "tag",
};

/* Gradient keys set levels LOW, WARN and EXTREME; CRIT sits between the
 * mid and the end unless heat_crit says otherwise, wherever in the file. */
static int heat_key(struct theme *t, const char *key, uint32_t c)
{
	static const struct { const char *key; int level; } k[] = {
		{ "gradient_start", HEAT_LOW }, { "gradient_mid", HEAT_WARN },
		{ "gradient_end", HEAT_EXTREME }, { "heat_zero", HEAT_ZERO }, { "heat_low", HEAT_LOW },
		{ "heat_warn", HEAT_WARN }, { "heat_crit", HEAT_CRIT }, { "heat_extreme", HEAT_EXTREME },
	};

	for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++)
		if (!strcmp(key, k[i].key)) {
			t->heat[k[i].level] = c;
			t->crit_set |= k[i].level == HEAT_CRIT;
			if (!t->crit_set)
				t->heat[HEAT_CRIT] = lerp(t->heat[HEAT_WARN], t->heat[HEAT_EXTREME], 0.5);
			return 1;
		}
	return 0;
}

static int on_pair(void *user, const char *key, const char *value, char *err, size_t len)
{
	struct theme *t = user;
	uint32_t c;

	if (!strcmp(key, "name") || !strcmp(key, "description")) {
		char *dst = key[0] == 'n' ? t->name : t->description;
		size_t cap = key[0] == 'n' ? sizeof(t->name) : sizeof(t->description);

		if (strlen(value) >= cap) { /* said, never cut */
			snprintf(err, len, "%s: %zu bytes, longer than %zu", key, strlen(value), cap - 1);
			return -1;
		}
		return snprintf(dst, cap, "%s", value), 0;
	}
	if (theme_color(value, &c) < 0) {
		snprintf(err, len, "%s: '%.40s' is not a colour (default, 0-255 or #rrggbb)", key, value);
		return -1;
	}
	if (heat_key(t, key, c))
		return 0;
	for (int r = 0; r < ROLE_COUNT; r++) {
		size_t n = strlen(role_key[r]);

		if (!strncmp(key, role_key[r], n) && (!key[n] || !strcmp(key + n, "_bg"))) {
			*(key[n] ? &t->bg[r] : &t->fg[r]) = c;
			return 0;
		}
	}
	snprintf(err, len, "unknown key '%.40s'", key);
	return -1;
}

int theme_load_file(struct theme *t, const char *path, char *err, size_t errlen)
{
	int bad;

	err[0] = '\0';
	t->crit_set = 0;
	bad = inifile_load(path, on_pair, t, NULL, err, errlen);
	if (bad < 0)
		snprintf(err, errlen, "%s: %s", path,
			 errno == REGFILE_NOT_REGULAR ? "not a regular file" : strerror(errno));
	return bad;
}

#define THEME_DIRS 5

/* The directory the running binary is in ("" when /proc cannot say), so
 * an installed stormtop finds its themes wherever the prefix was moved
 * and a built one finds the source tree's, from any working directory. */
static void exe_dir(char *dir, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", dir, len - 1);
	char *slash;

	dir[n > 0 ? n : 0] = '\0';
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	else
		dir[0] = '\0';
}

/* The directories searched, in order; returns how many were filled. */
static int theme_dirs(char dirs[THEME_DIRS][512])
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	char exe[400];
	int n = 0;

	snprintf(dirs[n++], 512, "themes");
	if (xdg && xdg[0])
		snprintf(dirs[n++], 512, "%s/stormtop/themes", xdg);
	else if (home && home[0])
		snprintf(dirs[n++], 512, "%s/.config/stormtop/themes", home);
	exe_dir(exe, sizeof(exe));
	if (exe[0]) {
		snprintf(dirs[n++], 512, "%s/themes", exe);                  /* the build tree */
		snprintf(dirs[n++], 512, "%s/../share/stormtop/themes", exe); /* PREFIX/bin */
	}
	snprintf(dirs[n++], 512, "%s/themes", STORMTOP_SHARE);
	return n;
}

int theme_load(struct theme *t, const char *name, char *err, size_t errlen)
{
	char dirs[THEME_DIRS][512], path[600];
	int n = theme_dirs(dirs);

	if (strchr(name, '/'))
		return theme_load_file(t, name, err, errlen);
	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%.400s/%.60s.theme", dirs[i], name);
		if (access(path, R_OK) == 0)
			return theme_load_file(t, path, err, errlen);
	}
	if (!strcmp(name, "default")) { /* built in: works with no file at all */
		theme_default(t);
		return 0;
	}
	snprintf(err, errlen, "no theme '%.60s' in ./themes, %.200s or %.200s", name, dirs[1], dirs[n - 1]);
	return -1;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void list_dir(const char *dir, char names[][THEME_NAME_LEN], size_t max, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d)) && *n < max) {
		size_t len = strlen(e->d_name);
		int dup = 0;

		if (len <= 6 || len - 6 >= THEME_NAME_LEN || strcmp(e->d_name + len - 6, ".theme"))
			continue;
		for (size_t i = 0; i < *n && !dup; i++)
			dup = !strncmp(names[i], e->d_name, len - 6) && !names[i][len - 6];
		if (!dup)
			snprintf(names[(*n)++], THEME_NAME_LEN, "%.*s", (int)(len - 6), e->d_name);
	}
	if (d)
		closedir(d);
}

size_t theme_list(char names[][THEME_NAME_LEN], size_t max)
{
	char dirs[THEME_DIRS][512];
	int nd = theme_dirs(dirs);
	size_t n = 0;

	if (max > 0) /* built in, so always offered */
		snprintf(names[n++], THEME_NAME_LEN, "default");
	for (int i = 0; i < nd; i++)
		list_dir(dirs[i], names, max, &n);
	qsort(names, n, THEME_NAME_LEN, by_name);
	return n;
}
