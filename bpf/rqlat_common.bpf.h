/* SPDX-License-Identifier: GPL-2.0-only */
/* What both run-queue delay objects share: the per-CPU banks, enqueue
 * times indexed by pid, and the histogram.  rqlat.bpf.c needs kernel BTF
 * (tp_btf and CO-RE raw_tp twins); rqlat_tp.bpf.c needs none (classic
 * tracepoints), so it must stay free of CO-RE relocations: libbpf asks
 * for kernel BTF as soon as an object has a single one. */
#ifndef STORMTOP_RQLAT_COMMON_BPF_H
#define STORMTOP_RQLAT_COMMON_BPF_H

#include "twin.bpf.h"
#include "rqlat_shared.h"

BANK_MAP(rq_banks, struct rq_bank);

/* Enqueue time by pid, in a direct-mapped array indexed by the pid's low
 * bits: the verifier inlines an array lookup (a hash or task storage is
 * a helper call, and a hash update a lock), so the clock read stays
 * nearly the only cost.  A slot holds one pid; a task enqueued while
 * another, still waiting, holds its slot takes it over, and that one's
 * delay is lost: the slot remembers whose, and the switch that runs it
 * counts it in its CPU's bank (missed; the wakeup programs touch no bank,
 * so they attach even where the banks cannot be made).  Runnable tasks
 * are few, so two of them rarely share the low RQ_PID_BITS bits. */
struct rq_pid_slot {
	__u32 pid;
	__u32 lost; /* the pid whose wait the current one took over */
	__u64 ts;   /* ns, bpf_ktime_get_ns; 0: not waiting */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, RQ_PID_SLOTS);
	__type(key, __u32);
	__type(value, struct rq_pid_slot);
} enqueued SEC(".maps");

static __always_inline struct rq_pid_slot *pid_slot(__u32 pid)
{
	__u32 k = pid & (RQ_PID_SLOTS - 1);

	return bpf_map_lookup_elem(&enqueued, &k);
}

static __always_inline void pid_enqueue(__u32 pid, __u64 now)
{
	struct rq_pid_slot *s = pid_slot(pid);

	if (!s || !pid) /* the idle task never waits */
		return;
	if (s->pid != pid) {
		if (s->ts)
			s->lost = s->pid;
		s->pid = pid;
	}
	s->ts = now;
}

/* The enqueue time of pid, forgotten as it is taken; 0 when unknown.
 * A wait lost to another pid adds to b's missed. */
static __always_inline __u64 pid_dequeue(struct rq_bank *b, __u32 pid)
{
	struct rq_pid_slot *s = pid_slot(pid);
	__u64 t;

	if (!s)
		return 0;
	if (s->pid != pid) {
		if (s->lost == pid && b) {
			b->missed++;
			s->lost = 0;
		}
		return 0;
	}
	t = s->ts;
	if (t) /* no store (no dirty line) when nothing waits */
		s->ts = 0;
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
