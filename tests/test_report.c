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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hostile_strings_are_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
