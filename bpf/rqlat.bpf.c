// SPDX-License-Identifier: GPL-2.0
/* Run-queue delay per CPU: time from becoming runnable (woken, new, or
 * preempted while running) to running, into a log-linear histogram.
 *
 * The tp_btf programs keep the enqueue time in task-local storage and read
 * task fields directly: the cheapest path, on every scheduler event (5.11+).
 * The raw_tp twins, for kernels without task storage or whose BTF lacks the
 * tracepoints, use the pid-keyed hash and CO-RE probe reads.  Both need
 * kernel BTF; rqlat_tp.bpf.c is the path without it. */
#include "rqlat_common.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* Not created where the kernel has no task storage (collectors/rqlat.c). */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u64);
} enqueued_at SEC(".maps");

/* btf: the caller is a tp_btf program (a compile-time constant), so each
 * program references one of the two maps only. */
static __always_inline void enqueue(struct task_struct *p, __u32 pid, __u64 now, int btf)
{
	__u64 *slot;

	if (!btf || !pid) {
		pid_enqueue(pid, now);
		return;
	}
	slot = bpf_task_storage_get(&enqueued_at, p, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (slot)
		*slot = now;
}

/* The enqueue time of p, cleared as it is taken; 0 when unknown. */
static __always_inline __u64 dequeue(struct task_struct *p, __u32 pid, int btf)
{
	__u64 *slot, t;

	if (!btf)
		return pid_dequeue(pid);
	slot = bpf_task_storage_get(&enqueued_at, p, 0, 0);
	if (!slot)
		return 0;
	t = *slot;
	*slot = 0;
	return t;
}

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
	__u64 start = next_pid ? dequeue(next, next_pid, btf) : 0, now;

	if (!b || (!requeue && !start))
		return 0;
	now = bpf_ktime_get_ns();
	if (requeue) {
		b->preempt++;
		enqueue(prev, prev_pid, now, btf);
	}
	account(b, start, now);
	return 0;
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(wakeup_btf, struct task_struct *p)
{
	enqueue(p, p->pid, bpf_ktime_get_ns(), 1);
	return 0;
}

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(wakeup_new_btf, struct task_struct *p)
{
	enqueue(p, p->pid, bpf_ktime_get_ns(), 1);
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
	enqueue(p, BPF_CORE_READ(p, pid), bpf_ktime_get_ns(), 0);
	return 0;
}

SEC("raw_tp/sched_wakeup_new")
int BPF_PROG(wakeup_new_raw, struct task_struct *p)
{
	enqueue(p, BPF_CORE_READ(p, pid), bpf_ktime_get_ns(), 0);
	return 0;
}

SEC("raw_tp/sched_switch")
int BPF_PROG(switch_raw, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	return on_switch(preempt, prev, BPF_CORE_READ(prev, pid), next, BPF_CORE_READ(next, pid), 0);
}
