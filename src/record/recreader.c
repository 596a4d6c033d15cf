// SPDX-License-Identifier: GPL-2.0-only
#include "record/recreader.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <zstd.h>

#include "record/codec.h"
#include "record/timesel.h"
#include "util/crc32c.h"

/* codec[i] of an index entry that stands for a damaged record: it keeps
 * the record's place, so every frame lost is counted where it was. */
#define CODEC_DAMAGED 0x7f
/* codec[i] bit: the frame failed to read once (counted once) */
#define CODEC_FAILED 0x80
/* seq[i] of an entry not read (yet): its neighbours' gap is unknown */
#define SEQ_UNREAD UINT64_MAX
#define WINDOW (1u << 20)   /* bytes read at a time while indexing */

struct rec_reader {
	int fd;
	struct rec_meta meta;
	uint64_t *off;          /* record start of each frame */
	int64_t *wall;
	size_t *key;            /* the keyframe each frame's stream starts at */
	uint8_t *codec;         /* enum rec_codec, CODEC_DAMAGED; | CODEC_FAILED */
	uint64_t *seq;          /* each frame's seq once read, else SEQ_UNREAD */
	size_t last;            /* the stream holds frames up to this one */
	size_t n, cap;
	uint64_t end;           /* after the last good record */
	uint64_t skipped, torn;
	uint8_t *buf, *raw;     /* grown to the largest record seen */
	size_t buf_cap, raw_cap;
	uint8_t *win;           /* the file's bytes [win_off, win_off + win_len) */
	size_t win_cap, win_len;
	uint64_t win_off;
	ZSTD_DCtx *zd;
};

static int read_at(int fd, void *p, size_t n, uint64_t off)
{
	ssize_t r = pread(fd, p, n, (off_t)off);

	return r == (ssize_t)n ? 0 : -1;
}

static uint64_t file_size(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 ? (uint64_t)st.st_size : 0;
}

static int grow(uint8_t **p, size_t *cap, size_t need)
{
	uint8_t *q;

	if (need <= *cap)
		return 0;
	if (!(q = realloc(*p, need)))
		return -1;
	*p = q;
	*cap = need;
	return 0;
}

static const char *kind_of(mode_t m)
{
	return S_ISDIR(m) ? "a directory" : S_ISFIFO(m) ? "a FIFO" : S_ISCHR(m) ? "a character device" :
	       S_ISBLK(m) ? "a block device" : S_ISSOCK(m) ? "a socket" : "not a regular file";
}

/* The file header: magic, version, body, CRC. */
static int read_header(struct rec_reader *r, char *err, size_t errlen)
{
	uint8_t pre[REC_PREFIX_LEN], *body;
	uint64_t size = file_size(r->fd);
	uint32_t len;
	int rc = -1;

	if (size == 0)
		return snprintf(err, errlen, "empty file"), -1;
	if (size < REC_PREFIX_LEN || read_at(r->fd, pre, REC_PREFIX_LEN, 0) < 0)
		return snprintf(err, errlen, "truncated header (%llu bytes)", (unsigned long long)size), -1;
	if (memcmp(pre, REC_MAGIC, REC_MAGIC_LEN) != 0)
		return snprintf(err, errlen, "not a stormtop recording (bad magic)"), -1;
	if (pre[8] + pre[9] * 256 > REC_VERSION_MAJOR)
		return snprintf(err, errlen, "format version %d.%d is newer than this stormtop reads (%d.x)",
				pre[8] + pre[9] * 256, pre[10] + pre[11] * 256, REC_VERSION_MAJOR), -1;
	len = rec_get32(pre + 12);
	if (len > 1u << 20 || size < REC_PREFIX_LEN + (uint64_t)len + 4)
		return snprintf(err, errlen, "truncated header (%llu bytes)", (unsigned long long)size), -1;
	if (!(body = malloc(len + 4)))
		return snprintf(err, errlen, "out of memory"), -1;
	if (read_at(r->fd, body, len + 4, REC_PREFIX_LEN) == 0) {
		if (rec_get32(body + len) != crc32c(0, body, len))
			snprintf(err, errlen, "damaged header (CRC mismatch)");
		else if (rec_meta_decode(body, len, &r->meta) < 0)
			snprintf(err, errlen, "damaged header (malformed)");
		else
			rc = 0;
	}
	free(body);
	r->end = REC_PREFIX_LEN + (uint64_t)len + 4;
	return rc;
}

static int grow_index(struct rec_reader *r)
{
	size_t cap = r->cap ? r->cap * 2 : 1024;
	void *p;

	if (!(p = realloc(r->off, cap * sizeof(*r->off))))
		return -1;
	r->off = p;
	if (!(p = realloc(r->wall, cap * sizeof(*r->wall))))
		return -1;
	r->wall = p;
	if (!(p = realloc(r->key, cap * sizeof(*r->key))))
		return -1;
	r->key = p;
	if (!(p = realloc(r->codec, cap)))
		return -1;
	r->codec = p;
	if (!(p = realloc(r->seq, cap * sizeof(*r->seq))))
		return -1;
	r->seq = p;
	r->cap = cap;
	return 0;
}

/* A streamed frame belongs to the block of the keyframe before it, if
 * nothing was skipped in between; otherwise it cannot be decoded (it is
 * counted lost now, not when someone tries). */
static int index_add(struct rec_reader *r, uint64_t off, const struct rec_head *h, int after_gap)
{
	size_t i = r->n;

	if (i == r->cap && grow_index(r) < 0)
		return -1;
	r->off[i] = off;
	r->wall[i] = h->wall_ns;
	r->codec[i] = h->codec & ~CODEC_FAILED;
	if (h->codec == CODEC_DAMAGED)
		r->key[i] = SIZE_MAX;
	else if (h->codec != REC_ZSTD_STREAM || (h->flags & REC_KEY))
		r->key[i] = i;
	else if (i == 0 || after_gap || (r->codec[i - 1] & ~CODEC_FAILED) != REC_ZSTD_STREAM)
		r->key[i] = SIZE_MAX;
	else
		r->key[i] = r->key[i - 1];
	r->seq[i] = SEQ_UNREAD;
	r->n++;
	return 0;
}

/* A damaged record keeps its place in the index (at the time of the
 * frame before it: its own time is not to be trusted), so whoever reads
 * the file meets it, and counts it, exactly where it was. */
static int index_damaged(struct rec_reader *r, uint64_t off)
{
	struct rec_head h = { .codec = CODEC_DAMAGED,
			      .wall_ns = r->n ? r->wall[r->n - 1] : r->meta.start_ns };

	return index_add(r, off, &h, 1);
}

/* Bytes [off, off + n) of the file, from a window read WINDOW bytes at a
 * time (indexing a day's file is then a few hundred reads, not one per
 * record); NULL past the end of the file or when out of memory. */
static const uint8_t *span(struct rec_reader *r, uint64_t off, size_t n, uint64_t size)
{
	size_t want = size - off < WINDOW ? (size_t)(size - off) : WINDOW;
	ssize_t got;

	if (off >= r->win_off && off + n <= r->win_off + r->win_len)
		return r->win + (off - r->win_off);
	if (grow(&r->win, &r->win_cap, n > want ? n : want) < 0)
		return NULL;
	r->win_len = 0;
	r->win_off = off;
	got = pread(r->fd, r->win, r->win_cap, (off_t)off);
	if (got < 0)
		return NULL;
	r->win_len = (size_t)got;
	return (size_t)got >= n ? r->win : NULL;
}

/* A whole record at off: a plausible header, the payload within the
 * file, and the CRC right.  Every record is checked before its length is
 * used to find the next: a flipped bit in a stored length must not make
 * the reader step over good records. */
static int record_ok(struct rec_reader *r, uint64_t off, uint64_t size, struct rec_head *h)
{
	const uint8_t *p;

	if (off + REC_HEAD_LEN > size || !(p = span(r, off, REC_HEAD_LEN, size)))
		return 0;
	rec_head_unpack(p, h);
	if (h->sync != REC_SYNC || h->stored_len > REC_MAX_PAYLOAD || h->raw_len > REC_MAX_PAYLOAD ||
	    off + REC_HEAD_LEN + h->stored_len > size)
		return 0;
	if (!(p = span(r, off, REC_HEAD_LEN + (size_t)h->stored_len, size)))
		return 0;
	return crc32c(crc32c(0, p + 4, REC_HEAD_LEN - 8), p + REC_HEAD_LEN, h->stored_len) == h->crc;
}

static int crc_ok(struct rec_reader *r, uint64_t off, const struct rec_head *h)
{
	return grow(&r->buf, &r->buf_cap, h->stored_len + 1) == 0 &&
	       read_at(r->fd, r->buf, h->stored_len, off + REC_HEAD_LEN) == 0 && rec_crc(h, r->buf) == h->crc;
}

/* The next offset after `from` where a sync word starts, or size. */
static uint64_t resync(struct rec_reader *r, uint64_t from, uint64_t size)
{
	uint8_t chunk[65536];

	for (uint64_t at = from; at < size;) {
		size_t want = size - at < sizeof(chunk) ? (size_t)(size - at) : sizeof(chunk);
		ssize_t got = pread(r->fd, chunk, want, (off_t)at);

		if (got < 4)
			break;
		for (ssize_t i = 0; i + 4 <= got; i++)
			if (chunk[i] == 0x53 && chunk[i + 1] == 0x54 && chunk[i + 2] == 0x46 && chunk[i + 3] == 0x52)
				return at + (uint64_t)i;
		at += (uint64_t)got - 3;
	}
	return size;
}

/* Indexing CRC-checks every record (a day at 1 s and 64 CPUs, 198 MB,
 * in a fraction of a second: see bench/rec_cost.c).  A record that fails
 * is indexed as damaged and the next one is found by its sync word, so a
 * damaged record loses itself and the rest of its stream block, never
 * more.  Nothing valid after it: a torn tail (or one still being
 * written), left for the next refresh. */
size_t rec_reader_refresh(struct rec_reader *r)
{
	uint64_t size = file_size(r->fd), off = r->end;
	size_t before = r->n;
	struct rec_head h;
	int gap = 0;

	r->torn = 0;
	r->win_len = 0; /* the file may have grown, or been rewritten */
	while (off < size) {
		uint64_t next;

		if (record_ok(r, off, size, &h)) {
			if (h.type == REC_FRAME && index_add(r, off, &h, gap) < 0)
				break;
			gap = 0;
			off += REC_HEAD_LEN + h.stored_len;
			r->end = off;
			continue;
		}
		next = resync(r, off + 1, size);
		if (next >= size) {
			r->torn = size - off;
			break;
		}
		if (index_damaged(r, off) < 0)
			break;
		r->skipped += next - off;
		r->end = off = next;
		gap = 1;
	}
	return r->n - before;
}

/* Takes fd (open for reading) as the reader's own. */
static struct rec_reader *open_fd(int fd, char *err, size_t errlen)
{
	struct rec_reader *r = calloc(1, sizeof(*r));
	struct stat st = { 0 };

	if (!r) {
		if (fd >= 0)
			close(fd);
		return snprintf(err, errlen, "out of memory"), NULL;
	}
	r->fd = fd;
	if (r->fd < 0) {
		snprintf(err, errlen, "%s", strerror(errno));
	} else if (fstat(r->fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s, not a recording", kind_of(st.st_mode));
	} else if (read_header(r, err, errlen) == 0 && (r->zd = ZSTD_createDCtx())) {
		r->last = SIZE_MAX;
		rec_reader_refresh(r);
		return r;
	}
	rec_reader_close(r);
	return NULL;
}

struct rec_reader *rec_reader_open(const char *path, char *err, size_t errlen)
{
	/* O_NONBLOCK: opening a FIFO must not wait for a writer */
	return open_fd(open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC), err, errlen);
}

struct rec_reader *rec_reader_open_fd(int fd, char *err, size_t errlen)
{
	return open_fd(fcntl(fd, F_DUPFD_CLOEXEC, 0), err, errlen);
}

const struct rec_meta *rec_reader_meta(const struct rec_reader *r)
{
	return &r->meta;
}

size_t rec_reader_count(const struct rec_reader *r)
{
	return r->n;
}

int64_t rec_reader_time(const struct rec_reader *r, size_t i)
{
	return i < r->n ? r->wall[i] : 0;
}

uint64_t rec_reader_end(const struct rec_reader *r)
{
	return r->end;
}

uint64_t rec_reader_skipped(const struct rec_reader *r)
{
	return r->skipped;
}

uint64_t rec_reader_torn(const struct rec_reader *r)
{
	return r->torn;
}

/* Record i's payload into r->buf, CRC-checked; its header in *h. */
static int load(struct rec_reader *r, size_t i, struct rec_head *h)
{
	uint8_t b[REC_HEAD_LEN];

	if (read_at(r->fd, b, REC_HEAD_LEN, r->off[i]) < 0)
		return -1;
	rec_head_unpack(b, h);
	if (h->stored_len > REC_MAX_PAYLOAD || h->raw_len > REC_MAX_PAYLOAD ||
	    grow(&r->raw, &r->raw_cap, h->raw_len + 1) < 0)
		return -1;
	return crc_ok(r, r->off[i], h) ? 0 : -1;
}

/* Feeds record i to the stream; its frame's bytes come out in r->raw. */
static int inflate_next(struct rec_reader *r, size_t i, size_t *n)
{
	struct rec_head h;
	ZSTD_inBuffer in;
	ZSTD_outBuffer out;

	if (load(r, i, &h) < 0)
		return -1;
	in = (ZSTD_inBuffer){ r->buf, h.stored_len, 0 };
	out = (ZSTD_outBuffer){ r->raw, r->raw_cap, 0 };
	while (in.pos < in.size) {
		size_t rc = ZSTD_decompressStream(r->zd, &out, &in);

		if (ZSTD_isError(rc) || (out.pos == out.size && in.pos < in.size))
			return -1;
	}
	*n = out.pos;
	return out.pos == h.raw_len ? 0 : -1;
}

/* Streamed frame i: carry on from the last one decoded when it is the
 * one before in the same block, else start again at the block's key. */
static int stream_frame(struct rec_reader *r, size_t i, size_t *n)
{
	size_t k = r->key[i], from;

	if (k == SIZE_MAX)
		return -1;
	if (r->last != SIZE_MAX && r->key[r->last] == k && r->last < i) {
		from = r->last + 1;
	} else {
		ZSTD_DCtx_reset(r->zd, ZSTD_reset_session_only);
		from = k;
	}
	for (size_t j = from; j <= i; j++)
		if (inflate_next(r, j, n) < 0) {
			r->last = SIZE_MAX;
			return -1;
		}
	r->last = i;
	return 0;
}

/* Frames written before the topology was recorded get one from their
 * CPU slots, so every reader counts CPUs and nodes the same way. */
static int decoded(const uint8_t *raw, size_t n, struct frame *f)
{
	if (frame_decode(raw, n, f) < 0)
		return -1;
	frame_topo_derive(f);
	return 0;
}

static int decode(struct rec_reader *r, size_t i, struct frame *f)
{
	struct rec_head h;
	size_t n = 0;

	if ((r->codec[i] & ~CODEC_FAILED) == CODEC_DAMAGED)
		return -1;
	if ((r->codec[i] & ~CODEC_FAILED) == REC_ZSTD_STREAM) {
		if (stream_frame(r, i, &n) < 0)
			return -1;
		return decoded(r->raw, n, f);
	}
	if (load(r, i, &h) < 0)
		return -1;
	if (h.codec == REC_RAW) {
		memcpy(r->raw, r->buf, h.stored_len < r->raw_cap ? h.stored_len : r->raw_cap);
		n = h.stored_len < r->raw_cap ? h.stored_len : r->raw_cap;
	} else {
		n = ZSTD_decompressDCtx(r->zd, r->raw, r->raw_cap, r->buf, h.stored_len);
		r->last = SIZE_MAX; /* the one-shot call resets the stream */
		if (ZSTD_isError(n) || n != h.raw_len)
			return -1;
	}
	return decoded(r->raw, n, f);
}

/* A frame read keeps its seq, which says how many frames a damaged span
 * before it swallowed; a frame that fails is marked, counted once. */
int rec_reader_frame(struct rec_reader *r, size_t i, struct frame *f)
{
	if (i >= r->n)
		return -1;
	if (decode(r, i, f) == 0) {
		r->seq[i] = f->seq;
		return 0;
	}
	r->codec[i] |= CODEC_FAILED;
	return -1;
}

/* Damaged, orphaned by a damaged block start, or failed when read. */
static int entry_lost(const struct rec_reader *r, size_t i)
{
	return (r->codec[i] & CODEC_FAILED) || r->key[i] == SIZE_MAX;
}

void rec_losses_bad(struct rec_losses *l)
{
	l->total++;
	l->run++;
}

void rec_losses_good(struct rec_losses *l, uint64_t seq)
{
	if (l->have && l->run && seq > l->seq && seq - l->seq - 1 > l->run)
		l->total += (size_t)(seq - l->seq - 1 - l->run);
	l->seq = seq;
	l->run = 0;
	l->have = 1;
}

void rec_losses_skip(struct rec_losses *l)
{
	l->run = 0;
	l->have = 0;
}

int rec_reader_next(struct rec_reader *r, const struct time_sel *sel, size_t *i, struct frame *f,
		    struct rec_losses *lost)
{
	for (; *i < rec_reader_count(r); (*i)++) {
		if (sel && !timesel_has(sel, *i, rec_reader_time(r, *i))) {
			rec_losses_skip(lost);
			continue;
		}
		if (rec_reader_frame(r, *i, f) < 0) {
			rec_losses_bad(lost);
			continue;
		}
		rec_losses_good(lost, f->seq);
		(*i)++;
		return 1;
	}
	return 0;
}

/* The same count dump makes walking every frame, from what was read so
 * far: a frame not read stands between spans like a window's edge. */
size_t rec_reader_lost(const struct rec_reader *r)
{
	struct rec_losses l = { 0 };

	for (size_t i = 0; i < r->n; i++) {
		if (entry_lost(r, i))
			rec_losses_bad(&l);
		else if (r->seq[i] != SEQ_UNREAD)
			rec_losses_good(&l, r->seq[i]);
		else
			rec_losses_skip(&l);
	}
	return l.total;
}

void rec_reader_close(struct rec_reader *r)
{
	if (!r)
		return;
	if (r->fd >= 0)
		close(r->fd);
	ZSTD_freeDCtx(r->zd);
	free(r->meta.node_of);
	free(r->off);
	free(r->wall);
	free(r->key);
	free(r->codec);
	free(r->seq);
	free(r->buf);
	free(r->raw);
	free(r->win);
	free(r);
}
