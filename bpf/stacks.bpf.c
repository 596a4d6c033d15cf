// SPDX-License-Identifier: GPL-2.0
/* Where one process's shootdowns come from (collectors/stacks.c): for the
 * target's remote-flush requests (tlb_flush reason TLB_REMOTE_SEND_IPI,
 * in the initiator's context) the kernel and user stacks, for its mmap,
 * munmap, mprotect, madvise and mremap calls the user stack and the
 * return address on top of the user stack (the libc wrapper's caller),
 * and for the flushes' IPIs (csd_queue_cpu of flush_tlb_func) a count
 * against the flush they belong to.  A flush inside one of those calls
 * is charged to the call's user site with its own kernel stack.
 *
 * Cost: every program compares the current tgid with the target before
 * anything else, so the host's other events pay one helper call and a
 * compare.  The target's events are sampled: one in `period` on average,
 * from a per-CPU countdown reloaded at random (no aliasing with a
 * periodic workload, no shared atomic per event).  All maps are bounded;
 * what does not fit is counted per CPU and dropped. */
#include "twin.bpf.h"
#include "stacks_shared.h"
#include "tlb_shared.h"

char LICENSE[] SEC("license") = "GPL";

const volatile __u64 flush_tlb_func_addr;
const volatile __u32 period = STACKS_PERIOD;
/* Written by user space through the mmapped .bss: 0 = nobody. */
volatile __u32 target_tgid;

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, STACKS_MAX_STACKS);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, STACKS_DEPTH * sizeof(__u64));
} stack_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, STACKS_MAX_SITES);
	__type(key, struct stacks_key);
	__type(value, struct stacks_count);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct stacks_cpu);
} cpu_state SEC(".maps");

#include "mm_syscalls.bpf.h"

#define ADD(field, n) __sync_fetch_and_add(&(field), (n))

/* The only test every event pays: is it the target's? */
static __always_inline int targeted(void)
{
	__u32 t = target_tgid;

	return t && (__u32)(bpf_get_current_pid_tgid() >> 32) == t;
}

static __always_inline struct stacks_cpu *this_cpu(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&cpu_state, &zero);
}

/* One event in `period` on average: a per-CPU countdown, reloaded with a
 * uniform draw from 1 .. 2*period-1 (mean period). */
static __always_inline int sample_now(struct stacks_cpu *c)
{
	__u32 p = period;

	if (--c->left > 0)
		return 0;
	c->left = p <= 1 ? 1 : 1 + (__s64)(bpf_get_prandom_u32() % (2 * p - 1));
	return 1;
}

static __always_inline __s32 stack_id(void *ctx, struct stacks_cpu *c, __u64 flags)
{
	long id = bpf_get_stackid(ctx, &stack_map, flags);

	if (id < 0) {
		c->lost_stacks++;
		return -1;
	}
	return (__s32)id;
}

/* Adds one sampled event to the site; a full map drops it. */
static __always_inline void count(struct stacks_cpu *c, struct stacks_key *k)
{
	struct stacks_count *v = bpf_map_lookup_elem(&counts, k);
	struct stacks_count fresh = { .events = 1 };

	if (v) {
		ADD(v->events, 1);
		return;
	}
	if (bpf_map_update_elem(&counts, k, &fresh, BPF_NOEXIST) == 0)
		return;
	v = bpf_map_lookup_elem(&counts, k); /* another CPU inserted it first */
	if (v)
		ADD(v->events, 1);
	else
		c->lost_sites++;
}

static __always_inline int kind_of(long id)
{
	switch (id) {
	case NR_MMAP: return STACKS_MMAP;
	case NR_MUNMAP: return STACKS_MUNMAP;
	case NR_MPROTECT: return STACKS_MPROTECT;
	case NR_MADVISE: return STACKS_MADVISE;
	case NR_MREMAP: return STACKS_MREMAP;
	default: return -1;
	}
}

/* At entry the wrapper has pushed nothing: the 8 bytes at the user stack
 * pointer are the return address into its caller. */
static __always_inline __u64 wrapper_caller(struct pt_regs *regs)
{
	__u64 sp = PT_REGS_SP_CORE(regs), ret = 0;

	if (bpf_probe_read_user(&ret, sizeof(ret), (void *)sp) < 0)
		return 0;
	return ret;
}

static __always_inline int on_enter(void *ctx, struct pt_regs *regs, long id)
{
	struct stacks_key k = { .kstack = -1 };
	struct stacks_cpu *c;
	int kind;

	if (!is_mm_syscall(id) || !targeted())
		return 0;
	kind = kind_of(id);
	if (kind < 0 || !(c = this_cpu()) || !sample_now(c))
		return 0;
	k.kind = (__u32)kind;
	k.ustack = stack_id(ctx, c, BPF_F_USER_STACK);
	k.caller = wrapper_caller(regs);
	count(c, &k);
	return 0;
}
TWIN(enter, "sys_enter", on_enter(ctx, regs, id), struct pt_regs *regs, long id)

/* The mm system call the current task is inside, from the registers its
 * entry saved (the same ones sys_enter saw), or -1: not in a system
 * call (a fault, whose error code sits where the number would: x86 tells
 * them apart by ax, which syscall entry sets to -ENOSYS), or in another. */
static __always_inline int call_kind(struct pt_regs *user)
{
#if defined(__TARGET_ARCH_x86)
	if ((long)BPF_CORE_READ(user, ax) != -38 /* -ENOSYS */)
		return -1;
	return kind_of((long)BPF_CORE_READ(user, orig_ax));
#else
	return kind_of((long)BPF_CORE_READ(user, syscallno));
#endif
}

/* A flush inside an mm call is charged to the call's user site (its user
 * stack and the wrapper's caller, read again from the saved registers);
 * any other with its own user stack and no caller. */
static __always_inline int on_flush(void *ctx, int reason)
{
	struct stacks_key k = { .kind = STACKS_FLUSH };
	struct pt_regs *user;
	struct stacks_cpu *c;

	if (reason != TLB_REASON_SEND || !targeted() || !(c = this_cpu()))
		return 0;
	c->flush_on = 0;
	if (!sample_now(c))
		return 0;
	user = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
	if (call_kind(user) >= 0)
		k.caller = wrapper_caller(user);
	k.ustack = stack_id(ctx, c, BPF_F_USER_STACK);
	k.kstack = stack_id(ctx, c, 0);
	count(c, &k);
	c->flush = k;
	c->flush_on = 1;
	return 0;
}
TWIN(flush, "tlb_flush", on_flush(ctx, reason), int reason, unsigned long pages)

/* The IPIs follow their flush on the same CPU with preemption off
 * (flush_tlb_mm_range holds get_cpu()), so the CPU's latest sampled
 * flush is theirs. */
static __always_inline int on_queue(void *func)
{
	struct stacks_cpu *c = this_cpu();
	struct stacks_count *v;
	__u64 f1;

	if (!c)
		return 0;
	f1 = c->tlb_func1;
	if (!f1)
		c->tlb_func1 = f1 = flush_tlb_func_addr + 1;
	if (f1 == 1 || (__u64)func + 1 != f1 || !targeted() || !c->flush_on)
		return 0;
	v = bpf_map_lookup_elem(&counts, &c->flush);
	if (v)
		ADD(v->ipis, 1);
	return 0;
}
RAW_ONLY(fanout, "csd_queue_cpu", on_queue(func), unsigned int cpu, unsigned long callsite,
	 void *func, void *csd)
