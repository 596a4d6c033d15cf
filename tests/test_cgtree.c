// SPDX-License-Identifier: GPL-2.0-only
/* The process table grouped by cgroup (`g`): container scopes by their
 * 12-hex short id, pods by uid, rows indented by depth with their own
 * processes under them and the sums as given (a hand rate over 1 s);
 * --cgroup cuts the screen to a subtree and says so; a host without the
 * view says why in one line. */
#include "testlib.h"

#include "core/config.h"
#include "core/ring.h"
#include "ui/cgtree.h"
#include "ui/tui_internal.h"

#define HEX64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void labels(void **state)
{
	char b[FRAME_CGROUP_PATH];

	(void)state;
	assert_string_equal(cgroup_label("/system.slice/docker-" HEX64 ".scope", b, sizeof(b)), "docker 0123456789ab");
	assert_string_equal(cgroup_label("/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1a2b_3c4d.slice/"
					 "cri-containerd-" HEX64 ".scope", b, sizeof(b)), "cri-containerd 0123456789ab");
	assert_string_equal(cgroup_label("/machine.slice/libpod-" HEX64 ".scope", b, sizeof(b)), "libpod 0123456789ab");
	assert_string_equal(cgroup_label("/kubepods.slice/crio-" HEX64 ".scope", b, sizeof(b)), "crio 0123456789ab");
	assert_string_equal(cgroup_label("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1a2b_3c4d.slice",
					 b, sizeof(b)), "pod 1a2b-3c4d");
	assert_string_equal(cgroup_label("/kubepods/burstable/pod0f1e-22/", b, sizeof(b)), "pod 0f1e-22");
	/* not a container: one hex digit short, upper case, no .scope */
	assert_string_equal(cgroup_label("/docker-" HEX64 "x.scope", b, sizeof(b)), "docker-" HEX64 "x.scope");
	assert_string_equal(cgroup_label("/system.slice/docker-" HEX64, b, sizeof(b)), "docker-" HEX64);
	assert_string_equal(cgroup_label("/user.slice/podman.service", b, sizeof(b)), "podman.service");
	assert_string_equal(cgroup_label("/", b, sizeof(b)), "/");
	/* a cgroup whose path was not found (deeper than the walk, longer
	 * than its buffer, gone): not the root */
	assert_string_equal(cgroup_label("", b, sizeof(b)), "(no path)");
	assert_int_equal(cgroup_depth("/"), 0);
	assert_int_equal(cgroup_depth("/a.slice"), 1);
	assert_int_equal(cgroup_depth("/a.slice/b.slice/c.scope"), 3);
	assert_true(cgroup_in_subtree("/a/b", "/a"));
	assert_true(cgroup_in_subtree("/a", "/a/"));
	assert_false(cgroup_in_subtree("/ab", "/a"));
	assert_true(cgroup_in_subtree("/x", "/"));
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

/* The row holding what, its indentation (leading blanks) checked. */
static int row_at(const struct tui *t, const char *what, int indent, char *row, size_t n)
{
	int y = find_row(t, what, row, n);

	if (y < 0) {
		dump_screen(t);
		fail_msg("no row with '%s'", what);
	}
	assert_int_equal((int)strspn(row, " "), indent);
	assert_int_equal(strncmp(row + indent, what, strlen(what)), 0);
	return y;
}

static void make_frame(struct frame *f)
{
	frame_clear(f);
	f->interval_ns = 1000000000;
	f->online = 2;
	for (uint32_t c = 0; c < f->ncpu; c++)
		f->cpu[c].online = f->cpu[c].possible = f->cpu[c].present = 1;
	f->signals = 1u << SIG_SENDERS | 1u << SIG_MAP_OPS;
	f->status[SRC_BPF].state = SOURCE_OK;
	f->cgroups.state = CGROUPS_OK;
	f->cgroups.n = 2;
	f->cgroups.top[0] = (struct frame_cgroup){ .id = 11, .path = "/system.slice/docker-" HEX64 ".scope",
						   .procs = 2, .sum = { .sent = 900, .cgroup_id = 11 } };
	f->cgroups.top[1] = (struct frame_cgroup){ .id = 22, .path = "/kubepods.slice/kubepods-burstable.slice/"
							 "kubepods-burstable-pod1a2b_3c4d.slice", .procs = 1,
						   .sum = { .sent = 40, .cgroup_id = 22 } };
	f->cgroups.others = 3;
	f->cgroups.other.sum.sent = 7;
	f->procs.n = 3;
	f->procs.top[0] = (struct frame_proc){ .tgid = 4242, .comm = "churn", .sent = 600, .cgroup_id = 11 };
	f->procs.top[1] = (struct frame_proc){ .tgid = 4243, .comm = "churn2", .sent = 300, .cgroup_id = 11 };
	f->procs.top[2] = (struct frame_proc){ .tgid = 77, .comm = "pause", .sent = 40, .cgroup_id = 22 };
}

static void grouped_rows(void **state)
{
	struct config cfg;
	struct tui_opts o = { .ncpu = 2, .cfg = &cfg, .cfg_path = "" };
	struct view v = { .interval_s = 1, .warn = 5, .crit = 20, .host = "h", .kernel = "k" };
	struct frame_ring r;
	struct frame *f;
	char err[256], row[4096];
	struct tui *t;
	int y0, y1, y2, y3;

	(void)state;
	config_defaults(&cfg);
	assert_int_equal(ring_init(&r, 4, 2), 0);
	f = ring_begin(&r);
	make_frame(f);
	/* the root cgroup last, with a process of its own */
	f->cgroups.top[f->cgroups.n++] = (struct frame_cgroup){ .id = 1, .path = "/", .procs = 1,
								.sum = { .sent = 5, .cgroup_id = 1 } };
	f->procs.top[f->procs.n++] = (struct frame_proc){ .tgid = 1234, .comm = "rooted", .sent = 5, .cgroup_id = 1 };
	ring_commit(&r);
	t = tui_headless(&o, 160, 40, DEPTH_256, err, sizeof(err));
	assert_non_null(t);
	assert_int_equal(tui_feed(t, "p", 1), UI_NONE);
	assert_int_equal(tui_feed(t, "g", 1), UI_NONE);
	tui_render(t, &r, &v);
	/* docker scope at depth 2 -> indent 2, its processes at 4; the pod at depth 3 -> 4, its process 6 */
	y0 = row_at(t, "docker 0123456789ab", 2, row, sizeof(row));
	y1 = row_at(t, "4242 churn", 4, row, sizeof(row));
	y2 = row_at(t, "4243 churn2", 4, row, sizeof(row));
	y3 = row_at(t, "pod 1a2b-3c4d", 4, row, sizeof(row));
	assert_true(y0 < y1 && y1 < y2 && y2 < y3);
	assert_int_equal(row_at(t, "77 pause", 6, row, sizeof(row)), y3 + 1);
	/* "/" at indent 0 and its process one level under it (it was at 0 too,
	 * level with its cgroup, unlike every other cgroup's processes) */
	assert_int_equal(row_at(t, "/ ", 0, row, sizeof(row)), y3 + 2);
	assert_int_equal(row_at(t, "1234 rooted", 2, row, sizeof(row)), y3 + 3);
	assert_int_equal(row_at(t, "+ 3 other cgroups", 0, row, sizeof(row)), y3 + 4);
	/* the sums as given: 900 sends over 1 s in the cgroup's row */
	screen_row(&t->scr, y0, row, sizeof(row));
	assert_non_null(strstr(row, " 900 "));
	/* g again: the flat table */
	assert_int_equal(tui_feed(t, "g", 1), UI_NONE);
	tui_render(t, &r, &v);
	assert_true(find_row(t, "docker 0123456789ab", row, sizeof(row)) < 0);
	tui_close(t);
	ring_free(&r);
}

/* --cgroup /kubepods.slice: the header says so, the process table holds
 * the pod's process only, the grouped view the pod only; "/" keeps all. */
static void filter_cuts_the_screen(void **state)
{
	struct config cfg;
	struct tui_opts o = { .ncpu = 2, .cfg = &cfg, .cfg_path = "", .cgroup = "/kubepods.slice" };
	struct view v = { .interval_s = 1, .warn = 5, .crit = 20, .host = "h", .kernel = "k" };
	struct frame_ring r;
	char err[256], row[4096];
	struct tui *t;

	(void)state;
	config_defaults(&cfg);
	assert_int_equal(ring_init(&r, 4, 2), 0);
	make_frame(ring_begin(&r));
	ring_commit(&r);
	t = tui_headless(&o, 160, 40, DEPTH_256, err, sizeof(err));
	assert_non_null(t);
	tui_feed(t, "p", 1);
	tui_render(t, &r, &v);
	screen_row(&t->scr, 1, row, sizeof(row));
	assert_int_equal(strncmp(row, " cgroup /kubepods.slice ", 24), 0);
	assert_true(find_row(t, "   77 pause", row, sizeof(row)) > 1);
	assert_true(find_row(t, "churn", row, sizeof(row)) < 0);
	assert_true(find_row(t, "other processes", row, sizeof(row)) < 0);
	tui_feed(t, "g", 1);
	tui_render(t, &r, &v);
	row_at(t, "pod 1a2b-3c4d", 4, row, sizeof(row));
	assert_true(find_row(t, "docker", row, sizeof(row)) < 0);
	assert_true(find_row(t, "other cgroups", row, sizeof(row)) < 0);
	tui_close(t);
	o.cgroup = "/";
	t = tui_headless(&o, 160, 40, DEPTH_256, err, sizeof(err));
	tui_feed(t, "p", 1);
	tui_render(t, &r, &v);
	assert_true(find_row(t, "4242 churn", row, sizeof(row)) > 1);
	assert_true(find_row(t, "77 pause", row, sizeof(row)) > 1);
	tui_close(t);
	ring_free(&r);
}

static void unavailable_says_why(void **state)
{
	struct config cfg;
	struct tui_opts o = { .ncpu = 2, .cfg = &cfg, .cfg_path = "" };
	struct view v = { .interval_s = 1, .warn = 5, .crit = 20, .host = "h", .kernel = "k" };
	struct frame_ring r;
	char err[256], row[4096];
	struct frame *f;
	struct tui *t;

	(void)state;
	config_defaults(&cfg);
	assert_int_equal(ring_init(&r, 4, 2), 0);
	f = ring_begin(&r);
	make_frame(f);
	memset(&f->cgroups, 0, sizeof(f->cgroups));
	f->cgroups.state = CGROUPS_V1_ONLY;
	snprintf(f->cgroups.why, FRAME_REASON_LEN, "cgroup v1: no cgroup2 mount in /proc/mounts");
	ring_commit(&r);
	t = tui_headless(&o, 160, 40, DEPTH_256, err, sizeof(err));
	assert_non_null(t);
	tui_feed(t, "p", 1);
	tui_feed(t, "g", 1);
	tui_render(t, &r, &v);
	if (find_row(t, "per-cgroup view unavailable: cgroup v1: no cgroup2 mount in /proc/mounts", row,
		     sizeof(row)) < 0) {
		dump_screen(t);
		fail_msg("no why line");
	}
	/* none collected: a recording older than the view, played, has BPF
	 * on and still none, so the line names both causes */
	f = ring_begin(&r);
	make_frame(f);
	memset(&f->cgroups, 0, sizeof(f->cgroups));
	ring_commit(&r);
	tui_render(t, &r, &v);
	if (find_row(t, "unavailable: not collected (needs the eBPF collector; recordings older than the view have none)",
		     row, sizeof(row)) < 0) {
		dump_screen(t);
		fail_msg("no why line for a frame without cgroups");
	}
	tui_close(t);
	ring_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(labels),
		cmocka_unit_test(grouped_rows),
		cmocka_unit_test(filter_cuts_the_screen),
		cmocka_unit_test(unavailable_says_why),
	};
	return cmocka_run_group_tests_name("cgtree", tests, NULL, NULL);
}
