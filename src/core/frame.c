// SPDX-License-Identifier: GPL-2.0-only
/* Frame helpers: names, status and whole-frame copy. */
#include "core/frame.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "util/text.h"

static const char *const irq_names[IRQ_KIND_MAX] = {
	[IRQ_TLB] = "TLB", [IRQ_CAL] = "CAL", [IRQ_RES] = "RES",
	[IRQ_LOC] = "LOC", [IRQ_IOMMU] = "IOMMU",
};

static const char *const vm_names[VM_STAT_MAX] = {
	[VM_TLB_REMOTE_FLUSH] = "nr_tlb_remote_flush",
	[VM_TLB_REMOTE_FLUSH_RECEIVED] = "nr_tlb_remote_flush_received",
	[VM_TLB_LOCAL_FLUSH_ALL] = "nr_tlb_local_flush_all",
	[VM_TLB_LOCAL_FLUSH_ONE] = "nr_tlb_local_flush_one",
	[VM_NUMA_PAGES_MIGRATED] = "numa_pages_migrated",
	[VM_PGMIGRATE_SUCCESS] = "pgmigrate_success",
	[VM_THP_SPLIT_PAGE] = "thp_split_page",
	[VM_THP_COLLAPSE_ALLOC] = "thp_collapse_alloc",
	[VM_COMPACT_STALL] = "compact_stall",
	[VM_PGSTEAL_KSWAPD] = "pgsteal_kswapd",
	[VM_PGSTEAL_DIRECT] = "pgsteal_direct",
	[VM_PGDEMOTE] = "pgdemote_",   /* trailing _: sum of the prefix */
	[VM_PGPROMOTE] = "pgpromote_success",
	[VM_PGFAULT] = "pgfault",
	[VM_PGMAJFAULT] = "pgmajfault",
};

static const char *const source_names[SRC_MAX] = {
	[SRC_INTERRUPTS] = "interrupts", [SRC_SCHEDSTAT] = "schedstat",
	[SRC_VMSTAT] = "vmstat", [SRC_PSI_CPU] = "psi-cpu",
	[SRC_PSI_MEMORY] = "psi-mem", [SRC_NUMA] = "numa",
	[SRC_BPF] = "bpf", [SRC_PERF] = "perf", [SRC_APP] = "app",
};

static const char *const signal_names[SIG_MAX] = {
	[SIG_TLB_FLUSH] = "tlb_flush", [SIG_TLB_FANOUT] = "tlb_fanout",
	[SIG_TLB_RX] = "tlb_rx", [SIG_CALLFN] = "callfn",
	[SIG_IOMMU_MAP] = "iommu_map", [SIG_IOTLB_INVAL] = "iotlb_inval",
	[SIG_RUNQ] = "runq", [SIG_SENDERS] = "senders", [SIG_MAP_OPS] = "map_ops",
	[SIG_FAULTS] = "faults", [SIG_MIGRATE] = "migrate", [SIG_COMPACT] = "compact",
	[SIG_RECLAIM] = "reclaim", [SIG_PERF_SW] = "perf_sw", [SIG_PERF_TLB] = "perf_tlb",
	[SIG_APP_LAT] = "app_latency", [SIG_APP_PHASE] = "app_phase", [SIG_STACKS] = "stacks",
};

static const char *const map_op_names[MAP_OPS] = {
	[MAP_MMAP] = "mmap", [MAP_MUNMAP] = "munmap", [MAP_MPROTECT] = "mprotect",
	[MAP_MADVISE] = "madvise", [MAP_MREMAP] = "mremap",
};

const char *signal_name(enum signal s)
{
	return (unsigned)s < SIG_MAX ? signal_names[s] : "?";
}

const char *map_op_name(enum map_op op)
{
	return (unsigned)op < MAP_OPS ? map_op_names[op] : "?";
}

const char *site_kind_name(int kind)
{
	static const char *const names[SITE_KINDS] = {
		[SITE_FLUSH] = "flush", [SITE_MMAP] = "mmap", [SITE_MUNMAP] = "munmap",
		[SITE_MPROTECT] = "mprotect", [SITE_MADVISE] = "madvise", [SITE_MREMAP] = "mremap",
	};

	return kind >= 0 && kind < SITE_KINDS ? names[kind] : "?";
}

const char *irq_kind_name(enum irq_kind k)
{
	return (unsigned)k < IRQ_KIND_MAX ? irq_names[k] : "?";
}

const char *vm_stat_name(enum vm_stat v)
{
	return (unsigned)v < VM_STAT_MAX ? vm_names[v] : "?";
}

const char *source_name(enum source s)
{
	return (unsigned)s < SRC_MAX ? source_names[s] : "?";
}

const char *source_state_name(int state)
{
	static const char *const names[] = {
		[SOURCE_OFF] = "off", [SOURCE_OK] = "ok", [SOURCE_UNAVAILABLE] = "unavailable",
		[SOURCE_ERROR] = "error", [SOURCE_PARTIAL] = "partial",
	};

	return state >= 0 && state <= SOURCE_PARTIAL ? names[state] : "?";
}

void frame_set_status(struct frame *f, enum source s, enum source_state st,
		      const char *reason)
{
	struct source_status *ss = &f->status[s];

	ss->state = (uint8_t)st;
	snprintf(ss->reason, sizeof(ss->reason), "%s", reason ? reason : "");
}

void frame_clear(struct frame *f)
{
	struct frame_cpu *cpu = f->cpu;
	uint32_t ncpu = f->ncpu;

	memset(f, 0, sizeof(*f));
	f->cpu = cpu;
	f->ncpu = ncpu;
	memset(cpu, 0, sizeof(*cpu) * ncpu);
}

void frame_copy(struct frame *dst, const struct frame *src)
{
	struct frame_cpu *cpu = dst->cpu;
	uint32_t n = dst->ncpu < src->ncpu ? dst->ncpu : src->ncpu;

	*dst = *src;
	dst->cpu = cpu;
	dst->ncpu = n;
	memcpy(cpu, src->cpu, sizeof(*cpu) * n);
}

uint64_t frame_irq_total(const struct frame *f, enum irq_kind k)
{
	uint64_t sum = 0;

	for (uint32_t i = 0; i < f->ncpu; i++)
		sum += f->cpu[i].irq[k];
	return sum;
}

void frame_proc_add(struct frame_proc *sum, const struct frame_proc *p)
{
	sum->sent += p->sent;
	sum->fanout += p->fanout;
	sum->pages += p->pages;
	sum->full += p->full;
	for (int op = 0; op < MAP_OPS; op++)
		sum->ops[op] += p->ops[op];
	sum->faults += p->faults;
	sum->migrated += p->migrated;
	sum->thp_split += p->thp_split;
	sum->compact += p->compact;
	sum->reclaim += p->reclaim;
	sum->reclaim_ns += p->reclaim_ns;
}

uint32_t frame_cpus(const struct frame *f)
{
	uint32_t n = 0;

	if (!f->topo.possible)
		return f->ncpu;
	for (uint32_t c = 0; c < f->ncpu; c++)
		n += (uint32_t)frame_cpu_exists(f, c);
	return n;
}

/* Node ids are 16-bit: one bit each marks the ones some CPU names. */
static uint32_t nodes_of_cpus(const struct frame *f, uint64_t seen[1024])
{
	uint32_t n = 0;

	memset(seen, 0, 1024 * sizeof(uint64_t));
	for (uint32_t c = 0; c < f->ncpu; c++) {
		uint16_t id = f->cpu[c].node;

		if (!(seen[id >> 6] >> (id & 63) & 1))
			n++;
		seen[id >> 6] |= 1ull << (id & 63);
	}
	return n;
}

uint32_t frame_nnodes(const struct frame *f)
{
	uint64_t seen[1024];

	if (f->topo.nnodes)
		return f->topo.nnodes;
	return nodes_of_cpus(f, seen);
}

const struct frame_node *frame_node_find(const struct frame *f, uint16_t node)
{
	for (uint32_t i = 0; i < f->topo.nlist && i < FRAME_TOPO_NODES; i++)
		if (f->topo.node[i].node == node)
			return &f->topo.node[i];
	return NULL;
}

void frame_topo_derive(struct frame *f)
{
	struct frame_topo *t = &f->topo;
	uint64_t seen[1024];

	if (t->possible)
		return;
	t->nnodes = nodes_of_cpus(f, seen);
	t->possible = t->present = f->ncpu;
	t->nlist = 0;
	for (uint32_t id = 0; id < 65536 && t->nlist < FRAME_TOPO_NODES; id++)
		if (seen[id >> 6] >> (id & 63) & 1)
			t->node[t->nlist++] = (struct frame_node){ .node = (uint16_t)id };
	for (uint32_t c = 0; c < f->ncpu; c++) {
		f->cpu[c].possible = f->cpu[c].present = 1;
		for (uint32_t i = 0; i < t->nlist; i++)
			if (t->node[i].node == f->cpu[c].node) {
				t->node[i].cpus++;
				break;
			}
	}
}

const char *const tlb_regime_names[TLB_REGIMES] = { "CLEAN", "WATCH", "STORM", "SAFE_DEGRADED" };
const char *const iommu_regime_names[IOMMU_REGIMES] = {
	"MAP_STABLE", "PRESSURE_WATCH", "FLUSH_STORM", "SAFE_DMA_CONTAIN",
};

const char *tlb_regime_name(int s)
{
	return s >= 0 && s < TLB_REGIMES ? tlb_regime_names[s] : "?";
}

const char *iommu_regime_name(int s)
{
	return s >= 0 && s < IOMMU_REGIMES ? iommu_regime_names[s] : "?";
}

const char *regime_state_brief(int machine, int s)
{
	/* a word of each name; the TLB and IOMMU SAFE are on their own rows */
	static const char *const tlb[TLB_REGIMES] = { "CLEAN", "WATCH", "STORM", "SAFE" };
	static const char *const io[IOMMU_REGIMES] = { "STABLE", "WATCH", "FLUSH", "SAFE" };

	if (s < 0 || s >= (machine ? IOMMU_REGIMES : TLB_REGIMES))
		return "?";
	return machine ? io[s] : tlb[s];
}

const char *const regime_input_names[REGIME_INPUTS] = {
	"rate", "SBI", "runq p99 widening", "app p99 widening", "DFI", "DJS", "sustained rate",
};

const char *regime_input_unit(int input)
{
	static const char *const units[REGIME_INPUTS] = { "/s", "/min", "x", "x", "/s", "", "/s" };

	return input >= 0 && input < REGIME_INPUTS ? units[input] : "";
}

/* 3 significant digits, thousands as k: "15.6", "2.61k" (never "2.61e+03").
 * The steps are where %.3g rounds up to 1000 (999.7 is "1k", not "1e+03",
 * 999999 "1M"); past 999.5M whole M; text_sig3 for what is left. */
static int short_num(char *buf, size_t n, double v)
{
	char s[TEXT_SIG3_LEN];

	if (v >= 999.5e3)
		return snprintf(buf, n, "%sM", text_sig3(s, sizeof(s), v / 1e6));
	if (v >= 999.5)
		return snprintf(buf, n, "%sk", text_sig3(s, sizeof(s), v / 1e3));
	return snprintf(buf, n, "%s", text_sig3(s, sizeof(s), v));
}

int regime_hold_text(const struct frame_regime *g, int iommu, char *buf, size_t n)
{
	int in = (iommu ? g->iommu_hold : g->tlb_hold) - 1, level = iommu ? g->iommu : g->tlb, w;
	float v = iommu ? g->iommu_hold_value : g->tlb_hold_value;
	float th = iommu ? g->iommu_hold_threshold : g->tlb_hold_threshold;
	float down = iommu ? g->iommu_stepdown_s : g->tlb_stepdown_s;
	char a[48], b[48]; /* a float past 1e6 as whole M: up to 33 digits */

	if (!n)
		return 0;
	buf[0] = '\0';
	/* the floor; or a recording from before these fields (they read
	 * back 0, which a live machine above the floor never has: it steps
	 * down on the tick its cooldown reaches 0) */
	if (level == 0 || down != down || (in < 0 && down <= 0))
		return 0;
	if (in < 0 || in >= REGIME_INPUTS)
		w = snprintf(buf, n, "cooldown %.0f s", ceil((double)down));
	else {
		short_num(a, sizeof(a), v);
		short_num(b, sizeof(b), th);
		w = snprintf(buf, n, "%s %s%s >= %s, down in >= %.0f s", regime_input_names[in], a,
			     regime_input_unit(in), b, ceil((double)down));
	}
	return w < (int)n ? w : (int)n - 1;
}
