/* SPDX-License-Identifier: GPL-2.0-only */
/* The one list of the UI's keys: F1 draws it, --help prints it, and
 * tests/keys_test.sh holds README.md's key table and the keys ui_key
 * acts on to it.  Also the key bar's function keys, which a click acts on. */
#ifndef STORMTOP_KEYTABLE_H
#define STORMTOP_KEYTABLE_H

#include <stddef.h>
#include <stdio.h>

struct key_help {
	const char *keys;   /* as typed, space-separated; NULL: what is a section title */
	const char *what;
};

extern const struct key_help key_help[];
extern const size_t key_help_count;

/* The key bar's function keys in the order drawn: the cap, its label and
 * the key (enum in ui/keys.h) a click on it stands for. */
struct fkey {
	const char *cap, *label;
	int code;
};
#define FKEY_LABEL_W 7 /* each label is padded to this many cells */
extern const struct fkey fkeys[];
extern const size_t fkey_count;

/* The list as --help prints it: "Section:" lines, then two-space indented
 * keys in a column, the text wrapped to width columns. */
void key_help_print(FILE *out, int width);

#endif
