// SPDX-License-Identifier: GPL-2.0-only
/* What the exporter costs: the per-tick hand-over on the sampling thread
 * (fold the tick into the totals, copy it for the HTTP side) and one
 * scrape's render, at 2..4096 CPUs with every family on.  Prints figures;
 * asserts nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "export/prom.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A frame with every signal and every CPU busy. */
static void busy_frame(struct frame *f, struct frame_cpu *cpu, uint32_t ncpu)
{
	memset(f, 0, sizeof(*f));
	f->cpu = cpu;
	f->ncpu = f->online = ncpu;
	f->signals = ~0u;
	f->irq_present = ~0u;
	f->interval_ns = 1000000000LL;
	for (int s = 0; s < SRC_MAX; s++)
		frame_set_status(f, s, SOURCE_OK, NULL);
	for (uint32_t c = 0; c < ncpu; c++) {
		cpu[c] = (struct frame_cpu){ .online = 1, .node = (uint16_t)(c / 64), .jit_n = 1 };
		for (int k = 0; k < IRQ_KIND_MAX; k++)
			cpu[c].irq[k] = 1000 + c * 7 + (uint64_t)k;
		cpu[c].tlb_rx = cpu[c].callfn = 5000 + c;
	}
	for (int s = 0; s < LOGLIN_SLOTS; s++)
		f->sys.rq_hist[s] = f->app_hist[s] = (uint32_t)s;
	f->procs.n = FRAME_TOP_PROCS;
	for (int i = 0; i < FRAME_TOP_PROCS; i++) {
		f->procs.top[i].tgid = 1000 + i;
		snprintf(f->procs.top[i].comm, FRAME_COMM_LEN, "proc%d", i);
	}
}

static void bench(uint32_t ncpu)
{
	struct frame f, copy;
	struct frame_cpu *cpu = calloc(ncpu, sizeof(*cpu)), *cpu2 = calloc(ncpu, sizeof(*cpu2));
	struct prom_totals tot;
	struct promtext t = { .cap = prom_bound(ncpu) };
	int reps = ncpu <= 64 ? 2000 : ncpu <= 1024 ? 100 : 20;
	double t0, tick, render;

	t.buf = malloc(t.cap);
	prom_totals_init(&tot, ncpu);
	busy_frame(&f, cpu, ncpu);
	copy.cpu = cpu2;
	copy.ncpu = ncpu;
	t0 = now_s();
	for (int i = 0; i < reps; i++) {
		prom_accumulate(&tot, &f);
		frame_copy(&copy, &f);
	}
	tick = (now_s() - t0) / reps;
	t0 = now_s();
	for (int i = 0; i < reps; i++) {
		promtext_reset(&t);
		prom_render(&t, &tot, &f, &(struct prom_opts){ .top_k = 10 });
	}
	render = (now_s() - t0) / reps;
	printf("  %4u CPUs: hand-over %8.1f us/tick   render %8.2f ms/scrape  %8zu bytes%s\n", ncpu,
	       tick * 1e6, render * 1e3, t.len, t.overflow ? " (overflow!)" : "");
	free(t.buf);
	prom_totals_free(&tot);
	free(cpu);
	free(cpu2);
}

int main(void)
{
	printf("exporter cost (every family on):\n");
	for (uint32_t n = 2; n <= 4096; n *= 4)
		bench(n);
	bench(4096);
	return 0;
}
