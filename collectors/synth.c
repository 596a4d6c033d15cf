// SPDX-License-Identifier: GPL-2.0-only
#include "collectors/synth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "collectors/sampler.h"
#include "util/mem.h"

/* The storm cycle: every PERIOD ticks one node storms for BURST ticks;
 * the next cycle it is the next node. */
#define PERIOD 24
#define BURST 8

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	return x ^ (x >> 33);
}

/* 0..n-1, fixed for (tick, cpu, salt). */
static uint64_t noise(uint64_t tick, uint32_t cpu, uint32_t salt, uint64_t n)
{
	return n ? mix(tick * 0x9e3779b97f4a7c15ull ^ ((uint64_t)cpu << 20) ^ salt) % n : 0;
}

void synth_init(struct synth *s, const struct topology *t, int64_t interval_ns)
{
	*s = (struct synth){ .topo = t, .interval_ns = interval_ns };
	s->mono_ns = clock_ns(CLOCK_MONOTONIC);
	s->wall_ns = clock_ns(CLOCK_REALTIME);
}

static int storming(const struct synth *s, uint32_t node)
{
	uint64_t cycle = s->tick / PERIOD, phase = s->tick % PERIOD;

	return s->topo->nodes[cycle % s->topo->nnodes].id == node && phase >= PERIOD - BURST;
}

/* Per-second rates scaled to the interval's deltas. */
static uint64_t per_tick(const struct synth *s, uint64_t per_s)
{
	return per_s * (uint64_t)s->interval_ns / 1000000000ull;
}

/* The delays' octaves, consistent with the quantiles: half at the p50,
 * 45 % at the p95, then the p99's, p99.9's and max's shares; they add up
 * to rq_count exactly, as the eBPF collector's do. */
static void rq_octaves(struct frame_cpu *c)
{
	static const unsigned int permille[] = { 500, 450, 40, 9 }; /* the max takes the rest */
	uint64_t left = c->rq_count;

	memset(c->rq_oct, 0, sizeof(c->rq_oct));
	for (int q = 0; q < RQ_QUANTILES; q++) {
		uint64_t n = c->rq_count * permille[q] / 1000;

		c->rq_oct[loglin_slot(c->rq_q[q]) / LOGLIN_SUB] += (uint32_t)n;
		left -= n;
	}
	c->rq_oct[loglin_slot(c->rq_max) / LOGLIN_SUB] += (uint32_t)left;
}

static void fill_cpu(struct synth *s, struct frame_cpu *c, uint32_t cpu)
{
	int storm = storming(s, c->node);
	/* an IOMMU sweep walks across the CPUs, a few at a time */
	uint32_t sweep = (uint32_t)(s->tick * 3 % (s->topo->ncpu + 16));
	int dma = cpu >= sweep && cpu < sweep + 6;
	uint64_t tlb = storm ? 40 + noise(s->tick, cpu, 1, 2000) : noise(s->tick, cpu, 2, 4);

	c->online = 1;
	c->irq[IRQ_TLB] = per_tick(s, tlb);
	c->tlb_rx = c->irq[IRQ_TLB];
	c->irq[IRQ_CAL] = per_tick(s, 5 + noise(s->tick, cpu, 3, 20));
	c->irq[IRQ_RES] = per_tick(s, 50 + noise(s->tick, cpu, 4, 200));
	c->irq[IRQ_LOC] = per_tick(s, 250);
	c->tlb_fanout = per_tick(s, storm && cpu % 8 == 0 ? 500 + noise(s->tick, cpu, 5, 3000) : 0);
	c->callfn = c->irq[IRQ_CAL] + c->tlb_rx;
	c->callfn_ns = c->callfn * 1500;
	c->io_map = per_tick(s, dma ? 200 + noise(s->tick, cpu, 6, 3000) : noise(s->tick, cpu, 7, 3));
	c->io_unmap = c->io_map;
	c->io_inval = c->io_map / 4;
	c->rq_count = per_tick(s, 1000);
	c->rq_q[RQ_P50] = 3000 + noise(s->tick, cpu, 8, 2000);
	c->rq_q[RQ_P95] = 12000 + noise(s->tick, cpu, 9, 8000);
	c->rq_q[RQ_P99] = (storm ? 250000 : 25000) + noise(s->tick, cpu, 10, 40000);
	c->rq_q[RQ_P999] = c->rq_q[RQ_P99] * 3;
	c->rq_max = c->rq_q[RQ_P999] * 2;
	rq_octaves(c);
	c->jit_n = per_tick(s, 20000);
	c->jit_p99_ns = (storm ? 60000 : 4000) + noise(s->tick, cpu, 11, 6000);
	c->jit_max_ns = c->jit_p99_ns * 2;
}

static void fill_procs(struct synth *s, struct frame *f)
{
	static const char *const comm[] = { "gateway", "risk-engine", "kcompactd0", "khugepaged",
					    "md-feed", "inference", "logship", "kswapd0" };
	uint32_t n = sizeof(comm) / sizeof(comm[0]);

	for (uint32_t i = 0; i < n; i++) {
		struct frame_proc *p = &f->procs.top[f->procs.n++];
		int hot = storming(s, s->topo->nodes[i % s->topo->nnodes].id);

		p->tgid = (int32_t)(1200 + i * 97);
		snprintf(p->comm, sizeof(p->comm), "%s", comm[i]);
		p->sent = per_tick(s, hot ? 300 + noise(s->tick, i, 12, 900) : noise(s->tick, i, 13, 5));
		p->fanout = p->sent * (1 + noise(s->tick, i, 14, 16));
		p->pages = p->sent * 4;
		p->ops[MAP_MUNMAP] = per_tick(s, noise(s->tick, i, 15, hot ? 4000 : 40));
		p->ops[MAP_MMAP] = p->ops[MAP_MUNMAP];
		p->ops[MAP_MPROTECT] = per_tick(s, noise(s->tick, i, 16, 200));
		p->faults = per_tick(s, noise(s->tick, i, 17, 20000));
		p->migrated = i == 2 ? per_tick(s, noise(s->tick, i, 18, 5000)) : 0;
		p->on_cpu = (uint32_t)(noise(0, i, 19, s->topo->ncpu) + 1);
	}
}

static void fill_sys(struct synth *s, struct frame *f)
{
	uint64_t tlb = 0;

	for (uint32_t c = 0; c < f->ncpu; c++)
		tlb += f->cpu[c].irq[IRQ_TLB];
	f->sys.vm[VM_TLB_REMOTE_FLUSH] = tlb / 4;
	f->sys.vm[VM_TLB_REMOTE_FLUSH_RECEIVED] = tlb;
	f->sys.vm[VM_PGFAULT] = per_tick(s, 20000 + noise(s->tick, 0, 20, 5000));
	f->sys.vm[VM_PGMIGRATE_SUCCESS] = per_tick(s, noise(s->tick, 0, 21, 3000));
	f->sys.vm[VM_NUMA_PAGES_MIGRATED] = f->sys.vm[VM_PGMIGRATE_SUCCESS] / 2;
	f->sys.vm[VM_THP_SPLIT_PAGE] = per_tick(s, noise(s->tick, 0, 22, 30));
	f->sys.vm[VM_COMPACT_STALL] = per_tick(s, noise(s->tick, 0, 23, 10));
	f->sys.vm_present = (1u << VM_STAT_MAX) - 1;
	f->sys.psi_cpu.some_us = per_tick(s, 20000 + noise(s->tick, 0, 24, 30000));
	f->sys.psi_mem.some_us = per_tick(s, noise(s->tick, 0, 25, 8000));
}

void synth_fill(struct synth *s, struct frame *f)
{
	int first = s->tick == 0;

	f->seq = s->tick;
	f->mono_ns = s->mono_ns + (int64_t)s->tick * s->interval_ns;
	f->wall_ns = s->wall_ns + (int64_t)s->tick * s->interval_ns;
	f->interval_ns = first ? 0 : s->interval_ns;
	topology_fill(s->topo, f);
	f->online = f->topo.possible;
	f->irq_present = 1u << IRQ_TLB | 1u << IRQ_CAL | 1u << IRQ_RES | 1u << IRQ_LOC;
	f->signals = 1u << SIG_TLB_RX | 1u << SIG_TLB_FANOUT | 1u << SIG_CALLFN | 1u << SIG_IOMMU_MAP |
		     1u << SIG_IOTLB_INVAL | 1u << SIG_RUNQ | 1u << SIG_SENDERS | 1u << SIG_MAP_OPS |
		     1u << SIG_FAULTS | 1u << SIG_MIGRATE | 1u << SIG_APP_PHASE;
	for (int src = 0; src < SRC_MAX; src++)
		frame_set_status(f, (enum source)src, SOURCE_OK, "");
	for (uint32_t c = 0; c < f->ncpu; c++) {
		if (!frame_cpu_exists(f, c))
			continue;
		f->cpu[c].fresh = (uint8_t)first;
		if (!first)
			fill_cpu(s, &f->cpu[c], c);
		else
			f->cpu[c].online = 1;
	}
	if (!first) {
		fill_procs(s, f);
		fill_sys(s, f);
	}
	s->tick++;
}

/* The made-up host as a frame source (src/core/source.h): allocated at
 * set-up, never in the loop. */
static void *synth_open(const struct source_conf *c)
{
	struct synth *s = mem_zalloc(1, sizeof(*s));

	if (s)
		synth_init(s, c->topo, c->interval_ns);
	return s;
}

static int synth_fill_src(void *s, struct frame *f)
{
	synth_fill(s, f);
	return SOURCE_FRAME;
}

/* No programs: one line in --probes' columns saying what stands in. */
static void synth_describe(const void *p, FILE *out)
{
	const struct synth *s = p;

	fprintf(out, "synthetic\t-\t-\t-\t%u CPUs, %u nodes, made up (--synthetic)\n", s->topo->ncpu,
		s->topo->nnodes);
}

const struct source_ops synth_source = {
	.name = "synthetic", .open = synth_open, .fill = synth_fill_src, .describe = synth_describe,
	.close = free,
};
