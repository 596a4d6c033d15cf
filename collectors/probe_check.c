// SPDX-License-Identifier: GPL-2.0-only
#include "collectors/probe_check.h"

#include <stdio.h>
#include <unistd.h>

/* A reader maps the whole segment; 256 slots of 28 KiB is 7.4 MB, so
 * anything past 64 MiB is not a segment we wrote. */
#define PROBE_MAX_FILE (64ull << 20)

static enum probe_verdict bad(char *why, size_t len, const char *msg, unsigned long long a,
			      unsigned long long b)
{
	snprintf(why, len, msg, a, b);
	return PROBE_BAD;
}

enum probe_verdict probe_check_file(const struct stat *st, const uid_t *owners, size_t n,
				    char *why, size_t len)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	size_t k;

	if (!S_ISREG(st->st_mode))
		return bad(why, len, "not a regular file (mode %llo)", (unsigned long long)st->st_mode, 0);
	if (st->st_nlink != 1)
		return bad(why, len, "has %llu links, want 1", (unsigned long long)st->st_nlink, 0);
	for (k = 0; k < n && owners[k] != st->st_uid; k++)
		;
	if (k == n)
		return bad(why, len, "owned by uid %llu, not you or root (see --attach-owner)",
			   (unsigned long long)st->st_uid, 0);
	if (st->st_size < STORMPROBE_HEADER_SIZE || (uint64_t)st->st_size > PROBE_MAX_FILE)
		return bad(why, len, "size %llu bytes is not a segment's", (unsigned long long)st->st_size, 0);
	if ((uint64_t)st->st_size % page)
		return bad(why, len, "size %llu is not a multiple of the %llu-byte page",
			   (unsigned long long)st->st_size, (unsigned long long)page);
	return PROBE_OK;
}

static enum probe_verdict check_slots(const struct stormprobe_header *h, uint64_t size,
				      char *why, size_t len)
{
	uint64_t end;

	if (h->slot_count == 0 || h->slot_count > STORMPROBE_MAX_SLOTS)
		return bad(why, len, "slot count %llu out of 1..%llu", h->slot_count, STORMPROBE_MAX_SLOTS);
	if (h->slot_size < sizeof(struct stormprobe_slot) || h->slot_size % 8)
		return bad(why, len, "slot size %llu, want at least %llu and 8-aligned", h->slot_size,
			   sizeof(struct stormprobe_slot));
	if (h->slot_offset < h->header_size || h->slot_offset % 8)
		return bad(why, len, "slots at %llu overlap the %llu-byte header", h->slot_offset,
			   h->header_size);
	/* 32-bit factors in 64-bit arithmetic: cannot wrap */
	end = probe_slot_offset(h, h->slot_count);
	if (end > size)
		return bad(why, len, "slots end at byte %llu, past the %llu-byte file", end, size);
	return PROBE_OK;
}

enum probe_verdict probe_check_header(const struct stormprobe_header *h, uint64_t file_size,
				      char *why, size_t len)
{
	if (h->magic != STORMPROBE_MAGIC)
		return bad(why, len, "bad magic %#llx: not a stormprobe segment", h->magic, 0);
	if (h->version == 0) {
		snprintf(why, len, "writer still initialising");
		return PROBE_NOT_READY;
	}
	if (h->version >> 16 != STORMPROBE_MAJOR)
		return bad(why, len, "ABI version %llu.x, this stormtop reads %llu.x", h->version >> 16,
			   STORMPROBE_MAJOR);
	if (h->header_size < sizeof(struct stormprobe_header) || h->header_size > file_size)
		return bad(why, len, "header size %llu (file %llu bytes)", h->header_size, file_size);
	if (h->total_size != file_size)
		return bad(why, len, "header says %llu bytes, file has %llu", h->total_size, file_size);
	if (h->buckets != STORMPROBE_BUCKETS || h->grouping_power != STORMPROBE_GROUPING ||
	    h->max_power != STORMPROBE_MAX_POWER)
		return bad(why, len, "histogram layout %llu buckets, want %llu", h->buckets,
			   STORMPROBE_BUCKETS);
	return check_slots(h, file_size, why, len);
}
