// SPDX-License-Identifier: GPL-2.0-only
/* The report page (src/cmd/report_html.c) from crafted frames: every
 * hostile string a recording can carry comes out as text, never markup;
 * one heatmap row per CPU; the transitions listed.  With
 * STORMTOP_HOSTILE_HTML set the page is also written there, for
 * tests/report_test.sh to open in a browser. */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/report_html.h"
#include "cmd/report_sites.h"
#include "core/ring.h"
#include "record/recwriter.h"

static const char *const hostile[] = {
	"<img src=x>",                              /* a process name (15 bytes kept) */
	"\"><svg onload=alert(1)>",                 /* a transition's reason */
	"<iframe src=//e>",                         /* a hygiene observation */
	"<b>host</b>",                              /* the host name */
	"</title><script>alert(2)</script>",        /* the kernel string */
};

static void fill(struct frame *f, uint64_t t)
{
	frame_clear(f);
	f->seq = t;
	f->wall_ns = (int64_t)(1700000000 + t) * 1000000000;
	f->mono_ns = (int64_t)t * 1000000000;
	f->interval_ns = 1000000000;
	f->irq_present = 1u << IRQ_TLB;
	f->signals = 1u << SIG_SENDERS;
	for (uint32_t c = 0; c < 3; c++) {
		f->cpu[c].online = 1;
		f->cpu[c].irq[IRQ_TLB] = c * 100 + t;
	}
	f->procs.n = 1;
	f->procs.top[0] = (struct frame_proc){ .tgid = 42, .sent = 5 };
	snprintf(f->procs.top[0].comm, FRAME_COMM_LEN, "%s", hostile[0]);
	f->regime.tlb_was = t >= 3;
	f->regime.tlb = t >= 2;
	if (t == 2)
		snprintf(f->regime.why, sizeof(f->regime.why), "%s", hostile[1]);
	f->hygiene.n = 1;
	f->hygiene.item[0] = (struct frame_hyg_item){ .check = 0, .state = HYG_FINDING };
	snprintf(f->hygiene.item[0].observed, FRAME_HYG_OBS, "%s", hostile[2]);
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static void hostile_strings_are_text(void **state)
{
	struct frame_ring ring;
	struct rec_window w = { .path = "x<y>.rec" };
	char err[200], *buf = NULL;
	size_t len = 0;
	FILE *f;
	const char *keep = getenv("STORMTOP_HOSTILE_HTML");

	(void)state;
	assert_int_equal(ring_init(&ring, 1, 3), 0);
	w.sum = summary_new(3, 6, err, sizeof(err));
	assert_non_null(w.sum);
	snprintf(w.host, sizeof(w.host), "%s", hostile[3]);
	snprintf(w.kernel, sizeof(w.kernel), "%s", hostile[4]);
	for (uint64_t t = 0; t < 6; t++) {
		fill(&ring.frames[0], t);
		summary_add(w.sum, &ring.frames[0]);
	}
	summary_finish(w.sum);
	assert_non_null(f = open_memstream(&buf, &len));
	report_page(f, &w, 5, 20);
	fclose(f);
	/* no markup of theirs: each would be an element or an attribute */
	assert_null(strstr(buf, "<img"));
	assert_null(strstr(buf, "<svg onload"));
	assert_null(strstr(buf, "<iframe"));
	assert_null(strstr(buf, "<b>"));
	assert_null(strstr(buf, "<script"));
	assert_non_null(strstr(buf, "&lt;/title&gt;&lt;script&gt;alert(2)"));
	/* ... and each is there as text */
	assert_non_null(strstr(buf, "&lt;img src=x&gt;"));
	assert_non_null(strstr(buf, "&quot;&gt;&lt;svg onload=alert(1)&gt;"));
	assert_non_null(strstr(buf, "&lt;iframe src=//e&gt;"));
	assert_non_null(strstr(buf, "&lt;b&gt;host&lt;/b&gt;"));
	assert_non_null(strstr(buf, "x&lt;y&gt;.rec"));
	/* one row per CPU in the TLB heatmap (3); the frames hold no IOTLB,
	 * run-queue or jitter figure, so those say so instead of drawing 0s;
	 * one transition (tick 2) */
	assert_int_equal(count(buf, "<g class=\"row\" transform=\"translate(0,"), 3);
	assert_int_equal(count(buf, "Not in this recording"), 3);
	assert_int_equal(count(buf, "<tr class=\"transition\""), 1);
	/* CPU 2 at tick 1: 201 IPIs over the tick's 1 s */
	assert_non_null(strstr(buf, "class=\"h4\" data-t=\"1\" data-v=\"201\""));
	if (keep) {
		FILE *o = fopen(keep, "w");

		assert_non_null(o);
		fwrite(buf, 1, len, o);
		fclose(o);
	}
	free(buf);
	summary_free(w.sum);
	ring_free(&ring);
}

/* The correlator's figures on the page without an exponent: an r of
 * 0.0000123 (by hand, three significant digits of the float) reads
 * "0.0000123" in the table and in the lag row, not "1.23e-05". */
static void corr_figures_have_no_exponent(void **state)
{
	struct frame_ring ring;
	struct rec_window w = { .path = "corr.rec" };
	char err[200], *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	assert_int_equal(ring_init(&ring, 1, 3), 0);
	assert_non_null(w.sum = summary_new(3, 2, err, sizeof(err)));
	for (uint64_t t = 0; t < 2; t++) {
		fill(&ring.frames[0], t);
		ring.frames[0].corr.window = 30;
		ring.frames[0].corr.r_tlb = 0.0000123f;
		ring.frames[0].corr.nlags = 1;
		ring.frames[0].corr.lag_rs[0] = -0.0000456f;
		summary_add(w.sum, &ring.frames[0]);
	}
	summary_finish(w.sum);
	assert_non_null(f = open_memstream(&buf, &len));
	report_page(f, &w, 5, 20);
	fclose(f);
	assert_non_null(strstr(buf, "data-field=\"corr_r_tlb\">0.0000123</td>"));
	assert_non_null(strstr(buf, "<td>-0.0000456</td>"));
	assert_null(strstr(buf, "e-05"));
	free(buf);
	summary_free(w.sum);
	ring_free(&ring);
}

/* A cgroup path is the directory names as the kernel has them: markup is
 * possible (a name may hold anything but '/' and NUL). */
#define CG_HOSTILE "/x.slice/<img src=y onerror=alert(3)>.scope"

/* File A's tick t: cgroup 7 (hostile path) sends 5 with fan-out 10; the
 * b.service cgroup id 9 sends 2; on odd ticks b.service was made again
 * (id 11, the same path) and sends 4; other 1.  File B (b set): cgroup 7
 * sends 20, no b.service.  By hand over A's 6 ticks of 1 s: id 7 30 sent,
 * id 9 12, id 11 12 (3 ticks x 4), other 6; by path b.service 24, 4 /s. */
static void fill_cg(struct frame *f, uint64_t t, int b)
{
	struct frame_cgroups *g = &f->cgroups;

	fill(f, t);
	g->state = CGROUPS_OK;
	g->n = 1;
	g->top[0] = (struct frame_cgroup){ .id = 7, .procs = 2, .sum = { .sent = b ? 20 : 5, .fanout = 10 } };
	snprintf(g->top[0].path, FRAME_CGROUP_PATH, "%s", CG_HOSTILE);
	if (!b) {
		g->top[g->n] = (struct frame_cgroup){ .id = 9, .procs = 1, .sum = { .sent = 2 } };
		snprintf(g->top[g->n++].path, FRAME_CGROUP_PATH, "/system.slice/b.service");
		if (t % 2) {
			g->top[g->n] = (struct frame_cgroup){ .id = 11, .procs = 1, .sum = { .sent = 4 } };
			snprintf(g->top[g->n++].path, FRAME_CGROUP_PATH, "/system.slice/b.service");
		}
		g->other.sum.sent = 1;
		g->others = 3;
	}
}

/* The summary's cgroups against the hand sums above, the page's "Top
 * cgroups" table with the hostile path as text; with STORMTOP_CG_DIR set
 * the two files are also written there (cg_a.rec, cg_b.rec) for
 * tests/report_test.sh to report and diff. */
static void cgroups_summed_and_shown(void **state)
{
	struct frame_ring ring;
	struct rec_window w = { .path = "cg.rec" };
	struct rec_meta meta = { .ncpu = 3, .interval_ns = 1000000000 };
	const char *dir = getenv("STORMTOP_CG_DIR");
	char err[200], *buf = NULL, path[512];
	size_t len = 0;
	FILE *f;

	(void)state;
	assert_int_equal(ring_init(&ring, 1, 3), 0);
	w.sum = summary_new(3, 6, err, sizeof(err));
	assert_non_null(w.sum);
	for (uint64_t t = 0; t < 6; t++) {
		fill_cg(&ring.frames[0], t, 0);
		summary_add(w.sum, &ring.frames[0]);
	}
	summary_finish(w.sum);
	assert_int_equal(w.sum->cg_state, CGROUPS_OK);
	assert_int_equal(w.sum->ncgroups, 3);
	assert_int_equal(w.sum->cgroups[0].id, 7);
	assert_string_equal(w.sum->cgroups[0].path, CG_HOSTILE);
	assert_int_equal(w.sum->cgroups[0].sum.sent, 30);
	assert_int_equal(w.sum->cgroups[0].sum.fanout, 60);
	assert_int_equal(w.sum->cgroups[0].procs, 2);
	assert_int_equal(w.sum->cgroups[1].id, 9);
	assert_int_equal(w.sum->cgroups[1].sum.sent, 12);
	assert_int_equal(w.sum->cgroups[2].id, 11);
	assert_int_equal(w.sum->cgroups[2].sum.sent, 12);
	assert_string_equal(w.sum->cgroups[2].path, "/system.slice/b.service");
	assert_int_equal(w.sum->cg_other.sum.sent, 6);
	assert_int_equal(w.sum->cg_others, 3);
	assert_non_null(f = open_memstream(&buf, &len));
	report_page(f, &w, 5, 20);
	fclose(f);
	assert_non_null(strstr(buf, "<h2>Top cgroups over the window</h2>"));
	assert_null(strstr(buf, "<img"));
	assert_non_null(strstr(buf, "/x.slice/&lt;img src=y onerror=alert(3)&gt;.scope"));
	assert_int_equal(count(buf, "<tr class=\"cgroup\">"), 4); /* 3 and other */
	free(buf);
	summary_free(w.sum);
	for (int b = 0; dir && b < 2; b++) {
		struct rec_writer *rw;

		snprintf(path, sizeof(path), "%s/cg_%c.rec", dir, b ? 'b' : 'a');
		rw = rec_writer_open(path, &meta, NULL, err, sizeof(err));
		if (!rw)
			fail_msg("%s", err);
		for (uint64_t t = 0; t < 6; t++) {
			fill_cg(&ring.frames[0], t, b);
			assert_int_equal(rec_writer_append(rw, &ring.frames[0], err, sizeof(err)), 0);
		}
		rec_writer_close(rw);
	}
	ring_free(&ring);
}

/* A recording without the per-cgroup view says so, and a v1-only one
 * gives its why, instead of an empty table. */
static void cgroups_absent_says_why(void **state)
{
	struct frame_ring ring;
	struct rec_window w = { .path = "v1.rec" };
	char err[200], *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	assert_int_equal(ring_init(&ring, 1, 3), 0);
	for (int v1 = 0; v1 < 2; v1++) {
		w.sum = summary_new(3, 2, err, sizeof(err));
		assert_non_null(w.sum);
		for (uint64_t t = 0; t < 2; t++) {
			fill(&ring.frames[0], t);
			if (v1) {
				ring.frames[0].cgroups.state = CGROUPS_V1_ONLY;
				snprintf(ring.frames[0].cgroups.why, FRAME_REASON_LEN, "cgroup v1 only: <why>");
			}
			summary_add(w.sum, &ring.frames[0]);
		}
		summary_finish(w.sum);
		assert_non_null(f = open_memstream(&buf, &len));
		report_page(f, &w, 5, 20);
		fclose(f);
		assert_non_null(strstr(buf, v1 ? "cgroup v1 only: &lt;why&gt;" : "No per-cgroup figures in this recording (they need "
					    "the eBPF collector; recordings older than the per-cgroup view have none)."));
		assert_int_equal(count(buf, "<tr class=\"cgroup\">"), 0);
		free(buf);
		buf = NULL;
		summary_free(w.sum);
	}
	ring_free(&ring);
}

/* Call sites with markup where a recording can carry it: a caller, a
 * kernel path, a user path, the process's name. */
#define SITE_CALLER "<script>alert(6)</script>"
#define SITE_KPATH "munmap;<img src=k onerror=alert(4)>;flush_tlb_mm_range"
#define SITE_UPATH "main;\"><svg onload=alert(5)>"
#define SITE_COMM "<i>sim</i>"

/* Tick t samples pid 77: a flush from SITE_CALLER (32 events, 64 IPIs),
 * munmaps from unmap_here+0x8 (96 events), other 32 events 2 IPIs; the
 * process is in the list as SITE_COMM.  By hand over 6 ticks: flush 192
 * events 384 IPIs, munmap 576, other 192 events 12 IPIs: 960 events,
 * 396 IPIs; shares 60.0 (munmap), 20.0 (flush), 20.0 (other). */
static void fill_sites(struct frame *f, uint64_t t)
{
	struct frame_sites *fs = &f->sites;

	fill(f, t);
	f->signals |= 1u << SIG_STACKS;
	f->procs.top[0].tgid = 77;
	snprintf(f->procs.top[0].comm, FRAME_COMM_LEN, "%s", SITE_COMM);
	fs->tgid = 77;
	fs->period = 16;
	fs->n = 2;
	fs->site[0] = (struct frame_site){ .kind = SITE_MUNMAP, .events = 96, .caller = "unmap_here+0x8",
					   .upath = "main;unmap_here" };
	fs->site[1] = (struct frame_site){ .kind = SITE_FLUSH, .events = 32, .ipis = 64, .caller = SITE_CALLER,
					   .upath = SITE_UPATH, .kpath = SITE_KPATH };
	fs->other_events = 32;
	fs->other_ipis = 2;
}

/* The page's "Where: call sites" against the hand sums above, every
 * string as text; with STORMTOP_SITES_DIR set the recording is also
 * written there (sites.rec) for tests/report_test.sh to report and open
 * in Chromium. */
static void sites_summed_and_shown(void **state)
{
	struct frame_ring ring;
	struct rec_window w = { .path = "sites.rec" };
	struct rec_meta meta = { .ncpu = 3, .interval_ns = 1000000000 };
	const char *dir = getenv("STORMTOP_SITES_DIR");
	char err[200], *buf = NULL, path[512];
	size_t len = 0;
	FILE *f;

	(void)state;
	assert_int_equal(ring_init(&ring, 1, 3), 0);
	w.sum = summary_new(3, 6, err, sizeof(err));
	assert_non_null(w.sum);
	for (uint64_t t = 0; t < 6; t++) {
		fill_sites(&ring.frames[0], t);
		summary_add(w.sum, &ring.frames[0]);
	}
	summary_finish(w.sum);
	assert_non_null(f = open_memstream(&buf, &len));
	report_page(f, &w, 5, 20);
	fclose(f);
	/* after the senders, before the cgroups */
	assert_non_null(strstr(buf, "<h2>Where: call sites</h2>"));
	assert_true(strstr(buf, "id=\"senders\"") < strstr(buf, "id=\"sites\""));
	assert_true(strstr(buf, "id=\"sites\"") < strstr(buf, "id=\"cgroups\""));
	assert_null(strstr(buf, "were not recorded"));
	assert_non_null(strstr(buf, "<h3 class=\"siteproc\" data-tgid=\"77\">77 &lt;i&gt;sim&lt;/i&gt;</h3>"));
	assert_non_null(strstr(buf, "Sampled in 6 ticks (the last 1 in 16 events); 960 events, 396 IPIs."));
	assert_non_null(strstr(buf, "<tr class=\"site\"><td class=\"l\">munmap</td><td>60.0</td><td>576</td>"
				    "<td>0</td><td class=\"l\">unmap_here+0x8</td>"));
	assert_non_null(strstr(buf, "<tr class=\"site\"><td class=\"l\">flush</td><td>20.0</td><td>192</td>"
				    "<td>384</td><td class=\"l\">&lt;script&gt;alert(6)&lt;/script&gt;</td>"));
	assert_non_null(strstr(buf, "<tr class=\"site-other\"><td class=\"l\">other</td><td>20.0</td><td>192</td>"
				    "<td>12</td>"));
	assert_int_equal(count(buf, "<tr class=\"site\">"), 2);
	/* the munmap row comes first (most events) */
	assert_true(strstr(buf, ">munmap</td><td>60.0") < strstr(buf, ">flush</td><td>20.0"));
	/* no markup of theirs, each string as text */
	assert_null(strstr(buf, "<script"));
	assert_null(strstr(buf, "<img"));
	assert_null(strstr(buf, "<svg onload"));
	assert_null(strstr(buf, "<i>"));
	assert_non_null(strstr(buf, ">munmap;&lt;img src=k onerror=alert(4)&gt;;flush_tlb_mm_range</td>"));
	assert_non_null(strstr(buf, ">main;&quot;&gt;&lt;svg onload=alert(5)&gt;</td>"));
	free(buf);
	summary_free(w.sum);
	if (dir) {
		struct rec_writer *rw;

		snprintf(path, sizeof(path), "%s/sites.rec", dir);
		rw = rec_writer_open(path, &meta, NULL, err, sizeof(err));
		if (!rw)
			fail_msg("%s", err);
		for (uint64_t t = 0; t < 6; t++) {
			fill_sites(&ring.frames[0], t);
			assert_int_equal(rec_writer_append(rw, &ring.frames[0], err, sizeof(err)), 0);
		}
		rec_writer_close(rw);
	}
	ring_free(&ring);
}

/* A window with no sites says how to get them, in one line. */
static void sites_absent_says_how(void **state)
{
	struct frame_ring ring;
	struct rec_window w = { .path = "plain.rec" };
	char err[200], *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	assert_int_equal(ring_init(&ring, 1, 3), 0);
	w.sum = summary_new(3, 2, err, sizeof(err));
	assert_non_null(w.sum);
	for (uint64_t t = 0; t < 2; t++) {
		fill(&ring.frames[0], t);
		summary_add(w.sum, &ring.frames[0]);
	}
	summary_finish(w.sum);
	assert_non_null(f = open_memstream(&buf, &len));
	report_page(f, &w, 5, 20);
	fclose(f);
	assert_non_null(strstr(buf, "<p class=\"note\">call sites were not recorded (open the where view, Enter in "
				    "the process view, while recording)</p></section>"));
	assert_int_equal(count(buf, "class=\"site"), 0);
	free(buf);
	summary_free(w.sum);
	ring_free(&ring);
}

/* A path wider than the page's columns keeps its innermost frames whole
 * after "…" (the ';' stays); a lone frame too wide keeps its end. */
static void long_paths_keep_the_innermost(void **state)
{
	char path[FRAME_SITE_PATH], out[FRAME_SITE_PATH + 8];
	size_t at = 0;

	(void)state;
	for (int i = 0; at + 8 < sizeof(path); i++)
		at += (size_t)snprintf(path + at, sizeof(path) - at, "%sfn%03d", i ? ";" : "", i);
	/* 42 frames of 5 (fn000..fn041) with ';' between: 251 columns */
	assert_int_equal(strlen(path), 42 * 6 - 1);
	report_path_tail(out, sizeof(out), path, REPORT_PATH_COLS);
	/* the innermost 15 frames are 90 columns with their ';', 91 with "…" (16: 97) */
	assert_string_equal(out, "\u2026;fn027;fn028;fn029;fn030;fn031;fn032;fn033;fn034;fn035;fn036;fn037;"
			    "fn038;fn039;fn040;fn041");
	assert_string_equal(report_path_tail(out, sizeof(out), "a;b", 10), "a;b");
	assert_string_equal(report_path_tail(out, sizeof(out), "outer;abcdefghij", 6), "\u2026fghij");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hostile_strings_are_text),
		cmocka_unit_test(corr_figures_have_no_exponent),
		cmocka_unit_test(cgroups_summed_and_shown),
		cmocka_unit_test(cgroups_absent_says_why),
		cmocka_unit_test(sites_summed_and_shown),
		cmocka_unit_test(sites_absent_says_how),
		cmocka_unit_test(long_paths_keep_the_innermost),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
