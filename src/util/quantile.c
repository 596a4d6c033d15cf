// SPDX-License-Identifier: GPL-2.0-only
#include "util/quantile.h"

#include <math.h>

uint64_t quantile_rank(uint64_t n, double q)
{
	double x, whole;

	if (n == 0)
		return 0;
	if (!(q > 0))		/* also NAN */
		return 1;
	if (q >= 1)
		return n;
	x = q * (double)n;
	whole = nearbyint(x);
	/* q and n are exact; q * n is off by at most an ulp or two of x */
	if (fabs(x - whole) <= 4 * 0x1p-52 * fmax(x, 1))
		x = whole;
	x = ceil(x);
	if (x < 1)
		return 1;
	return x >= (double)n ? n : (uint64_t)x;
}
