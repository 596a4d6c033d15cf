// SPDX-License-Identifier: GPL-2.0-only
/* Per-CPU and per-node families, the running totals behind them, and the
 * order of the whole exposition. */
#include "export/prom.h"
#include "util/mem.h"
#include "core/field.h"
#include "core/present.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROM_MAX_NODES FRAME_MAX_NODES
#define MAX_CTRS 64

/* The per-CPU counters: the field rows with a family (struct field.prom),
 * in table order, so a family's rows are consecutive; the node families
 * sum them. */
static const struct field *ctrs[MAX_CTRS];
static size_t nctr;
/* The host counters: frame rows with a family, at most prom_totals.host's. */
#define MAX_HOST (sizeof(((struct prom_totals *)0)->host) / sizeof(uint64_t))
static const struct field *hosts[MAX_HOST];
static size_t nhost;

static void ctrs_init(void)
{
	if (nctr)
		return;
	for (size_t k = 0; k < frame_nfields; k++) {
		const struct field *fd = &frame_fields[k];

		if (fd->scope == SCOPE_CPU && fd->prom && nctr < MAX_CTRS)
			ctrs[nctr++] = fd;
		else if (fd->scope == SCOPE_FRAME && fd->prom && nhost < MAX_HOST)
			hosts[nhost++] = fd;
	}
}

static uint64_t field(const struct frame_cpu *c, size_t k)
{
	return field_bits(ctrs[k], c);
}

static int gate_open(const struct frame *f, size_t k)
{
	return field_available(f, ctrs[k], NULL, 0);
}

int prom_totals_init(struct prom_totals *t, uint32_t ncpu)
{
	ctrs_init();
	memset(t, 0, sizeof(*t));
	t->ncpu = ncpu;
	t->cpu = mem_zalloc((size_t)ncpu * nctr, sizeof(*t->cpu));
	prom_procs_init(&t->procs, PROM_TOP_DEFAULT);
	prom_cgroups_init(&t->cgroups, PROM_TOP_DEFAULT);
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
	memcpy(rows, src->cpu, (size_t)src->ncpu * nctr * sizeof(*rows));
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
		for (size_t k = 0; k < nctr; k++)
			t->cpu[(size_t)c * nctr + k] += field(&f->cpu[c], k);
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
	for (size_t k = 0; k < nhost; k++)
		t->host[k] += field_bits(hosts[k], f);
	t->frames++;
	t->transitions[0] += f->regime.tlb != f->regime.tlb_was;
	t->transitions[1] += f->regime.iommu != f->regime.iommu_was;
	prom_procs_accumulate(&t->procs, f);
	prom_cgroups_accumulate(&t->cgroups, f);
}

static void cpu_labels(char *set, size_t cap, const struct frame *f, uint32_t c, const char *extra)
{
	set[0] = '\0';
	prom_label_u(set, cap, "cpu", c);
	prom_label_u(set, cap, "node", f->cpu[c].node);
	if (extra)
		snprintf(set + strlen(set), cap - strlen(set), ",%s", extra);
}

/* In the family's base unit: seconds from nanoseconds, counts as they are. */
static void put_value(struct promtext *out, const char *labels, uint64_t v, const struct field *fd)
{
	if (fd->unit == UNIT_NS || fd->unit == UNIT_US)
		promtext_f64(out, "", labels, (double)v * field_unit_scale(fd));
	else
		promtext_u64(out, "", labels, v);
}

/* The HELP and TYPE of the family whose first entry is k, named for its
 * scope (cpu, node); returns the entry after its last.  The field's help
 * speaks of one CPU: a node family says first that it sums them. */
static size_t family_head(struct promtext *out, size_t k, const char *scope)
{
	char name[96], help[512];
	size_t end = k;

	while (end < nctr && strcmp(ctrs[end]->prom, ctrs[k]->prom) == 0)
		end++;
	snprintf(name, sizeof(name), "stormtop_%s_%s", scope, ctrs[k]->prom);
	snprintf(help, sizeof(help), "%s%s", strcmp(scope, "node") == 0 ? "Summed over the node's online CPUs: " : "",
		 ctrs[k]->help);
	promtext_family(out, name, PROM_COUNTER, help);
	return end;
}

/* One family over every online CPU; k is its first entry. */
static size_t render_cpu_family(struct promtext *out, const struct prom_totals *t,
				const struct frame *f, size_t k)
{
	char labels[160];
	size_t end = family_head(out, k, "cpu");

	for (size_t e = k; e < end; e++) {
		if (!gate_open(f, e))
			continue;
		for (uint32_t c = 0; c < f->ncpu && c < t->ncpu; c++)
			if (f->cpu[c].online) {
				cpu_labels(labels, sizeof(labels), f, c, ctrs[e]->prom_label);
				put_value(out, labels, t->cpu[(size_t)c * nctr + e], ctrs[e]);
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
		if (!gate_open(f, e))
			continue;
		memset(sum, 0, sizeof(sum));
		memset(any, 0, sizeof(any));
		for (uint32_t c = 0; c < f->ncpu && c < t->ncpu; c++)
			if (f->cpu[c].online && f->cpu[c].node < PROM_MAX_NODES) {
				sum[f->cpu[c].node] += t->cpu[(size_t)c * nctr + e];
				any[f->cpu[c].node] = 1;
			}
		for (uint32_t node = 0; node < PROM_MAX_NODES; node++) {
			if (!any[node])
				continue;
			labels[0] = '\0';
			prom_label_u(labels, sizeof(labels), "node", node);
			if (ctrs[e]->prom_label)
				snprintf(labels + strlen(labels), sizeof(labels) - strlen(labels), ",%s",
					 ctrs[e]->prom_label);
			put_value(out, labels, sum[node], ctrs[e]);
		}
	}
	return end;
}

static size_t ctr_at(const char *name)
{
	size_t k = 0;

	while (k < nctr && strcmp(ctrs[k]->name, name) != 0)
		k++;
	return k;
}

/* Since start: the kernel's TLB IPIs received minus the csd program's
 * (metric.h): a gauge, since the read edges can make it dip. */
static void render_rx_gap(struct promtext *out, const struct prom_totals *t, const struct frame *f)
{
	size_t irq = ctr_at("tlb"), csd = ctr_at("tlb_rx");
	char labels[160];

	if (!(f->irq_present >> IRQ_TLB & 1) || !frame_has(f, SIG_TLB_RX))
		return;
	promtext_family(out, "stormtop_cpu_tlb_shootdowns_unseen", PROM_GAUGE,
			"TLB IPIs received by the kernel's count (/proc/interrupts) minus those the csd "
			"tracepoint program saw, since start; a few either way are read edges.");
	for (uint32_t c = 0; c < f->ncpu && c < t->ncpu; c++)
		if (f->cpu[c].online) {
			cpu_labels(labels, sizeof(labels), f, c, NULL);
			promtext_f64(out, "", labels, (double)(int64_t)(t->cpu[(size_t)c * nctr + irq] -
								t->cpu[(size_t)c * nctr + csd]));
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
	for (size_t e = k; e < nctr && strcmp(ctrs[e]->prom, ctrs[k]->prom) == 0; e++)
		if (gate_open(f, e))
			return 1;
	return 0;
}

void prom_render_host_counters(struct promtext *out, const struct prom_totals *t, const struct frame *f)
{
	char name[96];

	for (size_t k = 0; k < nhost; k++)
		if (field_available(f, hosts[k], NULL, 0)) {
			snprintf(name, sizeof(name), "stormtop_%s", hosts[k]->prom);
			promtext_family(out, name, PROM_COUNTER, hosts[k]->help);
			put_value(out, "", t->host[k], hosts[k]);
		}
}

static void render_cpus(struct promtext *out, const struct prom_totals *t, const struct frame *f)
{
	for (size_t k = 0; k < nctr;)
		k = family_open(f, k) ? render_cpu_family(out, t, f, k) : k + 1;
	render_cpu_gauges(out, t, f);
	for (size_t k = 0; k < nctr;)
		k = family_open(f, k) ? render_node_family(out, t, f, k) : k + 1;
}

void prom_render(struct promtext *out, const struct prom_totals *t, const struct frame *f,
		 const struct prom_opts *o)
{
	render_cpus(out, t, f);
	prom_render_host(out, t, f);
	prom_render_procs(out, t, f, o->top_k);
	prom_render_cgroups(out, t, f, o->top_k);
	prom_render_regime(out, t, f);
	prom_render_status(out, t, f);
}

size_t prom_bound(uint32_t ncpu)
{
	/* measured: 1.8 KB per CPU with every family on (tests/test_prom.c);
	 * the cgroups' 10 series of K + 1 named, each path at most 127
	 * characters that each escape to 3 bytes at worst */
	return 64 * 1024 + (size_t)ncpu * 2048 + 10 * (PROM_TOP_MAX + 1) * (3 * FRAME_CGROUP_PATH + 96);
}
