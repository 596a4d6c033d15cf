/* TLB shootdowns and call-function IPIs per CPU (bpf/tlb.bpf.c). */
#ifndef STORMTOP_TLB_H
#define STORMTOP_TLB_H

#include "bpf_load.h"
#include "frame.h"

struct tlb_coll;

/* NULL with -errno in *err when the object cannot load at all. */
struct tlb_coll *tlb_open(const struct bpf_setup *s, int *err);
/* Deltas since the last call into f's per-CPU TLB fields; sets the
 * signals it provides.  Allocates nothing. */
void tlb_sample(struct tlb_coll *t, struct frame *f);
const struct bpf_unit *tlb_unit(const struct tlb_coll *t);
void tlb_close(struct tlb_coll *t);

#endif
