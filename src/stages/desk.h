/* SPDX-License-Identifier: GPL-2.0-only */
/* The seeds' desk metrics as pure functions over a window of per-tick
 * figures; docs/REGIME.md gives each one's formula, units and window.
 * NAN means "not measurable here" (no such source, or too few ticks). */
#ifndef STORMTOP_DESK_H
#define STORMTOP_DESK_H

#include <stddef.h>
#include <stdint.h>

/* SBI, shootdown burst index, per minute.  rate[i] is the TLB IPI rate
 * (per core per second) over a tick of dt[i] seconds.  A burst is a run of
 * ticks at or above crit; each burst b weighs
 *     log2(1 + mean_rate_b / crit) * (1 + ln(1 + length_b_s))
 * so intensity and length count, each with diminishing returns, and every
 * separate burst counts again (frequency).  SBI is the sum over the window
 * per minute of window (window_s, or the ticks' span if longer): 0 without
 * bursts. */
double desk_sbi(const double *rate, const double *dt, size_t n, double crit, double window_s);

/* Seconds until desk_sbi() of the same window falls under below if no
 * tick from now on bursts: the window's oldest ticks leave it one by one
 * (the newest at dt[n-1] is now).  0 when it is under already; window_s
 * at most (the last burst gone).  O(n) per tick inside a burst, O(1) per
 * quiet tick, so O(n^2) at worst: call it only when the SBI is what holds
 * a level. */
double desk_sbi_fall_s(const double *rate, const double *dt, size_t n, double crit, double window_s,
		       double below);

/* Coefficient of variation (stddev / mean) of the numbers in x, NANs
 * skipped: DJS over per-tick DMA flush rates, PSO over per-tick dispatch
 * rates.  NAN with fewer than 3 numbers or a zero mean. */
double desk_cv(const double *x, size_t n);

/* CBR, catch-up burst ratio: the share of dispatches that ran late (at or
 * above the lateness threshold); NAN without dispatches. */
double desk_cbr(uint64_t late, uint64_t dispatches);

#endif
