/* Compact numbers for narrow columns. */
#ifndef STORMTOP_FORMAT_H
#define STORMTOP_FORMAT_H

#include <stddef.h>

/* "0", "4.2", "45.3", "312", "20.1k", "312k", "1.2M"; at most 5 characters. */
void fmt_rate(char *buf, size_t n, double v);

#endif
