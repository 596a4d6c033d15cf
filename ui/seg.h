/* SPDX-License-Identifier: GPL-2.0-only */
/* Text on the cell grid that never cuts a word silently: what does not fit
 * its room ends at a word boundary with an ellipsis, wrapped text breaks
 * between words, and every draw is audited for the layout tests (a word
 * split or text drawn over other text is a layout fault). */
#ifndef STORMTOP_SEG_H
#define STORMTOP_SEG_H

#include <stddef.h>

/* Layout faults seen since the last screen_clear (tests read them). */
struct ui_audit {
	unsigned int cut;        /* words split by a right edge (a word wider than its room) */
	unsigned int overwrite;  /* cells of text drawn over other text */
	unsigned int elided;     /* texts shortened at a word boundary with an ellipsis */
	int y, x;                /* where the first fault was */
	char what[64];           /* and the text that made it */
};

/* Bytes of the longest start of s that takes at most cols cells and ends
 * between words (before a space); a first word wider than cols is cut on a
 * character boundary.  Trailing spaces are not counted. */
size_t text_wordcut(const char *s, int cols, int ascii, int *split);

#endif
