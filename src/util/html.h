/* SPDX-License-Identifier: GPL-2.0-only */
/* HTML text for the report and diff pages. */
#ifndef STORMTOP_HTML_H
#define STORMTOP_HTML_H

#include <stdio.h>

/* s as HTML text or a quoted attribute value (HTML 5), on f: '&', '<',
 * '>', '"' and '\'' as character references; controls (C0 but tab and
 * newline, DEL, C1) as U+FFFD so a page cannot hold a byte a terminal
 * would act on when someone cats it; every byte sequence that is not
 * UTF-8 (text.h: its maximal invalid subpart) as U+FFFD.  Everything else
 * is copied as it is.  Safe inside <text>, <td>, <title> and attr="...";
 * not inside <script> or <style>, which the pages do not fill from data. */
void html_text_to(FILE *f, const char *s);

#endif
