/* SPDX-License-Identifier: GPL-2.0-only */
/* Comma-separated name lists, as options take them ("a,b,c"). */
#ifndef STORMTOP_STRLIST_H
#define STORMTOP_STRLIST_H

/* 1 when name is one of the list's items (NULL list: never). */
int list_has(const char *list, const char *name);

#endif
