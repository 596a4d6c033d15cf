/* SPDX-License-Identifier: GPL-2.0-only */
/* The frame as Prometheus metrics.
 *
 * Prometheus samples whenever it likes, so every tick is folded into
 * running totals (prom_accumulate) and a scrape renders those totals as
 * counters and histograms, and the newest frame as gauges (prom_render).
 * Names, labels and the cardinality rules are in docs/PROMETHEUS.md. */
#ifndef STORMTOP_PROM_H
#define STORMTOP_PROM_H

#include "core/frame.h"
#include "export/promtext.h"

#define PROM_TOP_DEFAULT 10
#define PROM_TOP_MAX     20   /* --prometheus-top's bound */

/* Per-process running totals (prom_procs.c): up to k named slots, each a
 * frame_proc of sums since the process was first seen, and "other".  The
 * same machinery keeps the per-cgroup totals, a slot then named by its
 * cgroup id (sum.cgroup_id) and path. */
struct prom_proc {
	struct frame_proc sum;       /* tgid and comm name the slot; cgroup_id a cgroup's */
	char path[FRAME_CGROUP_PATH]; /* a cgroup's path, as its latest frame gave it */
	int64_t seen_ns;             /* frame mono_ns it last appeared in */
	int64_t since_ns;            /* frame mono_ns it took the slot */
	double recent;               /* activity, halved every 10 s */
};

struct prom_procs {
	uint32_t k, n;               /* slots allowed, slots in use */
	int cgroups;                 /* 1: the slots are cgroups (prom_cgroups_init) */
	int64_t last_ns;             /* the last frame folded */
	struct prom_proc slot[PROM_TOP_MAX];
	struct frame_proc other;     /* every tick's rest, summed */
};

/* Running totals since stormtop started: what the counters report. */
struct prom_totals {
	uint32_t ncpu;
	uint64_t *cpu;               /* ncpu rows of the per-CPU counters */
	uint64_t vm[VM_STAT_MAX];
	uint64_t psi_us[2][2];       /* [cpu, memory][some, full] */
	uint64_t flush[FRAME_TLB_REASONS];
	uint64_t rq_slots[LOGLIN_SLOTS];
	uint64_t app_slots[LOGLIN_SLOTS];
	uint64_t host[16];           /* the host counters of the field table (prom.c) */
	uint64_t frames;
	uint64_t transitions[2];     /* TLB, IOMMU state changes */
	struct prom_procs procs;
	struct prom_procs cgroups;   /* the same guard over frame.cgroups */
};

struct prom_opts {
	uint32_t top_k;              /* processes named (at most the totals' k); the rest is "other" */
};

/* Totals for ncpu CPUs naming PROM_TOP_DEFAULT processes; 0, or -1 when
 * out of memory. */
int prom_totals_init(struct prom_totals *t, uint32_t ncpu);
/* Empties the process totals and names at most k (capped at PROM_TOP_MAX)
 * processes from now on. */
void prom_procs_init(struct prom_procs *t, uint32_t k);
/* Folds one frame's process list into the totals (prom_accumulate does). */
void prom_procs_accumulate(struct prom_procs *t, const struct frame *f);
/* The same for cgroups: k slots named by cgroup; accumulating folds
 * frame.cgroups (top and other) while its state is CGROUPS_OK. */
void prom_cgroups_init(struct prom_procs *t, uint32_t k);
void prom_cgroups_accumulate(struct prom_procs *t, const struct frame *f);
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
/* The per-process counters of t (families gated on f's signals) and the
 * stormtop_processes_other gauge of f. */
void prom_render_procs(struct promtext *out, const struct prom_totals *t, const struct frame *f,
		       uint32_t top_k);
/* The per-cgroup counters (stormtop_cgroup_*_total{cgroup="/path"}, the
 * rest cgroup="other") and the stormtop_cgroups_other gauge, while f's
 * cgroups are CGROUPS_OK or totals were kept. */
void prom_render_cgroups(struct promtext *out, const struct prom_totals *t, const struct frame *f,
			 uint32_t top_k);
void prom_render_regime(struct promtext *out, const struct prom_totals *t, const struct frame *f);
void prom_render_status(struct promtext *out, const struct prom_totals *t, const struct frame *f);
/* The host counters of the field table (rows with a family), each while
 * its gate is open (prom.c). */
void prom_render_host_counters(struct promtext *out, const struct prom_totals *t, const struct frame *f);
/* A loglin histogram (running slot counts, ns) as a seconds histogram. */
void prom_histogram(struct promtext *out, const char *name, const char *help, const uint64_t *slots);

#endif
