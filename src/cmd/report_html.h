/* SPDX-License-Identifier: GPL-2.0-only */
/* The report page: one self-contained HTML file (inline CSS and SVG, no
 * script, no network, printable) of a recording's window.  Every string
 * that came from the recording goes through html_text_to.
 *
 * Heatmaps: one <g class="row"> per CPU (data-cpu) grouped by node, or,
 * past REPORT_ROWS CPUs, per block of consecutive CPUs of one node
 * (data-cpus, the cell the block's highest); each cell a <rect> with
 * data-t (column), data-v (the value shown; "" none).  The columns'
 * first frame seq and tick count are on <g class="cols"> as data-seq
 * and data-n lists. */
#ifndef STORMTOP_REPORT_HTML_H
#define STORMTOP_REPORT_HTML_H

#include <stdio.h>

#include "cmd/window.h"

#define REPORT_ROWS 64  /* heatmap rows at most before CPUs fold into blocks */

/* warn, crit: TLB and IOTLB heat thresholds per CPU per second. */
void report_page(FILE *out, const struct rec_window *w, double warn, double crit);

/* Shared with the diff page. */
void page_head(FILE *out, const char *title, const char *host);
void page_tail(FILE *out);

#endif
