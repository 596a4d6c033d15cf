#include "format.h"

#include <stdio.h>

void fmt_rate(char *buf, size_t n, double v)
{
	static const char suffix[] = { 'k', 'M', 'G', 'T' };
	int i = -1;

	if (v < 0) {
		snprintf(buf, n, "-");
		return;
	}
	while (v >= 999.5 && i < 3) {
		v /= 1000;
		i++;
	}
	if (v == 0)
		snprintf(buf, n, "0");
	else if (i < 0)
		snprintf(buf, n, v < 99.95 ? "%.1f" : "%.0f", v);
	else
		snprintf(buf, n, v < 99.95 ? "%.1f%c" : "%.0f%c", v, suffix[i]);
}
