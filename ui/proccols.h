/* SPDX-License-Identifier: GPL-2.0-only */
/* The top-churn table's columns and its sort: pure (no curses) so it can
 * be tested. */
#ifndef STORMTOP_PROCCOLS_H
#define STORMTOP_PROCCOLS_H

#include <stdint.h>

#include "core/frame.h"

enum proc_col {
	COL_SENT,      /* FLUSHREQ/s: remote TLB flush requests (tlb_flush reason 4) */
	COL_FANOUT,    /* IPIS/s: TLB IPIs queued (csd_queue_cpu of flush_tlb_func) */
	COL_PAGES,
	COL_MMAP,
	COL_MUNMAP,
	COL_MPROTECT,
	COL_MADVISE,
	COL_FAULTS,
	COL_MIGRATED,
	COL_RECLAIM,
	COL_COUNT
};

/* What the table sorts by: a counted column (enum proc_col), or one of
 * the fixed columns drawn left of them.  Rates and numbers sort largest
 * first, the name A to Z; ties by the lower pid. */
enum proc_sort {
	SORT_PID = COL_COUNT, /* PID: the process id (tgid) */
	SORT_COMM,            /* COMM: its name, byte order */
	SORT_CPU,             /* CPU: the CPU it was last seen on ("-" unknown: last) */
	SORT_KEYS
};

/* The header, e.g. "FLUSHREQ/s" (c: a column or an enum proc_sort); "?"
 * out of range. */
const char *proc_col_name(int c);
/* One line: what column or key c counts, its unit and its source. */
const char *proc_col_hint(int c);
/* The sort key dir steps (+1 / -1) from key, in the header's order left to
 * right (PID, COMM, CPU, then the counted columns), wrapping around. */
int proc_sort_step(int key, int dir);
/* Whether the frame has column c's signal (without it the column is "-"). */
int proc_col_present(const struct frame *f, enum proc_col c);
uint64_t proc_col_value(const struct frame_proc *p, enum proc_col c);
/* Fills order with indexes into f->procs.top by key (a column or an enum
 * proc_key): numbers largest first, COMM A to Z, the other way round when
 * invert (htop's I); ties always by the lower pid first.  Returns
 * f->procs.n (at most FRAME_TOP_PROCS). */
uint32_t procs_sort(const struct frame *f, int key, int invert, uint8_t order[FRAME_TOP_PROCS]);

#endif
