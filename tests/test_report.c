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
		assert_non_null(strstr(buf, v1 ? "cgroup v1 only: &lt;why&gt;" : "No per-cgroup figures in this recording"));
		assert_int_equal(count(buf, "<tr class=\"cgroup\">"), 0);
		free(buf);
		buf = NULL;
		summary_free(w.sum);
	}
	ring_free(&ring);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hostile_strings_are_text),
		cmocka_unit_test(cgroups_summed_and_shown),
		cmocka_unit_test(cgroups_absent_says_why),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
