// SPDX-License-Identifier: GPL-2.0
/* Run-queue delay per CPU: time from becoming runnable (woken, new, or
 * preempted while running) to running, into a log-linear histogram. */
#include "twin.bpf.h"
#include "rqlat_shared.h"

char LICENSE[] SEC("license") = "GPL";

BANK_MAP(rq_banks, struct rq_bank);

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, __u64);
} enqueued SEC(".maps");

static __always_inline int enqueue(struct task_struct *p)
{
	__u32 pid = BPF_CORE_READ(p, pid);
	__u64 now;

	if (!pid) /* the idle task never waits */
		return 0;
	now = bpf_ktime_get_ns();
	bpf_map_update_elem(&enqueued, &pid, &now, BPF_ANY);
	return 0;
}
TWIN(wakeup, "sched_wakeup", enqueue(p), struct task_struct *p)
TWIN(wakeup_new, "sched_wakeup_new", enqueue(p), struct task_struct *p)

static __always_inline unsigned int task_state(struct task_struct *p)
{
	struct task_struct___old {
		long state;
	} *old = (void *)p;

	if (bpf_core_field_exists(p->__state))
		return BPF_CORE_READ(p, __state);
	return (unsigned int)BPF_CORE_READ(old, state);
}

static __always_inline void record(struct rq_bank *b, __u64 delta)
{
	unsigned int s = loglin_slot(delta);

	if (s < LOGLIN_SLOTS)
		b->slot[s]++;
	b->count++;
	b->sum_ns += delta;
}

static __always_inline int on_switch(bool preempt, struct task_struct *prev,
				     struct task_struct *next)
{
	struct rq_bank *b = this_bank(&rq_banks);
	__u32 pid;
	__u64 *start;
	__s64 delta;

	if (!b)
		return 0;
	/* Preempted while running: it goes straight back on the queue. */
	if (BPF_CORE_READ(prev, pid) && (preempt || task_state(prev) == 0)) {
		b->preempt++;
		enqueue(prev);
	}
	pid = BPF_CORE_READ(next, pid);
	if (!pid)
		return 0;
	start = bpf_map_lookup_elem(&enqueued, &pid);
	if (!start)
		return 0;
	delta = (__s64)(bpf_ktime_get_ns() - *start);
	bpf_map_delete_elem(&enqueued, &pid);
	if (delta < 0)
		b->negative++;
	else
		record(b, (__u64)delta);
	return 0;
}
TWIN(switch, "sched_switch", on_switch(preempt, prev, next), bool preempt,
     struct task_struct *prev, struct task_struct *next)
