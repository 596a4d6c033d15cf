// SPDX-License-Identifier: GPL-2.0-only
/* TEMPORARY, sitesview branch only: delete this file when the stacksbpf
 * branch (which defines sampler_stacks in collectors/sampler.c) is
 * merged.  A weak stand-in so `stormtop stacks` and the where view link
 * and say plainly that the stack sampler is not there; the real
 * definition overrides it at link time. */
#include "collectors/sampler.h"

#include <stdio.h>

__attribute__((weak)) int sampler_stacks(struct sampler *s, int32_t tgid, char *why, size_t len)
{
	(void)s;
	if (!tgid)
		return 0;
	snprintf(why, len, "the stack sampler is not built in (stacksbpf not merged)");
	return -1;
}
