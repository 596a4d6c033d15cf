// SPDX-License-Identifier: GPL-2.0
/* The clock floor for bench/bpf_cost.c: bare.bpf.c's per-CPU counter plus
 * one bpf_ktime_get_ns, on each tracepoint where stormtop times something
 * (run-queue delay, IPI handler time), attached the same way.  A timed
 * program can cost no less: one clock read per event is the floor there.
 * Not loaded by stormtop. */
#include "twin.bpf.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} last SEC(".maps");

/* The time is stored, so that the read is not optimised away. */
static __always_inline int stamp(void)
{
	__u32 zero = 0;
	__u64 *t = bpf_map_lookup_elem(&last, &zero);

	if (t)
		*t = bpf_ktime_get_ns();
	return 0;
}

RAW_ONLY(csd_entry, "csd_function_entry", stamp())
RAW_ONLY(csd_exit, "csd_function_exit", stamp())
TWIN(cfn_entry, "call_function_entry", stamp())
TWIN(cfn_exit, "call_function_exit", stamp())
TWIN(cfn1_entry, "call_function_single_entry", stamp())
TWIN(cfn1_exit, "call_function_single_exit", stamp())
TWIN(wakeup, "sched_wakeup", stamp())
TWIN(wakeup_new, "sched_wakeup_new", stamp())
TWIN(switch, "sched_switch", stamp())
