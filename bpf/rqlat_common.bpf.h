/* SPDX-License-Identifier: GPL-2.0-only */
/* What both run-queue delay objects share: the per-CPU banks, enqueue
 * times keyed by pid, and the histogram.  rqlat.bpf.c needs kernel BTF
 * (tp_btf and CO-RE raw_tp twins); rqlat_tp.bpf.c needs none (classic
 * tracepoints), so it must stay free of CO-RE relocations: libbpf asks
 * for kernel BTF as soon as an object has a single one. */
#ifndef STORMTOP_RQLAT_COMMON_BPF_H
#define STORMTOP_RQLAT_COMMON_BPF_H

#include "twin.bpf.h"
#include "rqlat_shared.h"

BANK_MAP(rq_banks, struct rq_bank);

/* Enqueue time by pid, for the programs that have no task storage; the
 * collector leaves it uncreated when task storage serves. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, __u64);
} enqueued SEC(".maps");

static __always_inline void pid_enqueue(__u32 pid, __u64 now)
{
	if (pid) /* the idle task never waits */
		bpf_map_update_elem(&enqueued, &pid, &now, BPF_ANY);
}

/* The enqueue time of pid, forgotten as it is taken; 0 when unknown. */
static __always_inline __u64 pid_dequeue(__u32 pid)
{
	__u64 *slot = bpf_map_lookup_elem(&enqueued, &pid), t;

	if (!slot)
		return 0;
	t = *slot;
	bpf_map_delete_elem(&enqueued, &pid);
	return t;
}

/* A task enqueued at start (0: not seen) runs now on b's CPU. */
static __always_inline void account(struct rq_bank *b, __u64 start, __u64 now)
{
	__s64 delta = (__s64)(now - start);

	if (!start)
		return;
	if (delta < 0) { /* clocks of two CPUs disagree */
		b->negative++;
		return;
	}
	SLOT_ADD(b->slot, loglin_slot((__u64)delta), 1);
	b->count++;
	b->sum_ns += (__u64)delta;
}

#endif
