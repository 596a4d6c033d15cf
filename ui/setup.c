// SPDX-License-Identifier: GPL-2.0-only
/* F2: the settings people change while watching, written to the config
 * file when setup closes.  Interval and thresholds apply at once (main
 * reads them back), the theme and panels too, history at the next start. */
#include "ui/tui_internal.h"

#include <stdio.h>
#include <string.h>


enum item { IT_INTERVAL, IT_WARN, IT_CRIT, IT_THEME, IT_HISTORY, IT_REGIME, IT_APPS, IT_PROCS, IT_SYSTEM, ITEMS };

static const char *const label[ITEMS] = {
	"interval (s)", "heat warn (/s per core)", "heat crit (/s per core)", "theme", "history (samples)",
	"panel: regime timeline", "panel: attached apps", "panel: process table", "panel: system strip",
};

static double *number(struct config *c, enum item i)
{
	switch (i) {
	case IT_INTERVAL: return &c->interval;
	case IT_WARN: return &c->heat_warn;
	case IT_CRIT: return &c->heat_crit;
	case IT_HISTORY: return &c->history;
	case IT_REGIME: return &c->panel_regime;
	case IT_APPS: return &c->panel_apps;
	case IT_PROCS: return &c->panel_procs;
	case IT_SYSTEM: return &c->panel_system;
	default: return NULL;
	}
}

static void next_theme(struct tui *t, int dir)
{
	char names[32][THEME_NAME_LEN];
	int n = (int)theme_list(names, 32), at = -1;

	for (int i = 0; i < n; i++)
		if (!strcmp(names[i], t->cfg->theme))
			at = i;
	if (!n)
		return;
	at = (at + dir + n) % n;
	if (ui_theme_apply(t, names[at]) == 0)
		snprintf(t->cfg->theme, sizeof(t->cfg->theme), "%s", names[at]);
}

/* 1 when interval or thresholds changed (main applies them). */
static int change(struct tui *t, int up)
{
	struct config *c = t->cfg;
	double *v = number(c, (enum item)t->setup_sel);

	switch (t->setup_sel) {
	case IT_INTERVAL: *v = config_step(STEPS_INTERVAL, *v, up); return 1;
	case IT_WARN: *v = config_step(STEPS_HEAT, *v, up); c->heat_crit = c->heat_crit > *v ? c->heat_crit : config_step(STEPS_HEAT, *v, 1); return 1;
	case IT_CRIT: *v = config_step(STEPS_HEAT, *v, up); c->heat_warn = c->heat_warn < *v ? c->heat_warn : config_step(STEPS_HEAT, *v, 0); return 1;
	case IT_HISTORY: *v = config_step(STEPS_HISTORY, *v, up); return 0;
	case IT_THEME: next_theme(t, up ? 1 : -1); return 0;
	default: *v = !*v; return 0;
	}
}

static void save(struct tui *t)
{
	char err[300];

	if (!t->cfg_path[0]) {
		snprintf(t->msg, sizeof(t->msg), "settings not saved: no HOME or XDG_CONFIG_HOME");
		t->msg_bad = 1;
	} else if (config_save(t->cfg, t->cfg_path, err, sizeof(err)) < 0) {
		snprintf(t->msg, sizeof(t->msg), "settings not saved: %.170s", err);
		t->msg_bad = 1;
	} else {
		snprintf(t->msg, sizeof(t->msg), "settings saved to %.170s", t->cfg_path);
		t->msg_bad = 0;
	}
}

int ui_setup_key(struct tui *t, const struct key *k)
{
	switch (k->code) {
	case KEY_UP: t->setup_sel = (t->setup_sel + ITEMS - 1) % ITEMS; return 0;
	case KEY_DOWN: case KEY_TAB: t->setup_sel = (t->setup_sel + 1) % ITEMS; return 0;
	case KEY_RIGHT: case '+': case '=': case KEY_ENTER: case ' ': return change(t, 1);
	case KEY_LEFT: case '-': return change(t, 0);
	case KEY_ESC: case KEY_F2: case KEY_F10: case 'q': case 'S':
		t->overlay = OVERLAY_NONE;
		t->lay_valid = 0;
		save(t);
		return 0;
	default: return 0;
	}
}

static void value(struct tui *t, enum item i, char *buf, size_t len)
{
	double *v = number(t->cfg, i);

	if (i == IT_THEME)
		snprintf(buf, len, "%s", t->cfg->theme);
	else if (i >= IT_REGIME)
		snprintf(buf, len, "%s", *v ? "shown" : "hidden");
	else if (i == IT_HISTORY)
		snprintf(buf, len, "%.12g  (applies at the next start)", *v);
	else
		snprintf(buf, len, "%.12g", *v);
}

void ui_setup(struct tui *t, int top, int height)
{
	int y = top;

	ui_seg(t, y++, 0, ui_role(t, ROLE_TITLE, ATTR_BOLD | ATTR_REVERSE),
	       " Setup  Up/Down choose  Left/Right or -/+ change  Esc/F2 save and close ");
	/* "saved" only once it is: save() says so in the key bar */
	if (t->cfg_path[0])
		ui_seg(t, y++, 0, ui_role(t, ROLE_DIM, 0), " settings file %s, written when setup closes", t->cfg_path);
	else
		ui_seg(t, y++, 0, ui_role(t, ROLE_DIM, 0), " no settings file (no HOME or XDG_CONFIG_HOME): changes last until quit");
	y++;
	for (int i = 0; i < ITEMS && y < top + height; i++, y++) {
		char buf[96];
		struct style st = i == t->setup_sel ? ui_role(t, ROLE_CURSOR, ATTR_BOLD) : ui_plain(0);

		value(t, (enum item)i, buf, sizeof(buf));
		ui_seg(t, y, 2, st, "%-26s", label[i]);
		ui_seg(t, y, 30, ui_plain(0), "%s", buf);
	}
	if (y + 2 < top + height)
		ui_seg(t, y + 1, 2, ui_role(t, ROLE_DIM, 0),
		       "The file is key = value with comments; every other key (the regime thresholds) is kept.");
}
