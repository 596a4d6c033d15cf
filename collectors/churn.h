/* SPDX-License-Identifier: GPL-2.0-only */
/* Per-process churn: who sends TLB shootdowns, who maps and unmaps
 * (bpf/churn.bpf.c).  Ranks processes by this tick's deltas. */
#ifndef STORMTOP_CHURN_H
#define STORMTOP_CHURN_H

#include "collectors/bpf_load.h"
#include "core/frame.h"

struct churn_coll;

struct churn_coll *churn_open(const struct bpf_setup *s, int *err);
/* Fills f->procs with the top churners of this tick and f->sys.self_sent
 * with stormtop's own sends.  Allocates nothing. */
void churn_sample(struct churn_coll *t, struct frame *f);
const struct bpf_unit *churn_unit(const struct churn_coll *t);
void churn_close(struct churn_coll *t);

#endif
