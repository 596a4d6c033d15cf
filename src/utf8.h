/* UTF-8 checks for text that leaves stormtop in a format that must be
 * UTF-8 (JSON, Prometheus labels) but comes from outside: process names
 * (any bytes but NUL, cut at 15 bytes, maybe inside a character) and the
 * names and labels applications publish. */
#ifndef STORMTOP_UTF8_H
#define STORMTOP_UTF8_H

#include <stddef.h>

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if none. */
static inline size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t want = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3 :
		      (s[0] & 0xF8) == 0xF0 ? 4 : 0;

	if (want == 0 || want > n || (want == 2 && s[0] < 0xC2))
		return 0;
	for (size_t i = 1; i < want; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	return want;
}

#endif
