/* SPDX-License-Identifier: GPL-2.0-only */
/* Whether a stormprobe segment may be read: every check stormtop makes
 * before trusting a byte of it, as pure functions over a local copy of the
 * header and the file's stat, so a fuzzer can drive them. */
#ifndef STORMTOP_PROBE_CHECK_H
#define STORMTOP_PROBE_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "stormtop/probe.h"

enum probe_verdict {
	PROBE_OK,
	PROBE_NOT_READY,   /* version 0: the writer is still initialising */
	PROBE_BAD,         /* never readable as it stands; why says what */
};

/* The file itself: regular, one link, owned by one of the allowed uids
 * (n of them), a whole number of pages, not absurdly large. */
enum probe_verdict probe_check_file(const struct stat *st, const uid_t *owners, size_t n,
				    char *why, size_t len);
/* The header copy against the file size: magic, major version, sizes and
 * every offset, with overflow-safe arithmetic. */
enum probe_verdict probe_check_header(const struct stormprobe_header *h, uint64_t file_size,
				      char *why, size_t len);

/* Where slot i starts, once probe_check_header passed. */
static inline uint64_t probe_slot_offset(const struct stormprobe_header *h, uint32_t i)
{
	return (uint64_t)h->slot_offset + (uint64_t)i * h->slot_size;
}

#endif
