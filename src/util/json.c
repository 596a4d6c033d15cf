// SPDX-License-Identifier: GPL-2.0-only
#include "util/json.h"

#include <string.h>

#include "util/text.h"

void json_string_to(FILE *f, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = strlen(s);

	putc('"', f);
	while (n) {
		uint32_t cp;
		size_t used = utf8_decode(s, n, &cp);
		char b[4];

		if (cp == '"' || cp == '\\')
			putc('\\', f), putc((int)cp, f);
		else if (cp == '\n' || cp == '\t' || cp == '\r' || cp == '\b' || cp == '\f')
			putc('\\', f), putc(cp == '\n' ? 'n' : cp == '\t' ? 't' : cp == '\r' ? 'r' : cp == '\b' ? 'b' : 'f', f);
		else if (text_is_control(cp) || cp == 0x2028 || cp == 0x2029)
			fprintf(f, "\\u%c%c%c%c", hex[cp >> 12], hex[cp >> 8 & 15], hex[cp >> 4 & 15], hex[cp & 15]);
		else
			fwrite(b, 1, utf8_put(b, cp), f); /* U+FFFD for what was not UTF-8 */
		s += used;
		n -= used;
	}
	putc('"', f);
}

void json_string(const char *s)
{
	json_string_to(stdout, s);
}
