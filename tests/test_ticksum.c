// SPDX-License-Identifier: GPL-2.0-only
/* The ring keeps full frames for its newest ticks only and, for the whole
 * history, a summary and per-CPU cells (core/ring.h, core/ticksum.h).
 * 1. The summary and the cells of every tick held equal what its full
 *    frame gives: hand-built frames, read back long after the ring let
 *    their full frames go (the reference ring keeps every frame full).
 * 2. At 4096 CPUs over more than --history ticks, the controller's and
 *    correlator's figures equal those computed the old way, from each full
 *    frame while it was full: the window's rates, DFI, node rates,
 *    dispatches, histograms and the tick figures kept by the test as the
 *    frames went by, fed to the desk/correlate formulas here. */
#include "testlib.h"

#include <math.h>

#include "collectors/synth.h"
#include "collectors/topology.h"
#include "core/config.h"
#include "core/hist.h"
#include "core/metric.h"
#include "core/ring.h"
#include "stages/controller.h"
#include "stages/correlate.h"
#include "stages/correlator.h"
#include "stages/desk.h"
#include "stormtop/probe.h"

static uint64_t rng = 88172645463325252ull;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Tick k by hand: 4 CPUs on nodes 0 and 5, a TLB count and a csd count
 * that differ by k % 3 on CPU 1, a phase series and a reset one. */
static void hand_frame(struct frame *f, uint64_t k)
{
	f->seq = k;
	f->mono_ns = (int64_t)k * 100000000 + 7;
	f->wall_ns = f->mono_ns + 1000;
	f->interval_ns = 100000000;
	f->online = 4;
	f->irq_present = 1u << IRQ_TLB;
	f->signals = 1u << SIG_TLB_RX | 1u << SIG_APP_LAT | (k % 4 ? 1u << SIG_RUNQ : 0);
	for (uint32_t c = 0; c < 4; c++) {
		f->cpu[c].online = 1;
		f->cpu[c].node = c < 2 ? 0 : 5;
		f->cpu[c].irq[IRQ_TLB] = 10 * k + c;
		f->cpu[c].tlb_rx = 10 * k + c - (c == 1 ? k % 3 : 0);
	}
	f->regime = (struct frame_regime){ .tlb = (uint8_t)(k % 3), .tlb_was = (uint8_t)(k % 3 ? k % 3 : 1),
					   .iommu = 1, .iommu_was = 1, .rate = (float)k * 1.5f, .dfi = (float)k,
					   .nnodes = 2 };
	f->regime.nodes[0] = (struct frame_node_desk){ .node = 0, .rate = (float)k };
	f->regime.nodes[1] = (struct frame_node_desk){ .node = 5, .rate = (float)k / 2 };
	snprintf(f->regime.why, sizeof(f->regime.why), "tick %llu moved", (unsigned long long)k);
	f->nseries = 2;
	f->series[0] = (struct frame_series){ .kind = STORMPROBE_PHASE, .n = 100 + k, .late = k };
	f->series[1] = (struct frame_series){ .kind = STORMPROBE_PHASE, .reset = 1, .n = 999, .late = 9 };
	f->sys.rq_hist[k % LOGLIN_SLOTS] = (uint32_t)(k + 1);
	f->sys.rq_hist[200] = 3;
	f->app_hist[(k * 7) % LOGLIN_SLOTS] = (uint32_t)(2 * k + 1);
}

static void summary_is_the_frames(void **state)
{
	struct frame_ring r, ref;
	const uint32_t cap = 12, full = 3, n = 30;

	(void)state;
	assert_int_equal(ring_init_full(&r, cap, full, 4, 1), 0);
	assert_int_equal(ring_init_full(&ref, cap, cap, 4, 0), 0);
	for (uint64_t k = 0; k < n; k++) {
		hand_frame(ring_begin(&r), k);
		hand_frame(ring_begin(&ref), k);
		ring_commit(&r);
		ring_commit(&ref);
	}
	assert_int_equal(ring_count(&r), cap);
	assert_null(ring_tick_at_age(&r, cap));
	assert_null(ring_cells_at_age(&ref, 0, METRIC_TLB_RX)); /* asked for none */
	for (uint32_t age = 0; age < cap; age++) {
		const struct tick_sum *s = ring_tick_at_age(&r, age);
		const struct frame *f = ring_at_age(&ref, age);
		uint64_t k = n - 1 - age;

		assert_non_null(s);
		assert_true(age < full ? ring_at_age(&r, age) != NULL : ring_at_age(&r, age) == NULL);
		/* by hand */
		assert_int_equal(s->seq, k);
		assert_int_equal(s->mono_ns, (int64_t)k * 100000000 + 7);
		assert_int_equal(s->wall_ns, (int64_t)k * 100000000 + 1007);
		assert_int_equal(s->interval_ns, 100000000);
		assert_int_equal(s->tlb, k % 3);
		assert_int_equal(s->tlb_was, k % 3 ? k % 3 : 1);
		assert_true(s->rate == (float)k * 1.5f && s->dfi == (float)k);
		assert_true(tick_node_rate(s, 5) == (float)k / 2 && tick_node_rate(s, 0) == (float)k);
		assert_true(isnan(tick_node_rate(s, 1)));
		assert_string_equal(s->why, f->regime.why);
		/* the reset series counts for nothing */
		assert_int_equal(s->phase_n, 100 + k);
		assert_int_equal(s->phase_late, k);
		assert_true(tick_dispatch_rate(s) == (double)(100 + k) / 0.1);
		/* the kernel's TLB IPIs on 4 CPUs and the csd program's miss */
		assert_int_equal(s->gap_any, 1);
		assert_int_equal(s->gap_irq, 40 * k + 6);
		assert_int_equal(s->gap, (int64_t)(k % 3));
		assert_memory_equal(s->rq_hist, f->sys.rq_hist, sizeof(s->rq_hist));
		assert_memory_equal(s->app_hist, f->app_hist, sizeof(s->app_hist));
		assert_int_equal(s->rq_hist[k % LOGLIN_SLOTS], k + 1 + (k % LOGLIN_SLOTS == 200 ? 3 : 0));
		/* core/metric.c's figures of the full frame, bit for bit */
		assert_memory_equal(&s->tlb_per_core, &(double){ tick_tlb_per_core(f) }, sizeof(double));
		assert_true(fabs(s->tlb_per_core - 10.0 * (double)(40 * k + 6) / 4) < 1e-9 * (double)(40 * k + 6));
		assert_memory_equal(&s->iotlb_rate, &(double){ tick_iotlb_rate(f) }, sizeof(double));
		assert_memory_equal(&s->runq_p99_ns, &(double){ tick_runq_p99_ns(f) }, sizeof(double));
		assert_memory_equal(&s->app_p99_ns, &(double){ tick_app_p99_ns(f) }, sizeof(double));
		assert_true(k % 4 ? !isnan(s->runq_p99_ns) : isnan(s->runq_p99_ns));
		for (int m = 0; m < METRIC_COUNT; m++) {
			const double *cells = ring_cells_at_age(&r, age, m);

			assert_non_null(cells);
			for (uint32_t c = 0; c < 4; c++) {
				double want = metrics[m]->per_cpu(f, c);

				assert_memory_equal(&cells[c], &want, sizeof(want));
			}
		}
	}
	/* a seek forgets the ticks; the commits after it are the new ones */
	ring_reset(&r);
	assert_null(ring_tick_at_age(&r, 0));
	assert_null(ring_at_age(&r, 0));
	hand_frame(ring_begin(&r), 500);
	ring_commit(&r);
	assert_int_equal(ring_tick_at_age(&r, 0)->seq, 500);
	assert_null(ring_tick_at_age(&r, 1));
	ring_free(&r);
	ring_free(&ref);
}

#define NCPU 4096
#define NODES 72   /* past FRAME_NODES: the last node entry is shared */
#define HIST 600
#define TICKS (HIST + 150)

/* What the old controller and correlator read off each full frame. */
struct seen {
	int64_t interval_ns;
	uint32_t signals;
	double rate, dfi, node_rate[FRAME_NODES];
	uint16_t node[FRAME_NODES];
	uint32_t nnodes;
	uint64_t phase_n, phase_late;
	int phase_any;
	double v[4];               /* tick_tlb_per_core, iotlb, runq p99, app p99 */
	uint32_t app_hist[LOGLIN_SLOTS];
};

static struct seen seen[TICKS];

/* The frame's own fields, by hand (not through the summary). */
static void see(struct seen *s, const struct frame *f)
{
	s->interval_ns = f->interval_ns;
	s->signals = f->signals;
	s->rate = f->regime.rate;
	s->dfi = f->regime.dfi;
	s->nnodes = f->regime.nnodes;
	for (uint32_t i = 0; i < f->regime.nnodes; i++) {
		s->node[i] = f->regime.nodes[i].node;
		s->node_rate[i] = f->regime.nodes[i].rate;
	}
	s->phase_n = s->phase_late = 0;
	s->phase_any = 0;
	for (uint32_t i = 0; i < f->nseries; i++)
		if (f->series[i].kind == STORMPROBE_PHASE && !f->series[i].reset) {
			s->phase_n += f->series[i].n;
			s->phase_late += f->series[i].late;
			s->phase_any = 1;
		}
	s->v[0] = tick_tlb_per_core(f);
	s->v[1] = tick_iotlb_rate(f);
	s->v[2] = tick_runq_p99_ns(f);
	s->v[3] = tick_app_p99_ns(f);
	memcpy(s->app_hist, f->app_hist, sizeof(s->app_hist));
}

static double seen_node_rate(const struct seen *s, uint16_t node)
{
	for (uint32_t i = 0; i < s->nnodes; i++)
		if (s->node[i] == node)
			return s->node_rate[i];
	return NAN;
}

/* A storm on a few hot CPUs now and then, app latencies, dispatches. */
static void storm_frame(struct synth *sy, struct frame *f, long k)
{
	int storm = (k / 40) % 3 == 1;

	synth_fill(sy, f);
	f->signals |= 1u << SIG_APP_LAT | 1u << SIG_RUNQ;
	if (k % 17 == 0)
		f->signals &= ~(1u << SIG_RUNQ);
	for (int h = 0; h < 4; h++) {
		uint32_t c = (uint32_t)(rnd() % NCPU);
		uint64_t add = storm ? 50 + rnd() % 500 : rnd() % 3;

		f->cpu[c].irq[IRQ_TLB] += add;
		f->cpu[c].tlb_rx += add;
	}
	for (int i = 0; i < 8; i++) {
		f->sys.rq_hist[rnd() % LOGLIN_SLOTS] += (uint32_t)(rnd() % 1000);
		f->app_hist[(storm ? 300 : 100) + rnd() % 100] += (uint32_t)(1 + rnd() % 50);
	}
	f->napps = 1;
	f->nseries = 2;
	f->series[0] = (struct frame_series){ .kind = STORMPROBE_PHASE, .n = 90 + rnd() % 20, .late = rnd() % 9 };
	f->series[1] = (struct frame_series){ .kind = STORMPROBE_LATENCY, .n = 5 };
}

/* The window the old controller took: ticks covering desk_window_s, cur
 * last; the index of its oldest in seen[]. */
static long window_start(const struct config *cfg, long k, uint32_t held)
{
	double span = (double)seen[k].interval_ns / 1e9;
	long n = 1;

	while ((uint32_t)n <= held && n <= HIST && span < cfg->desk_window_s) {
		span += (double)seen[k - n].interval_ns / 1e9;
		n++;
	}
	return k - n + 1;
}

static void check_controller(const struct config *cfg, const struct frame *f, long k, uint32_t held)
{
	static double rate[TICKS], dt[TICKS], x[TICKS];
	long a = window_start(cfg, k, held), n = k - a + 1;
	uint64_t late = 0, total = 0;
	double span = 0, low = INFINITY, held_rate = NAN;

	for (long i = 0; i < n; i++) {
		rate[i] = seen[a + i].rate;
		dt[i] = (double)seen[a + i].interval_ns / 1e9;
	}
	assert_true(f->regime.sbi == (float)desk_sbi(rate, dt, (size_t)n, cfg->desk_burst_rate, cfg->desk_window_s) ||
		    (isnan(f->regime.sbi) && isnan(desk_sbi(rate, dt, (size_t)n, cfg->desk_burst_rate, cfg->desk_window_s))));
	for (long i = n; i-- > 0 && span < cfg->tlb_watch_sustain_s * 0.99;) {
		if (isnan(rate[i])) {
			low = NAN;
			break;
		}
		low = rate[i] < low ? rate[i] : low;
		span += dt[i];
	}
	if (!isnan(low) && span >= cfg->tlb_watch_sustain_s * 0.99)
		held_rate = low;
	assert_memory_equal(&f->regime.rate_held, &(float){ (float)held_rate }, sizeof(float));
	for (uint32_t j = 0; j < f->regime.nnodes; j++) {
		for (long i = 0; i < n; i++)
			rate[i] = seen_node_rate(&seen[a + i], f->regime.nodes[j].node);
		assert_memory_equal(&f->regime.nodes[j].sbi,
				    &(float){ (float)desk_sbi(rate, dt, (size_t)n, cfg->desk_burst_rate, cfg->desk_window_s) },
				    sizeof(float));
	}
	for (long i = 0; i < n; i++)
		x[i] = seen[a + i].dfi;
	assert_memory_equal(&f->regime.djs, &(float){ (float)desk_cv(x, (size_t)n) }, sizeof(float));
	for (long i = 0; i < n; i++) {
		const struct seen *s = &seen[a + i];

		late += s->phase_late;
		total += s->phase_n;
		x[i] = s->phase_any && s->interval_ns > 0 ? (double)s->phase_n * 1e9 / (double)s->interval_ns : NAN;
	}
	assert_memory_equal(&f->regime.pso, &(float){ (float)desk_cv(x, (size_t)n) }, sizeof(float));
	assert_memory_equal(&f->regime.cbr, &(float){ (float)desk_cbr(late, total) }, sizeof(float));
}

/* The old correlator: its window off the frames as they were. */
static void check_correlator(double crit, const struct frame *f, long k, uint32_t held)
{
	static uint32_t pool[2][LOGLIN_SLOTS];
	double v[4][CORR_WINDOW], scratch[CORR_WINDOW], base, thr, lr;
	size_t n = held + 1 < CORR_WINDOW ? held + 1 : CORR_WINDOW;
	const struct frame_corr *c = &f->corr;
	uint32_t n_in = 0, n_out = 0, coarse[CORR_BUCKETS] = { 0 };

	for (size_t i = 0; i < n; i++)
		for (int s = 0; s < 4; s++)
			v[s][i] = seen[k - (long)n + 1 + (long)i].v[s];
	assert_int_equal(c->window, n);
	assert_memory_equal(&c->r_tlb, &(float){ (float)corr_pearson_min(v[0], v[3], n, CORR_MIN_PAIRS) }, sizeof(float));
	assert_memory_equal(&c->r_iotlb, &(float){ (float)corr_pearson_min(v[1], v[3], n, CORR_MIN_PAIRS) }, sizeof(float));
	assert_memory_equal(&c->r_runq, &(float){ (float)corr_pearson_min(v[2], v[3], n, CORR_MIN_PAIRS) }, sizeof(float));
	assert_int_equal(c->lag, corr_best_lag(v[0], v[3], n, CORR_MAX_LAG, &lr));
	assert_memory_equal(&c->lag_r, &(float){ (float)lr }, sizeof(float));
	base = corr_quantile(v[0], n, 0.25, scratch);
	thr = fmax(crit, CORR_BURST_OVER_BASE * (isnan(base) ? 0 : base));
	memset(pool, 0, sizeof(pool));
	for (size_t i = 0; i < n; i++) {
		int burst = !isnan(v[0][i]) && v[0][i] >= thr;

		if (isnan(v[3][i]))
			continue;
		burst ? n_in++ : n_out++;
		for (unsigned int s = 0; s < LOGLIN_SLOTS; s++)
			pool[burst][s] += seen[k - (long)n + 1 + (long)i].app_hist[s];
	}
	assert_int_equal(c->n_in, n_in);
	assert_int_equal(c->n_out, n_out);
	hist_coarsen(pool[1], coarse, CORR_BUCKETS);
	assert_memory_equal(c->burst_hist, coarse, sizeof(coarse));
	assert_int_equal(c->p99_in_ns, n_in ? hist_quantile(pool[1], 0.99) : 0);
	assert_int_equal(c->p99_out_ns, n_out ? hist_quantile(pool[0], 0.99) : 0);
	if (n_in && n_out)
		assert_memory_equal(&c->dvr, &(float){ (float)(hist_variance(pool[1]) / hist_variance(pool[0])) },
				    sizeof(float));
}

static void windows_at_4096_cpus(void **state)
{
	struct topology topo;
	struct frame_ring r;
	struct synth sy;
	struct config cfg;
	struct controller *ctl;
	struct correlator *cor;
	const double crit = 20;
	long storms = 0, bursts = 0;

	(void)state;
	config_defaults(&cfg);
	assert_int_equal(topology_synthetic(&topo, NCPU, NODES), 0);
	assert_int_equal(ring_init_full(&r, HIST, RING_FULL, NCPU, 0), 0);
	synth_init(&sy, &topo, 100000000);
	assert_non_null(ctl = controller_new(&cfg, HIST));
	assert_non_null(cor = correlator_new(crit));
	for (long k = 0; k < TICKS; k++) {
		struct frame *f = ring_begin(&r);
		uint32_t held = ring_history(&r);

		storm_frame(&sy, f, k);
		correlator_run(cor, &r, f);
		controller_run(ctl, &r, f);
		see(&seen[k], f);
		if (f->interval_ns > 0) {
			check_correlator(crit, f, k, held);
			check_controller(&cfg, f, k, held);
			storms += f->regime.tlb >= TLB_STORM;
			bursts += f->corr.n_in > 0;
		}
		ring_commit(&r);
	}
	/* the run judged storms and pooled burst ticks: not a quiet pass */
	print_message("%d ticks at %d CPUs, history %d: %ld in STORM, %ld with burst ticks pooled\n", TICKS, NCPU,
		      HIST, storms, bursts);
	assert_true(storms > 0 && bursts > 0);
	assert_int_equal(ring_count(&r), HIST);
	controller_free(ctl);
	correlator_free(cor);
	ring_free(&r);
	topology_free(&topo);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(summary_is_the_frames),
		cmocka_unit_test(windows_at_4096_cpus),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
