/* SPDX-License-Identifier: GPL-2.0-only */
/* Shared by every stormtop BPF program.
 *
 * Each hook is written once and compiled twice: a tp_btf program (typed
 * arguments, cheapest) and a raw_tp twin for kernels whose BTF lacks the
 * tracepoint's type.  The loader keeps exactly one of each pair. */
#ifndef STORMTOP_TWIN_BPF_H
#define STORMTOP_TWIN_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

/* TWIN(name, "tracepoint", handler call, typed params...) defines the
 * programs name_btf and name_raw.  Built with STORMTOP_NO_CORE (the
 * x_nocore objects, for kernels without BTF): the raw_tp twin alone, and
 * the object must hold no CO-RE relocation, since libbpf refuses an
 * object with any when the kernel has no BTF. */
#ifdef STORMTOP_NO_CORE
#define TWIN(name, tp, call, ...) RAW_ONLY(name, tp, call, ##__VA_ARGS__)
#else
#define TWIN(name, tp, call, ...)                                          \
	SEC("tp_btf/" tp) int BPF_PROG(name##_btf, ##__VA_ARGS__)          \
	{                                                                  \
		return call;                                               \
	}                                                                  \
	SEC("raw_tp/" tp) int BPF_PROG(name##_raw, ##__VA_ARGS__)          \
	{                                                                  \
		return call;                                               \
	}
#endif

/* For tracepoints whose arguments tp_btf cannot read (function pointers:
 * "arg type FUNC_PROTO is not a struct"): raw_tp only. */
#define RAW_ONLY(name, tp, call, ...)                                      \
	SEC("raw_tp/" tp) int BPF_PROG(name##_raw, ##__VA_ARGS__)          \
	{                                                                  \
		return call;                                               \
	}

/* A per-CPU bank: one 64-byte aligned slot per possible CPU in an
 * mmapable array, so user space reads every CPU with no system call.  Only
 * the owning CPU writes its slot. */
#define BANK_MAP(name, slot)                                               \
	struct {                                                           \
		__uint(type, BPF_MAP_TYPE_ARRAY);                          \
		__uint(map_flags, BPF_F_MMAPABLE);                         \
		__uint(max_entries, 1); /* set to the CPU count at load */ \
		__type(key, __u32);                                        \
		__type(value, slot);                                       \
	} name SEC(".maps")

static __always_inline void *this_bank(void *map)
{
	__u32 cpu = bpf_get_smp_processor_id();

	return bpf_map_lookup_elem(map, &cpu);
}

/* arr[idx] += n for an array inside a map value; an index out of range
 * (a negative one too) adds nothing.  Every indexed map-value access goes
 * through here.  Why: given a 32-bit index, clang zero-extends one copy
 * to compare and another to index, and the 6.1 verifier never learns that
 * the second is bounded ("R2 unbounded memory access"); it may also
 * compute the address before the compare.  Here the index is one 64-bit
 * register made opaque by barrier_var, compared, then made opaque again
 * inside the branch, so the address is computed after the compare and
 * from the very register it bounded.  add(lvalue, n) does the adding:
 * PLAIN_ADD, or an atomic one. */
#define PLAIN_ADD(lv, n) ((lv) += (n))
#define SLOT_ADD_WITH(arr, idx, n, add)                                    \
	do {                                                               \
		__u64 __slot = (__u64)(idx);                               \
		barrier_var(__slot);                                       \
		if (__slot < sizeof(arr) / sizeof((arr)[0])) {             \
			barrier_var(__slot);                               \
			add((arr)[__slot], (n));                           \
		}                                                          \
	} while (0)
#define SLOT_ADD(arr, idx, n) SLOT_ADD_WITH(arr, idx, n, PLAIN_ADD)

#endif
