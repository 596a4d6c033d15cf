#include "recreader.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <zstd.h>

#include "codec.h"
#include "crc32c.h"

struct rec_reader {
	int fd;
	struct rec_meta meta;
	uint64_t *off;          /* record start of each frame */
	int64_t *wall;
	size_t n, cap;
	uint64_t end;           /* after the last good record */
	uint64_t skipped, torn;
	uint8_t *buf, *raw;     /* grown to the largest record seen */
	size_t buf_cap, raw_cap;
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
	uint32_t len, crc;
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
	len = (uint32_t)(pre[12] | pre[13] << 8 | pre[14] << 16 | (uint32_t)pre[15] << 24);
	if (len > 1u << 20 || size < REC_PREFIX_LEN + (uint64_t)len + 4)
		return snprintf(err, errlen, "truncated header (%llu bytes)", (unsigned long long)size), -1;
	if (!(body = malloc(len + 4)))
		return snprintf(err, errlen, "out of memory"), -1;
	if (read_at(r->fd, body, len + 4, REC_PREFIX_LEN) == 0) {
		crc = (uint32_t)(body[len] | body[len + 1] << 8 | body[len + 2] << 16 |
				 (uint32_t)body[len + 3] << 24);
		if (crc != crc32c(0, body, len))
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

static int index_add(struct rec_reader *r, uint64_t off, int64_t wall)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 1024;
		uint64_t *o = realloc(r->off, cap * sizeof(*o));
		int64_t *w;

		if (!o)
			return -1;
		r->off = o;
		if (!(w = realloc(r->wall, cap * sizeof(*w))))
			return -1;
		r->wall = w;
		r->cap = cap;
	}
	r->off[r->n] = off;
	r->wall[r->n++] = wall;
	return 0;
}

/* A record whose header is plausible and whose CRC holds. */
static int record_ok(struct rec_reader *r, uint64_t off, uint64_t size, struct rec_head *h)
{
	uint8_t b[REC_HEAD_LEN];

	if (off + REC_HEAD_LEN > size || read_at(r->fd, b, REC_HEAD_LEN, off) < 0)
		return 0;
	rec_head_unpack(b, h);
	if (h->sync != REC_SYNC || h->stored_len > REC_MAX_PAYLOAD || h->raw_len > REC_MAX_PAYLOAD ||
	    off + REC_HEAD_LEN + h->stored_len > size)
		return 0;
	if (grow(&r->buf, &r->buf_cap, h->stored_len + 1) < 0 ||
	    read_at(r->fd, r->buf, h->stored_len, off + REC_HEAD_LEN) < 0)
		return 0;
	return rec_crc(h, r->buf) == h->crc;
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

/* Every record is checked (CRC included) as it is indexed: a frame in the
 * index is a frame that reads. */
size_t rec_reader_refresh(struct rec_reader *r)
{
	uint64_t size = file_size(r->fd), off = r->end;
	size_t before = r->n;
	struct rec_head h;

	r->torn = 0;
	while (off < size) {
		if (record_ok(r, off, size, &h)) {
			if (h.type == REC_FRAME && index_add(r, off, h.wall_ns) < 0)
				break;
			off += REC_HEAD_LEN + h.stored_len;
			r->end = off;
			continue;
		}
		uint64_t next = resync(r, off + 1, size);

		if (next >= size) { /* nothing valid after it: a torn tail (or still being written) */
			r->torn = size - off;
			break;
		}
		r->skipped += next - off;
		off = next;
	}
	return r->n - before;
}

struct rec_reader *rec_reader_open(const char *path, char *err, size_t errlen)
{
	struct rec_reader *r = calloc(1, sizeof(*r));
	struct stat st = { 0 };

	if (!r)
		return snprintf(err, errlen, "out of memory"), NULL;
	/* O_NONBLOCK: opening a FIFO must not wait for a writer */
	r->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (r->fd < 0) {
		snprintf(err, errlen, "%s", strerror(errno));
	} else if (fstat(r->fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s, not a recording", kind_of(st.st_mode));
	} else if (read_header(r, err, errlen) == 0 && (r->zd = ZSTD_createDCtx())) {
		rec_reader_refresh(r);
		return r;
	}
	rec_reader_close(r);
	return NULL;
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

int rec_reader_frame(struct rec_reader *r, size_t i, struct frame *f)
{
	uint8_t b[REC_HEAD_LEN];
	struct rec_head h;
	size_t n;

	if (i >= r->n || read_at(r->fd, b, REC_HEAD_LEN, r->off[i]) < 0)
		return -1;
	rec_head_unpack(b, &h);
	if (h.stored_len > REC_MAX_PAYLOAD || h.raw_len > REC_MAX_PAYLOAD ||
	    grow(&r->buf, &r->buf_cap, h.stored_len + 1) < 0 ||
	    grow(&r->raw, &r->raw_cap, h.raw_len + 1) < 0 ||
	    read_at(r->fd, r->buf, h.stored_len, r->off[i] + REC_HEAD_LEN) < 0 ||
	    rec_crc(&h, r->buf) != h.crc)
		return -1;
	if (h.codec == REC_RAW) {
		memcpy(r->raw, r->buf, h.stored_len);
		n = h.stored_len;
	} else {
		n = ZSTD_decompressDCtx(r->zd, r->raw, r->raw_cap, r->buf, h.stored_len);
		if (ZSTD_isError(n) || n != h.raw_len)
			return -1;
	}
	return frame_decode(r->raw, n, f);
}

size_t rec_reader_find(const struct rec_reader *r, int64_t wall_ns)
{
	size_t lo = 0, hi = r->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->wall[mid] < wall_ns)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
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
	free(r->buf);
	free(r->raw);
	free(r);
}
