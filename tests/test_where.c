// SPDX-License-Identifier: GPL-2.0-only
/* The where view: Enter on a process in the process view opens its call
 * sites (frame.sites) under the table, asking main to point the stack
 * sampler at it; each site's row shows its kind, its share of the
 * process's events and its IPIs/s as computed here by hand, its caller
 * and its kernel path cut from the outermost end; Esc closes it and asks
 * for the target 0; playback without sites for the process says "not
 * recorded". */
#include "testlib.h"

#include "core/config.h"
#include "core/ring.h"
#include "ui/tui_internal.h"

#define PID 4242
#define KPATH "entry_SYSCALL_64;do_syscall_64;__x64_sys_munmap;__vm_munmap;unmap_region;flush_tlb_mm_range"

static void site(struct frame_site *s, int kind, const char *caller, const char *upath, const char *kpath,
		 uint64_t events, uint64_t ipis)
{
	s->kind = (uint8_t)kind;
	snprintf(s->caller, sizeof(s->caller), "%s", caller);
	snprintf(s->upath, sizeof(s->upath), "%s", upath);
	snprintf(s->kpath, sizeof(s->kpath), "%s", kpath);
	s->events = events;
	s->ipis = ipis;
}

/* Two processes, PID first by flush requests; its sites when with_sites:
 * munmap 640 events (1280 IPIs), a flush 320 (640), mprotect 64 (0),
 * 128 past the kept ones: 1152 in all, over a 1 s tick. */
static void make_frame(struct frame *f, int with_sites)
{
	frame_clear(f);
	f->interval_ns = 1000000000;
	f->online = 2;
	for (uint32_t c = 0; c < f->ncpu; c++)
		f->cpu[c].online = f->cpu[c].possible = f->cpu[c].present = 1;
	f->signals = 1u << SIG_SENDERS | 1u << SIG_MAP_OPS | 1u << SIG_STACKS;
	f->status[SRC_BPF].state = SOURCE_OK;
	f->procs.n = 2;
	f->procs.top[0] = (struct frame_proc){ .tgid = PID, .comm = "churn", .sent = 900 };
	f->procs.top[1] = (struct frame_proc){ .tgid = 7, .comm = "bash", .sent = 3 };
	if (!with_sites)
		return;
	f->sites = (struct frame_sites){ .tgid = PID, .period = 64, .n = 3, .other_events = 128 };
	site(&f->sites.site[0], SITE_MUNMAP, "unmap_hot+0x1f", "main;worker;unmap_hot+0x1f;munmap", "", 640, 1280);
	site(&f->sites.site[1], SITE_FLUSH, "unmap_hot+0x1f", "main;worker;unmap_hot+0x1f;munmap", KPATH, 320, 640);
	site(&f->sites.site[2], SITE_MPROTECT, "protect_cold+0x9", "main;worker;mprotect", "", 64, 0);
}

static int find_row(const struct tui *t, const char *what, char *row, size_t n)
{
	for (int y = 0; y < t->scr.h; y++) {
		screen_row(&t->scr, y, row, n);
		if (strstr(row, what))
			return y;
	}
	return -1;
}

static void dump_screen(const struct tui *t)
{
	char row[4096];

	for (int y = 0; y < t->scr.h; y++) {
		screen_row(&t->scr, y, row, sizeof(row));
		print_message("%2d|%s|\n", y, row);
	}
}

/* The row under the header whose kind is kind: its cells. */
static void row_of(const struct tui *t, int head, const char *kind, char *row, size_t n)
{
	char want[32];

	snprintf(want, sizeof(want), " %-9s", kind);
	for (int y = head + 1; y < t->scr.h; y++) {
		screen_row(&t->scr, y, row, n);
		if (strncmp(row, want, strlen(want)) == 0)
			return;
	}
	dump_screen(t);
	fail_msg("no %s row", kind);
}

/* A row's fields after the kind: share, IPIs/s, caller, path. */
static void expect(const char *row, const char *share, const char *ipis, const char *caller, const char *path)
{
	char s[32], i[32], c[80], p[400];

	if (sscanf(row + 10, "%31s %31s %79s %399s", s, i, c, p) != 4)
		fail_msg("row '%s' has not four fields", row);
	assert_string_equal(s, share);
	assert_string_equal(i, ipis);
	assert_string_equal(c, caller);
	assert_string_equal(p, path);
}

static void where_shows_hand_computed_sites(void **state)
{
	struct config cfg;
	struct tui_opts o = { .ncpu = 2, .cfg = &cfg, .cfg_path = "" };
	struct view v = { .interval_s = 1, .warn = 5, .crit = 20, .host = "h", .kernel = "k" };
	struct frame_ring r;
	char err[256], row[4096];
	struct tui *t;
	int head;

	(void)state;
	config_defaults(&cfg);
	assert_int_equal(ring_init(&r, 4, 2), 0);
	make_frame(ring_begin(&r), 1);
	ring_commit(&r);
	t = tui_headless(&o, 160, 40, DEPTH_256, err, sizeof(err));
	assert_non_null(t);
	tui_render(t, &r, &v);
	assert_int_equal(tui_feed(t, "p", 1), UI_NONE);
	tui_render(t, &r, &v);
	assert_int_equal(tui_where(t), 0);
	assert_int_equal(tui_feed(t, "\n", 1), UI_WHERE); /* main points the sampler at it */
	assert_int_equal(tui_where(t), PID);
	tui_render(t, &r, &v);
	if (find_row(t, "where: 4242 churn", row, sizeof(row)) < 0)
		dump_screen(t);
	head = find_row(t, " KIND", row, sizeof(row));
	assert_true(head > 0);
	/* shares of 1152: 640 -> 55.6 %, 320 -> 27.8 %, 64 -> 5.6 %, 128 -> 11.1 %;
	 * IPIs over 1 s: 1280 -> 1.3k, 640, 0 */
	row_of(t, head, "munmap", row, sizeof(row));
	expect(row, "55.6%", "1.3k", "unmap_hot+0x1f", "main;worker;unmap_hot+0x1f;munmap");
	row_of(t, head, "flush", row, sizeof(row));
	expect(row, "27.8%", "640", "unmap_hot+0x1f", KPATH);
	row_of(t, head, "mprotect", row, sizeof(row));
	expect(row, "5.6%", "0", "protect_cold+0x9", "main;worker;mprotect");
	assert_true(find_row(t, "+ sites past the 12 kept: 11.1% of events", row, sizeof(row)) > head);
	assert_int_equal(t->audit.cut + t->audit.overwrite, 0);
	tui_close(t);

	/* 80 columns: the kernel path keeps its innermost frames, marked cut */
	t = tui_headless(&o, 80, 30, DEPTH_256, err, sizeof(err));
	assert_non_null(t);
	tui_feed(t, "p", 1);
	tui_render(t, &r, &v);
	assert_int_equal(tui_feed(t, "\n", 1), UI_WHERE);
	tui_render(t, &r, &v);
	head = find_row(t, " KIND", row, sizeof(row));
	assert_true(head > 0);
	row_of(t, head, "flush", row, sizeof(row));
	assert_non_null(strstr(row, "\u2026;unmap_region;flush_tlb_mm_range"));
	assert_null(strstr(row, "entry_SYSCALL_64"));
	assert_int_equal(t->audit.cut + t->audit.overwrite, 0);
	assert_int_equal(tui_feed(t, "\x1b", 1), UI_WHERE); /* Esc: the target back to 0 */
	assert_int_equal(tui_where(t), 0);
	tui_render(t, &r, &v);
	assert_true(find_row(t, "where:", row, sizeof(row)) < 0);
	tui_close(t);
	ring_free(&r);
}

/* Playback of a frame without the process's sites: "not recorded". */
static void playback_without_sites_says_not_recorded(void **state)
{
	struct config cfg;
	struct tui_opts o = { .ncpu = 2, .cfg = &cfg, .cfg_path = "" };
	struct view v = { .interval_s = 1, .warn = 5, .crit = 20, .host = "h", .kernel = "k", .playback = 1 };
	struct frame_ring r;
	char err[256], row[4096];
	struct tui *t;

	(void)state;
	config_defaults(&cfg);
	assert_int_equal(ring_init(&r, 4, 2), 0);
	make_frame(ring_begin(&r), 0);
	ring_commit(&r);
	t = tui_headless(&o, 120, 30, DEPTH_256, err, sizeof(err));
	assert_non_null(t);
	tui_feed(t, "p", 1);
	tui_render(t, &r, &v);
	assert_int_equal(tui_feed(t, "\n", 1), UI_WHERE);
	tui_render(t, &r, &v);
	if (find_row(t, "not recorded", row, sizeof(row)) < 0)
		dump_screen(t);
	assert_true(find_row(t, "not recorded", row, sizeof(row)) > 0);
	assert_true(find_row(t, " KIND", row, sizeof(row)) < 0);
	tui_close(t);
	ring_free(&r);
}

/* Cutting a path: whole outer frames first, then the innermost frame's
 * start; widths measured in cells (a wide character counts two). */
static void path_tail_keeps_the_innermost_end(void **state)
{
	char buf[1024];

	(void)state;
	assert_string_equal(ui_where_tail(buf, sizeof(buf), "a;bb;ccc", 8, 0), "a;bb;ccc");
	assert_string_equal(ui_where_tail(buf, sizeof(buf), "a;bb;ccc", 7, 0), "\u2026;ccc");
	assert_string_equal(ui_where_tail(buf, sizeof(buf), "aaaa;bb;ccc", 8, 0), "\u2026;bb;ccc");
	assert_string_equal(ui_where_tail(buf, sizeof(buf), "a;bb;ccc", 5, 1), "~;ccc");
	assert_string_equal(ui_where_tail(buf, sizeof(buf), "a;bb;ccc", 3, 0), "\u2026cc");
	assert_string_equal(ui_where_tail(buf, sizeof(buf), "x;\xe4\xb8\xad\xe6\x96\x87", 6, 0), "x;\u4e2d\u6587");
	assert_string_equal(ui_where_tail(buf, sizeof(buf), "xx;\xe4\xb8\xad\xe6\x96\x87", 6, 0), "\u2026;\u4e2d\u6587");
	assert_string_equal(ui_where_tail(buf, sizeof(buf), "x;\xe4\xb8\xad\xe6\x96\x87", 4, 0), "\u2026\u6587");
	/* a control in a name is shown as U+FFFD, one cell, never sent */
	assert_string_equal(ui_where_tail(buf, sizeof(buf), "a;\x1b[2J", 5, 0), "\u2026\ufffd[2J");
	assert_string_equal(ui_where_tail(buf, sizeof(buf), "ab;\x1b[2J", 6, 0), "\u2026;\ufffd[2J");
	assert_string_equal(ui_where_tail(buf, sizeof(buf), "", 6, 0), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(where_shows_hand_computed_sites),
		cmocka_unit_test(playback_without_sites_says_not_recorded),
		cmocka_unit_test(path_tail_keeps_the_innermost_end),
	};
	return cmocka_run_group_tests_name("where", tests, NULL, NULL);
}
