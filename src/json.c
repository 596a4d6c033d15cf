#include "json.h"

#include <stdio.h>
#include <string.h>

#include "utf8.h"

/* A byte that starts no valid UTF-8 sequence (a process name cut inside a
 * character, an application's stray byte) becomes U+FFFD: JSON text must
 * be UTF-8, and one bad name must not make a whole dump unreadable. */
void json_string(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s);

	putchar('"');
	for (size_t i = 0; i < n;) {
		size_t k = utf8_len(u + i, n - i);

		if (u[i] == '"' || u[i] == '\\')
			printf("\\%c", u[i]);
		else if (u[i] < 0x20)
			printf("\\u%04x", u[i]);
		else if (k == 0)
			fputs("\\ufffd", stdout);
		else
			fwrite(u + i, 1, k, stdout);
		i += k ? k : 1;
	}
	putchar('"');
}
