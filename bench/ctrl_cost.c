// SPDX-License-Identifier: GPL-2.0-only
/* What the regime controller costs per tick: controller_run over a
 * 600-frame window (desk_window_s 60 at 0.1 s ticks, the default 600-frame
 * history) at 2, 64 and 256 CPUs, on synthetic frames with run-queue
 * histograms.  Prints figures; asserts nothing.
 *
 * Wall time depends on the machine's load; instruction counts do not:
 *   valgrind --tool=callgrind --toggle-collect=controller_run \
 *            build/bench/ctrl_cost 256 quiet
 * counts only controller_run, and the bench zeroes callgrind's counters
 * once the window is full, so Ir / the ticks printed is the cost per tick. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/config.h"
#include "core/ring.h"
#include "stages/controller.h"

#if defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#endif
#endif
#ifndef CALLGRIND_ZERO_STATS
#define CALLGRIND_ZERO_STATS
#endif

#define TICK_NS  100000000LL /* -d 0.1 */
#define HISTORY  600         /* the default --history */
#define WARM     (HISTORY + 10)
#define MEASURED 1200        /* two minutes of ticks */

static uint64_t rnd(uint64_t *s)
{
	*s = *s * 6364136223846793005ull + 1442695040888963407ull;
	return *s >> 33;
}

/* The hottest core's TLB IPIs/s at tick i: a quiet host, or a 10 s storm
 * every minute (the SBI then holds STORM for most of the rest). */
static double scenario_rate(int storm, long i, uint64_t *s)
{
	if (storm && i % 600 < 100)
		return 2000 + (double)(rnd(s) % 3000);
	return (double)(rnd(s) % 30);
}

/* One tick as a collector fills it: every CPU online, one node per 32
 * CPUs, a few TLB IPIs each, and a run-queue histogram of a few thousand
 * wakeups over ~40 slots. */
static void fill(struct frame *f, uint64_t seq, double hot, uint64_t *s)
{
	f->seq = seq;
	f->mono_ns = f->wall_ns = (int64_t)(seq + 1) * TICK_NS;
	f->interval_ns = TICK_NS;
	f->irq_present = 1u << IRQ_TLB;
	f->signals = 1u << SIG_RUNQ;
	for (uint32_t cpu = 0; cpu < f->ncpu; cpu++) {
		f->cpu[cpu].online = 1;
		f->cpu[cpu].node = (uint16_t)(cpu / 32);
		f->cpu[cpu].irq[IRQ_TLB] = rnd(s) % 2;
	}
	f->cpu[f->ncpu - 1].irq[IRQ_TLB] = (uint64_t)(hot / 10);
	for (int k = 0; k < 40; k++)
		f->sys.rq_hist[100 + rnd(s) % 200] += (uint32_t)(rnd(s) % 200);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int bench(uint32_t ncpu, int storm)
{
	struct config cfg;
	struct frame_ring r;
	struct controller *c;
	uint64_t s = 42;
	double spent = 0;
	int states[TLB_REGIMES] = { 0 };

	config_defaults(&cfg);
	cfg.desk_window_s = 60;
	if (ring_init(&r, HISTORY, ncpu) < 0 || !(c = controller_new(&cfg, HISTORY))) {
		fprintf(stderr, "ctrl_cost: out of memory for %u CPUs\n", ncpu);
		return -1;
	}
	for (long i = 0; i < WARM + MEASURED; i++) {
		struct frame *f = ring_begin(&r);
		double t0;

		fill(f, (uint64_t)i, scenario_rate(storm, i, &s), &s);
		if (i == WARM)
			CALLGRIND_ZERO_STATS;
		t0 = now_s();
		controller_run(c, &r, f);
		if (i >= WARM) {
			spent += now_s() - t0;
			states[f->regime.tlb]++;
		}
		ring_commit(&r);
	}
	printf("  controller_run, %3u CPUs, %-5s: %8.1f us/tick over %d ticks (CLEAN %d WATCH %d STORM %d)\n",
	       ncpu, storm ? "storm" : "quiet", spent / MEASURED * 1e6, MEASURED, states[TLB_CLEAN],
	       states[TLB_WATCH], states[TLB_STORM]);
	controller_free(c);
	ring_free(&r);
	return 0;
}

int main(int argc, char **argv)
{
	static const uint32_t sizes[] = { 2, 64, 256 };

	if (argc == 3) /* one run, for callgrind: ctrl_cost NCPU quiet|storm */
		return bench((uint32_t)atoi(argv[1]), strcmp(argv[2], "storm") == 0) ? 1 : 0;
	printf("stormtop controller cost (600-frame window)\n");
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		if (bench(sizes[i], 0) || bench(sizes[i], 1))
			return 1;
	return 0;
}
