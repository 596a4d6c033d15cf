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
#elif defined(__TARGET_ARCH_arm64)
#define NR_MUNMAP 215
#define NR_MREMAP 216
#define NR_MMAP 222
#define NR_MPROTECT 226
#define NR_MADVISE 233
#else
#error "system call numbers for this architecture are missing"
#endif

#endif
