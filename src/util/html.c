// SPDX-License-Identifier: GPL-2.0-only
#include "util/html.h"

#include <string.h>

#include "util/text.h"

void html_text_to(FILE *f, const char *s)
{
	size_t n = strlen(s);

	while (n) {
		uint32_t cp;
		size_t used = utf8_decode(s, n, &cp);
		char b[4];

		switch (cp) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default:
			if (text_is_control(cp) && cp != '\t' && cp != '\n')
				cp = 0xfffd;
			fwrite(b, 1, utf8_put(b, cp), f); /* U+FFFD for what was not UTF-8 */
		}
		s += used;
		n -= used;
	}
}
