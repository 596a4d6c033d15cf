// SPDX-License-Identifier: GPL-2.0-only
#include "util/crc32c.h"

#include <string.h>

/* Bytewise table, built once: the fallback where the CPU has no CRC-32C
 * instruction (a few hundred MB/s). */
static uint32_t table[256];

static void build(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0x82F63B78u : c >> 1;
		table[i] = c;
	}
}

static uint32_t crc_table(uint32_t crc, const uint8_t *p, size_t len)
{
	if (!table[1])
		build();
	while (len--)
		crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return crc;
}

#if defined(__x86_64__)
/* SSE4.2's crc32 instruction computes the same polynomial 8 bytes at a
 * time (several GB/s): opening a recording CRC-checks every record. */
__attribute__((target("sse4.2"))) static uint32_t crc_sse42(uint32_t crc, const uint8_t *p, size_t len)
{
	uint64_t c = crc;

	for (; len >= 8; p += 8, len -= 8) {
		uint64_t v;

		memcpy(&v, p, 8);
		c = __builtin_ia32_crc32di(c, v);
	}
	crc = (uint32_t)c;
	for (; len; p++, len--)
		crc = __builtin_ia32_crc32qi(crc, *p);
	return crc;
}

static int have_sse42(void)
{
	static int known = -1;

	if (known < 0)
		known = __builtin_cpu_supports("sse4.2") ? 1 : 0;
	return known;
}
#endif

uint32_t crc32c(uint32_t crc, const void *buf, size_t len)
{
	crc = ~crc;
#if defined(__x86_64__)
	if (have_sse42())
		return ~crc_sse42(crc, buf, len);
#endif
	return ~crc_table(crc, buf, len);
}
