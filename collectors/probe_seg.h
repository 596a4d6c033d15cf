/* SPDX-License-Identifier: GPL-2.0-only */
/* One attached stormprobe segment as its reader sees it: found by name,
 * checked, mapped read-only, re-checked every tick, and followed across a
 * writer restart (a new file under the same name). */
#ifndef STORMTOP_PROBE_SEG_H
#define STORMTOP_PROBE_SEG_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/frame.h"
#include "stormtop/probe.h"

/* A writer that has not beaten for this long is gone. */
#define PROBE_STALE_NS (3LL * 1000000000)

struct probe_seg {
	char name[FRAME_APP_NAME];
	char path[256];
	int fd;
	const uint8_t *map;        /* PROT_READ, size bytes; NULL when closed */
	size_t size;
	dev_t dev;
	ino_t ino;
	struct stormprobe_header hdr; /* this tick's checked copy */
	uint64_t instance;         /* changes when the writer restarts */
	uint64_t beat;             /* last heartbeat seen ... */
	int64_t beat_at;           /* ... and our clock when it changed */
	enum app_state state;
	char why[FRAME_REASON_LEN];
	char note[FRAME_REASON_LEN]; /* said even when ok: who else can write it */
};

/* name is a segment name (see stormprobe_path) or a path with a '/'.
 * 0, or -1 when name is neither. */
int probe_seg_init(struct probe_seg *s, const char *name);
/* Brings the segment up to date: opens, re-opens after a restart, checks
 * the header copy and the writer's liveness.  Returns 1 when the instance
 * changed (baselines must restart), else 0; s->state says what holds. */
int probe_seg_refresh(struct probe_seg *s, const uid_t *owners, size_t nowners, int64_t now);
/* The n mapped bytes at off, or NULL when they are not all inside. */
const void *probe_seg_at(const struct probe_seg *s, uint64_t off, size_t n);
/* Runs fn, which reads the mapping, surviving a file shrunk under us:
 * 0, or -1 (and the segment is rejected). */
int probe_seg_guard(struct probe_seg *s, void (*fn)(void *arg), void *arg);
/* Copies n bytes at off into dst under that guard. */
int probe_seg_copy(struct probe_seg *s, void *dst, uint64_t off, size_t n);
void probe_seg_close(struct probe_seg *s);

#endif
