// SPDX-License-Identifier: GPL-2.0-only
#include "ui/proccols.h"

/* Named for what each counts: a flush request is not an IPI (a
 * hypervisor absorbs the flushes for preempted vCPUs: 26 068 requests
 * went with 47 IPIs under stress-ng --tlb-shootdown), so the IPIs stand
 * next to the requests. */
static const char *const names[COL_COUNT] = {
	[COL_SENT] = "FLUSHREQ/s", [COL_FANOUT] = "IPIS/s", [COL_PAGES] = "PAGES/s",
	[COL_MMAP] = "MMAP/s", [COL_MUNMAP] = "MUNMAP/s", [COL_MPROTECT] = "MPROT/s",
	[COL_MADVISE] = "MADV/s", [COL_FAULTS] = "FAULT/s", [COL_MIGRATED] = "MIGR/s",
	[COL_RECLAIM] = "RECL/s",
};

/* One line each: what the column counts and where from (F1, the hint
 * under the table's header). */
static const char *const hints[COL_COUNT] = {
	[COL_SENT] = "remote TLB flush requests /s (tlb_flush reason 4); not IPIs: see IPIS/s",
	[COL_FANOUT] = "TLB shootdown IPIs queued /s, one per target CPU (csd_queue_cpu)",
	[COL_PAGES] = "pages in its ranged remote flush requests /s",
	[COL_MMAP] = "mmap calls /s (raw_syscalls:sys_enter)",
	[COL_MUNMAP] = "munmap calls /s: each may flush other CPUs' TLBs",
	[COL_MPROTECT] = "mprotect calls /s: a permission cut flushes like an unmap",
	[COL_MADVISE] = "madvise calls /s (DONTNEED and FREE flush)",
	[COL_FAULTS] = "user page faults /s (exceptions:page_fault_user)",
	[COL_MIGRATED] = "pages migrated /s (migrate:mm_migrate_pages)",
	[COL_RECLAIM] = "direct-reclaim stalls /s: it waited for memory",
};

/* The eBPF signal behind each column. */
static const uint8_t signals[COL_COUNT] = {
	[COL_SENT] = SIG_SENDERS, [COL_FANOUT] = SIG_SENDERS, [COL_PAGES] = SIG_SENDERS,
	[COL_MMAP] = SIG_MAP_OPS, [COL_MUNMAP] = SIG_MAP_OPS, [COL_MPROTECT] = SIG_MAP_OPS,
	[COL_MADVISE] = SIG_MAP_OPS, [COL_FAULTS] = SIG_FAULTS, [COL_MIGRATED] = SIG_MIGRATE,
	[COL_RECLAIM] = SIG_RECLAIM,
};

int proc_col_present(const struct frame *f, enum proc_col c)
{
	/* the IPIs need csd_queue_cpu and flush_tlb_func's address, which the
	 * senders' signal can do without: a 0 there would be a false zero */
	if (c == COL_FANOUT && !frame_has(f, SIG_TLB_FANOUT))
		return 0;
	return (unsigned)c < COL_COUNT && frame_has(f, (enum signal)signals[c]);
}

const char *proc_col_hint(enum proc_col c)
{
	return (unsigned)c < COL_COUNT ? hints[c] : "";
}

const char *proc_col_name(enum proc_col c)
{
	return (unsigned)c < COL_COUNT ? names[c] : "?";
}

uint64_t proc_col_value(const struct frame_proc *p, enum proc_col c)
{
	switch (c) {
	case COL_SENT: return p->sent;
	case COL_FANOUT: return p->fanout;
	case COL_PAGES: return p->pages;
	case COL_MMAP: return p->ops[MAP_MMAP];
	case COL_MUNMAP: return p->ops[MAP_MUNMAP];
	case COL_MPROTECT: return p->ops[MAP_MPROTECT];
	case COL_MADVISE: return p->ops[MAP_MADVISE];
	case COL_FAULTS: return p->faults;
	case COL_MIGRATED: return p->migrated;
	case COL_RECLAIM: return p->reclaim;
	case COL_COUNT: break;
	}
	return 0;
}

static int before(const struct frame_proc *a, const struct frame_proc *b, enum proc_col c)
{
	uint64_t x = proc_col_value(a, c), y = proc_col_value(b, c);

	return x != y ? x > y : a->tgid < b->tgid;
}

uint32_t procs_sort(const struct frame *f, enum proc_col c, uint8_t order[FRAME_TOP_PROCS])
{
	uint32_t n = f->procs.n < FRAME_TOP_PROCS ? f->procs.n : FRAME_TOP_PROCS;

	/* insertion sort: at most FRAME_TOP_PROCS rows */
	for (uint32_t i = 0; i < n; i++) {
		uint32_t j = i;

		while (j > 0 && before(&f->procs.top[i], &f->procs.top[order[j - 1]], c)) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = (uint8_t)i;
	}
	return n;
}
