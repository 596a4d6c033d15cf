/* SPDX-License-Identifier: GPL-2.0-only */
/* TLB shootdowns and call-function IPIs, per CPU: shared by tlb.bpf.c and
 * collectors/tlb.c. */
#ifndef STORMTOP_TLB_BPF_SHARED_H
#define STORMTOP_TLB_BPF_SHARED_H

#define TLB_REASONS 6 /* enum tlb_flush_reason, 0..5 */
/* TLB_REMOTE_SEND_IPI: the initiator's flush, which sends the IPIs */
#define TLB_REASON_SEND 4

struct tlb_bank {
	/* tlb:tlb_flush on this CPU, by reason */
	__u64 flushes[TLB_REASONS];
	__u64 pages[TLB_REASONS];   /* pages of ranged flushes */
	__u64 full[TLB_REASONS];    /* TLB_FLUSH_ALL flushes */
	__u64 fanout;               /* TLB IPIs this CPU queued (csd_queue_cpu) */
	__u64 rx;                   /* TLB flushes run here for another CPU */
	__u64 rx_ns;                /* time in those handlers */
	/* entry timestamps; a handler never nests on its own CPU */
	__u64 rx_start;
	/* flush_tlb_func's address + 1 (1: none), copied from .rodata by the
	 * first csd event here: the csd programs then compare against this
	 * line, which they touch anyway, not .rodata's (a cold line on the
	 * IPI path: about 25 ns an event, bench/bpf_cost) */
	__u64 tlb_func1;
	__u64 callfn;               /* call-function IPIs handled (all kinds) */
	__u64 callfn_ns;            /* time in their handlers: the IPI tax */
	__u64 callfn_start;
} __attribute__((aligned(64)));

#endif
