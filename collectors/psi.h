/* SPDX-License-Identifier: GPL-2.0-only */
/* /proc/pressure/{cpu,memory}: pressure stall information. */
#ifndef STORMTOP_PSI_H
#define STORMTOP_PSI_H

#include <stddef.h>
#include <stdint.h>

struct psi_reading {
	float some_avg10, full_avg10;
	uint64_t some_total_us, full_total_us;
	int has_full;
};

/* text must be NUL-terminated at len.  Returns 0, or -1 with a reason. */
int psi_parse(const char *text, size_t len, struct psi_reading *r, char *err, size_t errlen);

#endif
