/* SPDX-License-Identifier: GPL-2.0-only */
/* The replay drill's bookkeeping: transitions, dwell per state, flaps and
 * how long WATCH preceded STORM, fed one controlled frame at a time.  Pure,
 * so a test can drive it with synthetic frames. */
#ifndef STORMTOP_DRILL_H
#define STORMTOP_DRILL_H

#include <stddef.h>
#include <stdint.h>

#include "core/frame.h"

#define DRILL_MAX_TRANSITIONS 4096

struct drill_transition {
	int64_t wall_ns, mono_ns;
	uint8_t machine;           /* 0 TLB, 1 IOMMU */
	uint8_t from, to;
	char why[FRAME_REASON_LEN];
};

struct drill {
	double flap_s;
	size_t frames, mismatched;  /* ticks where the recording said otherwise */
	int64_t first_mismatch_ns;
	size_t recorded_transitions;
	size_t n;                  /* transitions kept (at most DRILL_MAX_TRANSITIONS) */
	size_t total;              /* transitions seen */
	struct drill_transition t[DRILL_MAX_TRANSITIONS];
	double dwell_s[2][TLB_REGIMES];
	size_t flaps;
	double lead_s[64];         /* WATCH -> STORM lead times */
	size_t nlead;
	int64_t watch_at;          /* mono time WATCH was last entered; 0 = not in it */
	uint8_t last_to[2], last_from[2];
	int64_t last_at[2];
};

void drill_init(struct drill *d, double flap_s);
/* One frame the controller has just run on; recorded is the frame's
 * regime as the file had it (NULL when the file has none). */
void drill_add(struct drill *d, const struct frame *f, const struct frame_regime *recorded);

#endif
