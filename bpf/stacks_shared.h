/* SPDX-License-Identifier: GPL-2.0-only */
/* The call-site sampler's maps: shared by stacks.bpf.c and
 * collectors/stacks.c.  Sizes are fixed at build time, so the memory the
 * sampler locks while a target is set is bounded:
 *   stack map  STACKS_MAX_STACKS x STACKS_DEPTH x 8 B = 4 MiB
 *   counts     STACKS_MAX_SITES x (key 24 B + value 16 B) ~ 160 KiB + overhead. */
#ifndef STORMTOP_STACKS_BPF_SHARED_H
#define STORMTOP_STACKS_BPF_SHARED_H

#define STACKS_MAX_STACKS 16384 /* distinct stacks (kernel and user); the map is
				 * hashed with no chaining: a stack whose bucket is
				 * taken is lost, so room keeps collisions rare */
#define STACKS_DEPTH 32         /* frames kept per stack, the innermost */
#define STACKS_MAX_SITES 4096   /* distinct sites between two drains */
/* The default sampling period: one event in STACKS_PERIOD on average
 * (stacks.bpf.c's sample_now).  Why 16 (bench/bpf_cost stacks, 6.18,
 * 2 vCPUs, aimed at tools/churn, whose every event is the target's):
 * per event of the target, sys_enter 125-150 ns and tlb_flush 135-165 ns
 * against bare counters of 47 and 95-100 ns, over three runs on a busy
 * host (period 1: 680-910 and 1120-1280 ns, the stack walks; period 64:
 * 65 and 90 ns); csd_queue_cpu about 1.07x; and an estimate over 100000
 * events stays within about 1 % (one sd).  The rest of the host pays
 * the tgid compare only (1.0-1.1x), and nothing while no target is set
 * (the programs are detached). */
#define STACKS_PERIOD 16

/* enum site_kind in src/core/frame.h: the same numbers. */
enum stacks_kind { STACKS_FLUSH, STACKS_MMAP, STACKS_MUNMAP, STACKS_MPROTECT, STACKS_MADVISE,
		   STACKS_MREMAP, STACKS_KINDS };

struct stacks_key {
	__u64 caller;   /* the return address on top of the user stack at
			 * syscall entry (the libc wrapper's caller), 0: none */
	__s32 kstack;   /* stack map id, -1: none (syscall entry) or lost */
	__s32 ustack;   /* stack map id, -1: none or lost */
	__u32 kind;     /* enum stacks_kind */
	__u32 pad;
};

struct stacks_count {
	__u64 events;   /* sampled events (user side multiplies by the period) */
	__u64 ipis;     /* TLB IPIs the sampled flushes queued */
};

/* Per CPU: the sampling countdown, the flush the next IPIs belong to,
 * and what could not be kept. */
struct stacks_cpu {
	__s64 left;              /* events until the next sample */
	struct stacks_key flush; /* the latest sampled flush on this CPU */
	__u32 flush_on;          /* flush is valid (reset by an unsampled one) */
	__u32 pad;
	__u64 lost_sites;        /* counts map full */
	__u64 lost_stacks;       /* a stack not kept (hash collision, map full, unreadable) */
	/* flush_tlb_func's address + 1 (1: none), copied from .rodata by the
	 * first csd_queue_cpu event here: .rodata's line is cold on the IPI
	 * path (bench/bpf_cost) */
	__u64 tlb_func1;
};

#endif
