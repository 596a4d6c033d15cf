// SPDX-License-Identifier: GPL-2.0-only
#include "core/field.h"

#include <stdio.h>
#include <string.h>

#include "core/frame.h"

/* A row: its id, width, member and name, then what else it has as
 * designated initializers (the macros below). */
#define ROW(sc, st, i, k, m, n, ...) \
	{ .id = i, .scope = sc, .kind = k, .offset = offsetof(st, m), .name = n, __VA_ARGS__ }
#define FR(i, k, m, n, ...) ROW(SCOPE_FRAME, struct frame, i, k, m, n, __VA_ARGS__)
#define CPU(i, k, m, n, ...) ROW(SCOPE_CPU, struct frame_cpu, i, k, m, n, __VA_ARGS__)
#define PROC(i, k, m, n, ...) ROW(SCOPE_PROC, struct frame_proc, i, k, m, n, __VA_ARGS__)
#define SER(i, k, m, n, ...) ROW(SCOPE_SERIES, struct frame_series, i, k, m, n, __VA_ARGS__)
#define APP(i, k, m, n, ...) ROW(SCOPE_APP, struct frame_app, i, k, m, n, __VA_ARGS__)
#define NODE(i, k, m, n, ...) ROW(SCOPE_NODE, struct frame_node_desk, i, k, m, n, __VA_ARGS__)
#define HYG(i, k, m, n, ...) ROW(SCOPE_HYG, struct frame_hyg_item, i, k, m, n, __VA_ARGS__)
#define TOPO(i, k, m, n, ...) ROW(SCOPE_TOPO_NODE, struct frame_node, i, k, m, n, __VA_ARGS__)
#define SITES(i, k, m, n, ...) ROW(SCOPE_SITES, struct frame_sites, i, k, m, n, __VA_ARGS__)
#define SITE(i, k, m, n, ...) ROW(SCOPE_SITE, struct frame_site, i, k, m, n, __VA_ARGS__)
#define CGS(i, k, m, n, ...) ROW(SCOPE_CGROUPS, struct frame_cgroups, i, k, m, n, __VA_ARGS__)
#define CG(i, k, m, n, ...) ROW(SCOPE_CGROUP, struct frame_cgroup, i, k, m, n, __VA_ARGS__)

#define CTR .figure = FIG_COUNTER
#define GAU .figure = FIG_GAUGE
#define NS .unit = UNIT_NS
#define US .unit = UNIT_US
#define BYTES .unit = UNIT_BYTES
#define PCT .unit = UNIT_PERCENT
#define HELP(h) .help = h
#define IRQ(k) .gate = GATE_IRQ, .arg = IRQ_##k
#define VM(v) .gate = GATE_VM, .arg = VM_##v
#define SRC(s) .gate = GATE_SRC, .arg = SRC_##s
#define PSI_FULL(s) .gate = GATE_PSI_FULL, .arg = SRC_##s
#define SIG(s) .gate = GATE_SIG, .arg = SIG_##s
#define PROM(name, label) .prom = name, .prom_label = label
#define COL(n) .col = n
#define UI(l) .ui = l

#define VMSTAT(i, v, n) FR(i, KIND_U64, sys.vm[VM_##v], n, CTR, VM(v), HELP("/proc/vmstat " n " delta."))
#define IRQ_HELP "Interrupts handled, from /proc/interrupts, by line."
#define PERF_HELP "perf software and TLB-miss events counted on the CPU."
#define FLUSH_HELP(r) "tlb:tlb_flush on the CPU with reason " r " (eBPF)."
#define OTHER(i, k, m, n, s, ...) FR(i, k, procs.other.m, "other_" n, CTR, SIG(s), \
	HELP("Summed over every active process past the top list: " n "."), __VA_ARGS__)
#define PROC_CTR(i, m, n, s, h, ...) PROC(i, KIND_U64, m, n, CTR, SIG(s), HELP(h), __VA_ARGS__)

/* Ids 1-99 frame, 100-199 per CPU, 200-239 per process, 240-255
 * structured, 300-339 per app series, 340-359 per app, 360-379 per node,
 * 380-389 per hygiene check, 390-399 per NUMA node of the topology. */
const struct field frame_fields[] = {
	FR(1, KIND_U64, seq, "seq", HELP("Tick number since start, from 0.")),
	FR(2, KIND_I64, mono_ns, "mono_ns", NS, HELP("CLOCK_MONOTONIC at the sample.")),
	FR(3, KIND_I64, wall_ns, "wall_ns", NS, HELP("CLOCK_REALTIME at the sample.")),
	FR(4, KIND_I64, interval_ns, "interval_ns", GAU, NS, HELP("Time the deltas cover; 0 on the first tick.")),
	FR(5, KIND_U32, ncpu, "ncpu", HELP("CPU slots: the highest possible CPU id + 1.")),
	FR(6, KIND_U32, online, "online", GAU, HELP("CPUs online.")),
	FR(7, KIND_U32, irq_present, "irq_present",
	   HELP("Bit per /proc/interrupts line present: TLB, CAL, RES, LOC, IOMMU.")),
	FR(8, KIND_U32, signals, "signals",
	   HELP("Bit per eBPF or perf signal with data (enum signal in src/core/frame.h).")),
	VMSTAT(10, TLB_REMOTE_FLUSH, "nr_tlb_remote_flush"),
	VMSTAT(11, TLB_REMOTE_FLUSH_RECEIVED, "nr_tlb_remote_flush_received"),
	VMSTAT(12, TLB_LOCAL_FLUSH_ALL, "nr_tlb_local_flush_all"),
	VMSTAT(13, TLB_LOCAL_FLUSH_ONE, "nr_tlb_local_flush_one"),
	VMSTAT(14, NUMA_PAGES_MIGRATED, "numa_pages_migrated"),
	VMSTAT(15, PGMIGRATE_SUCCESS, "pgmigrate_success"),
	VMSTAT(16, THP_SPLIT_PAGE, "thp_split_page"),
	VMSTAT(17, THP_COLLAPSE_ALLOC, "thp_collapse_alloc"),
	VMSTAT(18, COMPACT_STALL, "compact_stall"),
	VMSTAT(19, PGSTEAL_KSWAPD, "pgsteal_kswapd"),
	VMSTAT(20, PGSTEAL_DIRECT, "pgsteal_direct"),
	FR(21, KIND_U64, sys.vm[VM_PGDEMOTE], "pgdemote", CTR, VM(PGDEMOTE),
	   HELP("/proc/vmstat pgdemote_* deltas, summed.")),
	VMSTAT(22, PGPROMOTE, "pgpromote_success"),
	VMSTAT(23, PGFAULT, "pgfault"),
	VMSTAT(24, PGMAJFAULT, "pgmajfault"),
	FR(25, KIND_U32, sys.vm_present, "vm_present", HELP("Bit per /proc/vmstat counter above present (10-24).")),
	FR(26, KIND_U32, topo.possible, "cpus_possible", GAU,
	   HELP("CPUs in the kernel's possible set (/sys/devices/system/cpu/possible).")),
	FR(27, KIND_U32, topo.present, "cpus_present", GAU,
	   HELP("CPUs in the kernel's present set (/sys/devices/system/cpu/present).")),
	FR(28, KIND_U32, topo.nnodes, "numa_nodes", GAU, HELP("NUMA nodes online, memory-only nodes included.")),
	FR(30, KIND_U64, sys.psi_cpu.some_us, "psi_cpu_some_us", CTR, US, SRC(PSI_CPU),
	   HELP("/proc/pressure/cpu some total delta.")),
	FR(31, KIND_U64, sys.psi_cpu.full_us, "psi_cpu_full_us", CTR, US, PSI_FULL(PSI_CPU),
	   HELP("/proc/pressure/cpu full total delta.")),
	FR(32, KIND_F32, sys.psi_cpu.some_avg10, "psi_cpu_some_avg10", GAU, PCT, SRC(PSI_CPU),
	   HELP("/proc/pressure/cpu some avg10: the kernel's 10 s average.")),
	FR(33, KIND_F32, sys.psi_cpu.full_avg10, "psi_cpu_full_avg10", GAU, PCT, PSI_FULL(PSI_CPU),
	   HELP("/proc/pressure/cpu full avg10.")),
	FR(34, KIND_U8, sys.psi_cpu.has_full, "psi_cpu_has_full", SRC(PSI_CPU),
	   HELP("1 when the kernel gives a cpu \"full\" line.")),
	FR(35, KIND_U64, sys.psi_mem.some_us, "psi_mem_some_us", CTR, US, SRC(PSI_MEMORY),
	   HELP("/proc/pressure/memory some total delta.")),
	FR(36, KIND_U64, sys.psi_mem.full_us, "psi_mem_full_us", CTR, US, PSI_FULL(PSI_MEMORY),
	   HELP("/proc/pressure/memory full total delta.")),
	FR(37, KIND_F32, sys.psi_mem.some_avg10, "psi_mem_some_avg10", GAU, PCT, SRC(PSI_MEMORY),
	   HELP("/proc/pressure/memory some avg10.")),
	FR(38, KIND_F32, sys.psi_mem.full_avg10, "psi_mem_full_avg10", GAU, PCT, PSI_FULL(PSI_MEMORY),
	   HELP("/proc/pressure/memory full avg10.")),
	FR(39, KIND_U8, sys.psi_mem.has_full, "psi_mem_has_full", SRC(PSI_MEMORY),
	   HELP("1 when the kernel gives a memory \"full\" line.")),
	FR(40, KIND_U64, sys.bpf_run_ns, "bpf_run_ns", CTR, NS, SRC(BPF),
	   HELP("Time stormtop's BPF programs ran in the kernel."), PROM("bpf_run_seconds_total", NULL)),
	FR(41, KIND_U64, sys.bpf_run_cnt, "bpf_run_cnt", CTR, SRC(BPF), HELP("Events stormtop's BPF programs handled."),
	   PROM("bpf_events_total", NULL)),
	FR(42, KIND_U64, sys.self_cpu_ns, "self_cpu_ns", CTR, NS, HELP("CPU time stormtop used."),
	   PROM("self_cpu_seconds_total", NULL)),
	FR(43, KIND_U64, sys.self_sent, "self_sent", CTR, SIG(SENDERS),
	   HELP("TLB flushes with IPIs that stormtop itself caused: it must not cause what it measures."),
	   PROM("self_tlb_flushes_sent_total", NULL)),
	FR(44, KIND_U64, sys.bpf_recursion_misses, "bpf_recursion_misses", CTR, SRC(BPF),
	   HELP("Events stormtop's BPF programs missed: the kernel skips a program already running on that CPU "
		"(bpf_prog_info.recursion_misses, all programs)."), PROM("bpf_recursion_misses_total", NULL)),
	FR(45, KIND_U8, regime.iommu_hold, "iommu_hold_input",
	   HELP("What holds the IOMMU regime now: the input + 1 (1 rate, 2 SBI, 3 runq p99 widening, "
		"4 app p99 widening, 5 DFI, 6 DJS, 7 sustained rate); 0 nothing (the floor, or the cooldown "
		"runs).")),
	FR(46, KIND_F32, regime.iommu_hold_value, "iommu_hold_value", GAU,
	   HELP("The value of the input that holds the IOMMU regime; NaN when none.")),
	FR(47, KIND_F32, regime.iommu_hold_threshold, "iommu_hold_threshold", GAU,
	   HELP("The threshold that input keeps the IOMMU regime with (its _off).")),
	FR(48, KIND_F32, regime.iommu_stepdown_s, "iommu_stepdown_s", GAU,
	   HELP("Seconds before the IOMMU regime can step down at the earliest if no new pressure comes "
		"(dwell, cooldown); NaN at the floor.")),
	FR(50, KIND_U16, corr.window, "corr_window", GAU, HELP("Ticks the correlator used; 0 = nothing computed.")),
	FR(51, KIND_F32, corr.r_tlb, "corr_r_tlb", GAU,
	   HELP("Pearson r of the app's p99 and the TLB IPI rate; NaN when not computable.")),
	FR(52, KIND_F32, corr.r_iotlb, "corr_r_iotlb", GAU, HELP("Pearson r of the app's p99 and IOMMU activity.")),
	FR(53, KIND_F32, corr.r_runq, "corr_r_runq", GAU, HELP("Pearson r of the app's p99 and the run-queue p99.")),
	FR(54, KIND_I16, corr.lag, "corr_lag_ticks", GAU, HELP("Ticks the TLB series leads the app's p99 by.")),
	FR(55, KIND_F32, corr.lag_r, "corr_lag_r", GAU, HELP("Pearson r at that lag.")),
	FR(56, KIND_U32, corr.n_in, "corr_burst_ticks", GAU, HELP("Ticks inside TLB bursts in the window.")),
	FR(57, KIND_U32, corr.n_out, "corr_clean_ticks", GAU, HELP("Ticks outside TLB bursts in the window.")),
	FR(58, KIND_U64, corr.p99_in_ns, "corr_p99_burst_ns", GAU, NS,
	   HELP("p99 of the app's pooled latencies in burst ticks.")),
	FR(59, KIND_U64, corr.p99_out_ns, "corr_p99_clean_ns", GAU, NS,
	   HELP("p99 of the app's pooled latencies in clean ticks.")),
	FR(60, KIND_F32, corr.dvr, "corr_dvr", GAU, HELP("Dispatch variance ratio, burst over clean.")),
	FR(61, KIND_U8, regime.tlb, "tlb_regime", HELP("TLB regime after this tick, 0-3 (docs/REGIME.md).")),
	FR(62, KIND_U8, regime.iommu, "iommu_regime", HELP("IOMMU regime after this tick, 0-3 (docs/REGIME.md).")),
	FR(63, KIND_U8, regime.tlb_was, "tlb_regime_was", HELP("TLB regime before this tick: differs on a transition.")),
	FR(64, KIND_U8, regime.iommu_was, "iommu_regime_was",
	   HELP("IOMMU regime before this tick: differs on a transition.")),
	FR(65, KIND_F32, regime.sbi, "sbi", GAU, HELP("Shootdown burst index, per minute; NaN when not measurable.")),
	FR(66, KIND_F32, regime.dvr, "dvr", GAU, HELP("Dispatch variance ratio, stressed over clean.")),
	FR(67, KIND_F32, regime.cbr, "cbr", GAU, HELP("Catch-up burst ratio: the share of late dispatches.")),
	FR(68, KIND_F32, regime.dfi, "dfi", GAU, HELP("DMA flush intensity of the hottest core, per second.")),
	FR(69, KIND_F32, regime.djs, "djs", GAU, HELP("DMA jitter spread: CV of the DFI over the window.")),
	FR(70, KIND_F32, regime.pso, "pso", GAU, HELP("Service-cadence oscillation: CV of the dispatch rate.")),
	FR(71, KIND_F32, regime.rate, "hottest_tlb_rate", GAU, HELP("The hottest core's TLB IPIs per second this tick.")),
	FR(72, KIND_F32, regime.rq_widen, "runq_p99_widening", GAU,
	   HELP("Run-queue p99 over its rolling clean baseline.")),
	FR(73, KIND_F32, regime.app_widen, "app_p99_widening", GAU, HELP("The app's p99 over its rolling clean baseline.")),
	FR(74, KIND_U8, regime.tlb_hold, "tlb_hold_input",
	   HELP("What holds the TLB regime now: the input + 1 (1 rate, 2 SBI, 3 runq p99 widening, "
		"4 app p99 widening, 7 sustained rate); 0 nothing (the floor, or the cooldown runs).")),
	FR(75, KIND_F32, regime.tlb_hold_value, "tlb_hold_value", GAU,
	   HELP("The value of the input that holds the TLB regime; NaN when none.")),
	FR(76, KIND_F32, regime.tlb_hold_threshold, "tlb_hold_threshold", GAU,
	   HELP("The threshold that input keeps the TLB regime with (its _off).")),
	FR(77, KIND_F32, regime.tlb_stepdown_s, "tlb_stepdown_s", GAU,
	   HELP("Seconds before the TLB regime can step down at the earliest if no new pressure comes "
		"(dwell, the SBI's bursts leaving the window, cooldown); NaN at the floor.")),
	FR(78, KIND_U8, regime.contention, "cpu_contention", GAU,
	   HELP("1 while the run-queue p99 widens over its clean baseline without TLB shootdown pressure: "
		"CPU contention, not a storm.")),
	FR(79, KIND_F32, regime.rate_held, "sustained_tlb_rate", GAU,
	   HELP("The lowest hottest-core TLB IPIs/s over the last tlb_watch_sustain_s seconds (WATCH's rate "
		"rule); NaN until they are covered, 0 in recordings made before it.")),
	FR(80, KIND_U32, procs.others, "other_procs", GAU, .gate = GATE_ANY_PROC,
	   HELP("Active processes the top list left out; other_* sum them, so list and rest add up to every "
		"process counted.")),
	OTHER(81, KIND_U64, sent, "sent", SENDERS),
	OTHER(82, KIND_U64, fanout, "fanout", TLB_FANOUT),
	OTHER(83, KIND_U64, pages, "pages", SENDERS),
	OTHER(84, KIND_U64, full, "full", SENDERS),
	OTHER(85, KIND_U64, ops[MAP_MMAP], "mmap", MAP_OPS),
	OTHER(86, KIND_U64, ops[MAP_MUNMAP], "munmap", MAP_OPS),
	OTHER(87, KIND_U64, ops[MAP_MPROTECT], "mprotect", MAP_OPS),
	OTHER(88, KIND_U64, ops[MAP_MADVISE], "madvise", MAP_OPS),
	OTHER(89, KIND_U64, ops[MAP_MREMAP], "mremap", MAP_OPS),
	OTHER(90, KIND_U64, faults, "faults", FAULTS),
	OTHER(91, KIND_U64, migrated, "migrated", MIGRATE),
	OTHER(92, KIND_U64, thp_split, "thp_split", MIGRATE),
	OTHER(93, KIND_U64, compact, "compact", COMPACT),
	OTHER(94, KIND_U64, reclaim, "reclaim", RECLAIM),
	OTHER(95, KIND_U64, reclaim_ns, "reclaim_ns", RECLAIM, NS),

	CPU(100, KIND_U8, online, "online", HELP("1 when the CPU is online.")),
	CPU(101, KIND_U16, node, "node", HELP("Its NUMA node (0 on one-node hosts).")),
	CPU(102, KIND_U8, fresh, "fresh", HELP("1 on its first tick online: its deltas are 0.")),
	CPU(103, KIND_U64, irq[IRQ_TLB], "tlb", CTR, IRQ(TLB), HELP(IRQ_HELP),
	    PROM("interrupts_total", "kind=\"TLB\""), COL(1), UI("TLB")),
	CPU(104, KIND_U64, irq[IRQ_CAL], "cal", CTR, IRQ(CAL), HELP(IRQ_HELP),
	    PROM("interrupts_total", "kind=\"CAL\""), COL(2), UI("CAL")),
	CPU(105, KIND_U64, irq[IRQ_RES], "res", CTR, IRQ(RES), HELP(IRQ_HELP),
	    PROM("interrupts_total", "kind=\"RES\""), COL(3), UI("RES")),
	CPU(106, KIND_U64, irq[IRQ_LOC], "loc", CTR, IRQ(LOC), HELP(IRQ_HELP),
	    PROM("interrupts_total", "kind=\"LOC\""), COL(4), UI("LOC")),
	CPU(107, KIND_U64, irq[IRQ_IOMMU], "iommu", CTR, IRQ(IOMMU), HELP(IRQ_HELP),
	    PROM("interrupts_total", "kind=\"IOMMU\""), COL(5), UI("IOMMU")),
	CPU(108, KIND_U64, run_delay_ns, "run_delay_ns", CTR, NS, SRC(SCHEDSTAT),
	    HELP("Time runnable tasks waited on the run queue (/proc/schedstat)."),
	    PROM("runqueue_delay_seconds_total", NULL), COL(7)),
	CPU(109, KIND_U64, run_ns, "run_ns", CTR, NS, SRC(SCHEDSTAT), HELP("Time tasks ran (/proc/schedstat).")),
	CPU(110, KIND_U64, timeslices, "timeslices", CTR, SRC(SCHEDSTAT), HELP("Timeslices run (/proc/schedstat)."),
	    COL(8)),
	CPU(111, KIND_U64, tlb_flush[FLUSH_TASK_SWITCH], "flush_task_switch", CTR, SIG(TLB_FLUSH),
	    HELP(FLUSH_HELP("TLB_FLUSH_ON_TASK_SWITCH"))),
	CPU(112, KIND_U64, tlb_flush[FLUSH_REMOTE_SHOOTDOWN], "flush_remote_shootdown", CTR, SIG(TLB_FLUSH),
	    HELP(FLUSH_HELP("TLB_REMOTE_SHOOTDOWN"))),
	CPU(113, KIND_U64, tlb_flush[FLUSH_LOCAL_SHOOTDOWN], "flush_local_shootdown", CTR, SIG(TLB_FLUSH),
	    HELP(FLUSH_HELP("TLB_LOCAL_SHOOTDOWN"))),
	CPU(114, KIND_U64, tlb_flush[FLUSH_LOCAL_MM_SHOOTDOWN], "flush_local_mm_shootdown", CTR, SIG(TLB_FLUSH),
	    HELP(FLUSH_HELP("TLB_LOCAL_MM_SHOOTDOWN"))),
	CPU(115, KIND_U64, tlb_flush[FLUSH_SEND], "flush_send", CTR, SIG(TLB_FLUSH),
	    HELP(FLUSH_HELP("TLB_REMOTE_SEND_IPI") " The flushes this CPU started that send shootdown IPIs."),
	    COL(9)),
	CPU(116, KIND_U64, tlb_flush[FLUSH_WRONG_CPU], "flush_wrong_cpu", CTR, SIG(TLB_FLUSH),
	    HELP(FLUSH_HELP("TLB_REMOTE_WRONG_CPU"))),
	CPU(117, KIND_U64, tlb_pages, "flush_pages", CTR, SIG(TLB_FLUSH), HELP("Pages in ranged flushes, all reasons.")),
	CPU(118, KIND_U64, tlb_full, "flush_full", CTR, SIG(TLB_FLUSH), HELP("Full flushes, all reasons.")),
	CPU(119, KIND_U64, tlb_fanout, "fanout", CTR, SIG(TLB_FANOUT),
	    HELP("TLB shootdown IPIs sent from the CPU, one per target CPU (eBPF)."), PROM("tlb_ipis_sent_total", NULL),
	    COL(10)),
	CPU(120, KIND_U64, tlb_rx, "tlb_rx", CTR, SIG(TLB_RX), HELP("TLB shootdown IPIs handled (eBPF)."),
	    PROM("tlb_shootdowns_received_total", NULL), COL(11)),
	CPU(121, KIND_U64, tlb_rx_ns, "tlb_rx_ns", CTR, NS, SIG(TLB_RX),
	    HELP("Time in TLB shootdown IPI handlers (eBPF)."), PROM("tlb_shootdown_handler_seconds_total", NULL),
	    COL(12)),
	CPU(122, KIND_U64, callfn, "callfn", CTR, SIG(CALLFN),
	    HELP("Function-call IPIs handled, TLB shootdowns included (eBPF)."),
	    PROM("call_function_ipis_total", NULL), COL(13)),
	CPU(123, KIND_U64, callfn_ns, "callfn_ns", CTR, NS, SIG(CALLFN),
	    HELP("Time in function-call IPI handlers: the IPI tax (eBPF)."), PROM("ipi_handler_seconds_total", NULL),
	    COL(14)),
	CPU(124, KIND_U64, io_map, "iommu_map", CTR, SIG(IOMMU_MAP), HELP("IOMMU map calls (eBPF)."),
	    PROM("iommu_maps_total", NULL), COL(20), UI("io-map")),
	CPU(125, KIND_U64, io_map_bytes, "iommu_map_bytes", CTR, BYTES, SIG(IOMMU_MAP), HELP("Bytes IOMMU-mapped (eBPF)."),
	    PROM("iommu_mapped_bytes_total", NULL)),
	CPU(126, KIND_U64, io_unmap, "iommu_unmap", CTR, SIG(IOMMU_MAP), HELP("IOMMU unmap calls (eBPF)."),
	    PROM("iommu_unmaps_total", NULL), COL(21), UI("io-unmap")),
	CPU(127, KIND_U64, io_unmap_bytes, "iommu_unmap_bytes", CTR, BYTES, SIG(IOMMU_MAP),
	    HELP("Bytes IOMMU-unmapped (eBPF)."), PROM("iommu_unmapped_bytes_total", NULL)),
	CPU(128, KIND_U64, io_inval, "iotlb_inval", CTR, SIG(IOTLB_INVAL), HELP("IOTLB invalidations submitted (eBPF)."),
	    PROM("iotlb_invalidations_total", NULL), UI("iotlb-inv")),
	CPU(129, KIND_U64, rq_count, "rq_n", CTR, SIG(RUNQ), HELP("Run-queue delays measured this tick (eBPF)."),
	    COL(15)),
	CPU(130, KIND_U64, rq_q[RQ_P50], "rq_p50_ns", GAU, NS, SIG(RUNQ),
	    HELP("Run-queue delay p50 this tick, a histogram slot's midpoint."), COL(16)),
	CPU(131, KIND_U64, rq_q[RQ_P95], "rq_p95_ns", GAU, NS, SIG(RUNQ), HELP("Run-queue delay p95 this tick.")),
	CPU(132, KIND_U64, rq_q[RQ_P99], "rq_p99_ns", GAU, NS, SIG(RUNQ), HELP("Run-queue delay p99 this tick."),
	    COL(17)),
	CPU(133, KIND_U64, rq_q[RQ_P999], "rq_p999_ns", GAU, NS, SIG(RUNQ), HELP("Run-queue delay p99.9 this tick.")),
	CPU(134, KIND_U64, rq_max, "rq_max_ns", GAU, NS, SIG(RUNQ),
	    HELP("Run-queue delay maximum this tick, the highest slot's midpoint."), COL(18)),
	CPU(135, KIND_U64, rq_preempt, "preempt", CTR, SIG(RUNQ), HELP("Involuntary preemptions (eBPF)."),
	    PROM("preemptions_total", NULL), COL(19)),
	CPU(136, KIND_U64, rq_negative, "rq_negative", CTR, SIG(RUNQ),
	    HELP("Delays discarded because the clock went backwards.")),
	CPU(152, KIND_U64, rq_missed, "rq_missed", CTR, SIG(RUNQ),
	    HELP("Delays lost, counted as the task runs: its enqueue-time slot (pid & 65535) was taken by another waiting pid.")),
	CPU(137, KIND_U64, perf[PERF_CTXSW], "ctxsw", CTR, SIG(PERF_SW), HELP(PERF_HELP),
	    PROM("perf_events_total", "event=\"context_switches\""), COL(22)),
	CPU(138, KIND_U64, perf[PERF_MIGRATIONS], "migrations", CTR, SIG(PERF_SW), HELP(PERF_HELP),
	    PROM("perf_events_total", "event=\"migrations\"")),
	CPU(139, KIND_U64, perf[PERF_MINFLT], "minflt", CTR, SIG(PERF_SW), HELP(PERF_HELP),
	    PROM("perf_events_total", "event=\"minor_faults\""), COL(23)),
	CPU(140, KIND_U64, perf[PERF_MAJFLT], "majflt", CTR, SIG(PERF_SW), HELP(PERF_HELP),
	    PROM("perf_events_total", "event=\"major_faults\"")),
	CPU(141, KIND_U64, perf[PERF_DTLB_LOAD_MISS], "dtlb_load_miss", CTR, SIG(PERF_TLB), HELP(PERF_HELP),
	    PROM("perf_events_total", "event=\"dtlb_load_misses\"")),
	CPU(142, KIND_U64, perf[PERF_DTLB_STORE_MISS], "dtlb_store_miss", CTR, SIG(PERF_TLB), HELP(PERF_HELP),
	    PROM("perf_events_total", "event=\"dtlb_store_misses\"")),
	CPU(143, KIND_U64, perf[PERF_ITLB_MISS], "itlb_miss", CTR, SIG(PERF_TLB), HELP(PERF_HELP),
	    PROM("perf_events_total", "event=\"itlb_misses\"")),
	CPU(144, KIND_U64, jit_n, "jitter_n", CTR, SIG(APP_PHASE),
	    HELP("Dispatches of the apps' phase-error series pinned to the CPU measured this tick.")),
	CPU(145, KIND_U64, jit_p99_ns, "jitter_p99_ns", GAU, NS, SIG(APP_PHASE), .flags = FIELD_SAMPLED,
	    HELP("Worst p99 dispatch phase error of those series.")),
	CPU(146, KIND_U64, jit_max_ns, "jitter_max_ns", GAU, NS, SIG(APP_PHASE), .flags = FIELD_SAMPLED,
	    HELP("Largest dispatch phase error of those series.")),
	CPU(150, KIND_U8, possible, "possible",
	    HELP("1 when the slot is in the kernel's possible set; a slot that is not is a hole in the CPU ids "
		 "and no output shows it.")),
	CPU(151, KIND_U8, present, "present",
	    HELP("1 when the slot is in the kernel's present set; a possible slot that is neither present nor "
		 "online is a socket without a CPU and no output shows it.")),

	PROC(200, KIND_I32, tgid, "pid", HELP("Process id (tgid).")),
	PROC_CTR(201, sent, "sent", SENDERS, "TLB flushes that sent IPIs."),
	PROC_CTR(202, fanout, "fanout", TLB_FANOUT, "TLB IPIs sent, one per target CPU."),
	PROC_CTR(203, pages, "pages", SENDERS, "Pages in its ranged sent flushes."),
	PROC_CTR(204, full, "full", SENDERS, "Its full sent flushes."),
	PROC_CTR(205, ops[MAP_MMAP], "mmap", MAP_OPS, "mmap calls (raw_syscalls:sys_enter)."),
	PROC_CTR(206, ops[MAP_MUNMAP], "munmap", MAP_OPS, "munmap calls."),
	PROC_CTR(207, ops[MAP_MPROTECT], "mprotect", MAP_OPS, "mprotect calls."),
	PROC_CTR(208, ops[MAP_MADVISE], "madvise", MAP_OPS, "madvise calls."),
	PROC_CTR(209, ops[MAP_MREMAP], "mremap", MAP_OPS, "mremap calls."),
	PROC_CTR(210, faults, "faults", FAULTS, "User page faults."),
	PROC_CTR(211, migrated, "migrated", MIGRATE, "Pages migrated (migrate:mm_migrate_pages)."),
	PROC_CTR(212, thp_split, "thp_split", MIGRATE, "THPs split to migrate."),
	PROC_CTR(213, compact, "compact", COMPACT, "Compaction runs (compaction:mm_compaction_begin)."),
	PROC_CTR(214, reclaim, "reclaim", RECLAIM, "Direct-reclaim stalls."),
	PROC_CTR(215, reclaim_ns, "reclaim_ns", RECLAIM, "Time stalled in direct reclaim.", NS),
	PROC(216, KIND_U32, on_cpu, "on_cpu", HELP("The CPU of its latest event plus one; 0 or absent: unknown.")),
	PROC(217, KIND_U64, cgroup_id, "cgroup_id", .gate = GATE_ANY_PROC,
	     HELP("Its cgroup v2 id at its latest event (bpf_get_current_cgroup_id: the inode number of the "
		  "cgroup's directory); 0 or absent: unknown.")),

	SER(300, KIND_U8, app, "app", HELP("Index into the apps.")),
	SER(301, KIND_U8, kind, "kind", HELP("1 latency, 2 phase error.")),
	SER(302, KIND_U8, reset, "reset", HELP("1: a new baseline, no interval this tick.")),
	SER(303, KIND_I16, cpu, "cpu", HELP("The CPU the series is pinned to; -1 not pinned.")),
	SER(304, KIND_I32, tid, "tid", HELP("The writing thread.")),
	SER(305, KIND_U64, n, "n", CTR, HELP("Samples this tick.")),
	SER(306, KIND_U64, sum_ns, "sum_ns", CTR, NS, HELP("Their sum.")),
	SER(307, KIND_U64, overflow, "overflow", CTR, HELP("Samples past the histogram's range.")),
	SER(308, KIND_U64, q[SQ_P50], "p50_ns", GAU, NS, HELP("p50 this tick, a bucket's midpoint.")),
	SER(309, KIND_U64, q[SQ_P90], "p90_ns", GAU, NS, HELP("p90 this tick.")),
	SER(310, KIND_U64, q[SQ_P99], "p99_ns", GAU, NS, HELP("p99 this tick.")),
	SER(311, KIND_U64, q[SQ_P999], "p999_ns", GAU, NS, HELP("p99.9 this tick.")),
	SER(312, KIND_U64, max_ns, "max_ns", GAU, NS, HELP("Maximum this tick.")),
	SER(313, KIND_U64, late, "late", CTR, HELP("Samples at or over desk_late_us.")),

	APP(340, KIND_U8, state, "state", HELP("1 ok, 2 waiting, 3 gone, 4 rejected.")),
	APP(341, KIND_I32, pid, "pid", HELP("The writer's process id.")),
	APP(342, KIND_U32, mode, "mode", HELP("The application's own state block.")),

	NODE(360, KIND_U16, node, "node", HELP("NUMA node id.")),
	NODE(361, KIND_F32, sbi, "sbi", GAU, HELP("The node's shootdown burst index, per minute.")),
	NODE(362, KIND_F32, dfi, "dfi", GAU, HELP("The node's DMA flush intensity, per core per second.")),
	NODE(363, KIND_F32, rate, "hottest_tlb_rate", GAU, HELP("The node's hottest core's TLB IPIs per second.")),
	HYG(380, KIND_U8, check, "check", HELP("Which check: the order of enum hyg_check in src/core/hygiene.h.")),
	HYG(381, KIND_U8, state, "state", HELP("1 ok, 2 finding, 3 n/a.")),
	TOPO(390, KIND_U16, node, "node", HELP("The kernel's node id; ids may be sparse.")),
	TOPO(391, KIND_U32, cpus, "cpus", GAU, HELP("Its present CPUs; 0 for a memory-only node such as a CXL expander.")),
	TOPO(392, KIND_U64, mem_bytes, "mem_total_bytes", GAU, BYTES,
	     HELP("MemTotal of node<N>/meminfo; 0 unknown.")),
};
const size_t frame_nfields = sizeof(frame_fields) / sizeof(frame_fields[0]);

/* Ids 1-9 the table's own, 10-29 per site: inside field 253 only. */
const struct field site_fields[] = {
	SITES(1, KIND_I32, tgid, "pid", SIG(STACKS),
	      HELP("The process whose call sites were sampled; absent (0): the sampler was off.")),
	SITES(2, KIND_U32, period, "period", SIG(STACKS),
	      HELP("One event in `period` was sampled: events and ipis are sampled counts times it.")),
	SITES(3, KIND_U64, other_events, "other_events", CTR, SIG(STACKS),
	      HELP("Events of the sites past the 12 kept, summed, same scale.")),
	SITES(4, KIND_U64, other_ipis, "other_ipis", CTR, SIG(STACKS), HELP("TLB IPIs of those sites, same scale.")),
	SITE(10, KIND_U8, kind, "kind", SIG(STACKS),
	     HELP("0 flush (tlb:tlb_flush reason TLB_REMOTE_SEND_IPI, the initiator's stack), 1 mmap, 2 munmap, "
		  "3 mprotect, 4 madvise, 5 mremap (raw_syscalls:sys_enter).")),
	SITE(11, KIND_U64, events, "events", CTR, SIG(STACKS),
	     HELP("Its events this tick: the sampled count times the period (an estimate).")),
	SITE(12, KIND_U64, ipis, "ipis", CTR, SIG(STACKS),
	     HELP("TLB IPIs its flushes queued (csd:csd_queue_cpu of flush_tlb_func), same scale.")),
};
const size_t site_nfields = sizeof(site_fields) / sizeof(site_fields[0]);

/* Ids 1-9 the table's own, 10-29 per cgroup: inside field 254 only. */
const struct field cgroup_fields[] = {
	CGS(1, KIND_U8, state, "state",
	    HELP("Per-cgroup view: 0 not collected (no eBPF, older recording), 1 ok, 2 cgroup v1 only "
		 "(no cgroup2 mount), 3 unavailable; the frame's `why` says why when not 1.")),
	CGS(2, KIND_U32, others, "other_cgroups", GAU,
	    HELP("Active cgroups the top list left out, summed into `other`.")),
	CG(10, KIND_U64, id, "cgroup_id",
	   HELP("cgroup v2 id: the inode number of its directory on the cgroup2 mount; 0 for `other`.")),
	CG(11, KIND_U32, procs, "procs", GAU, HELP("Processes whose counters it sums this tick.")),
};
const size_t cgroup_nfields = sizeof(cgroup_fields) / sizeof(cgroup_fields[0]);

const struct field *site_field_find(int scope, const char *name)
{
	for (size_t k = 0; k < site_nfields; k++)
		if (site_fields[k].scope == scope && strcmp(site_fields[k].name, name) == 0)
			return &site_fields[k];
	return NULL;
}

uint64_t field_bits(const struct field *fd, const void *base)
{
	const uint8_t *p = (const uint8_t *)base + fd->offset;
	union { uint64_t u64; int64_t i64; uint32_t u32; int32_t i32; uint16_t u16; int16_t i16; float f; } v;

	switch (fd->kind) {
	case KIND_U64: memcpy(&v.u64, p, 8); return v.u64;
	case KIND_I64: memcpy(&v.i64, p, 8); return ((uint64_t)v.i64 << 1) ^ (uint64_t)(v.i64 >> 63);
	case KIND_U32: memcpy(&v.u32, p, 4); return v.u32;
	case KIND_I32: memcpy(&v.i32, p, 4); return ((uint32_t)v.i32 << 1) ^ (uint32_t)(v.i32 >> 31);
	case KIND_U16: memcpy(&v.u16, p, 2); return v.u16;
	case KIND_I16: memcpy(&v.i16, p, 2); v.i32 = v.i16; return ((uint32_t)v.i32 << 1) ^ (uint32_t)(v.i32 >> 31);
	case KIND_U8: return *p;
	case KIND_F32: memcpy(&v.u32, p, 4); return v.u32;
	}
	return 0;
}

void field_set_bits(const struct field *fd, void *base, uint64_t x)
{
	uint8_t *p = (uint8_t *)base + fd->offset;
	int64_t i64 = (int64_t)(x >> 1) ^ -(int64_t)(x & 1);
	uint32_t u32 = (uint32_t)x;
	int32_t i32 = (int32_t)i64;
	uint16_t u16 = (uint16_t)x;
	int16_t i16 = (int16_t)i64;

	switch (fd->kind) {
	case KIND_U64: memcpy(p, &x, 8); break;
	case KIND_I64: memcpy(p, &i64, 8); break;
	case KIND_U32: case KIND_F32: memcpy(p, &u32, 4); break;
	case KIND_I32: memcpy(p, &i32, 4); break;
	case KIND_U16: memcpy(p, &u16, 2); break;
	case KIND_I16: memcpy(p, &i16, 2); break;
	case KIND_U8: *p = (uint8_t)x; break;
	}
}

double field_value(const struct field *fd, const void *base)
{
	uint64_t x = field_bits(fd, base);
	float f;

	switch (fd->kind) {
	case KIND_I64: return (double)((int64_t)(x >> 1) ^ -(int64_t)(x & 1));
	case KIND_I32: case KIND_I16: return (double)(int32_t)((int64_t)(x >> 1) ^ -(int64_t)(x & 1));
	case KIND_F32: memcpy(&f, &(uint32_t){ (uint32_t)x }, 4); return f;
	default: return (double)x;
	}
}

int field_format(const struct field *fd, const void *base, char *buf, size_t n)
{
	uint64_t x = field_bits(fd, base);
	int64_t i = (int64_t)(x >> 1) ^ -(int64_t)(x & 1);

	switch (fd->kind) {
	case KIND_I64: case KIND_I32: case KIND_I16: return snprintf(buf, n, "%lld", (long long)i);
	case KIND_F32: return snprintf(buf, n, "%.9g", field_value(fd, base));
	default: return snprintf(buf, n, "%llu", (unsigned long long)x);
	}
}

const char *field_unit_base(const struct field *fd)
{
	switch (fd->unit) {
	case UNIT_NS: case UNIT_US: return "seconds";
	case UNIT_BYTES: return "bytes";
	case UNIT_PERCENT: return "percent";
	default: return "";
	}
}

double field_unit_scale(const struct field *fd)
{
	return fd->unit == UNIT_NS ? 1e-9 : fd->unit == UNIT_US ? 1e-6 : 1;
}

const char *field_figure_name(const struct field *fd)
{
	static const char *const names[] = { "state", "counter", "gauge" };

	return fd->figure < sizeof(names) / sizeof(names[0]) ? names[fd->figure] : "?";
}

const struct field *field_find(int scope, const char *name)
{
	for (size_t k = 0; k < frame_nfields; k++)
		if (frame_fields[k].scope == scope && strcmp(frame_fields[k].name, name) == 0)
			return &frame_fields[k];
	return NULL;
}
