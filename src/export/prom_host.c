// SPDX-License-Identifier: GPL-2.0-only
/* Host-wide families: system counters, latency histograms, the regime,
 * collector status and stormtop's own cost (the processes: prom_procs.c). */
#include "export/prom.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>


/* The kernel's enum tlb_flush_reason, in its order. */
static const char *const flush_reasons[FRAME_TLB_REASONS] = {
	[FLUSH_TASK_SWITCH] = "task_switch", [FLUSH_REMOTE_SHOOTDOWN] = "remote_shootdown",
	[FLUSH_LOCAL_SHOOTDOWN] = "local_shootdown", [FLUSH_LOCAL_MM_SHOOTDOWN] = "local_mm_shootdown",
	[FLUSH_SEND] = "remote_send_ipi", [FLUSH_WRONG_CPU] = "remote_wrong_cpu",
};

/* Bounds people read latency at, from a fast path's 100 ns to a stall's
 * second; a loglin slot is counted under the first bound that covers all
 * of it, so a bucket never holds a value above its bound. */
static const double bounds[] = {
	100e-9, 250e-9, 500e-9, 1e-6, 2.5e-6, 5e-6, 10e-6, 25e-6, 50e-6, 100e-6, 250e-6, 500e-6,
	1e-3, 2.5e-3, 5e-3, 10e-3, 25e-3, 50e-3, 100e-3, 250e-3, 500e-3, 1,
};
#define NBOUNDS (sizeof(bounds) / sizeof(bounds[0]))

void prom_histogram(struct promtext *out, const char *name, const char *help, const uint64_t *slots)
{
	uint64_t cum = 0, total = 0;
	double sum = 0;
	char labels[48];
	unsigned int s = 0;

	for (unsigned int i = 0; i < LOGLIN_SLOTS; i++) {
		total += slots[i];
		/* the slot's midpoint: the value it stands for */
		if (i + 1 < LOGLIN_SLOTS)
			sum += (double)slots[i] * ((double)loglin_low(i) + (double)loglin_high(i) - 1) / 2e9;
		else
			sum += (double)slots[i] * (double)loglin_low(i) / 1e9;
	}
	promtext_family(out, name, PROM_HISTOGRAM, help);
	for (size_t b = 0; b < NBOUNDS; b++) {
		uint64_t limit = (uint64_t)llround(bounds[b] * 1e9);

		for (; s + 1 < LOGLIN_SLOTS && loglin_high(s) - 1 <= limit; s++)
			cum += slots[s];
		snprintf(labels, sizeof(labels), "le=\"%g\"", bounds[b]);
		promtext_u64(out, "_bucket", labels, cum);
	}
	promtext_u64(out, "_bucket", "le=\"+Inf\"", total);
	promtext_f64(out, "_sum", "", sum);
	promtext_u64(out, "_count", "", total);
}

static void render_vm(struct promtext *out, const struct prom_totals *t, const struct frame *f)
{
	char labels[96];

	if (!f->sys.vm_present)
		return;
	promtext_family(out, "stormtop_vmstat_total", PROM_COUNTER,
			"/proc/vmstat counters that drive or show TLB and memory churn (pgdemote sums its kinds).");
	for (int v = 0; v < VM_STAT_MAX; v++)
		if ((f->sys.vm_present >> v) & 1) {
			char name[40];

			snprintf(name, sizeof(name), "%s", vm_stat_name(v));
			if (name[strlen(name) - 1] == '_')
				name[strlen(name) - 1] = '\0';
			labels[0] = '\0';
			prom_label(labels, sizeof(labels), "counter", name);
			promtext_u64(out, "", labels, t->vm[v]);
		}
}

static void render_psi(struct promtext *out, const struct prom_totals *t, const struct frame *f)
{
	static const char *const res[] = { "cpu", "memory" };
	const enum source src[] = { SRC_PSI_CPU, SRC_PSI_MEMORY };
	const uint8_t full[] = { f->sys.psi_cpu.has_full, f->sys.psi_mem.has_full };
	int any = f->status[SRC_PSI_CPU].state == SOURCE_OK || f->status[SRC_PSI_MEMORY].state == SOURCE_OK;
	char labels[64];

	if (!any)
		return;
	promtext_family(out, "stormtop_psi_stall_seconds_total", PROM_COUNTER,
			"Pressure stall time (/proc/pressure), some and full.");
	for (int r = 0; r < 2; r++) {
		if (f->status[src[r]].state != SOURCE_OK)
			continue;
		for (int k = 0; k < 1 + full[r]; k++) {
			labels[0] = '\0';
			prom_label(labels, sizeof(labels), "resource", res[r]);
			prom_label(labels, sizeof(labels), "kind", k ? "full" : "some");
			promtext_f64(out, "", labels, (double)t->psi_us[r][k] / 1e6);
		}
	}
}

/* The host's CPU sets and its NUMA nodes, memory-only ones included. */
static void render_topology(struct promtext *out, const struct frame *f)
{
	char labels[64];
	int mem = 0;

	promtext_family(out, "stormtop_cpus_online", PROM_GAUGE, "CPUs online in the latest tick.");
	promtext_u64(out, "", "", f->online);
	promtext_family(out, "stormtop_cpus_possible", PROM_GAUGE,
			"CPUs in the kernel's possible set (/sys/devices/system/cpu/possible).");
	promtext_u64(out, "", "", f->topo.possible ? f->topo.possible : frame_cpus(f));
	if (!f->topo.nlist)
		return;
	promtext_family(out, "stormtop_cpus_present", PROM_GAUGE,
			"CPUs in the kernel's present set (/sys/devices/system/cpu/present).");
	promtext_u64(out, "", "", f->topo.present);
	promtext_family(out, "stormtop_node_info", PROM_GAUGE,
			"1 for each NUMA node; cpus is its present CPUs, 0 for a memory-only node.");
	for (uint32_t i = 0; i < f->topo.nlist && i < FRAME_TOPO_NODES; i++) {
		labels[0] = '\0';
		prom_label_u(labels, sizeof(labels), "node", f->topo.node[i].node);
		prom_label_u(labels, sizeof(labels), "cpus", f->topo.node[i].cpus);
		promtext_u64(out, "", labels, 1);
		mem |= f->topo.node[i].mem_bytes != 0;
	}
	if (!mem)
		return;
	promtext_family(out, "stormtop_node_memory_bytes", PROM_GAUGE, "MemTotal of each NUMA node (node<N>/meminfo).");
	for (uint32_t i = 0; i < f->topo.nlist && i < FRAME_TOPO_NODES; i++)
		if (f->topo.node[i].mem_bytes) {
			labels[0] = '\0';
			prom_label_u(labels, sizeof(labels), "node", f->topo.node[i].node);
			promtext_u64(out, "", labels, f->topo.node[i].mem_bytes);
		}
}

void prom_render_host(struct promtext *out, const struct prom_totals *t, const struct frame *f)
{
	char labels[64];

	render_topology(out, f);
	if (frame_has(f, SIG_TLB_FLUSH)) {
		promtext_family(out, "stormtop_tlb_flushes_total", PROM_COUNTER,
				"TLB flushes on every CPU by the kernel's reason (eBPF, tlb:tlb_flush).");
		for (int r = 0; r < FRAME_TLB_REASONS; r++) {
			labels[0] = '\0';
			prom_label(labels, sizeof(labels), "reason", flush_reasons[r]);
			promtext_u64(out, "", labels, t->flush[r]);
		}
	}
	render_vm(out, t, f);
	render_psi(out, t, f);
	if (frame_has(f, SIG_RUNQ))
		prom_histogram(out, "stormtop_runqueue_delay_seconds",
			       "Run-queue delay, wakeup to run, every CPU (eBPF).", t->rq_slots);
	if (frame_has(f, SIG_APP_LAT) || frame_has(f, SIG_APP_PHASE))
		prom_histogram(out, "stormtop_app_latency_seconds",
			       "Latencies the attached applications published, every series pooled.",
			       t->app_slots);
}

