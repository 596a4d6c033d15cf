/* SPDX-License-Identifier: GPL-2.0-only */
/* The report's "Where: call sites" section: the stack sampler's call
 * sites (frame.sites, recorded while the where view was open) summed over
 * the window by stages/summary.c, a table per sampled process.  Every
 * string from the recording goes through html_text_to. */
#ifndef STORMTOP_REPORT_SITES_H
#define STORMTOP_REPORT_SITES_H

#include <stdio.h>

#include "stages/summary.h"

#define REPORT_PATH_COLS 96  /* a path wider than this keeps its innermost frames */

/* <section id="sites">: per process (s->site_procs, most events first) an
 * <h3 class="siteproc" data-tgid> and a table, one <tr class="site"> per
 * site (kind, share of the process's events %, events, IPIs, caller,
 * kernel path, user path) and a <tr class="site-other"> for the rest;
 * one line saying so when no frame of the window had sites. */
void report_sites(FILE *out, const struct summary *s);

/* path cut to cols screen columns (util/text.h's rule) from its outermost
 * end: whole outer frames go first, replaced by "…" before the ';' that
 * stays; a lone innermost frame too wide keeps its end.  Into dst (cap
 * bytes), which it returns. */
const char *report_path_tail(char *dst, size_t cap, const char *path, int cols);

#endif
