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

#endif
