// SPDX-License-Identifier: GPL-2.0
/* A reference for bench/bpf_cost.c: run-queue delay per CPU from the
 * kernel's own stamps, one tp_btf program on sched_switch, no clock read
 * and no wakeup program.  Not loaded by stormtop.
 *
 * What it reads, and where the kernel writes it (kernel/sched/stats.h,
 * kernel/sched/core.c):
 * - next->sched_info.last_queued: sched_info_enqueue() stamps a task put
 *   on a run queue (woken, new, or preempted while running) with
 *   rq_clock() of that queue, if not stamped already;
 * - next->se.cfs_rq->rq->clock: the run queue clock of this CPU (the
 *   task about to run is on this CPU's queue), which __schedule() brings
 *   up to date with update_rq_clock() before the tracepoint;
 * - next->sched_info.run_delay and .pcount: sched_info_arrive(), right
 *   after the tracepoint (context_switch -> prepare_task_switch ->
 *   sched_info_switch), adds rq->clock - last_queued to run_delay and
 *   counts the arrival; /proc/PID/schedstat's second field.
 * So next's wait is rq->clock - last_queued.  A task moved to another CPU
 * while it waits has the part spent on the first queue already added to
 * run_delay and a fresh stamp from the new queue: a slot per task keeps
 * run_delay after its last arrival, so the wait is counted whole, on the
 * CPU that ends it, as rqlat.bpf.c counts it.
 *
 * Why stormtop does not ship it: the clock it reads is not "now".  A
 * wakeup whose task preempts the running one calls rq_clock_skip_update()
 * (wakeup_preempt(); always on an idle CPU, whose idle task counts as
 * queued), and the update_rq_clock() in the __schedule() that follows
 * then returns early: rq->clock stays at the value the wakeup stamped
 * with, and a task woken onto an idle CPU reads a wait of about 0 ns
 * however long the CPU took to come out of idle.  bench/bpf_cost prints
 * what this program and rqlat.bpf.c read over the same windows, under a
 * storm and in a quiet wake-up phase (bpf/README.md). */
#include "twin.bpf.h"
#include "rqlat_shared.h"

char LICENSE[] SEC("license") = "GPL";

/* Its own banks, struct rq_bank as rqlat.bpf.c's, so the bench reads
 * both the same way; missed stays 0 (no pid slots to lose). */
BANK_MAP(rq_banks, struct rq_bank);

/* Whose run_delay after its last arrival, by task.  Direct-mapped at a
 * hash of the pid (threads with neighbouring pids fall on different
 * lines); a slot taken by another task loses only the part of a wait
 * spent on an earlier queue, and a pid reused finds the old task's
 * figure only after its own first run (pcount > 0). */
struct rq_task_slot {
	__u32 pid;
	__u32 pad;
	__u64 delay; /* ns: its sched_info.run_delay once it last ran */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, RQ_PID_SLOTS);
	__type(key, __u32);
	__type(value, struct rq_task_slot);
} arrived SEC(".maps");

static __always_inline struct rq_task_slot *task_slot(__u32 pid)
{
	__u32 k = (pid * 2654435761u) >> (32 - RQ_PID_BITS);

	return bpf_map_lookup_elem(&arrived, &k);
}

static __always_inline unsigned int task_state(struct task_struct *p)
{
	struct task_struct___old {
		long state;
	} *old = (void *)p;

	if (bpf_core_field_exists(p->__state))
		return p->__state;
	return (unsigned int)BPF_CORE_READ(old, state);
}

/* Part of next's wait spent on queues it left, ns: 0 when it left none,
 * or when its slot was taken by another task since it last ran. */
static __always_inline __u64 earlier_part(__u32 pid, __u64 run_delay, __u64 pcount, __u64 wait)
{
	struct rq_task_slot *s = task_slot(pid);
	__u64 part = 0;

	if (!s)
		return 0;
	if (pcount == 0) /* never ran: all its run_delay is this wait */
		part = run_delay;
	else if (s->pid == pid && run_delay > s->delay)
		part = run_delay - s->delay;
	s->pid = pid;
	s->delay = run_delay + wait;
	return part;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(switch_btf, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	struct rq_bank *b = this_bank(&rq_banks);
	__u64 queued = next->sched_info.last_queued, wait;
	__s64 delta;

	if (!b)
		return 0;
	/* Preempted while running: it goes straight back on the queue. */
	if (prev->pid && (preempt || task_state(prev) == 0))
		b->preempt++;
	if (!queued) /* the idle task, or no stamp */
		return 0;
	delta = (__s64)(next->se.cfs_rq->rq->clock - queued);
	if (delta < 0) { /* this queue's clock stamped it: cannot happen */
		b->negative++;
		return 0;
	}
	wait = (__u64)delta;
	wait += earlier_part(next->pid, next->sched_info.run_delay, next->sched_info.pcount, wait);
	SLOT_ADD(b->slot, loglin_slot(wait), 1);
	b->count++;
	b->sum_ns += wait;
	return 0;
}
