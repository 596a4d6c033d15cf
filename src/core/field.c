// SPDX-License-Identifier: GPL-2.0-only
#include "core/field.h"

#include <stdio.h>
#include <string.h>

#include "core/frame.h"

#define FR(id, kind, member, name) { id, SCOPE_FRAME, kind, offsetof(struct frame, member), name }
#define CPU(id, kind, member, name) { id, SCOPE_CPU, kind, offsetof(struct frame_cpu, member), name }
#define PROC(id, kind, member, name) { id, SCOPE_PROC, kind, offsetof(struct frame_proc, member), name }
#define SER(id, kind, member, name) { id, SCOPE_SERIES, kind, offsetof(struct frame_series, member), name }
#define APP(id, kind, member, name) { id, SCOPE_APP, kind, offsetof(struct frame_app, member), name }
#define NODE(id, kind, member, name) { id, SCOPE_NODE, kind, offsetof(struct frame_node_desk, member), name }
#define HYG(id, kind, member, name) { id, SCOPE_HYG, kind, offsetof(struct frame_hyg_item, member), name }
#define TOPO(id, kind, member, name) { id, SCOPE_TOPO_NODE, kind, offsetof(struct frame_node, member), name }

/* Ids 1-99 frame, 100-199 per CPU, 200-239 per process, 240-255
 * structured, 300-339 per app series, 340-359 per app, 360-379 per node,
 * 380-389 per hygiene check, 390-399 per NUMA node of the topology. */
const struct field frame_fields[] = {
	FR(1, KIND_U64, seq, "seq"),
	FR(2, KIND_I64, mono_ns, "mono_ns"),
	FR(3, KIND_I64, wall_ns, "wall_ns"),
	FR(4, KIND_I64, interval_ns, "interval_ns"),
	FR(5, KIND_U32, ncpu, "ncpu"),
	FR(6, KIND_U32, online, "online"),
	FR(7, KIND_U32, irq_present, "irq_present"),
	FR(8, KIND_U32, signals, "signals"),
	FR(10, KIND_U64, sys.vm[VM_TLB_REMOTE_FLUSH], "nr_tlb_remote_flush"),
	FR(11, KIND_U64, sys.vm[VM_TLB_REMOTE_FLUSH_RECEIVED], "nr_tlb_remote_flush_received"),
	FR(12, KIND_U64, sys.vm[VM_TLB_LOCAL_FLUSH_ALL], "nr_tlb_local_flush_all"),
	FR(13, KIND_U64, sys.vm[VM_TLB_LOCAL_FLUSH_ONE], "nr_tlb_local_flush_one"),
	FR(14, KIND_U64, sys.vm[VM_NUMA_PAGES_MIGRATED], "numa_pages_migrated"),
	FR(15, KIND_U64, sys.vm[VM_PGMIGRATE_SUCCESS], "pgmigrate_success"),
	FR(16, KIND_U64, sys.vm[VM_THP_SPLIT_PAGE], "thp_split_page"),
	FR(17, KIND_U64, sys.vm[VM_THP_COLLAPSE_ALLOC], "thp_collapse_alloc"),
	FR(18, KIND_U64, sys.vm[VM_COMPACT_STALL], "compact_stall"),
	FR(19, KIND_U64, sys.vm[VM_PGSTEAL_KSWAPD], "pgsteal_kswapd"),
	FR(20, KIND_U64, sys.vm[VM_PGSTEAL_DIRECT], "pgsteal_direct"),
	FR(21, KIND_U64, sys.vm[VM_PGDEMOTE], "pgdemote"),
	FR(22, KIND_U64, sys.vm[VM_PGPROMOTE], "pgpromote_success"),
	FR(23, KIND_U64, sys.vm[VM_PGFAULT], "pgfault"),
	FR(24, KIND_U64, sys.vm[VM_PGMAJFAULT], "pgmajfault"),
	FR(25, KIND_U32, sys.vm_present, "vm_present"),
	FR(26, KIND_U32, topo.possible, "cpus_possible"),
	FR(27, KIND_U32, topo.present, "cpus_present"),
	FR(28, KIND_U32, topo.nnodes, "numa_nodes"),
	FR(30, KIND_U64, sys.psi_cpu.some_us, "psi_cpu_some_us"),
	FR(31, KIND_U64, sys.psi_cpu.full_us, "psi_cpu_full_us"),
	FR(32, KIND_F32, sys.psi_cpu.some_avg10, "psi_cpu_some_avg10"),
	FR(33, KIND_F32, sys.psi_cpu.full_avg10, "psi_cpu_full_avg10"),
	FR(34, KIND_U8, sys.psi_cpu.has_full, "psi_cpu_has_full"),
	FR(35, KIND_U64, sys.psi_mem.some_us, "psi_mem_some_us"),
	FR(36, KIND_U64, sys.psi_mem.full_us, "psi_mem_full_us"),
	FR(37, KIND_F32, sys.psi_mem.some_avg10, "psi_mem_some_avg10"),
	FR(38, KIND_F32, sys.psi_mem.full_avg10, "psi_mem_full_avg10"),
	FR(39, KIND_U8, sys.psi_mem.has_full, "psi_mem_has_full"),
	FR(40, KIND_U64, sys.bpf_run_ns, "bpf_run_ns"),
	FR(41, KIND_U64, sys.bpf_run_cnt, "bpf_run_cnt"),
	FR(42, KIND_U64, sys.self_cpu_ns, "self_cpu_ns"),
	FR(43, KIND_U64, sys.self_sent, "self_sent"),
	FR(44, KIND_U64, sys.bpf_recursion_misses, "bpf_recursion_misses"),
	FR(50, KIND_U16, corr.window, "corr_window"),
	FR(51, KIND_F32, corr.r_tlb, "corr_r_tlb"),
	FR(52, KIND_F32, corr.r_iotlb, "corr_r_iotlb"),
	FR(53, KIND_F32, corr.r_runq, "corr_r_runq"),
	FR(54, KIND_I16, corr.lag, "corr_lag_ticks"),
	FR(55, KIND_F32, corr.lag_r, "corr_lag_r"),
	FR(56, KIND_U32, corr.n_in, "corr_burst_ticks"),
	FR(57, KIND_U32, corr.n_out, "corr_clean_ticks"),
	FR(58, KIND_U64, corr.p99_in_ns, "corr_p99_burst_ns"),
	FR(59, KIND_U64, corr.p99_out_ns, "corr_p99_clean_ns"),
	FR(60, KIND_F32, corr.dvr, "corr_dvr"),
	FR(61, KIND_U8, regime.tlb, "tlb_regime"),
	FR(62, KIND_U8, regime.iommu, "iommu_regime"),
	FR(63, KIND_U8, regime.tlb_was, "tlb_regime_was"),
	FR(64, KIND_U8, regime.iommu_was, "iommu_regime_was"),
	FR(65, KIND_F32, regime.sbi, "sbi"),
	FR(66, KIND_F32, regime.dvr, "dvr"),
	FR(67, KIND_F32, regime.cbr, "cbr"),
	FR(68, KIND_F32, regime.dfi, "dfi"),
	FR(69, KIND_F32, regime.djs, "djs"),
	FR(70, KIND_F32, regime.pso, "pso"),
	FR(71, KIND_F32, regime.rate, "hottest_tlb_rate"),
	FR(72, KIND_F32, regime.rq_widen, "runq_p99_widening"),
	FR(73, KIND_F32, regime.app_widen, "app_p99_widening"),
	FR(80, KIND_U32, procs.others, "other_procs"),
	FR(81, KIND_U64, procs.other.sent, "other_sent"),
	FR(82, KIND_U64, procs.other.fanout, "other_fanout"),
	FR(83, KIND_U64, procs.other.pages, "other_pages"),
	FR(84, KIND_U64, procs.other.full, "other_full"),
	FR(85, KIND_U64, procs.other.ops[MAP_MMAP], "other_mmap"),
	FR(86, KIND_U64, procs.other.ops[MAP_MUNMAP], "other_munmap"),
	FR(87, KIND_U64, procs.other.ops[MAP_MPROTECT], "other_mprotect"),
	FR(88, KIND_U64, procs.other.ops[MAP_MADVISE], "other_madvise"),
	FR(89, KIND_U64, procs.other.ops[MAP_MREMAP], "other_mremap"),
	FR(90, KIND_U64, procs.other.faults, "other_faults"),
	FR(91, KIND_U64, procs.other.migrated, "other_migrated"),
	FR(92, KIND_U64, procs.other.thp_split, "other_thp_split"),
	FR(93, KIND_U64, procs.other.compact, "other_compact"),
	FR(94, KIND_U64, procs.other.reclaim, "other_reclaim"),
	FR(95, KIND_U64, procs.other.reclaim_ns, "other_reclaim_ns"),

	CPU(100, KIND_U8, online, "online"),
	CPU(101, KIND_U16, node, "node"),
	CPU(102, KIND_U8, fresh, "fresh"),
	CPU(103, KIND_U64, irq[IRQ_TLB], "tlb"),
	CPU(104, KIND_U64, irq[IRQ_CAL], "cal"),
	CPU(105, KIND_U64, irq[IRQ_RES], "res"),
	CPU(106, KIND_U64, irq[IRQ_LOC], "loc"),
	CPU(107, KIND_U64, irq[IRQ_IOMMU], "iommu"),
	CPU(108, KIND_U64, run_delay_ns, "run_delay_ns"),
	CPU(109, KIND_U64, run_ns, "run_ns"),
	CPU(110, KIND_U64, timeslices, "timeslices"),
	CPU(111, KIND_U64, tlb_flush[0], "flush_task_switch"),
	CPU(112, KIND_U64, tlb_flush[1], "flush_remote_shootdown"),
	CPU(113, KIND_U64, tlb_flush[2], "flush_local_shootdown"),
	CPU(114, KIND_U64, tlb_flush[3], "flush_local_mm_shootdown"),
	CPU(115, KIND_U64, tlb_flush[4], "flush_send"),
	CPU(116, KIND_U64, tlb_flush[5], "flush_wrong_cpu"),
	CPU(117, KIND_U64, tlb_pages, "flush_pages"),
	CPU(118, KIND_U64, tlb_full, "flush_full"),
	CPU(119, KIND_U64, tlb_fanout, "fanout"),
	CPU(120, KIND_U64, tlb_rx, "tlb_rx"),
	CPU(121, KIND_U64, tlb_rx_ns, "tlb_rx_ns"),
	CPU(122, KIND_U64, callfn, "callfn"),
	CPU(123, KIND_U64, callfn_ns, "callfn_ns"),
	CPU(124, KIND_U64, io_map, "iommu_map"),
	CPU(125, KIND_U64, io_map_bytes, "iommu_map_bytes"),
	CPU(126, KIND_U64, io_unmap, "iommu_unmap"),
	CPU(127, KIND_U64, io_unmap_bytes, "iommu_unmap_bytes"),
	CPU(128, KIND_U64, io_inval, "iotlb_inval"),
	CPU(129, KIND_U64, rq_count, "rq_n"),
	CPU(130, KIND_U64, rq_q[RQ_P50], "rq_p50_ns"),
	CPU(131, KIND_U64, rq_q[RQ_P95], "rq_p95_ns"),
	CPU(132, KIND_U64, rq_q[RQ_P99], "rq_p99_ns"),
	CPU(133, KIND_U64, rq_q[RQ_P999], "rq_p999_ns"),
	CPU(134, KIND_U64, rq_max, "rq_max_ns"),
	CPU(135, KIND_U64, rq_preempt, "preempt"),
	CPU(136, KIND_U64, rq_negative, "rq_negative"),
	CPU(137, KIND_U64, perf[PERF_CTXSW], "ctxsw"),
	CPU(138, KIND_U64, perf[PERF_MIGRATIONS], "migrations"),
	CPU(139, KIND_U64, perf[PERF_MINFLT], "minflt"),
	CPU(140, KIND_U64, perf[PERF_MAJFLT], "majflt"),
	CPU(141, KIND_U64, perf[PERF_DTLB_LOAD_MISS], "dtlb_load_miss"),
	CPU(142, KIND_U64, perf[PERF_DTLB_STORE_MISS], "dtlb_store_miss"),
	CPU(143, KIND_U64, perf[PERF_ITLB_MISS], "itlb_miss"),
	CPU(144, KIND_U64, jit_n, "jitter_n"),
	CPU(145, KIND_U64, jit_p99_ns, "jitter_p99_ns"),
	CPU(146, KIND_U64, jit_max_ns, "jitter_max_ns"),
	CPU(150, KIND_U8, possible, "possible"),
	CPU(151, KIND_U8, present, "present"),

	PROC(200, KIND_I32, tgid, "pid"),
	PROC(201, KIND_U64, sent, "sent"),
	PROC(202, KIND_U64, fanout, "fanout"),
	PROC(203, KIND_U64, pages, "pages"),
	PROC(204, KIND_U64, full, "full"),
	PROC(205, KIND_U64, ops[MAP_MMAP], "mmap"),
	PROC(206, KIND_U64, ops[MAP_MUNMAP], "munmap"),
	PROC(207, KIND_U64, ops[MAP_MPROTECT], "mprotect"),
	PROC(208, KIND_U64, ops[MAP_MADVISE], "madvise"),
	PROC(209, KIND_U64, ops[MAP_MREMAP], "mremap"),
	PROC(210, KIND_U64, faults, "faults"),
	PROC(211, KIND_U64, migrated, "migrated"),
	PROC(212, KIND_U64, thp_split, "thp_split"),
	PROC(213, KIND_U64, compact, "compact"),
	PROC(214, KIND_U64, reclaim, "reclaim"),
	PROC(215, KIND_U64, reclaim_ns, "reclaim_ns"),
	PROC(216, KIND_U32, on_cpu, "on_cpu"),

	SER(300, KIND_U8, app, "app"),
	SER(301, KIND_U8, kind, "kind"),
	SER(302, KIND_U8, reset, "reset"),
	SER(303, KIND_I16, cpu, "cpu"),
	SER(304, KIND_I32, tid, "tid"),
	SER(305, KIND_U64, n, "n"),
	SER(306, KIND_U64, sum_ns, "sum_ns"),
	SER(307, KIND_U64, overflow, "overflow"),
	SER(308, KIND_U64, q[SQ_P50], "p50_ns"),
	SER(309, KIND_U64, q[SQ_P90], "p90_ns"),
	SER(310, KIND_U64, q[SQ_P99], "p99_ns"),
	SER(311, KIND_U64, q[SQ_P999], "p999_ns"),
	SER(312, KIND_U64, max_ns, "max_ns"),
	SER(313, KIND_U64, late, "late"),

	APP(340, KIND_U8, state, "state"),
	APP(341, KIND_I32, pid, "pid"),
	APP(342, KIND_U32, mode, "mode"),

	NODE(360, KIND_U16, node, "node"),
	NODE(361, KIND_F32, sbi, "sbi"),
	NODE(362, KIND_F32, dfi, "dfi"),
	NODE(363, KIND_F32, rate, "hottest_tlb_rate"),
	HYG(380, KIND_U8, check, "check"),
	HYG(381, KIND_U8, state, "state"),
	TOPO(390, KIND_U16, node, "node"),
	TOPO(391, KIND_U32, cpus, "cpus"),
	TOPO(392, KIND_U64, mem_bytes, "mem_total_bytes"),
};
const size_t frame_nfields = sizeof(frame_fields) / sizeof(frame_fields[0]);

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
