/* SPDX-License-Identifier: GPL-2.0-only */
/* The frame: one tick of everything stormtop knows.
 *
 * Collectors fill frames; the UI, recorder, controller, correlator and
 * exporter only read them; playback replaces the collectors with a file
 * reader.  Every later signal gets a field here rather than a side channel.
 *
 * Counters are stored as deltas over the frame's interval (not rates, not
 * raw kernel values): deltas survive recording exactly, compress well, and
 * a rate is one division away (frame_rate()).
 */
#ifndef STORMTOP_FRAME_H
#define STORMTOP_FRAME_H

#include <stdint.h>
#include <stddef.h>

#include "core/hist.h"
#include "stormtop/loglin.h"

#define FRAME_MAX_CPUS     8192 /* the kernel's largest NR_CPUS (x86 MAXSMP, powerpc) */
#define FRAME_MAX_NODES    1024 /* node ids below it: the kernel's MAX_NUMNODES at most */
#define FRAME_REASON_LEN   160
/* A source's status: sized for the eBPF line with every program failing,
 * each group's label and names whole (tests/test_bpf_report.c builds the
 * longest one there can be). */
#define FRAME_STATUS_LEN   1024
#define FRAME_TOP_PROCS    20
#define FRAME_COMM_LEN     16

/* tlb:tlb_flush's reason: the kernel's enum tlb_flush_reason, in its order
 * (TLB_FLUSH_ON_TASK_SWITCH ... TLB_REMOTE_WRONG_CPU).  FLUSH_SEND is the
 * initiator's flush that sends the shootdown IPIs. */
enum tlb_reason {
	FLUSH_TASK_SWITCH, FLUSH_REMOTE_SHOOTDOWN, FLUSH_LOCAL_SHOOTDOWN, FLUSH_LOCAL_MM_SHOOTDOWN,
	FLUSH_SEND, FLUSH_WRONG_CPU,
	FRAME_TLB_REASONS
};

/* Interrupt lines of /proc/interrupts that stormtop follows per CPU. */
enum irq_kind {
	IRQ_TLB,   /* TLB shootdown IPIs received */
	IRQ_CAL,   /* function-call IPIs (smp_call_function*) */
	IRQ_RES,   /* rescheduling IPIs */
	IRQ_LOC,   /* local timer */
	IRQ_IOMMU, /* sum of DMAR / AMD-Vi / IOMMU device lines */
	IRQ_KIND_MAX
};

/* System-wide /proc/vmstat figures (deltas over the interval). */
enum vm_stat {
	VM_TLB_REMOTE_FLUSH,
	VM_TLB_REMOTE_FLUSH_RECEIVED,
	VM_TLB_LOCAL_FLUSH_ALL,
	VM_TLB_LOCAL_FLUSH_ONE,
	VM_NUMA_PAGES_MIGRATED,
	VM_PGMIGRATE_SUCCESS,
	VM_THP_SPLIT_PAGE,
	VM_THP_COLLAPSE_ALLOC,
	VM_COMPACT_STALL,
	VM_PGSTEAL_KSWAPD,
	VM_PGSTEAL_DIRECT,
	VM_PGDEMOTE,   /* sum of pgdemote_* */
	VM_PGPROMOTE,  /* pgpromote_success (not the candidates) */
	VM_PGFAULT,
	VM_PGMAJFAULT,
	VM_STAT_MAX
};

/* Where a frame's numbers come from; each can be missing on its own. */
enum source {
	SRC_INTERRUPTS,
	SRC_SCHEDSTAT,
	SRC_VMSTAT,
	SRC_PSI_CPU,
	SRC_PSI_MEMORY,
	SRC_NUMA,
	SRC_BPF,
	SRC_PERF,
	SRC_APP,        /* attached applications (stormprobe segments) */
	SRC_MAX
};

/* Signals the eBPF and perf collectors add; each can be missing on its
 * own (tracepoint absent, program refused).  frame.signals has bit i set
 * when signal i's fields hold data. */
enum signal {
	SIG_TLB_FLUSH,   /* tlb:tlb_flush by reason, per CPU */
	SIG_TLB_FANOUT,  /* csd:csd_queue_cpu for flush_tlb_func */
	SIG_TLB_RX,      /* csd:csd_function_entry/exit for flush_tlb_func */
	SIG_CALLFN,      /* irq_vectors:call_function*_entry/exit */
	SIG_IOMMU_MAP,   /* iommu:map / iommu:unmap */
	SIG_IOTLB_INVAL, /* intel_iommu:qi_submit, cache_tag_flush_* */
	SIG_RUNQ,        /* sched:sched_wakeup*, sched_switch */
	SIG_SENDERS,     /* per-process TLB sends and fan-out */
	SIG_MAP_OPS,     /* per-process mmap/munmap/... (raw_syscalls:sys_enter) */
	SIG_FAULTS,      /* per-process page faults */
	SIG_MIGRATE,     /* migrate:mm_migrate_pages */
	SIG_COMPACT,     /* compaction:mm_compaction_begin */
	SIG_RECLAIM,     /* vmscan direct reclaim begin/end */
	SIG_PERF_SW,     /* perf software events per CPU */
	SIG_PERF_TLB,    /* dTLB/iTLB miss counters (needs a PMU) */
	SIG_APP_LAT,     /* an attached app's latency series */
	SIG_APP_PHASE,   /* an attached app's dispatch phase error, per CPU */
	SIG_STACKS,      /* a process's call sites (frame.sites) */
	SIG_MAX
};

/* Run-queue delay quantiles kept per CPU per tick. */
enum rq_quantile { RQ_P50, RQ_P95, RQ_P99, RQ_P999, RQ_QUANTILES };

/* Octaves of the loglin layout a CPU's run-queue histogram is kept at:
 * octave k is the LOGLIN_SUB slots from k * LOGLIN_SUB (core/hist.h says
 * why octaves; hist_octave_low/high give their ns bounds). */
#define RQ_OCTAVES HIST_OCTAVES

/* perf_event counters per CPU. */
enum perf_counter {
	PERF_CTXSW, PERF_MIGRATIONS, PERF_MINFLT, PERF_MAJFLT,
	PERF_DTLB_LOAD_MISS, PERF_DTLB_STORE_MISS, PERF_ITLB_MISS,
	PERF_COUNTERS
};

enum source_state {
	SOURCE_OFF = 0,   /* not built or not asked for */
	SOURCE_OK,
	SOURCE_UNAVAILABLE, /* absent on this host; reason says why */
	SOURCE_ERROR,       /* present but failed; reason says how */
	SOURCE_PARTIAL,     /* works, but parts are missing; reason says which */
};

struct source_status {
	uint8_t state;             /* enum source_state */
	char reason[FRAME_STATUS_LEN];
};

struct frame_cpu {
	uint8_t online;
	uint16_t node;             /* NUMA node (0 on one-node hosts) */
	uint8_t fresh;             /* first tick seen online: deltas are 0 */
	/* Members of the kernel's CPU sets (/sys/devices/system/cpu/possible,
	 * present): a slot that is not possible is a hole in the ids, not a
	 * CPU.  Both 0 in frames without topology (frame_cpu_exists). */
	uint8_t possible;
	uint8_t present;
	uint64_t irq[IRQ_KIND_MAX];
	/* /proc/schedstat deltas */
	uint64_t run_delay_ns;     /* time runnable tasks waited on this rq */
	uint64_t run_ns;           /* time tasks ran */
	uint64_t timeslices;
	/* eBPF: TLB shootdowns and call-function IPIs (bpf/tlb.h) */
	uint64_t tlb_flush[FRAME_TLB_REASONS]; /* flushes by reason */
	uint64_t tlb_pages;        /* pages in ranged flushes, all reasons */
	uint64_t tlb_full;         /* full flushes, all reasons */
	uint64_t tlb_fanout;       /* TLB IPIs this CPU sent */
	uint64_t tlb_rx;           /* TLB IPIs this CPU handled */
	uint64_t tlb_rx_ns;        /* time in those handlers */
	uint64_t callfn;           /* call-function IPIs handled (TLB ones too) */
	uint64_t callfn_ns;        /* time in their handlers: the IPI tax */
	/* eBPF: IOMMU (bpf/iotlb.h) */
	/* io_inval: IOTLB invalidations, intel_iommu:qi_submit where it exists,
	 * else intel_iommu:cache_tag_flush_* (never both: a flush submits) */
	uint64_t io_map, io_map_bytes, io_unmap, io_unmap_bytes, io_inval;
	/* eBPF: run-queue delay (bpf/rqlat.h) */
	uint64_t rq_count;         /* delays measured this tick */
	uint64_t rq_q[RQ_QUANTILES]; /* ns; midpoints of histogram slots */
	uint64_t rq_max;           /* ns; midpoint of the highest slot */
	uint64_t rq_preempt;       /* involuntary preemptions */
	uint64_t rq_negative;      /* discarded: clock went backwards */
	uint64_t rq_missed;        /* lost: another pid took the task's enqueue slot */
	/* this tick's delays by octave (hist_fold_octaves of the CPU's loglin
	 * histogram); sums to rq_count; all 0 in recordings made before them */
	uint32_t rq_oct[RQ_OCTAVES];
	uint64_t perf[PERF_COUNTERS];
	/* attached apps: dispatch phase error of the series pinned here */
	uint64_t jit_n;            /* dispatches measured this tick */
	uint64_t jit_p99_ns;       /* worst p99 of this CPU's phase series */
	uint64_t jit_max_ns;
};

struct frame_psi {
	uint64_t some_us;          /* stall time delta, microseconds */
	uint64_t full_us;
	float some_avg10;          /* the kernel's own 10 s average, percent */
	float full_avg10;
	uint8_t has_full;
};

struct frame_sys {
	uint64_t vm[VM_STAT_MAX];
	uint32_t vm_present;       /* bit i set when vm_stat i exists here */
	struct frame_psi psi_cpu;
	struct frame_psi psi_mem;
	/* run-queue delay over every CPU this tick, loglin slots in ns */
	uint32_t rq_hist[LOGLIN_SLOTS];
	/* What stormtop itself costs and does */
	uint64_t bpf_run_ns;       /* time its BPF programs ran (BPF_ENABLE_STATS) */
	uint64_t bpf_run_cnt;      /* events they handled */
	/* events they missed: the kernel skips a program already running on
	 * that CPU (bpf_prog_info.recursion_misses, 5.12+, all programs) */
	uint64_t bpf_recursion_misses;
	uint64_t self_cpu_ns;      /* its own user+system time */
	uint64_t self_sent;        /* TLB flushes with IPIs it initiated itself */
};

enum map_op { MAP_MMAP, MAP_MUNMAP, MAP_MPROTECT, MAP_MADVISE, MAP_MREMAP, MAP_OPS };

/* Top churn processes this tick (deltas), filled by the eBPF collector. */
struct frame_proc {
	int32_t tgid;
	char comm[FRAME_COMM_LEN];
	uint64_t sent;             /* TLB flushes that sent IPIs */
	uint64_t fanout;           /* TLB IPIs sent (one per target CPU) */
	uint64_t pages;            /* pages in ranged sent flushes */
	uint64_t full;             /* full sent flushes */
	uint64_t ops[MAP_OPS];
	uint64_t faults;
	uint64_t migrated;         /* pages */
	uint64_t thp_split;
	uint64_t compact;
	uint64_t reclaim;          /* direct-reclaim stalls */
	uint64_t reclaim_ns;
	uint32_t on_cpu;           /* the CPU of its latest event, + 1; 0 unknown */
	uint64_t cgroup_id;        /* cgroup v2 id at its latest event (bpf_get_current_cgroup_id):
				    * the cgroup directory's inode number; 0 unknown */
};

struct frame_procs {
	uint32_t n;
	struct frame_proc top[FRAME_TOP_PROCS];
	/* Every other process active this tick, summed: with it the list
	 * adds up to the host, however many processes churn. */
	uint32_t others;           /* how many were summed */
	struct frame_proc other;   /* tgid 0, comm "other" */
};

/* Where one process's shootdowns come from: its call sites over this
 * tick, from the stack sampler (bpf/stacks.bpf.c), off until a target is
 * set.  Each site is one distinct (kind, user stack, kernel stack);
 * paths are symbolised by the sampler thread (collectors/symbolize.c),
 * frames joined with ';' outermost first, as folded stacks are. */
#define FRAME_SITES      12
#define FRAME_SITE_SYM   64   /* the caller of the libc wrapper */
#define FRAME_SITE_PATH  256  /* a path that does not fit loses its outermost frames */

enum site_kind {
	SITE_FLUSH,                /* tlb_flush reason TLB_REMOTE_SEND_IPI, initiator's context */
	SITE_MMAP, SITE_MUNMAP, SITE_MPROTECT, SITE_MADVISE, SITE_MREMAP, /* raw_syscalls:sys_enter */
	SITE_KINDS
};

struct frame_site {
	uint8_t kind;              /* enum site_kind */
	uint64_t events;           /* sampled events x the sampling period (an estimate) */
	uint64_t ipis;             /* TLB IPIs those flushes queued (csd_queue_cpu), same scale */
	char caller[FRAME_SITE_SYM];   /* "func+0x1f", "module+0x1234" or "[unknown]" */
	char upath[FRAME_SITE_PATH];   /* user frames, outermost first */
	char kpath[FRAME_SITE_PATH];   /* kernel frames, outermost first; "" for a syscall entry */
};

struct frame_sites {
	int32_t tgid;              /* the process sampled; 0: the sampler is off */
	uint32_t period;           /* one event in `period` is sampled */
	uint32_t n;                /* sites filled, most events first */
	uint64_t other_events;     /* events of the sites that did not fit, same scale */
	uint64_t other_ipis;
	struct frame_site site[FRAME_SITES];
};

/* The same churn per cgroup (v2): every process's counters summed by the
 * cgroup it was in at its latest event, the busiest FRAME_TOP_CGROUPS
 * named, the rest summed, so the list adds up to the host like procs. */
#define FRAME_TOP_CGROUPS 16
#define FRAME_CGROUP_PATH 128  /* a longer path keeps its innermost end */

struct frame_cgroup {
	uint64_t id;               /* cgroup v2 id (inode of its directory); 0 for "other" */
	char path[FRAME_CGROUP_PATH]; /* from the cgroup2 mount, "/" the root; untrusted text */
	uint32_t procs;            /* processes summed this tick */
	struct frame_proc sum;     /* their counters (tgid 0, comm "", cgroup_id = id) */
};

struct frame_cgroups {
	uint8_t state;             /* enum cgroup_state */
	char why[FRAME_REASON_LEN]; /* when not CGROUPS_OK: why, in one line */
	uint32_t n;
	struct frame_cgroup top[FRAME_TOP_CGROUPS];
	uint32_t others;           /* how many were summed into other */
	struct frame_cgroup other;
};

enum cgroup_state {
	CGROUPS_NONE = 0,          /* not collected (no BPF, playback of an older file) */
	CGROUPS_OK,
	CGROUPS_V1_ONLY,           /* no cgroup2 mount: per-cgroup view unavailable */
	CGROUPS_UNAVAILABLE,       /* other reasons: why says */
};

#define FRAME_APPS       4   /* attached stormprobe segments */
#define FRAME_SERIES     16  /* their slots, all apps together */
#define FRAME_APP_NAME   40
#define FRAME_LABEL_LEN  32

/* Where an attached segment stands (the reason says more). */
enum app_state {
	APP_NONE = 0,
	APP_OK,
	APP_WAITING,   /* no such segment yet, or not ready: retried every tick */
	APP_GONE,      /* writer died, stopped beating, or closed */
	APP_REJECTED,  /* failed a check: owner, size, magic, version... */
};

struct frame_app {
	uint8_t state;             /* enum app_state */
	char name[FRAME_APP_NAME];
	char why[FRAME_REASON_LEN];
	int32_t pid;
	uint32_t mode;             /* the application's own state block */
	char mode_label[FRAME_LABEL_LEN];
};

enum series_quantile { SQ_P50, SQ_P90, SQ_P99, SQ_P999, SERIES_QUANTILES };

/* One slot of an attached segment over this tick's interval. */
struct frame_series {
	uint8_t app;               /* index in frame.apps */
	uint8_t kind;              /* STORMPROBE_LATENCY or STORMPROBE_PHASE */
	uint8_t reset;             /* baseline restarted: no interval this tick */
	int16_t cpu;               /* -1: not pinned */
	int32_t tid;
	char label[FRAME_LABEL_LEN];
	uint64_t n;                /* samples this tick */
	uint64_t sum_ns;
	uint64_t overflow;
	uint64_t q[SERIES_QUANTILES]; /* ns, bucket midpoints */
	uint64_t max_ns;
	uint64_t late;             /* samples at or above the CBR lateness threshold */
};

/* Pooled latency shapes, coarse: bucket b holds [2^b, 2^(b+1)) ns. */
#define CORR_BUCKETS 36
/* Lags the correlator tries, -FRAME_CORR_MAXLAG .. +FRAME_CORR_MAXLAG ticks. */
#define FRAME_CORR_MAXLAG 5
#define FRAME_CORR_LAGS (2 * FRAME_CORR_MAXLAG + 1)

/* What the correlator found over its window (src/stages/correlate.h). */
struct frame_corr {
	uint16_t window;           /* ticks used; 0 = nothing computed */
	float r_tlb;               /* Pearson r: app p99 vs TLB IPI rate */
	float r_iotlb;             /*   ... vs IOMMU activity */
	float r_runq;              /*   ... vs run-queue p99 */
	int16_t lag;               /* ticks the TLB series leads the app p99 by */
	float lag_r;               /* r at that lag */
	/* r at every lag: lag_rs[k] is lag k - FRAME_CORR_MAXLAG, NAN where the
	 * window has no r for it; nlags 0 in frames made before they were kept */
	uint8_t nlags;
	float lag_rs[FRAME_CORR_LAGS];
	uint32_t n_in, n_out;      /* ticks inside and outside TLB bursts */
	uint64_t p99_in_ns;        /* p99 of the app's pooled latencies in them */
	uint64_t p99_out_ns;
	float dvr;                 /* dispatch variance ratio, burst/clean */
	uint32_t clean_hist[CORR_BUCKETS]; /* the app's latencies in clean ticks */
	uint32_t burst_hist[CORR_BUCKETS]; /*   ... and in burst ticks */
};

/* The regime controller (src/stages/controller.h): two state machines. */
enum tlb_regime { TLB_CLEAN, TLB_WATCH, TLB_STORM, TLB_SAFE_DEGRADED, TLB_REGIMES };
enum iommu_regime {
	IOMMU_MAP_STABLE, IOMMU_PRESSURE_WATCH, IOMMU_FLUSH_STORM, IOMMU_SAFE_DMA_CONTAIN,
	IOMMU_REGIMES
};

/* The controller's inputs (docs/REGIME.md), as frame_regime's *_hold
 * names them (+ 1). */
enum regime_input {
	RIN_RATE, RIN_SBI, RIN_RQ_WIDEN, RIN_APP_WIDEN, RIN_DFI, RIN_DJS, RIN_RATE_HELD, REGIME_INPUTS
};

#define FRAME_NODES 64   /* per-node desk metrics kept; nodes past 63 share the last entry */

/* Desk metrics of one NUMA node (docs/REGIME.md has the formulas). */
struct frame_node_desk {
	uint16_t node;
	float sbi;                 /* shootdown burst index, per minute */
	float dfi;                 /* DMA flush intensity, per core per second */
	float rate;                /* the node's hottest core's TLB IPIs/s this tick */
};

struct frame_regime {
	uint8_t tlb, iommu;        /* states after this tick */
	uint8_t tlb_was, iommu_was; /* before it: they differ on a transition */
	/* desk metrics, host-wide; NAN where not measurable */
	float sbi;                 /* shootdown burst index, per minute */
	float dvr;                 /* dispatch variance ratio, stressed/clean */
	float cbr;                 /* catch-up burst ratio: share of late dispatches */
	float dfi;                 /* DMA flush intensity, hottest core, per second */
	float djs;                 /* DMA jitter spread: CV of DFI over the window */
	float pso;                 /* service-cadence oscillation: CV of dispatch rate */
	float rate;                /* hottest core's TLB IPIs/s this tick */
	/* the lowest of `rate` over the ticks covering the last
	 * tlb_watch_sustain_s seconds; NAN until they are covered */
	float rate_held;
	float rq_widen;            /* run-queue p99 / its rolling clean baseline */
	float app_widen;           /* the app's p99 / its rolling clean baseline */
	/* What holds each machine's state now (docs/REGIME.md): the input
	 * (enum regime_input + 1; 0 = nothing: the floor, or the cooldown is
	 * running), its value and the threshold it keeps the level with; and
	 * the earliest step down in seconds if no new pressure comes (the
	 * dwell left, the SBI's bursts leaving the window, the cooldown);
	 * NAN at the floor. */
	uint8_t tlb_hold, iommu_hold;
	float tlb_hold_value, tlb_hold_threshold, tlb_stepdown_s;
	float iommu_hold_value, iommu_hold_threshold, iommu_stepdown_s;
	/* 1 while the run queue widens (>= tlb_watch_widen_on, kept while
	 * >= _off) without shootdown pressure: CPU contention, not a storm */
	uint8_t contention;
	char why[FRAME_REASON_LEN]; /* what crossed which threshold, on a transition */
	uint32_t nnodes;
	struct frame_node_desk nodes[FRAME_NODES];
};

/* Host settings that cause or cure storms (src/core/hygiene.h names each
 * check and says why it matters and how to change it). */
#define FRAME_HYGIENE   16
#define FRAME_HYG_OBS   80

enum hyg_state { HYG_UNSET = 0, HYG_OK, HYG_FINDING, HYG_NA };

struct frame_hyg_item {
	uint8_t check;             /* enum hyg_check */
	uint8_t state;             /* enum hyg_state */
	char observed[FRAME_HYG_OBS];
};

struct frame_hygiene {
	uint32_t n;
	struct frame_hyg_item item[FRAME_HYGIENE];
};

/* NUMA nodes kept in a frame; hosts with more count them all in nnodes. */
#define FRAME_TOPO_NODES 64

/* One member of the host's node set (/sys/devices/system/node/online). */
struct frame_node {
	uint16_t node;             /* the kernel's node id: ids may be sparse (0, 2, 5) */
	uint32_t cpus;             /* present CPUs on it; 0 = memory only (e.g. a CXL expander) */
	uint64_t mem_bytes;        /* MemTotal of node<id>/meminfo; 0 = unknown */
};

/* The host's topology as sets, carried in every frame so playback and
 * every consumer count the same CPUs and nodes.  All 0 in frames made
 * before it existed: then every CPU slot is a CPU (frame_cpu_exists). */
struct frame_topo {
	uint32_t possible;         /* CPUs in the possible set */
	uint32_t present;          /* CPUs in the present set */
	uint32_t nnodes;           /* NUMA nodes, memory-only ones included */
	uint32_t nlist;            /* entries in node[], by ascending id */
	struct frame_node node[FRAME_TOPO_NODES];
};

struct frame {
	uint64_t seq;              /* tick number since start, from 0 */
	int64_t mono_ns;           /* CLOCK_MONOTONIC at sample */
	int64_t wall_ns;           /* CLOCK_REALTIME at sample */
	int64_t interval_ns;       /* time the deltas cover; 0 on the first */
	uint32_t ncpu;             /* slots in cpu[]: highest possible CPU id + 1 */
	uint32_t online;
	uint32_t irq_present;      /* bit k set when irq_kind k exists here */
	uint32_t signals;          /* bit i set when enum signal i has data */
	struct source_status status[SRC_MAX];
	struct frame_sys sys;
	struct frame_procs procs;
	struct frame_sites sites;
	struct frame_cgroups cgroups;
	uint32_t napps, nseries;
	struct frame_app apps[FRAME_APPS];
	struct frame_series series[FRAME_SERIES];
	/* every latency series together, re-binned to loglin slots (ns) */
	uint32_t app_hist[LOGLIN_SLOTS];
	struct frame_corr corr;
	struct frame_regime regime;
	struct frame_hygiene hygiene; /* rescanned every few seconds, carried between */
	struct frame_topo topo;
	struct frame_cpu *cpu;     /* ncpu slots, owned by the frame's ring */
};

/* Per-second rate of a delta over the frame's interval; 0 before the first. */
static inline double frame_rate(const struct frame *f, uint64_t delta)
{
	if (f->interval_ns <= 0)
		return 0.0;
	return (double)delta * 1e9 / (double)f->interval_ns;
}

/* Copy everything a frame holds, including its per-CPU slots (same ncpu). */
void frame_copy(struct frame *dst, const struct frame *src);
void frame_clear(struct frame *f);
void frame_set_status(struct frame *f, enum source s, enum source_state st,
		      const char *reason);
uint64_t frame_irq_total(const struct frame *f, enum irq_kind k);
/* Adds p's counters into sum (not its name, pid or CPU). */
void frame_proc_add(struct frame_proc *sum, const struct frame_proc *p);

const char *irq_kind_name(enum irq_kind k);
/* The /proc/vmstat name; one ending in '_' names a family that is summed. */
const char *vm_stat_name(enum vm_stat v);
const char *source_name(enum source s);
/* "off", "ok", "unavailable", "error", "partial". */
const char *source_state_name(int state);
const char *signal_name(enum signal s);
const char *map_op_name(enum map_op op);
/* "flush", "mmap", "munmap", "mprotect", "madvise", "mremap"; "?" out of range. */
const char *site_kind_name(int kind);
/* The regimes' names as people, /metrics and recordings' readers see
 * them ("CLEAN", "FLUSH_STORM"); "?" out of range. */
extern const char *const tlb_regime_names[TLB_REGIMES];
extern const char *const iommu_regime_names[IOMMU_REGIMES];
const char *tlb_regime_name(int state);
const char *iommu_regime_name(int state);
/* The same state in at most 6 columns, for a column that has no room for
 * the name (the TUI's regime strips; its help lists each next to its
 * name): the name itself when it fits, else one word of it ("SAFE" for
 * SAFE_DEGRADED).  machine 0 TLB, 1 IOMMU; "?" out of range. */
#define REGIME_BRIEF_W 6
const char *regime_state_brief(int machine, int state);
/* An input's name ("SBI", "runq p99 widening") and its unit as shown
 * after the value ("/s", "/min", "x", ""); "?" and "" out of range. */
extern const char *const regime_input_names[REGIME_INPUTS];
const char *regime_input_unit(int input);
/* What holds machine iommu (0 TLB, 1 IOMMU) now, as one line:
 * "SBI 15.6/min >= 5, down in >= 52 s", "cooldown 7 s", or "" at the
 * floor.  Returns the columns written (ASCII). */
int regime_hold_text(const struct frame_regime *g, int iommu, char *buf, size_t n);

static inline int frame_has(const struct frame *f, enum signal s)
{
	return (f->signals >> s) & 1;
}

/* Whether CPU slot c is a CPU of the host: a member of the present set
 * (online or not) or online (hot-added since the sets were read), or any
 * slot of a frame that carries no topology (older recordings).  A slot
 * that is only possible is a socket a VM could hot-add a CPU to
 * (possible 0-63, present 0-3): no CPU, so no row. */
static inline int frame_cpu_exists(const struct frame *f, uint32_t c)
{
	return c < f->ncpu && (!f->topo.possible ||
			       (f->cpu[c].possible && (f->cpu[c].present || f->cpu[c].online)));
}

/* CPUs of the host (frame_cpu_exists: present or online). */
uint32_t frame_cpus(const struct frame *f);
/* NUMA nodes of the host, memory-only ones included; from the CPUs'
 * nodes in frames without topology. */
uint32_t frame_nnodes(const struct frame *f);
/* The frame's node entry for node id, or NULL. */
const struct frame_node *frame_node_find(const struct frame *f, uint16_t node);
/* A frame without topology (an older recording) gets one from its CPU
 * slots: every slot possible and present, the nodes its CPUs name. */
void frame_topo_derive(struct frame *f);

#endif
