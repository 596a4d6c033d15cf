// SPDX-License-Identifier: GPL-2.0-only
/* Per-CPU and per-node families, the running totals behind them, and the
 * order of the whole exposition. */
#include "export/prom.h"
#include "util/mem.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum gate { G_IRQ, G_SIG, G_SRC };

#define PROM_MAX_NODES FRAME_MAX_NODES

/* One per-CPU counter: a uint64 delta of struct frame_cpu. */
struct cpu_ctr {
	const char *name, *help, *label;
	uint16_t off;
	uint8_t gate, arg;
	uint8_t ns;                /* nanoseconds, reported as seconds */
};

#define OFF(m) (uint16_t)offsetof(struct frame_cpu, m)
#define IRQ_HELP "Interrupts handled, from /proc/interrupts, by line."
#define PERF_HELP "perf software and TLB-miss events counted on the CPU."

/* Entries of one family are consecutive; the node families sum them. */
static const struct cpu_ctr ctrs[] = {
	{ "interrupts_total", IRQ_HELP, "kind=\"TLB\"", OFF(irq[IRQ_TLB]), G_IRQ, IRQ_TLB, 0 },
	{ "interrupts_total", IRQ_HELP, "kind=\"CAL\"", OFF(irq[IRQ_CAL]), G_IRQ, IRQ_CAL, 0 },
	{ "interrupts_total", IRQ_HELP, "kind=\"RES\"", OFF(irq[IRQ_RES]), G_IRQ, IRQ_RES, 0 },
	{ "interrupts_total", IRQ_HELP, "kind=\"LOC\"", OFF(irq[IRQ_LOC]), G_IRQ, IRQ_LOC, 0 },
	{ "interrupts_total", IRQ_HELP, "kind=\"IOMMU\"", OFF(irq[IRQ_IOMMU]), G_IRQ, IRQ_IOMMU, 0 },
	{ "tlb_shootdowns_received_total", "TLB shootdown IPIs handled (eBPF).", NULL, OFF(tlb_rx),
	  G_SIG, SIG_TLB_RX, 0 },
	{ "tlb_shootdown_handler_seconds_total", "Time in TLB shootdown IPI handlers (eBPF).", NULL,
	  OFF(tlb_rx_ns), G_SIG, SIG_TLB_RX, 1 },
	{ "tlb_ipis_sent_total", "TLB shootdown IPIs sent from the CPU, one per target CPU (eBPF).", NULL,
	  OFF(tlb_fanout), G_SIG, SIG_TLB_FANOUT, 0 },
	{ "call_function_ipis_total", "Function-call IPIs handled, TLB shootdowns included (eBPF).", NULL,
	  OFF(callfn), G_SIG, SIG_CALLFN, 0 },
	{ "ipi_handler_seconds_total", "Time in function-call IPI handlers: the IPI tax (eBPF).", NULL,
	  OFF(callfn_ns), G_SIG, SIG_CALLFN, 1 },
	{ "iommu_maps_total", "IOMMU map calls (eBPF).", NULL, OFF(io_map), G_SIG, SIG_IOMMU_MAP, 0 },
	{ "iommu_mapped_bytes_total", "Bytes IOMMU-mapped (eBPF).", NULL, OFF(io_map_bytes), G_SIG,
	  SIG_IOMMU_MAP, 0 },
	{ "iommu_unmaps_total", "IOMMU unmap calls (eBPF).", NULL, OFF(io_unmap), G_SIG, SIG_IOMMU_MAP, 0 },
	{ "iommu_unmapped_bytes_total", "Bytes IOMMU-unmapped (eBPF).", NULL, OFF(io_unmap_bytes), G_SIG,
	  SIG_IOMMU_MAP, 0 },
	{ "iotlb_invalidations_total", "IOTLB invalidations submitted (eBPF).", NULL, OFF(io_inval), G_SIG,
	  SIG_IOTLB_INVAL, 0 },
	{ "runqueue_delay_seconds_total", "Time runnable tasks waited on the run queue (/proc/schedstat).",
	  NULL, OFF(run_delay_ns), G_SRC, SRC_SCHEDSTAT, 1 },
	{ "preemptions_total", "Involuntary preemptions (eBPF).", NULL, OFF(rq_preempt), G_SIG, SIG_RUNQ, 0 },
	{ "perf_events_total", PERF_HELP, "event=\"context_switches\"", OFF(perf[PERF_CTXSW]), G_SIG,
	  SIG_PERF_SW, 0 },
	{ "perf_events_total", PERF_HELP, "event=\"migrations\"", OFF(perf[PERF_MIGRATIONS]), G_SIG,
	  SIG_PERF_SW, 0 },
	{ "perf_events_total", PERF_HELP, "event=\"minor_faults\"", OFF(perf[PERF_MINFLT]), G_SIG,
	  SIG_PERF_SW, 0 },
	{ "perf_events_total", PERF_HELP, "event=\"major_faults\"", OFF(perf[PERF_MAJFLT]), G_SIG,
	  SIG_PERF_SW, 0 },
	{ "perf_events_total", PERF_HELP, "event=\"dtlb_load_misses\"", OFF(perf[PERF_DTLB_LOAD_MISS]),
	  G_SIG, SIG_PERF_TLB, 0 },
	{ "perf_events_total", PERF_HELP, "event=\"dtlb_store_misses\"", OFF(perf[PERF_DTLB_STORE_MISS]),
	  G_SIG, SIG_PERF_TLB, 0 },
	{ "perf_events_total", PERF_HELP, "event=\"itlb_misses\"", OFF(perf[PERF_ITLB_MISS]), G_SIG,
	  SIG_PERF_TLB, 0 },
};
#define NCTR (sizeof(ctrs) / sizeof(ctrs[0]))

static uint64_t field(const struct frame_cpu *c, uint16_t off)
{
	uint64_t v;

	memcpy(&v, (const uint8_t *)c + off, sizeof(v));
	return v;
}

static int gate_open(const struct frame *f, uint8_t gate, uint8_t arg)
{
	switch (gate) {
	case G_IRQ:
		return (f->irq_present >> arg) & 1;
	case G_SIG:
		return frame_has(f, arg);
	default:
		return f->status[arg].state == SOURCE_OK || f->status[arg].state == SOURCE_PARTIAL;
	}
}

int prom_totals_init(struct prom_totals *t, uint32_t ncpu)
{
	memset(t, 0, sizeof(*t));
	t->ncpu = ncpu;
	t->cpu = mem_zalloc((size_t)ncpu * NCTR, sizeof(*t->cpu));
	prom_procs_init(&t->procs, PROM_TOP_DEFAULT);
	return t->cpu ? 0 : -1;
}

void prom_totals_free(struct prom_totals *t)
{
	free(t->cpu);
	t->cpu = NULL;
}

void prom_totals_copy(struct prom_totals *dst, const struct prom_totals *src)
{
	uint64_t *rows = dst->cpu;

	*dst = *src;
	dst->cpu = rows;
	memcpy(rows, src->cpu, (size_t)src->ncpu * NCTR * sizeof(*rows));
}

static void add_slots(uint64_t *sum, const uint32_t *tick)
{
	for (int s = 0; s < LOGLIN_SLOTS; s++)
		sum[s] += tick[s];
}

void prom_accumulate(struct prom_totals *t, const struct frame *f)
{
	uint32_t n = f->ncpu < t->ncpu ? f->ncpu : t->ncpu;

	for (uint32_t c = 0; c < n; c++) {
		for (size_t k = 0; k < NCTR; k++)
			t->cpu[(size_t)c * NCTR + k] += field(&f->cpu[c], ctrs[k].off);
		for (int r = 0; r < FRAME_TLB_REASONS; r++)
			t->flush[r] += f->cpu[c].tlb_flush[r];
	}
	for (int v = 0; v < VM_STAT_MAX; v++)
		t->vm[v] += f->sys.vm[v];
	t->psi_us[0][0] += f->sys.psi_cpu.some_us;
	t->psi_us[0][1] += f->sys.psi_cpu.full_us;
	t->psi_us[1][0] += f->sys.psi_mem.some_us;
	t->psi_us[1][1] += f->sys.psi_mem.full_us;
	add_slots(t->rq_slots, f->sys.rq_hist);
	add_slots(t->app_slots, f->app_hist);
	t->bpf_run_ns += f->sys.bpf_run_ns;
	t->bpf_run_cnt += f->sys.bpf_run_cnt;
	t->bpf_recursion_misses += f->sys.bpf_recursion_misses;
	t->self_cpu_ns += f->sys.self_cpu_ns;
	t->self_sent += f->sys.self_sent;
	t->frames++;
	t->transitions[0] += f->regime.tlb != f->regime.tlb_was;
	t->transitions[1] += f->regime.iommu != f->regime.iommu_was;
	prom_procs_accumulate(&t->procs, f);
}

static void cpu_labels(char *set, size_t cap, const struct frame *f, uint32_t c, const char *extra)
{
	set[0] = '\0';
	prom_label_u(set, cap, "cpu", c);
	prom_label_u(set, cap, "node", f->cpu[c].node);
	if (extra)
		snprintf(set + strlen(set), cap - strlen(set), ",%s", extra);
}

static void put_value(struct promtext *out, const char *labels, uint64_t v, int ns)
{
	if (ns)
		promtext_f64(out, "", labels, (double)v / 1e9);
	else
		promtext_u64(out, "", labels, v);
}

/* The HELP and TYPE of the family whose first entry is k, named for its
 * scope (cpu, node); returns the entry after its last. */
static size_t family_head(struct promtext *out, size_t k, const char *scope)
{
	char name[96];
	size_t end = k;

	while (end < NCTR && strcmp(ctrs[end].name, ctrs[k].name) == 0)
		end++;
	snprintf(name, sizeof(name), "stormtop_%s_%s", scope, ctrs[k].name);
	promtext_family(out, name, PROM_COUNTER, ctrs[k].help);
	return end;
}

/* One family over every online CPU; k is its first entry. */
static size_t render_cpu_family(struct promtext *out, const struct prom_totals *t,
				const struct frame *f, size_t k)
{
	char labels[160];
	size_t end = family_head(out, k, "cpu");

	for (size_t e = k; e < end; e++) {
		if (!gate_open(f, ctrs[e].gate, ctrs[e].arg))
			continue;
		for (uint32_t c = 0; c < f->ncpu && c < t->ncpu; c++)
			if (f->cpu[c].online) {
				cpu_labels(labels, sizeof(labels), f, c, ctrs[e].label);
				put_value(out, labels, t->cpu[(size_t)c * NCTR + e], ctrs[e].ns);
			}
	}
	return end;
}

/* The same family summed over each NUMA node's online CPUs, in one pass
 * over the CPUs per entry. */
static size_t render_node_family(struct promtext *out, const struct prom_totals *t,
				 const struct frame *f, size_t k)
{
	static uint64_t sum[PROM_MAX_NODES];
	static uint8_t any[PROM_MAX_NODES];
	char labels[160];
	size_t end = family_head(out, k, "node");

	for (size_t e = k; e < end; e++) {
		if (!gate_open(f, ctrs[e].gate, ctrs[e].arg))
			continue;
		memset(sum, 0, sizeof(sum));
		memset(any, 0, sizeof(any));
		for (uint32_t c = 0; c < f->ncpu && c < t->ncpu; c++)
			if (f->cpu[c].online && f->cpu[c].node < PROM_MAX_NODES) {
				sum[f->cpu[c].node] += t->cpu[(size_t)c * NCTR + e];
				any[f->cpu[c].node] = 1;
			}
		for (uint32_t node = 0; node < PROM_MAX_NODES; node++) {
			if (!any[node])
				continue;
			labels[0] = '\0';
			prom_label_u(labels, sizeof(labels), "node", node);
			if (ctrs[e].label)
				snprintf(labels + strlen(labels), sizeof(labels) - strlen(labels), ",%s", ctrs[e].label);
			put_value(out, labels, sum[node], ctrs[e].ns);
		}
	}
	return end;
}

static size_t ctr_at(uint16_t off)
{
	size_t k = 0;

	while (k < NCTR && ctrs[k].off != off)
		k++;
	return k;
}

/* Since start: the kernel's TLB IPIs received minus the csd program's
 * (metric.h): a gauge, since the read edges can make it dip. */
static void render_rx_gap(struct promtext *out, const struct prom_totals *t, const struct frame *f)
{
	size_t irq = ctr_at(OFF(irq[IRQ_TLB])), csd = ctr_at(OFF(tlb_rx));
	char labels[160];

	if (!(f->irq_present >> IRQ_TLB & 1) || !frame_has(f, SIG_TLB_RX))
		return;
	promtext_family(out, "stormtop_cpu_tlb_shootdowns_unseen", PROM_GAUGE,
			"TLB IPIs received by the kernel's count (/proc/interrupts) minus those the csd "
			"tracepoint program saw, since start; a few either way are read edges.");
	for (uint32_t c = 0; c < f->ncpu && c < t->ncpu; c++)
		if (f->cpu[c].online) {
			cpu_labels(labels, sizeof(labels), f, c, NULL);
			promtext_f64(out, "", labels, (double)(int64_t)(t->cpu[(size_t)c * NCTR + irq] -
								t->cpu[(size_t)c * NCTR + csd]));
		}
}

/* Gauges of the newest tick, per CPU. */
static void render_cpu_gauges(struct promtext *out, const struct prom_totals *t, const struct frame *f)
{
	char labels[160];

	render_rx_gap(out, t, f);
	if (frame_has(f, SIG_RUNQ)) {
		promtext_family(out, "stormtop_cpu_runqueue_delay_p99_seconds", PROM_GAUGE,
				"Run-queue delay p99 on the CPU over the latest tick (eBPF).");
		for (uint32_t c = 0; c < f->ncpu; c++)
			if (f->cpu[c].online) {
				cpu_labels(labels, sizeof(labels), f, c, NULL);
				promtext_f64(out, "", labels, (double)f->cpu[c].rq_q[RQ_P99] / 1e9);
			}
	}
	if (frame_has(f, SIG_APP_PHASE)) {
		promtext_family(out, "stormtop_cpu_dispatch_jitter_p99_seconds", PROM_GAUGE,
				"Worst p99 dispatch phase error of the app series pinned to the CPU, latest tick.");
		for (uint32_t c = 0; c < f->ncpu; c++)
			if (f->cpu[c].online && f->cpu[c].jit_n) {
				cpu_labels(labels, sizeof(labels), f, c, NULL);
				promtext_f64(out, "", labels, (double)f->cpu[c].jit_p99_ns / 1e9);
			}
	}
}

/* A family with no open gate would print HELP and TYPE alone: skip it. */
static int family_open(const struct frame *f, size_t k)
{
	for (size_t e = k; e < NCTR && strcmp(ctrs[e].name, ctrs[k].name) == 0; e++)
		if (gate_open(f, ctrs[e].gate, ctrs[e].arg))
			return 1;
	return 0;
}

static void render_cpus(struct promtext *out, const struct prom_totals *t, const struct frame *f)
{
	for (size_t k = 0; k < NCTR;)
		k = family_open(f, k) ? render_cpu_family(out, t, f, k) : k + 1;
	render_cpu_gauges(out, t, f);
	for (size_t k = 0; k < NCTR;)
		k = family_open(f, k) ? render_node_family(out, t, f, k) : k + 1;
}

void prom_render(struct promtext *out, const struct prom_totals *t, const struct frame *f,
		 const struct prom_opts *o)
{
	render_cpus(out, t, f);
	prom_render_host(out, t, f);
	prom_render_procs(out, t, f, o->top_k);
	prom_render_regime(out, t, f);
	prom_render_status(out, t, f);
}

size_t prom_bound(uint32_t ncpu)
{
	/* measured: 1.8 KB per CPU with every family on (tests/test_prom.c) */
	return 64 * 1024 + (size_t)ncpu * 2048;
}
