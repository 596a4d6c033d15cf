/* SPDX-License-Identifier: GPL-2.0 */
/* The system calls that change a process's mappings, by number, for the
 * programs on raw_syscalls:sys_enter (churn.bpf.c counts them, stacks.bpf.c
 * samples their call sites): the numbers of each architecture's
 * syscall table (arch/x86/entry/syscalls/syscall_64.tbl, and the generic
 * table arm64 uses). */
#ifndef STORMTOP_MM_SYSCALLS_BPF_H
#define STORMTOP_MM_SYSCALLS_BPF_H

#if defined(__TARGET_ARCH_x86)
#define NR_MMAP 9
#define NR_MPROTECT 10
#define NR_MUNMAP 11
#define NR_MREMAP 25
#define NR_MADVISE 28
#define NR_MM_FIRST 9
#elif defined(__TARGET_ARCH_arm64)
#define NR_MUNMAP 215
#define NR_MREMAP 216
#define NR_MMAP 222
#define NR_MPROTECT 226
#define NR_MADVISE 233
#define NR_MM_FIRST 215
#else
#error "system call numbers for this architecture are missing"
#endif

/* The mm calls as a bitmap over id - NR_MM_FIRST: a subtract, a compare
 * and a shift reject every other call (most of them) before anything
 * else runs; clang compiles a switch into a chain of compares. */
#define MM_BIT(nr) (1ULL << ((nr) - NR_MM_FIRST))
#define MM_SYSCALL_BITS (MM_BIT(NR_MMAP) | MM_BIT(NR_MUNMAP) | MM_BIT(NR_MPROTECT) | MM_BIT(NR_MADVISE) | \
			 MM_BIT(NR_MREMAP))

static __always_inline int is_mm_syscall(long id)
{
	__u64 d = (__u64)id - NR_MM_FIRST;

	return d < 64 && ((MM_SYSCALL_BITS >> d) & 1);
}

#endif
