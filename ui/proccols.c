// SPDX-License-Identifier: GPL-2.0-only
#include "ui/proccols.h"

#include <string.h>

/* Named for what each counts: a flush request is not an IPI (a
 * hypervisor absorbs the flushes for preempted vCPUs: 26 068 requests
 * went with 47 IPIs under stress-ng --tlb-shootdown), so the IPIs stand
 * next to the requests. */
static const char *const names[SORT_KEYS] = {
	[COL_SENT] = "FLUSHREQ/s", [COL_FANOUT] = "IPIS/s", [COL_PAGES] = "PAGES/s",
	[COL_MMAP] = "MMAP/s", [COL_MUNMAP] = "MUNMAP/s", [COL_MPROTECT] = "MPROT/s",
	[COL_MADVISE] = "MADV/s", [COL_FAULTS] = "FAULT/s", [COL_MIGRATED] = "MIGR/s",
	[COL_RECLAIM] = "RECL/s", [SORT_PID] = "PID", [SORT_COMM] = "COMM", [SORT_CPU] = "CPU",
};

/* One line each: what the column counts and where from (F1, the hint
 * under the table's header). */
static const char *const hints[SORT_KEYS] = {
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
	[SORT_PID] = "process id (tgid), largest first",
	[SORT_COMM] = "process name (comm), A to Z",
	[SORT_CPU] = "the CPU it last ran on (sched_switch), largest first",
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

const char *proc_col_hint(int c)
{
	return (unsigned)c < SORT_KEYS ? hints[c] : "";
}

const char *proc_col_name(int c)
{
	return (unsigned)c < SORT_KEYS ? names[c] : "?";
}

int proc_sort_step(int key, int dir)
{
	/* position on screen: the fixed columns first */
	int pos = key >= COL_COUNT ? key - COL_COUNT : key + (SORT_KEYS - COL_COUNT);

	pos = ((pos + dir) % SORT_KEYS + SORT_KEYS) % SORT_KEYS;
	return pos < SORT_KEYS - COL_COUNT ? COL_COUNT + pos : pos - (SORT_KEYS - COL_COUNT);
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

/* > 0 when a sorts before b by key alone (0: a tie). */
static int cmp(const struct frame_proc *a, const struct frame_proc *b, int key)
{
	uint64_t x, y;

	switch (key) {
	case SORT_COMM: return -strncmp(a->comm, b->comm, sizeof(a->comm));
	case SORT_PID: x = (uint32_t)a->tgid, y = (uint32_t)b->tgid; break;
	case SORT_CPU: x = a->on_cpu, y = b->on_cpu; break;
	default: x = proc_col_value(a, (enum proc_col)key), y = proc_col_value(b, (enum proc_col)key); break;
	}
	return (x > y) - (x < y);
}

static int before(const struct frame_proc *a, const struct frame_proc *b, int key, int invert)
{
	int c = cmp(a, b, key);

	return c ? (invert ? c < 0 : c > 0) : a->tgid < b->tgid;
}

uint32_t procs_sort(const struct frame *f, int key, int invert, uint8_t order[FRAME_TOP_PROCS])
{
	uint32_t n = f->procs.n < FRAME_TOP_PROCS ? f->procs.n : FRAME_TOP_PROCS;

	/* insertion sort: at most FRAME_TOP_PROCS rows */
	for (uint32_t i = 0; i < n; i++) {
		uint32_t j = i;

		while (j > 0 && before(&f->procs.top[i], &f->procs.top[order[j - 1]], key, invert)) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = (uint8_t)i;
	}
	return n;
}
