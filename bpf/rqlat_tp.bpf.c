// SPDX-License-Identifier: GPL-2.0
/* Run-queue delay on kernels without BTF (CONFIG_DEBUG_INFO_BTF unset):
 * classic tracepoint programs read pids and prev_state from the event
 * record, at the offsets user space found in tracefs
 * (events/sched/<tp>/format) and set here before load.  No CO-RE, no
 * task fields: enqueue times live in the pid-indexed slots. */
#include "rqlat_common.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* Record offsets, bytes (collectors/rqlat.c fills them). */
const volatile __u32 wakeup_pid_off;
const volatile __u32 wakeup_new_pid_off;
const volatile __u32 switch_prev_pid_off;
const volatile __u32 switch_prev_state_off;
const volatile __u32 switch_prev_state_size; /* 8 (long) or 4 */
const volatile __u32 switch_next_pid_off;
/* prev_state bits meaning "stopped running because it sleeps":
 * TASK_REPORT | TASK_REPORT_IDLE (0xff since 4.14).  A task still
 * runnable is 0, or TASK_REPORT_MAX (0x100) when it was preempted. */
const volatile __u64 sleep_mask = 0xff;

/* The record's fields are read with a probe read: the verifier allows no
 * load from the context at an offset unknown when the code was built. */
static __always_inline __u32 rec_u32(void *ctx, __u32 off)
{
	__u32 v = 0;

	bpf_probe_read_kernel(&v, sizeof(v), (char *)ctx + off);
	return v;
}

static __always_inline __u64 prev_state(void *ctx)
{
	__u64 v = 0;

	if (switch_prev_state_size == 8)
		bpf_probe_read_kernel(&v, 8, (char *)ctx + switch_prev_state_off);
	else
		v = rec_u32(ctx, switch_prev_state_off);
	return v;
}

SEC("tracepoint/sched/sched_wakeup")
int wakeup_tp(void *ctx)
{
	pid_enqueue(rec_u32(ctx, wakeup_pid_off), bpf_ktime_get_ns());
	return 0;
}

SEC("tracepoint/sched/sched_wakeup_new")
int wakeup_new_tp(void *ctx)
{
	pid_enqueue(rec_u32(ctx, wakeup_new_pid_off), bpf_ktime_get_ns());
	return 0;
}

SEC("tracepoint/sched/sched_switch")
int switch_tp(void *ctx)
{
	struct rq_bank *b = this_bank(&rq_banks);
	__u32 prev = rec_u32(ctx, switch_prev_pid_off), next = rec_u32(ctx, switch_next_pid_off);
	/* as rqlat.bpf.c: one clock read, and none when nothing is timed */
	bool requeue = prev && !(prev_state(ctx) & sleep_mask);
	__u64 start = next ? pid_dequeue(b, next) : 0, now;

	if (!b || (!requeue && !start))
		return 0;
	now = bpf_ktime_get_ns();
	if (requeue) {
		b->preempt++;
		pid_enqueue(prev, now);
	}
	account(b, start, now);
	return 0;
}
