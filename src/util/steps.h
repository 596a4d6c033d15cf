/* SPDX-License-Identifier: GPL-2.0-only */
/* Stepping a setting through a list of the values people actually pick
 * (the lists themselves live with the settings: core/config.c).  Not the
 * regime ladder (stages/regime.h), which climbs levels on its inputs. */
#ifndef STORMTOP_STEPS_H
#define STORMTOP_STEPS_H

/* The next value of steps (ascending, n of them) above cur, or below it
 * when !up; cur itself at either end.  A cur between two steps moves to
 * the nearer one in that direction. */
static inline double steps_next(double cur, int up, const double *steps, int n)
{
	if (up) {
		for (int i = 0; i < n; i++)
			if (steps[i] > cur * (1 + 1e-9))
				return steps[i];
		return cur;
	}
	for (int i = n - 1; i >= 0; i--)
		if (steps[i] < cur * (1 - 1e-9))
			return steps[i];
	return cur;
}

#endif
