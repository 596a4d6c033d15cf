// SPDX-License-Identifier: GPL-2.0-only
/* stormtop report FILE [--from T --to T] -o storm.html: a recording's
 * window as one self-contained HTML page (src/cmd/report_html.h). */
#include "cmd/app.h"

#include <stdio.h>

#include "cmd/report_html.h"
#include "cmd/window.h"
#include "util/text.h"

int run_report(const struct options *o)
{
	struct rec_window w;
	FILE *out;
	int rc = window_load(&w, o->file, o->read.from, o->read.to);

	if (rc == 0 && !(out = app_open_out(o->page.out)))
		rc = EXIT_RUNTIME;
	if (rc == 0) {
		report_page(out, &w, o->view.warn_rate, o->view.crit_rate);
		if (fclose(out) != 0) {
			text_say(stderr, "%s: could not write the page", o->page.out);
			rc = EXIT_RUNTIME;
		}
	}
	window_free(&w);
	return rc;
}
