// SPDX-License-Identifier: GPL-2.0-only
#include "core/sigwhy.h"

#include <stdio.h>
#include <string.h>

#include "util/strlist.h"

/* The tracepoints signal s is made of, comma-separated ("" for the perf
 * and application signals). */
static const char *signal_tracepoints(enum signal s)
{
	switch (s) {
	case SIG_TLB_FLUSH: return "tlb_flush";
	case SIG_TLB_FANOUT: return "csd_queue_cpu";
	case SIG_TLB_RX: return "csd_function_entry,csd_function_exit";
	case SIG_CALLFN: return "call_function_entry,call_function_exit";
	case SIG_IOMMU_MAP: return "map,unmap";
	case SIG_IOTLB_INVAL: return "qi_submit,cache_tag_flush_all,cache_tag_flush_range,cache_tag_flush_range_np";
	case SIG_RUNQ: return "sched_switch,sched_wakeup,sched_wakeup_new";
	case SIG_SENDERS: return "tlb_flush";
	case SIG_MAP_OPS: return "sys_enter";
	case SIG_FAULTS: return "page_fault_user";
	case SIG_MIGRATE: return "mm_migrate_pages";
	case SIG_COMPACT: return "mm_compaction_begin";
	case SIG_RECLAIM: return "mm_vmscan_direct_reclaim_begin,mm_vmscan_direct_reclaim_end";
	default: return "";
	}
}

/* The kernel symbol a signal needs besides its tracepoints: fan-out and
 * received IPIs are told apart from other cross-CPU calls by
 * flush_tlb_func's address, and a status group saying it is unknown
 * begins with the symbol's name ("flush_tlb_func address hidden: ..."). */
static const char *signal_symbol(enum signal s)
{
	return s == SIG_TLB_FANOUT || s == SIG_TLB_RX ? "flush_tlb_func " : NULL;
}

/* 1 when the group "<label>: a,b (detail)" of [g, end) names one of tps. */
static int names_any(const char *g, const char *end, const char *tps)
{
	const char *p = strstr(g, ": ");
	char name[64];

	if (!p || p >= end)
		return 0;
	for (p += 2; p < end && *p != ' ';) {
		size_t n = strcspn(p, ", ;");

		if (p + n > end)
			n = (size_t)(end - p);
		snprintf(name, sizeof(name), "%.*s", (int)n, p);
		if (list_has(tps, name))
			return 1;
		p += n;
		if (p < end && *p == ',')
			p++;
	}
	return 0;
}

const char *signal_why(const struct frame *f, enum signal s, char *buf, size_t len)
{
	enum source src = s == SIG_PERF_SW || s == SIG_PERF_TLB ? SRC_PERF : SIG_APP_LAT <= s ? SRC_APP : SRC_BPF;
	const struct source_status *st = &f->status[src];
	const char *tps = signal_tracepoints(s), *sym = signal_symbol(s), *g = st->reason;
	size_t at = 0;

	if (frame_has(f, s))
		return NULL;
	buf[0] = '\0';
	while (tps[0] && (st->state == SOURCE_OK || st->state == SOURCE_PARTIAL) && g && *g) {
		const char *end = strstr(g, "; ");

		if (!end)
			end = g + strlen(g);
		if ((names_any(g, end, tps) || (sym && !strncmp(g, sym, strlen(sym)))) && at < len)
			at += (size_t)snprintf(buf + at, len - at, "%s%.*s", at ? "; " : "", (int)(end - g), g);
		g = *end ? end + 2 : NULL;
	}
	if (!buf[0])
		snprintf(buf, len, "%s", st->reason[0] ? st->reason : "no data from its source");
	return buf;
}
