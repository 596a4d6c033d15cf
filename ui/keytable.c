// SPDX-License-Identifier: GPL-2.0-only
#include "ui/keytable.h"

#include <string.h>

#include "core/metric.h"
#include "ui/keys.h"

/* No double space inside a keys entry: --help's reader splits on one. */
const struct key_help key_help[] = {
	{ NULL, "Views" },
	{ "0", "the storm overview: TLB IPIs, " METRIC_IOTLB_NAME ", run-queue p99, dispatch jitter" },
	{ "1-6", "one metric full width: 1 IPIs received, 2 IPIs sent, 3 IPI tax, 4 " METRIC_IOTLB_NAME
		 ", 5 run-queue p99, 6 dispatch jitter" },
	{ "p", "the process table full screen" },
	{ "y", "host hygiene: settings that cause or cure storms, why, and the fix" },
	{ "Tab S-Tab", "next / previous view" },
	{ NULL, "Cores" },
	{ "Up Down PgUp PgDn Home End", "move the core cursor (the grid scrolls with it); in the process view the selection" },
	{ "wheel", "scroll the cores, or the processes under the pointer" },
	{ "Enter e, click", "drill into the cursor's core; on an aggregated node open it, on an opened node's label fold it; in the process view: where the selected process's shootdowns come from (its call sites)" },
	{ "Esc", "close the drill-down or the where view" },
	{ "f", "density: auto, one CPU a row, two a row, a row per node" },
	{ "<- ->", "the process table's columns that do not fit; in the overview the panels first, while they do not all fit" },
	{ NULL, "Processes" },
	{ "F6 > . s", "sort by the next column, left to right: PID, COMM, CPU, then the counted ones" },
	{ "< ,", "sort by the previous column" },
	{ "I", "invert the sort (numbers largest first, COMM A to Z; ties by the lower pid)" },
	{ "click a header", "sort by that column" },
	{ "F3 /", "search by name as typed (Esc clears)" },
	{ "F4 \\", "filter by name as typed (Esc clears)" },
	{ "space", "in the process view: tag the process" },
	{ "U", "untag all" },
	{ "g", "group the processes by cgroup: a row per cgroup (container scopes by short id, pods by uid), indented by depth, then its processes" },
	{ NULL, "Running" },
	{ "z space", "pause (space outside the process view)" },
	{ "+ - = _", "live: sampling interval up / down; playback: speed" },
	{ "w", "start or stop recording (to -o FILE, else a new file in $XDG_STATE_HOME/stormtop/)" },
	{ "a", "attach an application's stormprobe segment (asks for its name)" },
	{ "t T", "playback: step a frame forward / back" },
	{ "] [", "playback: one minute forward / back" },
	{ "} {", "playback: ten minutes forward / back" },
	{ "b", "playback: go to a time (asks for it)" },
	{ "n N", "playback: next / previous TLB burst" },
	{ "j J", "playback: next / previous regime transition" },
	{ "F2 S", "setup: interval, thresholds, theme, panels, history; saved when it closes" },
	{ "click the key bar", "does what its key does" },
	{ "Ctrl-L", "clear the terminal and repaint everything" },
	{ "F1 ? h", "this help (Up Down PgUp PgDn scroll it, any other key closes it)" },
	{ "F10 q Q", "quit" },
};
const size_t key_help_count = sizeof(key_help) / sizeof(key_help[0]);

const struct fkey fkeys[] = {
	{ "F1", "Help", KEY_F1 }, { "F2", "Setup", KEY_F2 }, { "F3", "Search", KEY_F3 },
	{ "F4", "Filter", KEY_F4 }, { "F6", "SortBy", KEY_F6 }, { "F10", "Quit", KEY_F10 },
};
const size_t fkey_count = sizeof(fkeys) / sizeof(fkeys[0]);

#define KEYS_W 26

/* text from column `at` on, broken at spaces before width. */
static void wrapped(FILE *out, const char *text, int at, int width)
{
	int room = width - at > 20 ? width - at : 20;

	while ((int)strlen(text) > room) {
		int cut = room;

		while (cut > 0 && text[cut] != ' ')
			cut--;
		if (cut == 0)
			cut = room;
		fprintf(out, "%.*s\n%*s", cut, text, at, "");
		text += cut + (text[cut] == ' ');
	}
	fprintf(out, "%s\n", text);
}

void key_help_print(FILE *out, int width)
{
	for (size_t i = 0; i < key_help_count; i++) {
		if (!key_help[i].keys) {
			fprintf(out, "%s:\n", key_help[i].what);
			continue;
		}
		fprintf(out, "  %-*s  ", KEYS_W, key_help[i].keys);
		wrapped(out, key_help[i].what, 2 + KEYS_W + 2, width);
	}
}
