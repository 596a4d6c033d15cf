// SPDX-License-Identifier: GPL-2.0
/* Run-queue delay per CPU: time from becoming runnable (woken, new, or
 * preempted while running) to running, into a log-linear histogram.
 *
 * The tp_btf programs read task fields directly: the cheapest path, on
 * every scheduler event.  The raw_tp twins, for kernels whose BTF lacks
 * the tracepoints, use CO-RE probe reads.  Both keep the enqueue time in
 * the pid-indexed slots of rqlat_common.bpf.h (an inlined array lookup:
 * cheaper than task storage, bench/bpf_cost, issue 22).  Both need kernel
 * BTF; rqlat_tp.bpf.c is the path without it. */
#include "rqlat_common.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* tp_btf reads the field directly; raw_tp needs a probe read. */
static __always_inline unsigned int task_state(struct task_struct *p, int btf)
{
	struct task_struct___old {
		long state;
	} *old = (void *)p;

	if (bpf_core_field_exists(p->__state))
		return btf ? p->__state : BPF_CORE_READ(p, __state);
	return (unsigned int)BPF_CORE_READ(old, state);
}

/* The clock is read once, and only when something is timed: a switch
 * to the idle task from a task that sleeps (half of them on a quiet
 * host) reads none. */
static __always_inline int on_switch(bool preempt, struct task_struct *prev, __u32 prev_pid,
				     struct task_struct *next, __u32 next_pid, int btf)
{
	struct rq_bank *b = this_bank(&rq_banks);
	/* Preempted while running: it goes straight back on the queue. */
	bool requeue = prev_pid && (preempt || task_state(prev, btf) == 0);
	__u64 start = next_pid ? pid_dequeue(b, next_pid) : 0, now;

	if (!b || (!requeue && !start))
		return 0;
	now = bpf_ktime_get_ns();
	if (requeue) {
		b->preempt++;
		pid_enqueue(prev_pid, now);
	}
	account(b, start, now);
	return 0;
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(wakeup_btf, struct task_struct *p)
{
	pid_enqueue(p->pid, bpf_ktime_get_ns());
	return 0;
}

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(wakeup_new_btf, struct task_struct *p)
{
	pid_enqueue(p->pid, bpf_ktime_get_ns());
	return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(switch_btf, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	return on_switch(preempt, prev, prev->pid, next, next->pid, 1);
}

SEC("raw_tp/sched_wakeup")
int BPF_PROG(wakeup_raw, struct task_struct *p)
{
	pid_enqueue(BPF_CORE_READ(p, pid), bpf_ktime_get_ns());
	return 0;
}

SEC("raw_tp/sched_wakeup_new")
int BPF_PROG(wakeup_new_raw, struct task_struct *p)
{
	pid_enqueue(BPF_CORE_READ(p, pid), bpf_ktime_get_ns());
	return 0;
}

SEC("raw_tp/sched_switch")
int BPF_PROG(switch_raw, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	return on_switch(preempt, prev, BPF_CORE_READ(prev, pid), next, BPF_CORE_READ(next, pid), 0);
}
