// SPDX-License-Identifier: GPL-2.0
/* flush_tlb_func's address without /proc/kallsyms.
 *
 * /proc/kallsyms shows addresses only to CAP_SYSLOG.  A BTF-typed ksym is
 * resolved by the kernel itself when the verifier loads the program
 * (ld_imm64 to a BTF function, Linux 6.4 and later), which needs only the
 * CAP_BPF and CAP_PERFMON that loading tracing programs needs anyway.
 * collectors/kallsyms.c runs this once with BPF_PROG_TEST_RUN and reads
 * the address back from .bss. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

/* The csd function that runs a TLB shootdown on the receiving CPU (x86);
 * weak: 0 where the kernel has none. */
extern void flush_tlb_func(void *info) __ksym __weak;

__u64 flush_tlb_func_addr;

SEC("raw_tp")
int find(void *ctx)
{
	flush_tlb_func_addr = (__u64)&flush_tlb_func;
	return 0;
}
