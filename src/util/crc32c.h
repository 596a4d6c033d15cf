/* SPDX-License-Identifier: GPL-2.0-only */
/* CRC-32C (Castagnoli), the checksum of every record in a recording. */
#ifndef STORMTOP_CRC32C_H
#define STORMTOP_CRC32C_H

#include <stddef.h>
#include <stdint.h>

uint32_t crc32c(uint32_t crc, const void *buf, size_t len);

#endif
