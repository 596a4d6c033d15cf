/* SPDX-License-Identifier: GPL-2.0-only */
/* The recording file format (docs/FORMAT.md): what the writer and the
 * reader share.  All integers little-endian. */
#ifndef STORMTOP_RECFMT_H
#define STORMTOP_RECFMT_H

#include <stdint.h>

#include "core/frame.h"

#define REC_MAGIC "STORMREC"
#define REC_MAGIC_LEN 8
#define REC_VERSION_MAJOR 1    /* readers refuse a newer major */
#define REC_VERSION_MINOR 0    /* readers accept any minor */
#define REC_PREFIX_LEN 16      /* magic, major u16, minor u16, body length u32 */
#define REC_SYNC 0x52465453u   /* "STFR": starts every record */
#define REC_HEAD_LEN 28        /* sync .. crc, see struct rec_head */
#define REC_MAX_PAYLOAD (64u << 20)

enum rec_type { REC_FRAME = 1 };
/* REC_ZSTD: each frame compressed alone.  REC_ZSTD_STREAM: frames of a
 * block share one zstd stream, flushed after each frame, so a frame costs
 * only what changed since the ones before it; a block starts at a
 * keyframe (REC_KEY) every REC_BLOCK frames, at file start and after any
 * gap, so a seek decodes at most REC_BLOCK frames. */
enum rec_codec { REC_RAW = 0, REC_ZSTD = 1, REC_ZSTD_STREAM = 2 };
#define REC_KEY 1u          /* rec_head.flags: a stream block starts here */
#define REC_BLOCK 64

/* A record's header as it sits in the file (packed by hand). */
struct rec_head {
	uint32_t sync;
	uint8_t type;
	uint8_t codec;
	uint16_t flags;        /* REC_KEY */
	uint32_t stored_len;   /* payload bytes that follow */
	uint32_t raw_len;      /* payload bytes once decompressed */
	int64_t wall_ns;       /* the frame's time, for seeking without decoding */
	uint32_t crc;          /* CRC-32C of type..wall_ns and the payload */
};

/* What a recording says about where it came from. */
struct rec_meta {
	char host[65];
	char kernel[65];
	char version[16];      /* stormtop's */
	uint32_t ncpu;
	uint32_t nnodes;
	uint16_t *node_of;     /* ncpu entries; owned by whoever filled it */
	int64_t interval_ns;   /* the interval asked for */
	int64_t start_ns;      /* wall clock at the file's creation */
	struct source_status status[SRC_MAX]; /* collectors at the start */
};

/* Little-endian 32-bit values, as every fixed-size field of the file is. */
void rec_put32(uint8_t *p, uint32_t v);
uint32_t rec_get32(const uint8_t *p);

void rec_head_pack(const struct rec_head *h, uint8_t out[REC_HEAD_LEN]);
void rec_head_unpack(const uint8_t in[REC_HEAD_LEN], struct rec_head *h);
/* CRC of a record: its header fields after sync (but crc) and payload. */
uint32_t rec_crc(const struct rec_head *h, const uint8_t *payload);

/* The largest header body rec_meta_encode writes, for any host a frame
 * holds: its strings and varints (under 1 KiB), a varint of up to 3
 * bytes per CPU (node_of) and every collector's reason at full length. */
#define REC_META_MAX (1024 + FRAME_MAX_CPUS * 3 + SRC_MAX * (FRAME_STATUS_LEN + 20))

/* The header body (field-id encoded like frames); 0 when cap is below
 * what m may need (REC_META_MAX is always enough). */
size_t rec_meta_encode(const struct rec_meta *m, uint8_t *buf, size_t cap);
/* node_of is allocated; 0 or -1 when malformed. */
int rec_meta_decode(const uint8_t *buf, size_t len, struct rec_meta *m);

#endif
