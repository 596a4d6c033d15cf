// SPDX-License-Identifier: GPL-2.0-only
#include "ui/format.h"

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

void fmt_ns(char *buf, size_t n, double ns)
{
	static const struct { double div; const char *unit; } u[] = {
		{ 1, "ns" }, { 1e3, "us" }, { 1e6, "ms" }, { 1e9, "s" },
	};
	int i = 0;

	if (ns < 0 || ns != ns) {
		snprintf(buf, n, "-");
		return;
	}
	while (i < 3 && ns >= u[i + 1].div * 0.9995)
		i++;
	ns /= u[i].div;
	snprintf(buf, n, ns < 9.995 && i ? "%.2f%s" : ns < 99.95 && i ? "%.1f%s" : "%.0f%s", ns, u[i].unit);
}

void fmt_bytes(char *buf, size_t n, double bytes)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
	int i = 0;

	if (bytes <= 0 || bytes != bytes) {
		snprintf(buf, n, "?");
		return;
	}
	while (i < 5 && bytes >= 1023.95) {
		bytes /= 1024;
		i++;
	}
	snprintf(buf, n, i ? "%.1f %s" : "%.0f %s", bytes, unit[i]);
}
