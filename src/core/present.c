// SPDX-License-Identifier: GPL-2.0-only
#include "core/present.h"

#include "core/sigwhy.h"

#include <stdio.h>

enum gate_kind { G_ALWAYS, G_IRQ, G_VM, G_SRC, G_PSI_FULL, G_SIG, G_ANY_PROC };

/* Fields with ids lo..hi share a gate; arg is the source, signal, or the
 * first irq_kind / vm_stat (the ids follow their enums' order). */
struct gate {
	uint16_t lo, hi;
	uint8_t kind, arg;
};

static const struct gate gates[] = {
	{ 10, 24, G_VM, 0 },
	{ 30, 30, G_SRC, SRC_PSI_CPU }, { 31, 31, G_PSI_FULL, SRC_PSI_CPU }, { 32, 32, G_SRC, SRC_PSI_CPU },
	{ 33, 33, G_PSI_FULL, SRC_PSI_CPU }, { 34, 34, G_SRC, SRC_PSI_CPU },
	{ 35, 35, G_SRC, SRC_PSI_MEMORY }, { 36, 36, G_PSI_FULL, SRC_PSI_MEMORY }, { 37, 37, G_SRC, SRC_PSI_MEMORY },
	{ 38, 38, G_PSI_FULL, SRC_PSI_MEMORY }, { 39, 39, G_SRC, SRC_PSI_MEMORY },
	{ 40, 41, G_SRC, SRC_BPF },
	{ 43, 43, G_SIG, SIG_SENDERS },
	{ 80, 80, G_ANY_PROC, 0 },
	{ 81, 84, G_SIG, SIG_SENDERS }, { 85, 89, G_SIG, SIG_MAP_OPS }, { 90, 90, G_SIG, SIG_FAULTS },
	{ 91, 92, G_SIG, SIG_MIGRATE }, { 93, 93, G_SIG, SIG_COMPACT }, { 94, 95, G_SIG, SIG_RECLAIM },
	{ 103, 107, G_IRQ, IRQ_TLB },
	{ 108, 110, G_SRC, SRC_SCHEDSTAT },
	{ 111, 118, G_SIG, SIG_TLB_FLUSH }, { 119, 119, G_SIG, SIG_TLB_FANOUT }, { 120, 121, G_SIG, SIG_TLB_RX },
	{ 122, 123, G_SIG, SIG_CALLFN }, { 124, 127, G_SIG, SIG_IOMMU_MAP }, { 128, 128, G_SIG, SIG_IOTLB_INVAL },
	{ 129, 136, G_SIG, SIG_RUNQ }, { 137, 140, G_SIG, SIG_PERF_SW }, { 141, 143, G_SIG, SIG_PERF_TLB },
	{ 144, 146, G_SIG, SIG_APP_PHASE },
	{ 201, 204, G_SIG, SIG_SENDERS }, { 205, 209, G_SIG, SIG_MAP_OPS }, { 210, 210, G_SIG, SIG_FAULTS },
	{ 211, 212, G_SIG, SIG_MIGRATE }, { 213, 213, G_SIG, SIG_COMPACT }, { 214, 215, G_SIG, SIG_RECLAIM },
};

static const struct gate *gate_of(const struct field *fd)
{
	for (size_t i = 0; i < sizeof(gates) / sizeof(gates[0]); i++)
		if (fd->id >= gates[i].lo && fd->id <= gates[i].hi)
			return &gates[i];
	return NULL;
}

static int source_up(const struct frame *f, int s)
{
	return f->status[s].state == SOURCE_OK || f->status[s].state == SOURCE_PARTIAL;
}

/* The source behind an eBPF or perf signal. */
static int source_of(int sig)
{
	return sig == SIG_PERF_SW || sig == SIG_PERF_TLB ? SRC_PERF :
	       sig == SIG_APP_LAT || sig == SIG_APP_PHASE ? SRC_APP : SRC_BPF;
}

/* why may be NULL: the caller only asks whether the figure exists. */
static void say_source(const struct frame *f, int s, const char *what, char *why, size_t n)
{
	if (!why)
		return;
	if (f->status[s].reason[0] && !source_up(f, s))
		snprintf(why, n, "%s: %s", source_name((enum source)s), f->status[s].reason);
	else
		snprintf(why, n, "%s", what);
}

static int available(const struct frame *f, const struct gate *g, uint16_t id, char *why, size_t n)
{
	char what[96];
	int full;

	switch (g->kind) {
	case G_IRQ:
		if ((f->irq_present >> (g->arg + id - g->lo)) & 1)
			return 1;
		snprintf(what, sizeof(what), "no %s line in /proc/interrupts", irq_kind_name(g->arg + id - g->lo));
		say_source(f, SRC_INTERRUPTS, what, why, n);
		return 0;
	case G_VM:
		if (source_up(f, SRC_VMSTAT) && (f->sys.vm_present >> (id - g->lo)) & 1)
			return 1;
		snprintf(what, sizeof(what), "no %s in /proc/vmstat", vm_stat_name(id - g->lo));
		say_source(f, SRC_VMSTAT, what, why, n);
		return 0;
	case G_SRC:
	case G_PSI_FULL:
		full = g->arg == SRC_PSI_CPU ? f->sys.psi_cpu.has_full : f->sys.psi_mem.has_full;
		if (source_up(f, g->arg) && (g->kind == G_SRC || full))
			return 1;
		snprintf(what, sizeof(what), source_up(f, g->arg) ? "%s: no \"full\" line" : "%s: not read",
			 source_name(g->arg));
		say_source(f, g->arg, what, why, n);
		return 0;
	case G_SIG:
		if (frame_has(f, g->arg))
			return 1;
		if (why && source_up(f, source_of(g->arg))) {
			char r[FRAME_STATUS_LEN];

			/* the reason of this signal's own programs, whole */
			snprintf(why, n, "no %s data: %s", signal_name(g->arg), signal_why(f, g->arg, r, sizeof(r)));
			return 0;
		}
		snprintf(what, sizeof(what), "no %s data (%s)", signal_name(g->arg), source_name(source_of(g->arg)));
		say_source(f, source_of(g->arg), what, why, n);
		return 0;
	case G_ANY_PROC:
		if (f->signals & (1u << SIG_SENDERS | 1u << SIG_MAP_OPS | 1u << SIG_FAULTS | 1u << SIG_MIGRATE |
				  1u << SIG_COMPACT | 1u << SIG_RECLAIM))
			return 1;
		say_source(f, SRC_BPF, "no per-process signal", why, n);
		return 0;
	}
	return 1;
}

int field_available(const struct frame *f, const struct field *fd, char *why, size_t n)
{
	const struct gate *g = gate_of(fd);

	return g ? available(f, g, fd->id, why, n) : 1;
}

int cpu_measured(const struct frame *f, uint32_t c)
{
	return c < f->ncpu && f->interval_ns > 0 && f->cpu[c].online && !f->cpu[c].fresh;
}

int field_present_cpu(const struct frame *f, const struct field *fd, uint32_t c)
{
	if (!gate_of(fd))
		return 1;
	if (!cpu_measured(f, c) || !field_available(f, fd, NULL, 0))
		return 0;
	/* a CPU no app series is pinned to has no jitter quantiles */
	return (fd->id != 145 && fd->id != 146) || f->cpu[c].jit_n > 0;
}
