/* SPDX-License-Identifier: GPL-2.0-only */
/* Run-queue delay per CPU: quantiles per tick (bpf/rqlat.bpf.c). */
#ifndef STORMTOP_RQLAT_H
#define STORMTOP_RQLAT_H

#include "collectors/bpf_load.h"
#include "core/frame.h"

struct rqlat_coll;

/* With kernel BTF, bpf/rqlat.bpf.c: tp_btf programs, or (--raw-tp, or BTF
 * without the tracepoints) the raw_tp twins; without,
 * bpf/rqlat_tp.bpf.c: classic tracepoints read at the record offsets in
 * tracefs.  NULL only without memory; *err < 0 when nothing loaded, and
 * the unit's hooks then say why. */
struct rqlat_coll *rqlat_open(const struct bpf_setup *s, int *err);
/* Per CPU: delays counted, their p50/p95/p99/p99.9/max this tick and
 * their histogram folded to octaves (rq_oct), all from one read of the
 * CPU's slots; f->sys.rq_hist gets every CPU's histogram summed. */
void rqlat_sample(struct rqlat_coll *t, struct frame *f);
const struct bpf_unit *rqlat_unit(const struct rqlat_coll *t);
void rqlat_close(struct rqlat_coll *t);

#endif
