/* SPDX-License-Identifier: GPL-2.0-only */
/* Per-process churn, keyed by tgid: shared by churn.bpf.c and
 * collectors/churn.c. */
#ifndef STORMTOP_CHURN_BPF_SHARED_H
#define STORMTOP_CHURN_BPF_SHARED_H

#define CHURN_MAX_PROCS 8192
#define CHURN_COMM_LEN 16

enum churn_op { CHURN_MMAP, CHURN_MUNMAP, CHURN_MPROTECT, CHURN_MADVISE, CHURN_MREMAP, CHURN_OPS };

struct churn_proc {
	char comm[CHURN_COMM_LEN]; /* the main thread's, kept by exec and task_rename */
	__u64 sent;        /* TLB flushes that sent IPIs (TLB_REASON_SEND) */
	__u64 fanout;      /* TLB IPIs queued to other CPUs */
	__u64 pages;       /* pages in the ranged ones */
	__u64 full;        /* full flushes among them */
	__u64 ops[CHURN_OPS]; /* system calls */
	__u64 faults;      /* user page faults */
	__u64 migrated;    /* pages migrated */
	__u64 thp_split;   /* THPs split to migrate */
	__u64 compact;     /* compaction runs */
	__u64 reclaim;     /* direct-reclaim stalls */
	__u64 reclaim_ns;  /* time stalled in them */
	__u32 last_cpu;    /* CPU of the latest event, + 1 */
	__u64 cgroup_id;   /* cgroup v2 id at the latest event (bpf_get_current_cgroup_id) */
};

/* The frequent events (TLB sends and fan-out, mm system calls, user
 * faults) first add into a small direct-mapped cache of recent tgids on
 * their own CPU, with plain stores: no shared atomic per event.  A slot
 * is flushed into procs (atomic adds) when another tgid takes it.  A
 * process's count is its procs row plus every CPU's slot holding its
 * tgid (collectors/churn.c sums them). */
#define CHURN_CACHE_BITS 5
#define CHURN_CACHE_SLOTS (1 << CHURN_CACHE_BITS)

/* Two lines: what the most frequent events (user faults, mm system
 * calls) touch is all on the first, so each touches one line. */
struct churn_slot {
	__u32 tgid;        /* 0: empty */
	__u32 pad;
	__u64 stamp;       /* jiffies of the latest event here (bpf_jiffies64) */
	__u64 faults;
	__u64 ops[CHURN_OPS];
	/* second line */
	__u64 cgroup_id;   /* at the first event of the latest jiffy here */
	__u64 sent, fanout, pages, full;
} __attribute__((aligned(64)));

struct churn_cache {
	/* odd while a slot moves into procs: a reader that saw it odd, or
	 * changed across its read of procs and the cache, reads again */
	__u64 gen;
	/* the slot (index + 1; 0: none) of the latest TLB_REMOTE_SEND_IPI
	 * here and its tgid then: the IPIs queued next are that sender's */
	__u32 armed, armed_tgid;
	/* flush_tlb_func's address + 1 (1: none), copied from .rodata by the
	 * first csd_queue_cpu event here: compared on this line, which the
	 * program touches anyway, not on .rodata's (cold on the IPI path) */
	__u64 tlb_func1;
	struct churn_slot slot[CHURN_CACHE_SLOTS]; /* from the second line on */
} __attribute__((aligned(64)));

/* The cache slot of a tgid (Fibonacci hashing: tgids come in runs). */
static inline __u32 churn_slot_of(__u32 tgid)
{
	return (tgid * 2654435761u) >> (32 - CHURN_CACHE_BITS);
}

#endif
