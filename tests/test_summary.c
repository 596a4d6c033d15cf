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

/* More distinct cgroups than SUM_CGROUPS: the first 64 keep their rows,
 * the rest join other with the frames' own other, so the column sums stay
 * the host's: 5 ticks x 16 cgroups (ids t*16+i+1 sending that many) plus
 * other 1 a tick; by hand the 16 of the last tick (ids 65..80) are past
 * the table: 65+...+80 = 1160, plus 5 for other. */
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
	assert_int_equal(s->cg_other.sum.sent, 1160 + 5);
	for (uint32_t i = 0; i < s->ncgroups; i++)
		kept += s->cgroups[i].sum.sent;
	assert_int_equal(kept + s->cg_other.sum.sent, total);
	/* most sent first: id 64 heads the kept ones */
	assert_int_equal(s->cgroups[0].id, 64);
	assert_string_equal(s->cgroups[0].path, "/c64");
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
		cmocka_unit_test(cgroups_past_the_table),
		cmocka_unit_test(runq_octaves_pooled),
		cmocka_unit_test(too_long_a_window_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
