#include "vmstat.h"

#include <stdlib.h>
#include <string.h>

/* Names matched exactly; a trailing '_' entry sums every counter with
 * that prefix (pgdemote_kswapd + pgdemote_direct + ...). */
static const char *const match[VM_STAT_MAX] = {
	[VM_TLB_REMOTE_FLUSH] = "nr_tlb_remote_flush",
	[VM_TLB_REMOTE_FLUSH_RECEIVED] = "nr_tlb_remote_flush_received",
	[VM_TLB_LOCAL_FLUSH_ALL] = "nr_tlb_local_flush_all",
	[VM_TLB_LOCAL_FLUSH_ONE] = "nr_tlb_local_flush_one",
	[VM_NUMA_PAGES_MIGRATED] = "numa_pages_migrated",
	[VM_PGMIGRATE_SUCCESS] = "pgmigrate_success",
	[VM_THP_SPLIT_PAGE] = "thp_split_page",
	[VM_THP_COLLAPSE_ALLOC] = "thp_collapse_alloc",
	[VM_COMPACT_STALL] = "compact_stall",
	[VM_PGSTEAL_KSWAPD] = "pgsteal_kswapd",
	[VM_PGSTEAL_DIRECT] = "pgsteal_direct",
	[VM_PGDEMOTE] = "pgdemote_",
	[VM_PGPROMOTE] = "pgpromote_success",
	[VM_PGFAULT] = "pgfault",
	[VM_PGMAJFAULT] = "pgmajfault",
};

static int lookup(const char *name, size_t n)
{
	for (int i = 0; i < VM_STAT_MAX; i++) {
		size_t ml = strlen(match[i]);

		if (match[i][ml - 1] == '_' ? (n > ml && memcmp(name, match[i], ml) == 0)
					    : (n == ml && memcmp(name, match[i], ml) == 0))
			return i;
	}
	return -1;
}

uint32_t vmstat_parse(const char *text, size_t len, uint64_t *vals)
{
	const char *p = text, *end = text + len;
	uint32_t present = 0;

	memset(vals, 0, sizeof(uint64_t) * VM_STAT_MAX);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *sp = memchr(p, ' ', (size_t)(le - p));
		int i = sp ? lookup(p, (size_t)(sp - p)) : -1;

		if (i >= 0 && sp + 1 < le && sp[1] >= '0' && sp[1] <= '9') {
			vals[i] += strtoull(sp + 1, NULL, 10);
			present |= 1u << i;
		}
		p = nl ? nl + 1 : end;
	}
	return present;
}
