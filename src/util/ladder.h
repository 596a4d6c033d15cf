/* SPDX-License-Identifier: GPL-2.0-only */
/* Stepping a setting through the values people actually pick. */
#ifndef STORMTOP_LADDER_H
#define STORMTOP_LADDER_H

/* The next value of ladder (ascending) above cur, or below it when !up;
 * cur itself at either end. */
static inline double ladder_step(double cur, int up, const double *ladder, int n)
{
	if (up) {
		for (int i = 0; i < n; i++)
			if (ladder[i] > cur * (1 + 1e-9))
				return ladder[i];
		return cur;
	}
	for (int i = n - 1; i >= 0; i--)
		if (ladder[i] < cur * (1 - 1e-9))
			return ladder[i];
	return cur;
}

#endif
