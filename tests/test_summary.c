// SPDX-License-Identifier: GPL-2.0-only
/* The window summary (src/stages/summary.c) against figures worked out by
 * hand from the frames fed to it. */
#include "testlib.h"

#include <math.h>
#include <string.h>

#include "core/hist.h"
#include "core/ring.h"
#include "stages/summary.h"

/* 4 CPUs on nodes 0,0,1,1; 1 s ticks; CPU c receives tlb[t][c] TLB IPIs. */
static void fill(struct frame *f, uint64_t seq, const uint64_t *tlb)
{
	frame_clear(f);
	f->seq = seq;
	f->wall_ns = (int64_t)(1000 + seq) * 1000000000;
	f->mono_ns = f->wall_ns;
	f->interval_ns = 1000000000;
	f->irq_present = 1u << IRQ_TLB;
	for (uint32_t c = 0; c < 4; c++) {
		f->cpu[c].online = 1;
		f->cpu[c].node = (uint16_t)(c / 2);
		f->cpu[c].irq[IRQ_TLB] = tlb[c];
	}
}

static void rates_nodes_and_columns_by_hand(void **state)
{
	struct frame_ring ring;
	char err[200];
	/* CPU 0: 10, 20, 30, 40 ... (t + 1) * 10 over 200 ticks; CPU 2: 0 always */
	struct summary *s = summary_new(4, 200, err, sizeof(err));

	(void)state;
	assert_non_null(s);
	assert_int_equal(ring_init(&ring, 1, 4), 0);
	for (uint64_t t = 0; t < 200; t++) {
		uint64_t tlb[4] = { (t + 1) * 10, 5, 0, t % 2 };

		fill(&ring.frames[0], t, tlb);
		summary_add(s, &ring.frames[0]);
	}
	summary_finish(s);
	assert_int_equal(s->ticks, 200);
	assert_int_equal(s->ncols, SUM_COLS);
	/* mean of 10..2000 step 10 = 1005; p99 nearest rank: 198th of 200 = 1980 */
	assert_true(fabs(s->cpu[SUM_TLB][0].mean - 1005) < 1e-6);
	assert_true(fabs(s->cpu[SUM_TLB][0].p99 - 1980) < 1e-6);
	assert_true(fabs(s->cpu[SUM_TLB][1].sd) < 1e-9);
	/* node 0 per tick: ((t+1)*10 + 5) / 2, mean (1005 + 5) / 2 */
	assert_int_equal(s->nnodes, 2);
	assert_true(fabs(s->node[0].tlb.mean - 505) < 1e-6);
	assert_int_equal(s->node[0].cpus, 2);
	/* columns: 200 ticks into 120, column k from tick ceil(k*200/120);
	 * column 1 holds ticks 2..3 (1*120/200 ... ): its cell is the mean */
	{
		uint32_t first = 0;

		for (uint32_t k = 0; k < s->ncols; k++) {
			uint64_t t0 = s->col_seq[k];
			double want = 0;

			assert_int_equal(t0, first);
			for (uint32_t i = 0; i < s->col_ticks[k]; i++)
				want += (double)(t0 + i + 1) * 10;
			want /= s->col_ticks[k];
			assert_true(fabs(s->cell[SUM_TLB][k] - want) < 1e-6);
			first += s->col_ticks[k];
		}
		assert_int_equal(first, 200);
	}
	/* no run-queue signal: the heatmap has nothing, never 0 */
	assert_true(isnan(s->cell[SUM_RUNQ][0]));
	assert_int_equal(s->cpu[SUM_RUNQ][0].n, 0);
	summary_free(s);
	ring_free(&ring);
}

/* Welch: a shift of 10 over sd 1 is beyond noise, 0.5 is not, and a
 * shift under the floor is not whatever the spread. */
static void noise_rule_by_hand(void **state)
{
	struct sum_stat a = { .n = 100, .mean = 5, .sd = 1 }, b = { .n = 100, .mean = 15, .sd = 1 };
	struct sum_stat c = { .n = 100, .mean = 5.5, .sd = 1 }, z0 = { .n = 50, .mean = 0, .sd = 0 },
			z1 = { .n = 50, .mean = 0.5, .sd = 0 };

	(void)state;
	assert_true(sum_beyond_noise(&a, &b, 1));
	assert_false(sum_beyond_noise(&a, &c, 1));
	assert_false(sum_beyond_noise(&z0, &z1, 1));
	assert_true(sum_beyond_noise(&z0, &z1, 0.1));
}

/* The top lists summed by (pid, comm): the same name under two pids
 * stays two rows; "other" collects the frames' own other. */
static void senders_summed(void **state)
{
	struct frame_ring ring;
	char err[200];
	struct summary *s = summary_new(4, 3, err, sizeof(err));
	uint64_t tlb[4] = { 0 };

	(void)state;
	assert_non_null(s);
	assert_int_equal(ring_init(&ring, 1, 4), 0);
	for (uint64_t t = 0; t < 3; t++) {
		struct frame *f = &ring.frames[0];

		fill(f, t, tlb);
		f->procs.n = 2;
		f->procs.top[0] = (struct frame_proc){ .tgid = 10, .comm = "churn", .sent = 100 };
		f->procs.top[1] = (struct frame_proc){ .tgid = 11 + (int32_t)t % 2, .comm = "churn", .sent = 7 };
		f->procs.other = (struct frame_proc){ .comm = "other", .sent = 1 };
		summary_add(s, f);
	}
	summary_finish(s);
	assert_int_equal(s->nprocs, 3);
	assert_int_equal(s->procs[0].tgid, 10);
	assert_int_equal(s->procs[0].sent, 300);
	assert_int_equal(s->procs[1].tgid, 11);
	assert_int_equal(s->procs[1].sent, 14);
	assert_int_equal(s->other.sent, 3);
	summary_free(s);
	ring_free(&ring);
}

/* A storm that starts after short-lived processes filled the table (a
 * build: each pid sends a flush or two, then exits) is still named: 80
 * pids 100.. send 1 flush in ticks 0-4 (16 a tick), then churn (pid 9)
 * sends 1000 a tick in ticks 5-7.  By hand: churn 3000 heads the list;
 * it took the slot of one of the 64 kept 1-flush pids, so other holds
 * the 16 pids past the table, that one, and the frames' other (2 a tick
 * over 8 ticks): 16 + 1 + 16 = 33; kept + other = the host's 3096. */
static void late_storm_still_named(void **state)
{
	struct frame_ring ring;
	char err[200];
	struct summary *s = summary_new(4, 8, err, sizeof(err));
	uint64_t tlb[4] = { 0 }, kept = 0;

	(void)state;
	assert_non_null(s);
	assert_int_equal(ring_init(&ring, 1, 4), 0);
	for (uint64_t t = 0; t < 8; t++) {
		struct frame *f = &ring.frames[0];

		fill(f, t, tlb);
		if (t < 5) {
			f->procs.n = 16;
			for (uint32_t i = 0; i < 16; i++)
				f->procs.top[i] = (struct frame_proc){ .tgid = 100 + (int32_t)(t * 16 + i), .comm = "cc1",
								       .sent = 1 };
		} else {
			f->procs.n = 1;
			f->procs.top[0] = (struct frame_proc){ .tgid = 9, .comm = "churn", .sent = 1000 };
		}
		f->procs.other = (struct frame_proc){ .comm = "other", .sent = 2 };
		summary_add(s, f);
	}
	summary_finish(s);
	assert_int_equal(s->nprocs, SUM_PROCS);
	assert_int_equal(s->procs[0].tgid, 9);
	assert_string_equal(s->procs[0].comm, "churn");
	assert_int_equal(s->procs[0].sent, 3000);
	assert_int_equal(s->other.sent, 33);
	for (uint32_t i = 0; i < s->nprocs; i++)
		kept += s->procs[i].sent;
	assert_int_equal(kept + s->other.sent, 80 + 3000 + 16);
	summary_free(s);
	ring_free(&ring);
}

/* More distinct cgroups than SUM_CGROUPS: past the table a newcomer that
 * sends more in its tick than the least kept row did takes its place,
 * whose sums join other with the frames' own other, so the column sums
 * stay the host's: 5 ticks x 16 cgroups (ids t*16+i+1 sending that many)
 * plus other 1 a tick; by hand the 16 of the last tick (ids 65..80) push
 * out ids 1..16: other is 1+...+16 = 136, plus 5. */
static void cgroups_past_the_table(void **state)
{
	struct frame_ring ring;
	char err[200];
	struct summary *s = summary_new(4, 5, err, sizeof(err));
	uint64_t tlb[4] = { 0 }, total = 0, kept = 0;

	(void)state;
	assert_non_null(s);
	assert_int_equal(ring_init(&ring, 1, 4), 0);
	for (uint64_t t = 0; t < 5; t++) {
		struct frame *f = &ring.frames[0];

		fill(f, t, tlb);
		f->cgroups.state = CGROUPS_OK;
		f->cgroups.n = FRAME_TOP_CGROUPS;
		for (uint32_t i = 0; i < FRAME_TOP_CGROUPS; i++) {
			uint64_t id = t * FRAME_TOP_CGROUPS + i + 1;

			f->cgroups.top[i] = (struct frame_cgroup){ .id = id, .sum.sent = id };
			snprintf(f->cgroups.top[i].path, FRAME_CGROUP_PATH, "/c%llu", (unsigned long long)id);
			total += id;
		}
		f->cgroups.other.sum.sent = 1;
		total += 1;
		summary_add(s, f);
	}
	summary_finish(s);
	assert_int_equal(s->ncgroups, SUM_CGROUPS);
	assert_int_equal(s->cg_other.sum.sent, 136 + 5);
	for (uint32_t i = 0; i < s->ncgroups; i++)
		kept += s->cgroups[i].sum.sent;
	assert_int_equal(kept + s->cg_other.sum.sent, total);
	/* most sent first: id 80 heads the kept ones, 17 is the least */
	assert_int_equal(s->cgroups[0].id, 80);
	assert_string_equal(s->cgroups[0].path, "/c80");
	assert_int_equal(s->cgroups[SUM_CGROUPS - 1].id, 17);
	summary_free(s);
	ring_free(&ring);
}

static void site(struct frame_site *x, int kind, uint64_t ev, uint64_t ipis, const char *caller,
		 const char *upath, const char *kpath)
{
	*x = (struct frame_site){ .kind = (uint8_t)kind, .events = ev, .ipis = ipis };
	snprintf(x->caller, sizeof(x->caller), "%s", caller);
	snprintf(x->upath, sizeof(x->upath), "%s", upath);
	snprintf(x->kpath, sizeof(x->kpath), "%s", kpath);
}

/* frame.sites summed per (tgid, kind, caller, upath, kpath).  Ticks 0-2
 * sample pid 500 ("sim", in the process list from tick 1 on): munmap from
 * f1 160 events a tick; the flushes from f1 16*(t+1) events, 32 IPIs a
 * tick; on tick 1 a flush from f2 (same kernel path, another caller) 48
 * events 8 IPIs; other 16 events 4 IPIs a tick.  Tick 3 samples pid 600
 * (never in a list): one mprotect site of 7.  Tick 4: sampler off.  By
 * hand: 500: munmap 480, flush f1 16+32+48 = 96 events 96 IPIs, flush f2
 * 48/8, other 48/12; all 672 events, 116 IPIs; 600: 7. */
static void sites_summed_by_hand(void **state)
{
	struct frame_ring ring;
	char err[200];
	struct summary *s = summary_new(4, 5, err, sizeof(err));
	uint64_t tlb[4] = { 0 };

	(void)state;
	assert_non_null(s);
	assert_int_equal(ring_init(&ring, 1, 4), 0);
	for (uint64_t t = 0; t < 5; t++) {
		struct frame *f = &ring.frames[0];
		struct frame_sites *fs = &f->sites;

		fill(f, t, tlb);
		if (t == 1) {
			f->procs.n = 1;
			f->procs.top[0] = (struct frame_proc){ .tgid = 500, .comm = "sim" };
		}
		if (t < 3) {
			fs->tgid = 500;
			fs->period = 16;
			site(&fs->site[fs->n++], SITE_MUNMAP, 160, 0, "f1+0x10", "main;f1", "");
			site(&fs->site[fs->n++], SITE_FLUSH, 16 * (t + 1), 32, "f1+0x10", "main;f1",
			     "munmap;flush_tlb_mm_range");
			if (t == 1)
				site(&fs->site[fs->n++], SITE_FLUSH, 48, 8, "f2+0x4", "main;f2",
				     "munmap;flush_tlb_mm_range");
			fs->other_events = 16;
			fs->other_ipis = 4;
		} else if (t == 3) {
			fs->tgid = 600;
			fs->period = 1;
			site(&fs->site[fs->n++], SITE_MPROTECT, 7, 0, "g", "main;g", "");
		}
		summary_add(s, f);
	}
	summary_finish(s);
	assert_int_equal(s->nsite_procs, 2);
	assert_int_equal(s->site_procs[0].tgid, 500);
	assert_string_equal(s->site_procs[0].comm, "sim");
	assert_int_equal(s->site_procs[0].ticks, 3);
	assert_int_equal(s->site_procs[0].period, 16);
	assert_int_equal(s->site_procs[0].events, 672);
	assert_int_equal(s->site_procs[0].ipis, 116);
	assert_int_equal(s->site_procs[0].other_events, 48);
	assert_int_equal(s->site_procs[0].other_ipis, 12);
	assert_int_equal(s->site_procs[1].tgid, 600);
	assert_string_equal(s->site_procs[1].comm, "");
	assert_int_equal(s->site_procs[1].events, 7);
	assert_int_equal(s->nsites, 4);
	assert_int_equal(s->sites[0].tgid, 500);
	assert_int_equal(s->sites[0].site.kind, SITE_MUNMAP);
	assert_int_equal(s->sites[0].site.events, 480);
	assert_int_equal(s->sites[1].site.kind, SITE_FLUSH);
	assert_string_equal(s->sites[1].site.caller, "f1+0x10");
	assert_int_equal(s->sites[1].site.events, 96);
	assert_int_equal(s->sites[1].site.ipis, 96);
	assert_string_equal(s->sites[1].site.kpath, "munmap;flush_tlb_mm_range");
	assert_string_equal(s->sites[2].site.caller, "f2+0x4");
	assert_int_equal(s->sites[2].site.events, 48);
	assert_int_equal(s->sites[2].site.ipis, 8);
	assert_int_equal(s->sites[3].tgid, 600);
	assert_int_equal(s->sites[3].site.events, 7);
	summary_free(s);
	ring_free(&ring);
}

/* More distinct sites than SUM_SITES: 6 ticks x 12 sites, each its own
 * caller and 1 + its number events (sites 1..72), the frames' other 100 a
 * tick.  The first 64 fill the table; each of sites 65..72 had more in
 * its tick than the least kept row, so they push out sites 1..8
 * (1+...+8 = 36), which join the process's other with the 600: the
 * process total stays every event, 2628 + 600. */
static void sites_past_the_table(void **state)
{
	struct frame_ring ring;
	char err[200];
	struct summary *s = summary_new(4, 6, err, sizeof(err));
	uint64_t tlb[4] = { 0 }, kept = 0;

	(void)state;
	assert_non_null(s);
	assert_int_equal(ring_init(&ring, 1, 4), 0);
	for (uint64_t t = 0; t < 6; t++) {
		struct frame *f = &ring.frames[0];
		char caller[32];

		fill(f, t, tlb);
		f->sites.tgid = 9;
		f->sites.period = 1;
		f->sites.n = FRAME_SITES;
		for (uint32_t i = 0; i < FRAME_SITES; i++) {
			uint64_t k = t * FRAME_SITES + i + 1;

			snprintf(caller, sizeof(caller), "c%llu", (unsigned long long)k);
			site(&f->sites.site[i], SITE_MUNMAP, k, 0, caller, "", "");
		}
		f->sites.other_events = 100;
		summary_add(s, f);
	}
	summary_finish(s);
	assert_int_equal(s->nsites, SUM_SITES);
	/* sites 65..72 of the last tick push out 1..8: 36 to other */
	assert_int_equal(s->site_procs[0].other_events, 36 + 600);
	assert_int_equal(s->site_procs[0].events, 72 * 73 / 2 + 600);
	for (uint32_t i = 0; i < s->nsites; i++)
		kept += s->sites[i].site.events;
	assert_int_equal(kept + s->site_procs[0].other_events, s->site_procs[0].events);
	assert_string_equal(s->sites[0].site.caller, "c72");
	assert_string_equal(s->sites[SUM_SITES - 1].site.caller, "c9");
	summary_free(s);
	ring_free(&ring);
}

/* Run-queue octaves pooled per CPU and per node: CPU 0 has 50 delays in
 * octave 5, 49 in octave 10, 1 in octave 20 each tick (p50 rank 50 of 100
 * is octave 5, p99 rank 99 octave 10); CPU 1 2 in octave 10 and 98 in
 * 12, so node 0 (both, two ticks: 100, 102, 196, 2 by octave) has its p50,
 * rank 200 of 400, in octave 10 and its p99, rank 396, in 12. */
static void runq_octaves_pooled(void **state)
{
	struct frame_ring ring;
	char err[200];
	struct summary *s = summary_new(4, 2, err, sizeof(err));
	uint64_t tlb[4] = { 0 };

	(void)state;
	assert_non_null(s);
	assert_int_equal(ring_init(&ring, 1, 4), 0);
	for (uint64_t t = 0; t < 2; t++) {
		struct frame *f = &ring.frames[0];

		fill(f, t, tlb);
		f->signals |= 1u << SIG_RUNQ;
		f->cpu[0].rq_count = 100;
		f->cpu[0].rq_oct[5] = 50;
		f->cpu[0].rq_oct[10] = 49;
		f->cpu[0].rq_oct[20] = 1;
		f->cpu[1].rq_count = 100;
		f->cpu[1].rq_oct[10] = 2;
		f->cpu[1].rq_oct[12] = 98;
		f->cpu[2].rq_count = 7;    /* octaves that do not add up: not pooled */
		f->cpu[2].rq_oct[3] = 1;
		summary_add(s, f);
	}
	summary_finish(s);
	assert_int_equal(s->cpu_rq[0].n, 200);
	assert_int_equal(s->cpu_rq[0].p50_lo, hist_octave_low(5));
	assert_int_equal(s->cpu_rq[0].p50_hi, hist_octave_high(5));
	assert_int_equal(s->cpu_rq[0].p99_lo, hist_octave_low(10));
	assert_int_equal(s->cpu_rq[2].n, 0);
	assert_int_equal(s->node[0].rq.n, 400);
	assert_int_equal(s->node[0].rq.p50_lo, hist_octave_low(10));
	assert_int_equal(s->node[0].rq.p99_lo, hist_octave_low(12));
	assert_int_equal(s->node[1].rq.n, 0);
	summary_free(s);
	ring_free(&ring);
}

/* A window past the cells kept is refused with a reason, not half read:
 * 4096 CPUs and 64 nodes x 4000 ticks is 16.6 M cells, 16.7 M the bound. */
static void too_long_a_window_is_refused(void **state)
{
	char err[200] = "";
	struct summary *s;

	(void)state;
	assert_null(summary_new(4096, 4200, err, sizeof(err)));
	assert_non_null(strstr(err, "--from/--to"));
	assert_non_null(s = summary_new(4096, 4000, err, sizeof(err)));
	summary_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rates_nodes_and_columns_by_hand),
		cmocka_unit_test(noise_rule_by_hand),
		cmocka_unit_test(senders_summed),
		cmocka_unit_test(late_storm_still_named),
		cmocka_unit_test(cgroups_past_the_table),
		cmocka_unit_test(sites_summed_by_hand),
		cmocka_unit_test(sites_past_the_table),
		cmocka_unit_test(runq_octaves_pooled),
		cmocka_unit_test(too_long_a_window_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
