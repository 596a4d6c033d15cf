// SPDX-License-Identifier: GPL-2.0-only
#include "util/csv.h"

#include <string.h>

#include "util/text.h"

void csv_field(FILE *f, const char *s)
{
	size_t n = strlen(s);
	int quote = strpbrk(s, ",\"\r\n") || (n && (s[0] == ' ' || s[n - 1] == ' '));

	if (quote)
		putc('"', f);
	while (n) {
		uint32_t cp;
		size_t used = utf8_decode(s, n, &cp);
		char b[4];

		if (cp == '"')
			putc('"', f);
		fwrite(b, 1, utf8_put(b, cp), f);
		s += used;
		n -= used;
	}
	if (quote)
		putc('"', f);
}
