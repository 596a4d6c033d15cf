// SPDX-License-Identifier: GPL-2.0-only
#include "record/recwriter.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <zstd.h>

#include "record/codec.h"
#include "util/crc32c.h"
#include "util/mem.h"
#include "record/recreader.h"
#include "util/safefile.h"

struct rec_writer {
	char path[4096];
	int fd;
	struct rec_meta meta;
	struct rec_rotate rot;
	uint8_t *raw, *packed;    /* encode and compress buffers, sized at open */
	size_t raw_cap, packed_cap;
	ZSTD_CCtx *zc;
	uint64_t size;            /* bytes in the current file */
	uint64_t frames;          /* frames written, all files */
	unsigned int in_block;    /* frames since the last keyframe; 0 = next is one */
	int yday;                 /* day of the current file, for daily rotation */
	int failed;               /* a write failed: refuse further frames */
	int packed_only;          /* rec_writer_open_packed's: no encode buffers */
};

static int local_yday(int64_t wall_ns)
{
	time_t t = (time_t)(wall_ns / 1000000000);
	struct tm tm;

	localtime_r(&t, &tm);
	return tm.tm_year * 400 + tm.tm_yday;
}

/* write() until done; a short write is retried, an error returned. */
static int write_all(int fd, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int write_header(struct rec_writer *w)
{
	/* 30 KiB, on the stack: written at open and rotation only, and two
	 * writers (a recording and a capture) may write theirs at once */
	uint8_t buf[REC_PREFIX_LEN + REC_META_MAX + 4];
	size_t body = rec_meta_encode(&w->meta, buf + REC_PREFIX_LEN, sizeof(buf) - REC_PREFIX_LEN - 4);
	uint32_t crc;

	if (!body)
		return -ENOSPC;
	memcpy(buf, REC_MAGIC, REC_MAGIC_LEN);
	buf[8] = REC_VERSION_MAJOR; buf[9] = 0;
	buf[10] = REC_VERSION_MINOR; buf[11] = 0;
	rec_put32(buf + 12, (uint32_t)body);
	crc = crc32c(0, buf + REC_PREFIX_LEN, body);
	rec_put32(buf + REC_PREFIX_LEN + body, crc);
	w->size = REC_PREFIX_LEN + body + 4;
	return write_all(w->fd, buf, w->size);
}

/* A new file (rotation's too): never through a symlink or over anything
 * already at the name, 0644 whatever the umask (src/util/safefile.h). */
static int create(struct rec_writer *w, char *err, size_t errlen)
{
	int rc;

	w->fd = safefile_create(w->path, O_WRONLY, 0644, err, errlen);
	if (w->fd < 0)
		return -1;
	if ((rc = write_header(w)) < 0) {
		/* no file without a header: a later open of the name would
		 * find it and refuse to append to it */
		snprintf(err, errlen, "%s: writing the header: %s", w->path, strerror(-rc));
		close(w->fd);
		w->fd = -1;
		unlink(w->path);
		errno = -rc;
		return -1;
	}
	return 0;
}

/* An existing recording: opened without following a symlink, checked
 * to be a regular file of ours with one link, and a recording of the same
 * CPU count (read through the same fd: what is checked is what is
 * written); then a torn tail is cut and frames go after the last good one. */
static int reopen(struct rec_writer *w, char *err, size_t errlen)
{
	char why[256];
	struct rec_reader *r;
	uint64_t end;

	w->fd = safefile_open_own(w->path, O_RDWR, why, sizeof(why));
	if (w->fd < 0) {
		snprintf(err, errlen, "not appended to %s%s", why,
			 errno == ELOOP ? "; --follow-symlink appends where it points" : "");
		return -1;
	}
	if (!(r = rec_reader_open_fd(w->fd, why, sizeof(why)))) {
		snprintf(err, errlen, "%s exists and cannot be appended to: %s", w->path, why);
		return -1;
	}
	if (rec_reader_meta(r)->ncpu != w->meta.ncpu) {
		snprintf(err, errlen, "%s was recorded with %u CPUs, this host has %u", w->path,
			 rec_reader_meta(r)->ncpu, w->meta.ncpu);
		rec_reader_close(r);
		return -1;
	}
	end = rec_reader_end(r);
	w->frames = rec_reader_count(r);
	rec_reader_close(r);
	if (ftruncate(w->fd, (off_t)end) < 0 || lseek(w->fd, (off_t)end, SEEK_SET) < 0) {
		snprintf(err, errlen, "%s: %s", w->path, strerror(errno));
		return -1;
	}
	w->size = end;
	return 0;
}

static int alloc(struct rec_writer *w, const struct rec_meta *meta)
{
	w->meta = *meta;
	w->meta.node_of = mem_zalloc(meta->ncpu, sizeof(uint16_t));
	if (w->packed_only) {
		if (w->meta.node_of && meta->node_of)
			memcpy(w->meta.node_of, meta->node_of, sizeof(uint16_t) * meta->ncpu);
		return w->meta.node_of ? 0 : -1;
	}
	w->raw_cap = codec_bound(meta->ncpu);
	w->packed_cap = ZSTD_compressBound(w->raw_cap);
	w->raw = mem_zalloc(1, w->raw_cap);
	w->packed = mem_zalloc(1, REC_HEAD_LEN + w->packed_cap);
	w->zc = ZSTD_createCCtx();
	if (!w->meta.node_of || !w->raw || !w->packed || !w->zc)
		return -1;
	if (meta->node_of)
		memcpy(w->meta.node_of, meta->node_of, sizeof(uint16_t) * meta->ncpu);
	return 0;
}

static struct rec_writer *writer_new(const char *path, const struct rec_meta *meta,
				     const struct rec_rotate *rot, int packed_only, char *err, size_t errlen)
{
	struct rec_writer *w = mem_zalloc(1, sizeof(*w));

	if (w)
		w->packed_only = packed_only;
	if (!w || alloc(w, meta) < 0) {
		snprintf(err, errlen, "out of memory");
		rec_writer_close(w);
		return NULL;
	}
	w->fd = -1;
	w->rot = rot ? *rot : (struct rec_rotate){ 0 };
	snprintf(w->path, sizeof(w->path), "%s", path);
	w->yday = local_yday(meta->start_ns);
	return w;
}

struct rec_writer *rec_writer_open(const char *path, const struct rec_meta *meta,
				   const struct rec_rotate *rot, char *err, size_t errlen)
{
	struct rec_writer *w = writer_new(path, meta, rot, 0, err, errlen);

	/* create first: a name that exists, as anything, is then opened as it is */
	if (w && create(w, err, errlen) < 0 && (errno != EEXIST || reopen(w, err, errlen) < 0)) {
		rec_writer_close(w);
		return NULL;
	}
	return w;
}

struct rec_writer *rec_writer_open_packed(const char *path, const struct rec_meta *meta, int append,
					  char *err, size_t errlen)
{
	struct rec_writer *w = writer_new(path, meta, NULL, 1, err, errlen);
	int saved;

	if (w && append && reopen(w, err, errlen) < 0) {
		rec_writer_close(w);
		return NULL;
	}
	if (w && !append && create(w, err, errlen) < 0) { /* create leaves no file without a header */
		saved = errno;
		rec_writer_close(w);
		errno = saved;
		return NULL;
	}
	return w;
}

/* A rotated file's name: base.YYYYmmdd-HHMMSS or base.YYYYmmdd-HHMMSS.N,
 * nothing else (a user's base.notes is not ours to delete). */
static int rotated_name(const char *name, const char *base)
{
	size_t bl = strlen(base), i;

	if (strncmp(name, base, bl) || name[bl] != '.')
		return 0;
	name += bl + 1;
	for (i = 0; i < 15; i++)
		if (i == 8 ? name[i] != '-' : (name[i] < '0' || name[i] > '9'))
			return 0;
	if (!name[15])
		return 1;
	return name[15] == '.' && name[16] && strspn(name + 16, "0123456789") == strlen(name + 16);
}

/* Keeps the newest `keep` rotated files: only regular files of ours with
 * a rotated file's name are deleted (never a symlink, nor someone else's
 * file planted in a shared directory). */
static void prune(const struct rec_writer *w)
{
	char dir[4096], *slash;
	const char *base;
	struct dirent **list;
	int n, kept = 0;

	snprintf(dir, sizeof(dir), "%s", w->path);
	slash = strrchr(dir, '/');
	base = slash ? slash + 1 : w->path;
	if (slash)
		*slash = '\0';
	else
		snprintf(dir, sizeof(dir), ".");
	n = scandir(dir, &list, NULL, alphasort);
	for (int i = n - 1; i >= 0; i--) {
		char victim[8192];

		snprintf(victim, sizeof(victim), "%s/%s", dir, list[i]->d_name);
		if (rotated_name(list[i]->d_name, base) && safefile_is_own(victim) && ++kept > (int)w->rot.keep)
			unlink(victim);
		free(list[i]);
	}
	if (n >= 0)
		free(list);
}

/* The full file is renamed aside and a fresh one started before the next
 * frame is written, so no frame is ever lost to rotation.  The rename
 * replaces nothing: a name already taken (a file, a planted symlink)
 * moves on to the next .N. */
static int rotate(struct rec_writer *w, int64_t wall_ns, char *err, size_t errlen)
{
	char aside[4200], stamp[32];
	time_t t = (time_t)(wall_ns / 1000000000);
	struct tm tm;
	int rc, i = 0;

	localtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	close(w->fd);
	w->fd = -1;
	do {
		if (i)
			snprintf(aside, sizeof(aside), "%s.%s.%d", w->path, stamp, i);
		else
			snprintf(aside, sizeof(aside), "%s.%s", w->path, stamp);
		rc = safefile_rename_new(w->path, aside);
	} while (rc < 0 && errno == EEXIST && ++i < 1000);
	if (rc < 0) {
		snprintf(err, errlen, "rotating %s: %s", w->path, strerror(errno));
		return -1;
	}
	w->meta.start_ns = wall_ns;
	w->yday = local_yday(wall_ns);
	w->in_block = 0; /* a new file starts with a keyframe */
	if (create(w, err, errlen) < 0)
		return -1;
	if (w->rot.keep)
		prune(w);
	return 0;
}

static int due(const struct rec_writer *w, const struct frame *f, size_t next)
{
	if (w->rot.max_bytes && w->size + next > w->rot.max_bytes && w->size > 4096)
		return 1;
	return w->rot.daily && local_yday(f->wall_ns) != w->yday;
}

/* Compresses one frame into the stream: a keyframe resets it first. */
static size_t compress(struct rec_writer *w, size_t raw, int key)
{
	ZSTD_inBuffer in = { w->raw, raw, 0 };
	ZSTD_outBuffer out = { w->packed + REC_HEAD_LEN, w->packed_cap, 0 };
	size_t left;

	if (key)
		ZSTD_CCtx_reset(w->zc, ZSTD_reset_session_only);
	do {
		left = ZSTD_compressStream2(w->zc, &out, &in, ZSTD_e_flush);
		if (ZSTD_isError(left))
			return 0;
	} while (left);
	return out.pos;
}

int rec_writer_append(struct rec_writer *w, const struct frame *f, char *err, size_t errlen)
{
	struct rec_head h = { .sync = REC_SYNC, .type = REC_FRAME, .codec = REC_ZSTD_STREAM,
			      .wall_ns = f->wall_ns };
	size_t raw, packed;
	int rc;

	if (w->packed_only) {
		snprintf(err, errlen, "%s: opened for packed records only", w->path);
		return -EINVAL;
	}
	raw = frame_encode(f, w->raw, w->raw_cap);

	if (w->failed) {
		snprintf(err, errlen, "recording to %s stopped after an earlier error", w->path);
		return -EIO;
	}
	if (raw && due(w, f, raw) && rotate(w, f->wall_ns, err, errlen) < 0) {
		w->failed = 1;
		return -EIO;
	}
	if (w->in_block >= REC_BLOCK)
		w->in_block = 0;
	h.flags = w->in_block == 0 ? REC_KEY : 0;
	packed = raw ? compress(w, raw, h.flags & REC_KEY) : 0;
	if (!packed) {
		snprintf(err, errlen, "cannot encode frame %llu", (unsigned long long)f->seq);
		w->in_block = 0; /* the stream may hold part of it: restart */
		return -EINVAL;
	}
	h.stored_len = (uint32_t)packed;
	h.raw_len = (uint32_t)raw;
	h.crc = rec_crc(&h, w->packed + REC_HEAD_LEN);
	rec_head_pack(&h, w->packed);
	rc = write_all(w->fd, w->packed, REC_HEAD_LEN + packed);
	if (rc < 0) {
		/* a partial record at the end reads as a torn tail: harmless */
		w->failed = 1;
		snprintf(err, errlen, "recording to %s stopped: %s", w->path, strerror(-rc));
		return rc;
	}
	w->size += REC_HEAD_LEN + packed;
	w->frames++;
	w->in_block++;
	return 0;
}

int rec_writer_append_packed(struct rec_writer *w, const uint8_t *rec, size_t len, char *err,
			     size_t errlen)
{
	int rc;

	if (w->failed) {
		snprintf(err, errlen, "recording to %s stopped after an earlier error", w->path);
		return -EIO;
	}
	rc = write_all(w->fd, rec, len);
	if (rc < 0) {
		w->failed = 1;
		snprintf(err, errlen, "writing %s: %s", w->path, strerror(-rc));
		return rc;
	}
	w->size += len;
	w->frames++;
	return 0;
}

uint64_t rec_writer_frames(const struct rec_writer *w)
{
	return w->frames;
}

uint64_t rec_writer_bytes(const struct rec_writer *w)
{
	return w->size;
}

void rec_writer_close(struct rec_writer *w)
{
	if (!w)
		return;
	if (w->fd >= 0)
		close(w->fd);
	ZSTD_freeCCtx(w->zc);
	free(w->meta.node_of);
	free(w->raw);
	free(w->packed);
	free(w);
}
