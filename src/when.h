/* Times a user types for a recording: "hh:mm[:ss]" on a given day, or
 * "YYYY-mm-dd hh:mm[:ss]", local time. */
#ifndef STORMTOP_WHEN_H
#define STORMTOP_WHEN_H

#include <stddef.h>
#include <stdint.h>

/* day_ns: any instant of the day "hh:mm" refers to.  0 with the time in
 * *out (ns since the epoch), or -1: not a time, a year outside 1..9999,
 * or a time int64 ns cannot hold (before 1677-09-21 or after 2262-04-11). */
int when_parse(const char *s, int64_t day_ns, int64_t *out);
/* "YYYY-mm-dd hh:mm:ss" (sep ' ') or ISO "YYYY-mm-ddThh:mm:ss.mmm" (sep 'T');
 * a time before the epoch rounds down (-1 ns is 23:59:59.999). */
void when_format(int64_t ns, char sep, char *buf, size_t n);

#endif
