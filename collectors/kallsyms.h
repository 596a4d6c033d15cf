/* SPDX-License-Identifier: GPL-2.0-only */
/* Kernel symbol addresses, looked up once at start. */
#ifndef STORMTOP_KALLSYMS_H
#define STORMTOP_KALLSYMS_H

#include <stddef.h>
#include <stdint.h>

/* One line of the kallsyms format, "ADDR TYPE NAME" with "\t[MODULE]"
 * after the name for a module's symbol.  name and mod point into the
 * line (not terminated: their lengths say where they end); mod is NULL
 * for the kernel's own symbols.  addr is 0 where the kernel hides it. */
struct kallsyms_line {
	uint64_t addr;
	char type;                 /* nm's letter: t/T text, w/W weak, d/D data... */
	const char *name, *mod;
	size_t name_len, mod_len;
};

/* Splits one line (from getline: any length) into *out; 1, or 0 for a
 * line that is not a symbol's. */
int kallsyms_parse(const char *line, struct kallsyms_line *out);

/* The address of text symbol name in path (/proc/kallsyms format), or 0
 * when it is absent or hidden; *listed (may be NULL) is set when the name
 * is there at all, so a 0 with *listed means hidden (the kernel shows
 * zeros without CAP_SYSLOG, see kallsyms_hidden_why). */
uint64_t kallsyms_addr(const char *path, const char *name, int *listed);

/* flush_tlb_func's address: first from the kernel's own resolution of a
 * BTF ksym for a BPF program (bpf/ksym.bpf.c; Linux 6.4+ with BTF, needs
 * CAP_BPF and CAP_PERFMON), then from the kallsyms file (root, or
 * CAP_SYSLOG).  0 when neither works, with why saying which privilege or
 * kernel feature was missing ("flush_tlb_func address hidden: needs
 * CAP_SYSLOG (no kernel BTF to resolve it)"); every kernel with the csd
 * tracepoints (6.5+) has the BTF way. */
uint64_t flush_tlb_func_addr(const char *kallsyms, char *why, size_t len);

/* Why a listed symbol shows address 0, from the value of
 * kernel.kptr_restrict (-1: unknown): 2 hides it from everyone, 0 and 1
 * show it to CAP_SYSLOG. */
void kallsyms_hidden_why(const char *name, int kptr_restrict, char *why, size_t len);

#endif
