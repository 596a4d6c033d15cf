/* SPDX-License-Identifier: GPL-2.0-only */
/* TLB shootdowns and call-function IPIs per CPU (bpf/tlb.bpf.c). */
#ifndef STORMTOP_TLB_H
#define STORMTOP_TLB_H

#include "collectors/bpf_load.h"
#include "core/frame.h"

struct tlb_coll;

/* NULL with -errno in *err when the object cannot load at all. */
struct tlb_coll *tlb_open(const struct bpf_setup *s, int *err);
/* Deltas since the last call into f's per-CPU TLB fields; sets the
 * signals it provides.  Allocates nothing. */
void tlb_sample(struct tlb_coll *t, struct frame *f);
const struct bpf_unit *tlb_unit(const struct tlb_coll *t);
/* What the TLB counts lack on this host, for the bpf status: the csd
 * tracepoints (csd:csd_queue_cpu, csd_function_entry/exit; Linux 6.5+)
 * give the IPIs each CPU sends, the csd count of those received and the
 * handler time; without them the received count is /proc/interrupts'
 * alone.  why_addr says why flush_tlb_func's address is unknown ("" when
 * known).  Writes at most len bytes at buf (nothing when nothing is
 * missing) and returns the length written; *covers_csd is set when the
 * text already explains missing csd_* tracepoints. */
size_t tlb_missing(const struct tlb_coll *t, const char *why_addr, char *buf, size_t len,
		   int *covers_csd);
/* The same from the csd_function_entry hook's state alone (tests). */
size_t tlb_csd_note(enum hook_state csd, const char *why_addr, char *buf, size_t len, int *covers_csd);
void tlb_close(struct tlb_coll *t);

#endif
