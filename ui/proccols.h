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

/* The header, e.g. "FLUSHREQ/s"; "?" out of range. */
const char *proc_col_name(enum proc_col c);
/* One line: what column c counts, its unit and its source. */
const char *proc_col_hint(enum proc_col c);
/* Whether the frame has column c's signal (without it the column is "-"). */
int proc_col_present(const struct frame *f, enum proc_col c);
uint64_t proc_col_value(const struct frame_proc *p, enum proc_col c);
/* Fills order with indexes into f->procs.top, largest value of column c
 * first (ties: lower pid first).  Returns f->procs.n. */
uint32_t procs_sort(const struct frame *f, enum proc_col c, uint8_t order[FRAME_TOP_PROCS]);

#endif
