// SPDX-License-Identifier: GPL-2.0-only
#include "collectors/vmstat.h"

#include <stdlib.h>
#include <string.h>

static int lookup(const char *name, size_t n)
{
	for (int i = 0; i < VM_STAT_MAX; i++) {
		const char *m = vm_stat_name((enum vm_stat)i);
		size_t ml = strlen(m);
		int family = m[ml - 1] == '_'; /* pgdemote_kswapd + pgdemote_direct + ... */

		if ((family ? n > ml : n == ml) && memcmp(name, m, ml) == 0)
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
