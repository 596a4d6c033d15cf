/* SPDX-License-Identifier: GPL-2.0-only */
/* JSON text for the commands that print it (dump, drill, check). */
#ifndef STORMTOP_JSON_H
#define STORMTOP_JSON_H

#include <stdio.h>

/* s as a JSON string (RFC 8259), quoted, on f.  The output is always
 * UTF-8 that a strict reader accepts, whatever bytes s holds: '"' and '\'
 * escaped; controls U+0000-001F, DEL and C1 U+0080-009F, U+2028 and
 * U+2029 as \uXXXX (\n, \t ... where JSON has a short form), so a dump
 * shown on a terminal cannot drive it; every byte sequence that is not
 * UTF-8 (text.h: its maximal invalid subpart) as U+FFFD.  Everything else
 * is copied as it is. */
void json_string_to(FILE *f, const char *s);
/* The same on stdout. */
void json_string(const char *s);

#endif
