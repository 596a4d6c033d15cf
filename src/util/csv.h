/* SPDX-License-Identifier: GPL-2.0-only */
/* CSV cells (RFC 4180) for stormtop dump. */
#ifndef STORMTOP_CSV_H
#define STORMTOP_CSV_H

#include <stdio.h>

/* s as one CSV cell on f: quoted when it holds a comma, a double quote,
 * CR or LF (or starts or ends with a space, which some readers strip),
 * a double quote doubled inside; bytes that are not UTF-8 (text.h) as
 * U+FFFD, so the file is UTF-8 for a strict reader.  Other characters,
 * controls included, are kept: a quoted cell may hold them. */
void csv_field(FILE *f, const char *s);

#endif
