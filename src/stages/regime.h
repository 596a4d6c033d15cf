/* SPDX-License-Identifier: GPL-2.0-only */
/* A regime ladder: one state machine with levels 0..3, entered upward one
 * level at a time and left downward after a cooldown, with hysteresis
 * (entry and exit thresholds) and a minimum dwell.  Pure: the caller
 * gives the inputs and the time; the TLB and IOMMU machines are two
 * ladders with different rules (src/stages/controller.c). */
#ifndef STORMTOP_REGIME_H
#define STORMTOP_REGIME_H

#include <stddef.h>
#include <stdint.h>

#define LADDER_LEVELS 4
#define LADDER_RULES 4

/* Input x enters a level when x >= on and keeps it while x >= off
 * (off <= on: the hysteresis).  on = INFINITY: holds, never enters.
 * A gated rule counts only while input gate - 1 is at least gate_min:
 * latency widening qualifies the pressure a level is about, it never
 * enters or keeps one alone (docs/REGIME.md). */
struct rule {
	int input;             /* index into the caller's inputs */
	double on, off;
	int gate;              /* 0: none; else the gating input + 1 */
	double gate_min;
};

struct level_rules {
	struct rule rule[LADDER_RULES];
	int n;                 /* any rule entering enters (OR) */
	double after_s;        /* and the level below must have lasted this long */
};

struct ladder_cfg {
	struct level_rules level[LADDER_LEVELS]; /* [0] unused: the floor */
	double min_dwell_s;    /* no transition sooner after the last */
	double cooldown_s;     /* inputs below exit thresholds this long to step down */
	const char *const *level_names;
	const char *const *input_names;
};

struct ladder {
	int level;
	int64_t since_ns;      /* when the current level was entered */
	int64_t calm_ns;       /* since when nothing holds it; 0 = not calm */
};

void ladder_init(struct ladder *l, int64_t now_ns);
/* One tick of the regime ladder: climbs or descends a level on its inputs
 * (not a setting stepped through a list: util/steps.h).  Returns the
 * level before it; on a transition why says which inputs crossed which
 * thresholds. */
int ladder_tick(struct ladder *l, const struct ladder_cfg *c, const double *in, int64_t now_ns,
		char *why, size_t len);
/* What keeps the current level now: a mask of the inputs whose hold rules
 * are met (bit i: input i), each one's hold threshold in thr[input]
 * (thr has one slot per input).  0 at the floor, or while the cooldown
 * runs. */
unsigned int ladder_holding(const struct ladder *l, const struct ladder_cfg *c, const double *in,
			    double *thr);
/* Seconds before the ladder may step down if nothing held it from now
 * on: the dwell left and the cooldown (or what is left of a running
 * one), whichever is longer. */
double ladder_wait_s(const struct ladder *l, const struct ladder_cfg *c, int64_t now_ns);

#endif
