/* SPDX-License-Identifier: GPL-2.0-only */
/* A window of a recording summed up: what `stormtop report` draws and
 * `stormtop diff` compares.  Fed one recorded frame at a time (no
 * controller re-run: the regimes are the recorded ones, so the
 * transitions are drill's on a recording whose states drill confirms).
 *
 * Every figure is read through the accessors the TUI and dump use:
 * per-CPU values are core/metric.h's per_cpu (TLB IPIs received /s,
 * IOTLB operations /s, run-queue p99 us, jitter p99 us), the host's
 * run-queue and app histograms are the frames' loglin slots pooled
 * (core/hist.h quantiles), the per-tick host series are tick_*(), the
 * processes are frame_proc_add()'s sums, so are the cgroups (frame.cgroups
 * summed by id and path, like the processes by pid and name), the call
 * sites are frame.sites (the stack sampler's) summed per process and site,
 * the correlation is the frame's
 * own (the last tick whose correlator window is filled), transitions and
 * time in state are stages/drill.c's bookkeeping.
 *
 * Heatmap columns: ticks are cut into at most SUM_COLS consecutive
 * groups (column k holds ticks [k*T/C, (k+1)*T/C)); a cell is the mean of
 * the metric over the ticks of its column that have it, NAN when none do. */
#ifndef STORMTOP_SUMMARY_H
#define STORMTOP_SUMMARY_H

#include <stddef.h>
#include <stdint.h>

#include "core/frame.h"
#include "stages/drill.h"

#define SUM_COLS 120          /* heatmap columns at most */
/* Past each table's size a newcomer that sent more (sites: had more
 * events) in one tick than the least entry did all window takes that
 * entry's place, whose sums move to the other row; so the top rows are
 * the heaviest even after short-lived processes filled the table. */
#define SUM_PROCS 64          /* distinct (pid, comm) kept; the rest go to "other" */
#define SUM_CGROUPS 64        /* distinct (cgroup id, path) kept; the rest go to cg_other */
#define SUM_SITES 64          /* distinct (tgid, kind, caller, upath, kpath) kept; the rest go to their process's other */
#define SUM_SITE_PROCS 16     /* sampled processes kept; the rest go to site_rest */
/* per-tick cells ((CPUs + nodes) x ticks) kept for the p99 over ticks: 64 MB */
#define SUM_MAX_CELLS (16u << 20)

enum sum_metric { SUM_TLB, SUM_IOTLB, SUM_RUNQ, SUM_JIT, SUM_METRICS };
/* The core/metric.h metric each heatmap shows (metrics[sum_metric_id[m]]). */
extern const int sum_metric_id[SUM_METRICS];

/* A series over the window's ticks: ticks that had it, their mean and
 * sample standard deviation, and the p99 (nearest rank); NAN when n is 0
 * (sd NAN below 2). */
struct sum_stat {
	uint32_t n;
	double mean, sd, p99;
};

/* Run-queue delays pooled over the window from the frames' per-CPU
 * octaves (frame_cpu.rq_oct): a quantile is known to its octave only,
 * [lo, hi) ns (hist_octave_low/high); n 0 when no tick had octaves. */
struct sum_rq {
	uint64_t n;
	uint64_t p50_lo, p50_hi, p99_lo, p99_hi;
};

struct sum_node {
	uint16_t node;
	uint32_t cpus;             /* CPUs of it in the recording */
	struct sum_stat tlb;       /* per tick: the mean TLB IPIs/s per CPU of the node */
	struct sum_rq rq;          /* its CPUs' octaves pooled */
};

/* One call site summed over the window (frame.sites): events and IPIs
 * are the frames' estimates (sampled count x period) added up. */
struct sum_site {
	int32_t tgid;              /* the process it was sampled in */
	struct frame_site site;
};

/* A process the stack sampler was aimed at in some tick of the window. */
struct sum_site_proc {
	int32_t tgid;
	char comm[FRAME_COMM_LEN]; /* from the frames' process lists, "" when it was never in one */
	uint32_t ticks;            /* ticks the sampler was aimed at it */
	uint32_t period;           /* the last of those ticks' sampling period */
	uint64_t events, ipis;     /* all its sampled events and IPIs, other included */
	uint64_t other_events, other_ipis; /* the frames' other plus its sites past SUM_SITES */
};

struct summary {
	uint32_t ncpu;             /* slots */
	size_t cap, ticks;         /* ticks sized for, ticks added */
	uint32_t ncols;
	int64_t interval_ns;       /* the first frame's with an interval */
	int64_t first_wall, last_wall;
	uint64_t first_seq, last_seq;
	double seconds;            /* sum of the intervals */
	uint8_t *exists;           /* per CPU: frame_cpu_exists in any frame */
	uint16_t *node_of;         /* per CPU: its node (the last frame's) */
	uint32_t signals;          /* OR of the frames' signals */
	uint32_t irq_present;
	/* heatmap cells, per metric: ncpu x ncols means (NAN: none), cell
	 * [c * ncols + k]; cnt: the ticks each mean is over */
	double *cell[SUM_METRICS];
	uint32_t *cnt[SUM_METRICS];
	uint64_t *col_seq;         /* per column: its first tick's seq */
	int64_t *col_wall;         /* per column: its first tick's wall_ns (a stepped clock
	                            * makes these unordered: read, never interpolated) */
	uint32_t *col_ticks;       /* per column: its ticks */
	uint8_t *col_tlb, *col_iommu; /* per column: the highest regime state in it */
	float *tick_tlb;           /* ncpu x cap: METRIC_TLB_RX per tick (NAN: none) */
	/* per CPU over ticks: TLB in full; the others' mean only (sd, p99 NAN) */
	struct sum_stat *cpu[SUM_METRICS];
	uint32_t *rq_oct;          /* ncpu x RQ_OCTAVES: each CPU's octaves pooled (saturating) */
	struct sum_rq *cpu_rq;     /* per CPU: their quantiles */
	uint32_t nnodes, node_cap; /* nodes seen; kept (nodes past it share the last entry) */
	struct sum_node node[FRAME_TOPO_NODES];
	float *node_tick;          /* node_cap x cap: the node's mean TLB rate per tick */
	/* host, per tick: tick_runq_p99_ns, tick_app_p99_ns (NAN: none) */
	float *runq_p99, *app_p99;
	struct sum_stat runq_tick, app_tick; /* those over the ticks, ns */
	uint32_t rq_hist[LOGLIN_SLOTS], app_hist[LOGLIN_SLOTS]; /* pooled, saturating */
	uint64_t pool_rq_p50, pool_rq_p99, pool_app_p50, pool_app_p99; /* ns, hist_quantile of the pooled */
	struct frame_proc procs[SUM_PROCS]; /* summed by (pid, comm), most sent first after finish */
	uint32_t nprocs;
	struct frame_proc other;   /* the frames' "other" plus what did not fit */
	/* frame.cgroups' top lists summed by (id, path), most sent first after
	 * finish; .procs is the most processes it had in one tick */
	struct frame_cgroup cgroups[SUM_CGROUPS];
	uint32_t ncgroups;
	struct frame_cgroup cg_other; /* the frames' other plus what did not fit */
	uint32_t cg_others;        /* the most cgroups one tick summed into its other */
	/* frame.sites summed: per (tgid, kind, caller, upath, kpath), most
	 * events first after finish; the processes, most events first */
	struct sum_site sites[SUM_SITES];
	uint32_t nsites;
	struct sum_site_proc site_procs[SUM_SITE_PROCS];
	uint32_t nsite_procs;
	struct sum_site_proc site_rest; /* processes past SUM_SITE_PROCS, their sites too */
	uint8_t cg_state;          /* enum cgroup_state: the last frame's that collected (not NONE) */
	char cg_why[FRAME_REASON_LEN]; /* its why when not CGROUPS_OK */
	/* the last frame whose correlator window is filled, without its CPU
	 * slots (cpu NULL): its corr_* fields read through the field table;
	 * corr.window 0 when no frame had one */
	struct frame corr;
	struct frame_hygiene hygiene; /* the last frame's with a scan */
	struct frame_topo topo;    /* the last frame's */
	struct source_status status[SRC_MAX]; /* the last frame's */
	struct drill *drill;       /* transitions, time in state (recorded regimes) */
};

/* For ncpu slots and at most ticks frames.  NULL with a one-line reason
 * (out of memory, (ncpu + nodes) x ticks past SUM_MAX_CELLS: pick a
 * window). */
struct summary *summary_new(uint32_t ncpu, size_t ticks, char *err, size_t errlen);
/* One frame of the window, in recording order; frames past cap are
 * ignored (the caller sized it). */
void summary_add(struct summary *s, const struct frame *f);
/* The stats, the pooled quantiles and the process order. */
void summary_finish(struct summary *s);
void summary_free(struct summary *s);

/* Mean, sd and nearest-rank p99 of the n values (NAN skipped); scratch
 * holds n doubles. */
struct sum_stat sum_stat_of(const float *v, size_t n, double *scratch);

/* Whether a change from a to b is beyond the noise of the two windows'
 * own ticks: |mean_b - mean_a| > 3 x sqrt(sd_a^2/n_a + sd_b^2/n_b) (the
 * Welch standard error of the difference, ticks taken as independent)
 * and > floor (a change too small to matter on series with no spread).
 * 0 when either side has fewer than 2 ticks. */
int sum_beyond_noise(const struct sum_stat *a, const struct sum_stat *b, double floor);
#define SUM_NOISE_RULE "beyond noise: |mean B - mean A| > 3 x sqrt(sdA^2/nA + sdB^2/nB) over each file's own " \
	"ticks (Welch standard error) and > the floor (1 /s for rates, 1 us for delays)"

#endif
