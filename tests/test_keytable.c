// SPDX-License-Identifier: GPL-2.0-only
/* The key list (ui/keytable.c) against what the UI does: every key that
 * changes anything is listed, every key listed changes something; F1
 * shows every key, every process column and every heatmap's unit; a click
 * on a column header sorts by that column (the rows reorder by their own
 * figures); a click on the key bar acts; Left/Right reach the columns past
 * the width, with marks at both edges. */
#include "testlib.h"

#include "core/metric.h"
#include "core/ring.h"
#include "ui/format.h"
#include "ui/keys.h"
#include "ui/keytable.h"
#include "ui/proccols.h"
#include "ui/tui_internal.h"

struct rig {
	struct config cfg;
	struct frame_ring ring;
	struct view view;
	struct tui *t;
};

/* Two processes: 100 makes the flush requests, 101 the IPIs and the
 * reclaim stalls, so each sort has its own first row. */
static void rig_open(struct rig *r, int w, int h)
{
	struct tui_opts opts = { .ncpu = 2, .cfg = &r->cfg, .cfg_path = "" };
	struct frame *f;
	char err[256];

	memset(r, 0, sizeof(*r));
	config_defaults(&r->cfg);
	r->view = (struct view){ .interval_s = 1, .warn = 5, .crit = 20, .host = "h", .kernel = "6.18" };
	assert_int_equal(ring_init(&r->ring, 4, 2), 0);
	f = ring_begin(&r->ring);
	f->ncpu = f->online = 2;
	f->interval_ns = 1000000000;
	f->signals = 1u << SIG_SENDERS | 1u << SIG_TLB_FANOUT | 1u << SIG_MAP_OPS | 1u << SIG_FAULTS |
		     1u << SIG_MIGRATE | 1u << SIG_RECLAIM;
	f->procs.n = 2;
	f->procs.top[0] = (struct frame_proc){ .tgid = 100, .comm = "flusher", .sent = 26068, .fanout = 47 };
	f->procs.top[1] = (struct frame_proc){ .tgid = 101, .comm = "fanner", .sent = 10, .fanout = 5000,
					       .reclaim = 7 };
	ring_commit(&r->ring);
	r->t = tui_headless(&opts, w, h, DEPTH_256, err, sizeof(err));
	assert_non_null(r->t);
	tui_render(r->t, &r->ring, &r->view);
}

static void rig_close(struct rig *r)
{
	tui_close(r->t);
	ring_free(&r->ring);
}

/* Row y of the screen as text (a cell outside ASCII as '#'). */
static const char *row(const struct tui *t, int y, char *buf)
{
	int x;

	for (x = 0; x < t->scr.w; x++) {
		uint32_t ch = t->scr.cells[(size_t)y * (size_t)t->scr.w + (size_t)x].ch;

		buf[x] = ch >= 32 && ch < 127 ? (char)ch : ch ? '#' : ' ';
	}
	buf[x] = '\0';
	return buf;
}

static void click(struct rig *r, int x, int y)
{
	char seq[32];

	snprintf(seq, sizeof(seq), "\033[<0;%d;%dM", x + 1, y + 1);
	tui_feed(r->t, seq, strlen(seq));
	tui_render(r->t, &r->ring, &r->view);
}

static const struct { int code; const char *name; } specials[] = {
	{ ' ', "space" }, { KEY_ENTER, "Enter" }, { KEY_TAB, "Tab" }, { KEY_BTAB, "S-Tab" }, { KEY_ESC, "Esc" },
	{ KEY_CTRL_L, "Ctrl-L" }, { KEY_BACKSPACE, "Backspace" }, { KEY_UP, "Up" }, { KEY_DOWN, "Down" },
	{ KEY_LEFT, "<-" }, { KEY_RIGHT, "->" }, { KEY_PGUP, "PgUp" }, { KEY_PGDN, "PgDn" }, { KEY_HOME, "Home" },
	{ KEY_END, "End" }, { KEY_INSERT, "Insert" }, { KEY_DELETE, "Delete" }, { KEY_F1, "F1" }, { KEY_F2, "F2" },
	{ KEY_F3, "F3" }, { KEY_F4, "F4" }, { KEY_F5, "F5" }, { KEY_F6, "F6" }, { KEY_F7, "F7" }, { KEY_F8, "F8" },
	{ KEY_F9, "F9" }, { KEY_F10, "F10" }, { KEY_F11, "F11" }, { KEY_F12, "F12" },
};
#define NSPECIALS (sizeof(specials) / sizeof(specials[0]))

/* A key's name as the list spells it. */
static void key_name(int code, char *buf, size_t n)
{
	for (size_t i = 0; i < NSPECIALS; i++)
		if (specials[i].code == code) {
			snprintf(buf, n, "%s", specials[i].name);
			return;
		}
	snprintf(buf, n, "%c", code);
}

/* Whether the list names the key: a word of a keys entry ("e," is e),
 * or a digit in a range such as "1-6". */
static int listed(const char *name)
{
	for (size_t i = 0; i < key_help_count; i++) {
		char words[64], *save = NULL;

		if (!key_help[i].keys)
			continue;
		snprintf(words, sizeof(words), "%s", key_help[i].keys);
		for (char *w = strtok_r(words, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
			size_t n = strlen(w);

			if (n > 1 && w[n - 1] == ',')
				w[--n] = '\0';
			if (!strcmp(w, name))
				return 1;
			if (n == 3 && w[1] == '-' && name[1] == '\0' && name[0] >= w[0] && name[0] <= w[2])
				return 1;
		}
	}
	return 0;
}

/* Whether the key changes the UI's state or asks main to act, from the
 * overview, or from the process view with a tag, a drill-down and the
 * columns scrolled. */
static int acts(struct rig *r, int code)
{
	static struct tui snap[2];
	struct key k = { .code = code };
	int any = 0;

	for (int c = 0; c < 2; c++) {
		struct tui *t = r->t;

		t->view = VIEW_OVERVIEW;
		if (c) {
			t->view = VIEW_PROCS;
			t->tags[0] = 100;
			t->ntags = 1;
			t->drill = 1;
			t->proc_col0 = 2;
			t->proc_sel = 1;
		}
		snap[c] = *t;
		any |= ui_key(t, &k) != UI_NONE || memcmp(&snap[c], t, sizeof(*t)) != 0;
		*t = snap[c];
		t->view = VIEW_OVERVIEW, t->ntags = 0, t->drill = 0, t->proc_col0 = 0, t->proc_sel = 0;
	}
	return any;
}

static void every_key_listed_and_every_listed_key_acts(void **state)
{
	struct rig r;
	char name[16];
	int checked = 0;

	(void)state;
	rig_open(&r, 120, 40);
	for (int code = 32; code < 127; code++) {
		key_name(code, name, sizeof(name));
		if (acts(&r, code) != listed(name))
			fail_msg("key '%s': %s", name, listed(name) ? "listed, does nothing" : "acts, not listed");
		checked++;
	}
	for (size_t i = 0; i < NSPECIALS; i++) {
		if (specials[i].code == ' ')
			continue;
		if (acts(&r, specials[i].code) != listed(specials[i].name))
			fail_msg("key %s: %s", specials[i].name,
				 listed(specials[i].name) ? "listed, does nothing" : "acts, not listed");
		checked++;
	}
	assert_true(checked > 120);
	/* the check can fail: 'x' does nothing and is not listed, 'p' is both */
	assert_false(acts(&r, 'x'));
	assert_false(listed("x"));
	assert_true(acts(&r, 'p') && listed("p") && listed("4") && !listed("7"));
	rig_close(&r);
}

/* F1 from its first page to its last (PgDn): every key entry, every
 * column with what it counts, every heatmap with its unit. */
static void help_shows_keys_columns_and_units(void **state)
{
	static char seen[64 * 1024];
	char line[256], want[160];
	struct rig r;

	(void)state;
	rig_open(&r, 120, 30);
	tui_feed(r.t, "h", 1);
	seen[0] = '\0';
	for (int page = 0; page < 12; page++) {
		tui_render(r.t, &r.ring, &r.view);
		for (int y = 1; y < r.t->scr.h - 1; y++) {
			strncat(seen, row(r.t, y, line), sizeof(seen) - strlen(seen) - 2);
			strcat(seen, "\n");
		}
		tui_feed(r.t, "\033[6~", 4); /* PgDn */
	}
	assert_int_equal(r.t->overlay, OVERLAY_HELP);
	for (size_t i = 0; i < key_help_count; i++)
		if (key_help[i].keys && !strstr(seen, key_help[i].keys))
			fail_msg("F1 lacks the key entry '%s'", key_help[i].keys);
	for (int c = 0; c < COL_COUNT; c++) {
		snprintf(want, sizeof(want), "%s", proc_col_name((enum proc_col)c));
		assert_non_null(strstr(seen, want));
		snprintf(want, sizeof(want), "%.30s", proc_col_hint((enum proc_col)c));
		if (!strstr(seen, want))
			fail_msg("F1 lacks what %s counts: '%s'", proc_col_name((enum proc_col)c), want);
	}
	for (int m = 0; m < METRIC_COUNT; m++) {
		snprintf(want, sizeof(want), "%.24s", metrics[m]->title);
		assert_non_null(strstr(seen, want));
		snprintf(want, sizeof(want), ", in %s:", metrics[m]->unit);
		assert_non_null(strstr(seen, want));
	}
	rig_close(&r);
}

/* The first process row's pid. */
static int first_pid(const struct rig *r)
{
	char line[256];

	return atoi(row(r->t, r->t->proc_body, line));
}

static void header_click_sorts_and_bar_click_acts(void **state)
{
	struct rig r;
	char line[256];
	const char *at;

	(void)state;
	rig_open(&r, 120, 30);
	tui_feed(r.t, "p", 1);
	tui_render(r.t, &r.ring, &r.view);
	assert_int_equal(first_pid(&r), 100); /* 26 068 requests */
	at = strstr(row(r.t, r.t->proc_head, line), "IPIS/s");
	assert_non_null(at);
	click(&r, (int)(at - line) + 2, r.t->proc_head);
	assert_int_equal(r.t->sort, COL_FANOUT);
	assert_int_equal(first_pid(&r), 101); /* 5 000 IPIs */
	assert_non_null(strstr(row(r.t, r.t->proc_head + 1, line), "IPIS/s: TLB shootdown IPIs queued"));
	/* the key bar: F1 opens help, F10 quits; with a note there it is text */
	at = strstr(row(r.t, r.t->scr.h - 1, line), "F10Quit");
	assert_non_null(at);
	{
		char seq[32];

		snprintf(seq, sizeof(seq), "\033[<0;%d;%dM", (int)(at - line) + 4, r.t->scr.h);
		assert_int_equal(tui_feed(r.t, seq, strlen(seq)), UI_QUIT);
	}
	click(&r, 2, r.t->scr.h - 1);
	assert_int_equal(r.t->overlay, OVERLAY_HELP);
	tui_feed(r.t, "x", 1);
	tui_note(r.t, "a note");
	tui_render(r.t, &r.ring, &r.view);
	click(&r, 2, r.t->scr.h - 1);
	assert_int_equal(r.t->overlay, OVERLAY_NONE);
	rig_close(&r);
}

/* 80 columns show five of the ten counted columns: Right reaches RECL/s
 * with its figure under it, the marks and the hint say what is hidden. */
static void columns_scroll_sideways(void **state)
{
	struct rig r;
	char line[256], fig[16];
	const char *at;

	(void)state;
	rig_open(&r, 80, 24);
	tui_feed(r.t, "p", 1);
	tui_render(r.t, &r.ring, &r.view);
	row(r.t, r.t->proc_head, line);
	assert_null(strstr(line, "RECL/s"));
	assert_int_equal(line[24], ' ');          /* nothing hidden at the left */
	assert_non_null(strstr(line, "MUNMAP/s#")); /* the mark: more at the right */
	assert_non_null(strstr(row(r.t, r.t->proc_head + 1, line), "cols 1-5 of 10, <- ->"));
	for (int i = 0; i < 9; i++) /* as far as it goes, and no further */
		tui_feed(r.t, "\033[C", 3);
	tui_render(r.t, &r.ring, &r.view);
	at = strstr(row(r.t, r.t->proc_head, line), "RECL/s");
	assert_non_null(at);
	assert_int_equal(line[24], '#');
	assert_non_null(strstr(row(r.t, r.t->proc_head + 1, line), "cols 6-10 of 10, <- ->"));
	fmt_rate(fig, sizeof(fig), 7);
	/* pid 101's row (second: sorted by requests), the figure ending under the name */
	row(r.t, r.t->proc_body + 1, line);
	assert_int_equal(atoi(line), 101);
	assert_memory_equal(line + (at - line) + 6 - strlen(fig), fig, strlen(fig));
	/* sorting by a hidden column brings it into view */
	tui_feed(r.t, "s", 1);
	tui_render(r.t, &r.ring, &r.view);
	assert_non_null(strstr(row(r.t, r.t->proc_head, line), "IPIS/s"));
	rig_close(&r);
}

/* The pids of the table's rows, top down, as one string "101 100 102". */
static const char *pids(const struct rig *r, char *buf)
{
	char line[256];

	buf[0] = '\0';
	for (int y = r->t->proc_body; y < r->t->proc_body + 3; y++)
		sprintf(buf + strlen(buf), "%s%d", y > r->t->proc_body ? " " : "", atoi(row(r->t, y, line)));
	return buf;
}

/* Whether the header marks the column named name as the sort column. */
static int marked(const struct rig *r, const char *name)
{
	char line[256];
	const char *at = strstr(row(r->t, r->t->proc_head, line), name);

	assert_non_null(at);
	return !!(screen_at(&r->t->scr, r->t->proc_head, (int)(at - line))->attr & ATTR_UNDERLINE);
}

static void keys(struct rig *r, const char *k)
{
	tui_feed(r->t, k, strlen(k));
	tui_render(r->t, &r->ring, &r->view);
}

/* < and > step the sort through every column as htop's users expect, PID,
 * COMM and CPU too (numbers largest first, names A to Z, ties by the
 * lower pid), the header marking it; I inverts. */
static void sort_keys_reach_every_column(void **state)
{
	struct rig r;
	struct frame *f;
	char got[64], line[256];

	(void)state;
	rig_open(&r, 120, 30);
	f = (struct frame *)ring_at_age(&r.ring, 0);
	f->procs.n = 3;
	f->procs.top[0].on_cpu = 1; /* cpu0 */
	f->procs.top[1].on_cpu = 2; /* cpu1 */
	f->procs.top[2] = (struct frame_proc){ .tgid = 102, .comm = "zz", .sent = 26068 }; /* CPU unknown */
	keys(&r, "p");
	assert_string_equal(pids(&r, got), "100 102 101"); /* FLUSHREQ/s, the tie by pid */
	assert_true(marked(&r, "FLUSHREQ/s"));
	keys(&r, "<");
	assert_int_equal(r.t->sort, SORT_CPU);
	assert_true(marked(&r, "CPU") && !marked(&r, "FLUSHREQ/s"));
	assert_string_equal(pids(&r, got), "101 100 102");
	keys(&r, "<");
	assert_true(marked(&r, "COMM"));
	assert_string_equal(pids(&r, got), "101 100 102"); /* fanner flusher zz */
	keys(&r, "<");
	assert_true(marked(&r, "PID") && !marked(&r, "COMM"));
	assert_string_equal(pids(&r, got), "102 101 100");
	assert_non_null(strstr(row(r.t, r.t->proc_head + 1, line), "PID: process id"));
	keys(&r, "I");
	assert_string_equal(pids(&r, got), "100 101 102");
	assert_non_null(strstr(row(r.t, r.t->proc_head + 1, line), "(inverted, I)"));
	keys(&r, "I<");
	assert_int_equal(r.t->sort, COL_RECLAIM); /* round to the last column, brought into view */
	assert_true(marked(&r, "RECL/s"));
	assert_string_equal(pids(&r, got), "101 100 102");
	keys(&r, ">>>>I");
	assert_int_equal(r.t->sort, COL_SENT);
	assert_string_equal(pids(&r, got), "101 100 102"); /* fewest requests first; 100, 102 tie */
	rig_close(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_key_listed_and_every_listed_key_acts),
		cmocka_unit_test(help_shows_keys_columns_and_units),
		cmocka_unit_test(header_click_sorts_and_bar_click_acts),
		cmocka_unit_test(columns_scroll_sideways),
		cmocka_unit_test(sort_keys_reach_every_column),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
