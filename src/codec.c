// SPDX-License-Identifier: GPL-2.0-only
#include "codec.h"

#include <stdio.h>
#include <string.h>

#include "varint.h"

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
const struct field codec_fields[] = {
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
const size_t codec_nfields = sizeof(codec_fields) / sizeof(codec_fields[0]);

/* Structured fields. */
enum { ID_STATUS = 240, ID_RQ_HIST = 241, ID_PROCS = 242, ID_SERIES = 243, ID_APPS = 244,
       ID_APP_HIST = 245, ID_CORR_HIST = 246, ID_REGIME_WHY = 247, ID_NODES = 248, ID_HYGIENE = 249,
       ID_TOPO_NODES = 250, ID_LIMIT = 512 };

/* On the wire each field starts with key = id * 2 + wire type, so a reader
 * can skip what it does not know: 0 = one varint, 1 = length + bytes. */
enum { WIRE_VARINT, WIRE_BYTES };

static const struct field *by_id[ID_LIMIT];

static const struct field *lookup(uint64_t id, enum field_scope scope)
{
	if (!by_id[1])
		for (size_t k = 0; k < codec_nfields; k++)
			by_id[codec_fields[k].id] = &codec_fields[k];
	if (id >= ID_LIMIT || !by_id[id] || by_id[id]->scope != scope)
		return NULL;
	return by_id[id];
}

static uint64_t get(const struct field *fd, const void *base)
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

static void set(const struct field *fd, void *base, uint64_t x)
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
	uint64_t x = get(fd, base);
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
	uint64_t x = get(fd, base);
	int64_t i = (int64_t)(x >> 1) ^ -(int64_t)(x & 1);

	switch (fd->kind) {
	case KIND_I64: case KIND_I32: case KIND_I16: return snprintf(buf, n, "%lld", (long long)i);
	case KIND_F32: return snprintf(buf, n, "%.9g", field_value(fd, base));
	default: return snprintf(buf, n, "%llu", (unsigned long long)x);
	}
}


/* A field's bytes go after a length we only know at the end: reserve
 * the varint's worst case, then move the body down. */
struct out {
	uint8_t *buf, *p, *end;
	int overflow;
};

static void put(struct out *o, uint64_t v)
{
	if (o->end - o->p < VARINT_MAX) {
		o->overflow = 1;
		return;
	}
	o->p += varint_put(o->p, v);
}

static void put_bytes(struct out *o, const void *b, size_t n)
{
	if ((size_t)(o->end - o->p) < n) {
		o->overflow = 1;
		return;
	}
	memcpy(o->p, b, n);
	o->p += n;
}

static uint8_t *open_field(struct out *o, unsigned int id)
{
	uint8_t *start;

	put(o, id * 2 + WIRE_BYTES);
	start = o->p;
	if (o->end - o->p < VARINT_MAX)
		o->overflow = 1;
	else
		o->p += VARINT_MAX;
	return start;
}

static void close_field(struct out *o, uint8_t *start)
{
	uint8_t len[VARINT_MAX];
	size_t body, n;

	if (o->overflow)
		return;
	body = (size_t)(o->p - (start + VARINT_MAX));
	n = varint_put(len, body);
	memmove(start + n, start + VARINT_MAX, body);
	memcpy(start, len, n);
	o->p = start + n + body;
}

static void encode_cpu_field(struct out *o, const struct field *fd, const struct frame *f)
{
	uint8_t *start;
	int any = 0;

	for (uint32_t c = 0; c < f->ncpu && !any; c++)
		any = get(fd, &f->cpu[c]) != 0;
	if (!any) /* absent reads back as all zero */
		return;
	start = open_field(o, fd->id);
	for (uint32_t c = 0; c < f->ncpu; c++)
		put(o, get(fd, &f->cpu[c]));
	close_field(o, start);
}

static void encode_status(struct out *o, const struct frame *f)
{
	uint8_t *start = open_field(o, ID_STATUS);

	for (int s = 0; s < SRC_MAX; s++) {
		size_t n = strnlen(f->status[s].reason, sizeof(f->status[s].reason));

		put(o, f->status[s].state);
		put(o, n);
		put_bytes(o, f->status[s].reason, n);
	}
	close_field(o, start);
}

/* Lists of records (processes, app series, apps): the count, then per
 * record its strings (length, bytes) and (id, value) pairs for its
 * non-zero fields of the list's scope. */
struct list_kind {
	unsigned int id;
	enum field_scope scope;
	size_t count_off, items_off, stride, max;
	size_t nstr, str_off[3], str_len[3];
};

#define LIST_STR(type, m) offsetof(type, m)
static const struct list_kind lists[] = {
	{ ID_PROCS, SCOPE_PROC, offsetof(struct frame, procs.n), offsetof(struct frame, procs.top),
	  sizeof(struct frame_proc), FRAME_TOP_PROCS, 1,
	  { LIST_STR(struct frame_proc, comm) }, { FRAME_COMM_LEN } },
	{ ID_SERIES, SCOPE_SERIES, offsetof(struct frame, nseries), offsetof(struct frame, series),
	  sizeof(struct frame_series), FRAME_SERIES, 1,
	  { LIST_STR(struct frame_series, label) }, { FRAME_LABEL_LEN } },
	{ ID_APPS, SCOPE_APP, offsetof(struct frame, napps), offsetof(struct frame, apps),
	  sizeof(struct frame_app), FRAME_APPS, 3,
	  { LIST_STR(struct frame_app, name), LIST_STR(struct frame_app, why),
	    LIST_STR(struct frame_app, mode_label) },
	  { FRAME_APP_NAME, FRAME_REASON_LEN, FRAME_LABEL_LEN } },
	{ ID_NODES, SCOPE_NODE, offsetof(struct frame, regime.nnodes), offsetof(struct frame, regime.nodes),
	  sizeof(struct frame_node_desk), FRAME_NODES, 0, { 0 }, { 0 } },
	{ ID_HYGIENE, SCOPE_HYG, offsetof(struct frame, hygiene.n), offsetof(struct frame, hygiene.item),
	  sizeof(struct frame_hyg_item), FRAME_HYGIENE, 1,
	  { LIST_STR(struct frame_hyg_item, observed) }, { FRAME_HYG_OBS } },
	{ ID_TOPO_NODES, SCOPE_TOPO_NODE, offsetof(struct frame, topo.nlist), offsetof(struct frame, topo.node),
	  sizeof(struct frame_node), FRAME_TOPO_NODES, 0, { 0 }, { 0 } },
};
#define NLISTS (sizeof(lists) / sizeof(lists[0]))

static uint32_t list_count(const struct list_kind *l, const struct frame *f)
{
	uint32_t n;

	memcpy(&n, (const uint8_t *)f + l->count_off, sizeof(n));
	return n < l->max ? n : (uint32_t)l->max;
}

static void encode_item(struct out *o, const struct list_kind *l, const uint8_t *item)
{
	uint32_t nz = 0;

	for (size_t k = 0; k < l->nstr; k++) {
		const char *str = (const char *)item + l->str_off[k];
		size_t n = strnlen(str, l->str_len[k]);

		put(o, n);
		put_bytes(o, str, n);
	}
	for (size_t k = 0; k < codec_nfields; k++)
		nz += codec_fields[k].scope == l->scope && get(&codec_fields[k], item) != 0;
	put(o, nz);
	for (size_t k = 0; k < codec_nfields; k++)
		if (codec_fields[k].scope == l->scope && get(&codec_fields[k], item)) {
			put(o, codec_fields[k].id);
			put(o, get(&codec_fields[k], item));
		}
}

static void encode_list(struct out *o, const struct list_kind *l, const struct frame *f)
{
	uint32_t n = list_count(l, f);
	uint8_t *start;

	if (!n)
		return;
	start = open_field(o, l->id);
	put(o, n);
	for (uint32_t i = 0; i < n; i++)
		encode_item(o, l, (const uint8_t *)f + l->items_off + i * l->stride);
	close_field(o, start);
}

size_t codec_bound(uint32_t ncpu)
{
	size_t per_field = 2 * VARINT_MAX;
	size_t b = codec_nfields * (per_field + (size_t)ncpu * VARINT_MAX) +
		   SRC_MAX * (FRAME_STATUS_LEN + 2 * VARINT_MAX) + per_field +
		   2 * (LOGLIN_SLOTS * 2 * VARINT_MAX + per_field) +
		   2 * CORR_BUCKETS * 2 * VARINT_MAX + per_field + FRAME_REASON_LEN + per_field + 64;

	for (size_t k = 0; k < NLISTS; k++) {
		size_t item = codec_nfields * 2 * VARINT_MAX + VARINT_MAX;

		for (size_t j = 0; j < lists[k].nstr; j++)
			item += lists[k].str_len[j] + VARINT_MAX;
		b += per_field + VARINT_MAX + lists[k].max * item;
	}
	return b;
}

/* The loglin histograms: (slot, count) pairs for the non-empty slots. */
static void encode_slots(struct out *o, unsigned int id, const uint32_t *slots)
{
	uint8_t *start;
	int any = 0;

	for (unsigned int s = 0; s < LOGLIN_SLOTS && !any; s++)
		any = slots[s] != 0;
	if (!any)
		return;
	start = open_field(o, id);
	for (unsigned int s = 0; s < LOGLIN_SLOTS; s++)
		if (slots[s]) {
			put(o, s);
			put(o, slots[s]);
		}
	close_field(o, start);
}

/* The controller's transition line, only on ticks that have one. */
static void encode_why(struct out *o, const struct frame *f)
{
	size_t n = strnlen(f->regime.why, sizeof(f->regime.why));
	uint8_t *start;

	if (!n)
		return;
	start = open_field(o, ID_REGIME_WHY);
	put_bytes(o, f->regime.why, n);
	close_field(o, start);
}

/* The correlator's two coarse shapes: (bucket, count) pairs, the burst
 * pool's buckets numbered after the clean pool's. */
static void encode_corr_hist(struct out *o, const struct frame *f)
{
	const struct frame_corr *c = &f->corr;
	uint8_t *start;
	int any = 0;

	for (unsigned int b = 0; b < CORR_BUCKETS && !any; b++)
		any = c->clean_hist[b] || c->burst_hist[b];
	if (!any)
		return;
	start = open_field(o, ID_CORR_HIST);
	for (unsigned int b = 0; b < 2 * CORR_BUCKETS; b++) {
		uint32_t n = b < CORR_BUCKETS ? c->clean_hist[b] : c->burst_hist[b - CORR_BUCKETS];

		if (n) {
			put(o, b);
			put(o, n);
		}
	}
	close_field(o, start);
}

size_t frame_encode(const struct frame *f, uint8_t *buf, size_t cap)
{
	struct out o = { buf, buf, buf + cap, 0 };

	for (size_t k = 0; k < codec_nfields; k++) {
		const struct field *fd = &codec_fields[k];

		if (fd->scope == SCOPE_FRAME && get(fd, f)) {
			put(&o, fd->id * 2u + WIRE_VARINT);
			put(&o, get(fd, f));
		} else if (fd->scope == SCOPE_CPU) {
			encode_cpu_field(&o, fd, f);
		}
	}
	encode_status(&o, f);
	encode_slots(&o, ID_RQ_HIST, f->sys.rq_hist);
	encode_slots(&o, ID_APP_HIST, f->app_hist);
	encode_corr_hist(&o, f);
	encode_why(&o, f);
	for (size_t k = 0; k < NLISTS; k++)
		encode_list(&o, &lists[k], f);
	return o.overflow ? 0 : (size_t)(o.p - buf);
}

/* Decoding: every read is bounds-checked; a malformed field fails the
 * whole frame (the record's CRC already passed, so this is a bug or a
 * hostile file, not a torn write). */
struct in {
	const uint8_t *p, *end;
};

static int get_u(struct in *in, uint64_t *v)
{
	return varint_get(&in->p, in->end, v);
}

static int decode_cpu_field(struct in *in, const struct field *fd, struct frame *f)
{
	for (uint32_t c = 0; in->p < in->end; c++) {
		uint64_t v;

		if (get_u(in, &v) < 0)
			return -1;
		if (c < f->ncpu)
			set(fd, &f->cpu[c], v);
	}
	return 0;
}

static int decode_status(struct in *in, struct frame *f)
{
	for (int s = 0; s < SRC_MAX && in->p < in->end; s++) {
		uint64_t st, n;

		if (get_u(in, &st) < 0 || get_u(in, &n) < 0 || n > (uint64_t)(in->end - in->p))
			return -1;
		f->status[s].state = (uint8_t)st;
		memcpy(f->status[s].reason, in->p, n < FRAME_STATUS_LEN ? n : FRAME_STATUS_LEN - 1);
		in->p += n;
	}
	return 0;
}

static int decode_slots(struct in *in, uint32_t *slots)
{
	while (in->p < in->end) {
		uint64_t s, n;

		if (get_u(in, &s) < 0 || get_u(in, &n) < 0)
			return -1;
		if (s < LOGLIN_SLOTS)
			slots[s] = (uint32_t)n;
	}
	return 0;
}

static int decode_corr_hist(struct in *in, struct frame_corr *c)
{
	while (in->p < in->end) {
		uint64_t b, n;

		if (get_u(in, &b) < 0 || get_u(in, &n) < 0)
			return -1;
		if (b < CORR_BUCKETS)
			c->clean_hist[b] = (uint32_t)n;
		else if (b < 2 * CORR_BUCKETS)
			c->burst_hist[b - CORR_BUCKETS] = (uint32_t)n;
	}
	return 0;
}

static int decode_item(struct in *in, const struct list_kind *l, uint8_t *item)
{
	uint64_t n, nz;

	for (size_t k = 0; k < l->nstr; k++) {
		if (get_u(in, &n) < 0 || n > (uint64_t)(in->end - in->p))
			return -1;
		memcpy(item + l->str_off[k], in->p, n < l->str_len[k] ? n : l->str_len[k] - 1);
		in->p += n;
	}
	if (get_u(in, &nz) < 0)
		return -1;
	while (nz--) {
		uint64_t id, v;
		const struct field *fd;

		if (get_u(in, &id) < 0 || get_u(in, &v) < 0)
			return -1;
		if ((fd = lookup(id, l->scope)))
			set(fd, item, v);
	}
	return 0;
}

static int decode_list(struct in *in, const struct list_kind *l, struct frame *f)
{
	uint8_t scratch[sizeof(struct frame_app) > sizeof(struct frame_series) ?
			sizeof(struct frame_app) : sizeof(struct frame_series)];
	uint64_t n;
	uint32_t kept;

	_Static_assert(sizeof(struct frame_proc) <= sizeof(scratch) &&
		       sizeof(struct frame_node_desk) <= sizeof(scratch) &&
		       sizeof(struct frame_hyg_item) <= sizeof(scratch) &&
		       sizeof(struct frame_node) <= sizeof(scratch), "scratch item");
	if (get_u(in, &n) < 0)
		return -1;
	for (uint64_t i = 0; i < n; i++) {
		uint8_t *item = i < l->max ? (uint8_t *)f + l->items_off + i * l->stride : scratch;

		memset(item, 0, l->stride);
		if (decode_item(in, l, item) < 0)
			return -1;
	}
	kept = (uint32_t)(n < l->max ? n : l->max);
	memcpy((uint8_t *)f + l->count_off, &kept, sizeof(kept));
	return 0;
}

static int decode_block(uint64_t id, struct in *body, struct frame *f)
{
	const struct field *fd;

	switch (id) {
	case ID_STATUS: return decode_status(body, f);
	case ID_RQ_HIST: return decode_slots(body, f->sys.rq_hist);
	case ID_APP_HIST: return decode_slots(body, f->app_hist);
	case ID_CORR_HIST: return decode_corr_hist(body, &f->corr);
	case ID_REGIME_WHY:
		memcpy(f->regime.why, body->p, (size_t)(body->end - body->p) < FRAME_REASON_LEN ?
			(size_t)(body->end - body->p) : FRAME_REASON_LEN - 1);
		return 0;
	}
	for (size_t k = 0; k < NLISTS; k++)
		if (lists[k].id == id)
			return decode_list(body, &lists[k], f);
	if ((fd = lookup(id, SCOPE_CPU)))
		return decode_cpu_field(body, fd, f);
	return 0; /* a newer writer's field: skipped */
}

static int decode_fields(struct in *in, struct frame *f)
{
	while (in->p < in->end) {
		uint64_t key, v;
		const struct field *fd;

		if (get_u(in, &key) < 0 || get_u(in, &v) < 0)
			return -1;
		if ((key & 1) == WIRE_BYTES) {
			struct in body;

			if (v > (uint64_t)(in->end - in->p))
				return -1;
			body = (struct in){ in->p, in->p + v };
			if (decode_block(key >> 1, &body, f) < 0)
				return -1;
			in->p = body.end;
		} else if ((fd = lookup(key >> 1, SCOPE_FRAME)) && fd->offset != offsetof(struct frame, ncpu)) {
			set(fd, f, v); /* ncpu is the ring's, never the file's */
		}
	}
	return 0;
}

int frame_decode(const uint8_t *buf, size_t len, struct frame *f)
{
	struct in in = { buf, buf + len };
	uint32_t ncpu = f->ncpu;
	int rc;

	frame_clear(f);
	rc = decode_fields(&in, f);
	f->ncpu = ncpu; /* belt and braces: the next frame_clear trusts it */
	return rc;
}
