// SPDX-License-Identifier: GPL-2.0
/* The yardstick for bench/bpf_cost.c: a bare per-CPU counter on each
 * tracepoint stormtop hooks, attached the same way (tp_btf, or raw_tp
 * where stormtop must use it), so the bench can put stormtop's ns/event
 * next to the least any program costs there.  Not loaded by stormtop. */
#include "twin.bpf.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} hits SEC(".maps");

static __always_inline int count(void)
{
	__u32 zero = 0;
	__u64 *c = bpf_map_lookup_elem(&hits, &zero);

	if (c)
		(*c)++;
	return 0;
}

TWIN(tlb_flush, "tlb_flush", count())
RAW_ONLY(csd_queue, "csd_queue_cpu", count())
RAW_ONLY(csd_entry, "csd_function_entry", count())
RAW_ONLY(csd_exit, "csd_function_exit", count())
TWIN(cfn_entry, "call_function_entry", count())
TWIN(cfn_exit, "call_function_exit", count())
TWIN(cfn1_entry, "call_function_single_entry", count())
TWIN(cfn1_exit, "call_function_single_exit", count())
TWIN(wakeup, "sched_wakeup", count())
TWIN(wakeup_new, "sched_wakeup_new", count())
TWIN(switch, "sched_switch", count())
TWIN(sys_enter, "sys_enter", count())
TWIN(fault, "page_fault_user", count())
