// SPDX-License-Identifier: GPL-2.0
/* Who causes the shootdowns: per-process TLB IPI sends and the memory-map
 * churn behind them, in a bounded LRU table keyed by tgid. */
#include "twin.bpf.h"
#include "churn_shared.h"
#include "tlb_shared.h"

char LICENSE[] SEC("license") = "GPL";

const volatile __u64 flush_tlb_func_addr;

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, CHURN_MAX_PROCS);
	__type(key, __u32);
	__type(value, struct churn_proc);
} procs SEC(".maps");

/* Direct-reclaim entry time per thread. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, __u64);
} reclaim_start SEC(".maps");

#include "mm_syscalls.bpf.h"

/* The process's name as /proc/PID/comm has it: its main thread's, not
 * that of whichever thread happens to run (threads name themselves).
 * Without kernel BTF the group leader cannot be read: the name of a
 * main thread that runs; from another thread, none (user space asks
 * /proc/PID/comm). */
static __always_inline void leader_comm(char *dst)
{
#ifdef STORMTOP_NO_CORE
	__u64 id = bpf_get_current_pid_tgid();

	if ((__u32)id == id >> 32) /* else left empty: user space reads /proc */
		bpf_get_current_comm(dst, CHURN_COMM_LEN);
#else
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	struct task_struct *leader = BPF_CORE_READ(t, group_leader);

	if (!leader || bpf_core_read_str(dst, CHURN_COMM_LEN, &leader->comm) < 0)
		bpf_get_current_comm(dst, CHURN_COMM_LEN);
#endif
}

/* The row of tgid, inserted (named after the running task, so only for
 * the tgid that runs) when missing.  Look up before inserting: an insert
 * on every event would churn the LRU. */
static __always_inline struct churn_proc *row_of(__u32 tgid, int named)
{
	struct churn_proc *v = bpf_map_lookup_elem(&procs, &tgid);
	struct churn_proc fresh = {};

	if (!v) {
		if (named)
			leader_comm(fresh.comm);
		bpf_map_update_elem(&procs, &tgid, &fresh, BPF_NOEXIST);
		v = bpf_map_lookup_elem(&procs, &tgid);
	}
	return v;
}

/* The running process's row, for the rare events that add to it directly. */
static __always_inline struct churn_proc *this_proc(void)
{
	struct churn_proc *v = row_of(bpf_get_current_pid_tgid() >> 32, 1);

	/* plain stores: the latest writer wins, which is what "latest" means.
	 * The cgroup is read at every event, not once per process: a
	 * process moved between cgroups is charged where it now runs.  One
	 * helper (4.18+, any tracing program, no BTF needed) and a store. */
	if (v) {
		v->last_cpu = bpf_get_smp_processor_id() + 1;
		v->cgroup_id = bpf_get_current_cgroup_id();
	}
	return v;
}

#define ADD(field, n) __sync_fetch_and_add(&(field), (n))

BANK_MAP(cache, struct churn_cache);

/* Moves slot s of this CPU's cache c into procs and gives it to tgid,
 * whose row is made (and named) now, while it runs.  gen is odd
 * meanwhile, so that user space never counts the slot twice (in procs
 * and in the cache) nor misses it. */
static __noinline void take(struct churn_cache *c, struct churn_slot *s, __u32 tgid)
{
	__u32 old = s->tgid;
	struct churn_proc *v;

	if (old) {
		c->gen++;
		v = row_of(old, 0); /* gone from the LRU: nameless, user space names it */
		if (v) {       /* the atomic adds also keep the stores above in order */
			ADD(v->sent, s->sent);
			ADD(v->fanout, s->fanout);
			ADD(v->pages, s->pages);
			ADD(v->full, s->full);
			for (int op = 0; op < CHURN_OPS; op++)
				ADD(v->ops[op], s->ops[op]);
			ADD(v->faults, s->faults);
			v->last_cpu = bpf_get_smp_processor_id() + 1;
			v->cgroup_id = s->cgroup_id;
		}
	}
	row_of(tgid, 1);
	__builtin_memset(s, 0, sizeof(*s));
	s->tgid = tgid;
	if (old) {
		barrier();
		c->gen++;
	}
}

/* The running process's slot in this CPU's cache.  Plain adds into it
 * are exact: only this CPU writes it, a tracepoint program runs with
 * preemption off, and every event cached here comes from process
 * context (the TLB IPIs are queued by the flushing task itself), so no
 * two of these programs interleave on one slot.  The cgroup is read once
 * a jiffy per slot, not per event (a helper that walks the task's css):
 * a process moved between cgroups is charged where it runs within one
 * jiffy.  *at: the slot's index. */
static __always_inline struct churn_slot *this_slot(struct churn_cache **cp, __u32 *at)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct churn_cache *c = this_bank(&cache);
	struct churn_slot *s;
	__u64 i = churn_slot_of(tgid), now;

	if (!c || !tgid) /* the idle task has no process */
		return NULL;
	barrier_var(i);
	i &= CHURN_CACHE_SLOTS - 1;
	s = &c->slot[i];
	if (s->tgid != tgid)
		take(c, s, tgid);
	now = bpf_jiffies64();
	if (s->stamp != now) {
		s->cgroup_id = bpf_get_current_cgroup_id();
		s->stamp = now;
	}
	*cp = c;
	*at = (__u32)i;
	return s;
}

static __always_inline int on_flush(int reason, unsigned long pages)
{
	struct churn_cache *c;
	struct churn_slot *s;
	__u32 at;

	if (reason != TLB_REASON_SEND) /* in the initiator's context */
		return 0;
	s = this_slot(&c, &at);
	if (!s)
		return 0;
	s->sent++;
	if (pages == (unsigned long)-1)
		s->full++;
	else
		s->pages += pages;
	c->armed = at + 1;
	c->armed_tgid = s->tgid;
	return 0;
}
TWIN(send, "tlb_flush", on_flush(reason, pages), int reason, unsigned long pages)

/* Every flush_tlb_func IPI is queued by native_flush_tlb_multi right
 * after its tlb_flush(TLB_REMOTE_SEND_IPI) on the same CPU, preemption
 * off in between (arch/x86/mm/tlb.c): the slot that send armed is the
 * sender's, found with no helper call and no tgid.  armed_tgid guards
 * against a slot taken meanwhile (nothing in between should). */
static __always_inline int on_queue(void *func)
{
	struct churn_cache *c = this_bank(&cache);
	__u64 i, f1;

	if (!c)
		return 0;
	f1 = c->tlb_func1;
	if (!f1)
		c->tlb_func1 = f1 = flush_tlb_func_addr + 1;
	if (f1 == 1 || (__u64)func + 1 != f1)
		return 0;
	i = c->armed - 1;
	barrier_var(i);
	if (i < CHURN_CACHE_SLOTS) {
		barrier_var(i);
		if (c->slot[i].tgid == c->armed_tgid)
			c->slot[i].fanout++;
	}
	return 0;
}
RAW_ONLY(fanout, "csd_queue_cpu", on_queue(func), unsigned int cpu, unsigned long callsite,
     void *func, void *csd)

static __always_inline int op_of(long id)
{
	switch (id) {
	case NR_MMAP: return CHURN_MMAP;
	case NR_MUNMAP: return CHURN_MUNMAP;
	case NR_MPROTECT: return CHURN_MPROTECT;
	case NR_MADVISE: return CHURN_MADVISE;
	case NR_MREMAP: return CHURN_MREMAP;
	default: return -1;
	}
}

/* Filtered on the system call number before anything else. */
static __always_inline int on_syscall(long id)
{
	struct churn_cache *c;
	struct churn_slot *s;
	__u32 at;
	int op;

	if (!is_mm_syscall(id))
		return 0;
	op = op_of(id);
	s = this_slot(&c, &at);
	if (s)
		SLOT_ADD(s->ops, op, 1);
	return 0;
}
TWIN(syscall, "sys_enter", on_syscall(id), struct pt_regs *regs, long id)

static __always_inline int on_fault(void)
{
	struct churn_cache *c;
	__u32 at;
	struct churn_slot *s = this_slot(&c, &at);

	if (s)
		s->faults++;
	return 0;
}
TWIN(fault, "page_fault_user", on_fault(), unsigned long address)

static __always_inline int on_migrate(unsigned long ok, unsigned long split)
{
	struct churn_proc *v = this_proc();

	if (v) {
		ADD(v->migrated, ok);
		ADD(v->thp_split, split);
	}
	return 0;
}
/* Only the first five arguments: they have kept their places since 5.12. */
TWIN(migrate, "mm_migrate_pages", on_migrate(ok, split), unsigned long ok,
     unsigned long failed, unsigned long thp_ok, unsigned long thp_failed, unsigned long split)

static __always_inline int on_compact(void)
{
	struct churn_proc *v = this_proc();

	if (v)
		ADD(v->compact, 1);
	return 0;
}
TWIN(compact, "mm_compaction_begin", on_compact())

static __always_inline int on_reclaim_begin(void)
{
	__u32 pid = (__u32)bpf_get_current_pid_tgid();
	__u64 now = bpf_ktime_get_ns();

	bpf_map_update_elem(&reclaim_start, &pid, &now, BPF_ANY);
	return 0;
}
TWIN(reclaim_in, "mm_vmscan_direct_reclaim_begin", on_reclaim_begin())

static __always_inline int on_reclaim_end(void)
{
	__u32 pid = (__u32)bpf_get_current_pid_tgid();
	__u64 *start = bpf_map_lookup_elem(&reclaim_start, &pid);
	struct churn_proc *v;

	if (!start)
		return 0;
	v = this_proc();
	if (v) {
		ADD(v->reclaim, 1);
		ADD(v->reclaim_ns, bpf_ktime_get_ns() - *start);
	}
	bpf_map_delete_elem(&reclaim_start, &pid);
	return 0;
}
TWIN(reclaim_out, "mm_vmscan_direct_reclaim_end", on_reclaim_end())

/* A process seen before exec keeps the shell's name otherwise. */
static __always_inline int on_exec(void)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct churn_proc *v = bpf_map_lookup_elem(&procs, &tgid);

	if (v)
		leader_comm(v->comm);
	return 0;
}
TWIN(exec, "sched_process_exec", on_exec())

/* prctl(PR_SET_NAME) or a write to /proc/PID/comm (stress-ng's workers
 * name themselves after the fork that already put them in the table):
 * fires before the kernel copies the new name in, so take it from the
 * argument.  Only the main thread's name is the process's. */
static __always_inline int on_rename(struct task_struct *task, const char *comm)
{
	struct churn_proc *v;
	__u32 pid;

#ifdef STORMTOP_NO_CORE
	/* no task layout: only a thread renaming itself (prctl) is known;
	 * the table is keyed by tgid, so only a main thread finds its row */
	if (task != (struct task_struct *)bpf_get_current_task())
		return 0;
	pid = (__u32)bpf_get_current_pid_tgid();
#else
	pid = BPF_CORE_READ(task, pid);
	if (pid != BPF_CORE_READ(task, tgid))
		return 0;
#endif
	v = bpf_map_lookup_elem(&procs, &pid);
	if (v)
		bpf_probe_read_kernel_str(v->comm, sizeof(v->comm), comm);
	return 0;
}
TWIN(rename, "task_rename", on_rename(task, comm), struct task_struct *task, const char *comm)
