/* SPDX-License-Identifier: GPL-2.0-only */
/* The frame as Prometheus metrics.
 *
 * Prometheus samples whenever it likes, so every tick is folded into
 * running totals (prom_accumulate) and a scrape renders those totals as
 * counters and histograms, and the newest frame as gauges (prom_render).
 * Names, labels and the cardinality rules are in docs/PROMETHEUS.md. */
#ifndef STORMTOP_PROM_H
#define STORMTOP_PROM_H

#include "frame.h"
#include "promtext.h"

#define PROM_TOP_DEFAULT 10

/* Running totals since stormtop started: what the counters report. */
struct prom_totals {
	uint32_t ncpu;
	uint64_t *cpu;               /* ncpu rows of the per-CPU counters */
	uint64_t vm[VM_STAT_MAX];
	uint64_t psi_us[2][2];       /* [cpu, memory][some, full] */
	uint64_t flush[FRAME_TLB_REASONS];
	uint64_t rq_slots[LOGLIN_SLOTS];
	uint64_t app_slots[LOGLIN_SLOTS];
	uint64_t bpf_run_ns, bpf_run_cnt, bpf_recursion_misses, self_cpu_ns, self_sent;
	uint64_t frames;
	uint64_t transitions[2];     /* TLB, IOMMU state changes */
};

struct prom_opts {
	uint32_t top_k;              /* processes named; the rest is "other" */
};

int prom_totals_init(struct prom_totals *t, uint32_t ncpu);
void prom_totals_free(struct prom_totals *t);
/* Both must have been made for the same CPU count. */
void prom_totals_copy(struct prom_totals *dst, const struct prom_totals *src);
void prom_accumulate(struct prom_totals *t, const struct frame *f);

/* Every family for the totals and the newest frame, appended to out. */
void prom_render(struct promtext *out, const struct prom_totals *t, const struct frame *f,
		 const struct prom_opts *o);
/* Bytes prom_render needs for ncpu CPUs with every family on: a first
 * size, which the exporter doubles if a host ever needs more. */
size_t prom_bound(uint32_t ncpu);

/* Parts of prom_render (prom_host.c). */
void prom_render_host(struct promtext *out, const struct prom_totals *t, const struct frame *f);
void prom_render_procs(struct promtext *out, const struct frame *f, uint32_t top_k);
void prom_render_regime(struct promtext *out, const struct prom_totals *t, const struct frame *f);
void prom_render_status(struct promtext *out, const struct prom_totals *t, const struct frame *f);
/* A loglin histogram (running slot counts, ns) as a seconds histogram. */
void prom_histogram(struct promtext *out, const char *name, const char *help, const uint64_t *slots);

#endif
