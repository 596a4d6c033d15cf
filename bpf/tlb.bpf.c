// SPDX-License-Identifier: GPL-2.0
/* What each core pays for TLB shootdowns: flushes by reason, IPIs queued to
 * other cores, flushes run on behalf of other cores and the time they took. */
#include "twin.bpf.h"
#include "tlb_shared.h"

char LICENSE[] SEC("license") = "GPL";

/* Address of flush_tlb_func (from /proc/kallsyms), set before load; 0
 * disables the csd programs' filter match. */
const volatile __u64 flush_tlb_func_addr;

BANK_MAP(tlb_banks, struct tlb_bank);

static __always_inline int on_tlb_flush(int reason, unsigned long pages)
{
	struct tlb_bank *b = this_bank(&tlb_banks);

	if (!b)
		return 0;
	/* a reason out of range (a newer kernel's) is not counted */
	SLOT_ADD(b->flushes, reason, 1);
	if (pages == (unsigned long)-1) /* TLB_FLUSH_ALL */
		SLOT_ADD(b->full, reason, 1);
	else
		SLOT_ADD(b->pages, reason, pages); /* 0: already current, nothing to do */
	return 0;
}
TWIN(tlb_flush, "tlb_flush", on_tlb_flush(reason, pages), int reason, unsigned long pages)

/* Whether func is flush_tlb_func, against the copy in b's line. */
static __always_inline int is_tlb_func(struct tlb_bank *b, void *func)
{
	__u64 f1 = b->tlb_func1;

	if (!f1)
		b->tlb_func1 = f1 = flush_tlb_func_addr + 1;
	return f1 != 1 && (__u64)func + 1 == f1;
}

static __always_inline int on_csd_queue(void *func)
{
	struct tlb_bank *b = this_bank(&tlb_banks);

	if (b && is_tlb_func(b, func))
		b->fanout++;
	return 0;
}
RAW_ONLY(csd_queue, "csd_queue_cpu", on_csd_queue(func), unsigned int cpu, unsigned long callsite,
     void *func, void *csd)

/* csd is NULL when the sender runs the function for itself: not an IPI. */
static __always_inline int on_csd_entry(void *func, void *csd)
{
	struct tlb_bank *b;

	if (!csd)
		return 0;
	b = this_bank(&tlb_banks);
	if (b && is_tlb_func(b, func)) {
		b->rx++;
		b->rx_start = bpf_ktime_get_ns();
	}
	return 0;
}
RAW_ONLY(csd_entry, "csd_function_entry", on_csd_entry(func, csd), void *func, void *csd)

static __always_inline int on_csd_exit(void *func, void *csd)
{
	struct tlb_bank *b;

	if (!csd)
		return 0;
	b = this_bank(&tlb_banks);
	if (b && b->rx_start && is_tlb_func(b, func)) {
		b->rx_ns += bpf_ktime_get_ns() - b->rx_start;
		b->rx_start = 0;
	}
	return 0;
}
RAW_ONLY(csd_exit, "csd_function_exit", on_csd_exit(func, csd), void *func, void *csd)

static __always_inline int on_callfn_entry(void)
{
	struct tlb_bank *b = this_bank(&tlb_banks);

	if (b) {
		b->callfn++;
		b->callfn_start = bpf_ktime_get_ns();
	}
	return 0;
}

static __always_inline int on_callfn_exit(void)
{
	struct tlb_bank *b = this_bank(&tlb_banks);

	if (b && b->callfn_start) {
		b->callfn_ns += bpf_ktime_get_ns() - b->callfn_start;
		b->callfn_start = 0;
	}
	return 0;
}
TWIN(cfn_entry, "call_function_entry", on_callfn_entry(), int vector)
TWIN(cfn_exit, "call_function_exit", on_callfn_exit(), int vector)
TWIN(cfn1_entry, "call_function_single_entry", on_callfn_entry(), int vector)
TWIN(cfn1_exit, "call_function_single_exit", on_callfn_exit(), int vector)
