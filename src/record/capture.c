// SPDX-License-Identifier: GPL-2.0-only
#include "record/capture.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "record/recpack.h"
#include "record/recwriter.h"
#include "util/mem.h"
#include "util/text.h"

/* A frame in the ring: where its packed record sits in the arena. */
struct slot {
	uint64_t off, len;
	uint64_t seq;
	int64_t mono_ns;
};

struct capture {
	struct capture_conf conf;
	char dir[4096];            /* conf.dir without a trailing '/' */
	struct rec_meta meta;      /* node_of: our copy */
	struct rec_packer pk;
	uint8_t *scratch;          /* the current frame packed: rec_pack_bound bytes */
	size_t scratch_cap;
	/* the ring: slots[] in seq order from first, their bytes in a
	 * circular arena; head is where the next one goes */
	struct slot *slot;
	uint32_t nslots, first, n;
	uint8_t *arena;
	uint64_t arena_cap, head, used;
	int64_t pre_ns, post_ns, half_ns;
	/* the capture file being written, or NULL */
	struct rec_writer *w;
	char path[4096];
	int64_t end_ns;            /* the post window ends at this frame time */
	/* the last capture closed: a trigger whose pre window reaches into
	 * it appends there */
	char last_path[4096];
	int64_t last_ns;           /* its last frame's mono_ns; 0: none */
	uint64_t last_seq;
	int said_drop, said_pack, reserved;
	struct capture_stats st;
};

/* The ring's bytes are reserved at the first tick, for --pre's frames
 * at GROWTH times that tick's packed size (a storm's frames carry larger
 * counts), at most mem_bytes.  Not earlier: the baseline frame has no
 * deltas and packs to a fraction of a tick's size. */
#define GROWTH 2
#define SLACK 1024

struct capture *capture_open(const struct capture_conf *conf, const struct rec_meta *meta,
			     const struct frame *first, char *err, size_t errlen)
{
	struct capture *c = mem_zalloc(1, sizeof(*c));

	if (!c)
		goto oom;
	c->conf = *conf;
	snprintf(c->dir, sizeof(c->dir), "%s", conf->dir);
	for (size_t n = strlen(c->dir); n > 1 && c->dir[n - 1] == '/'; n--)
		c->dir[n - 1] = '\0';
	c->meta = *meta;
	c->meta.node_of = mem_zalloc(meta->ncpu ? meta->ncpu : 1, sizeof(uint16_t));
	c->pre_ns = (int64_t)(conf->pre_s * 1e9);
	c->post_ns = (int64_t)(conf->post_s * 1e9);
	c->half_ns = (int64_t)(conf->interval_s * 0.5e9);
	c->nslots = (uint32_t)ceil(conf->pre_s / conf->interval_s - 1e-9) + 1;
	c->scratch_cap = rec_pack_bound(first->ncpu);
	c->scratch = mem_zalloc(1, c->scratch_cap);
	c->slot = mem_zalloc(c->nslots, sizeof(*c->slot));
	if (!c->meta.node_of || !c->scratch || !c->slot || rec_packer_init(&c->pk, first->ncpu) < 0)
		goto oom;
	if (meta->node_of)
		memcpy(c->meta.node_of, meta->node_of, sizeof(uint16_t) * meta->ncpu);
	/* packing once here sizes zstd's workspace: no allocation later */
	rec_pack(&c->pk, first, c->scratch, c->scratch_cap);
	c->st.slots = c->nslots;
	return c;
oom:
	snprintf(err, errlen, "trigger: out of memory for the ring");
	capture_close(c);
	return NULL;
}

/* At the first tick: the arena for the ring, from that tick's size. */
static void reserve(struct capture *c, uint64_t len)
{
	uint64_t est = len * GROWTH + SLACK, want = est * c->nslots;

	c->arena_cap = want < c->conf.mem_bytes ? want : c->conf.mem_bytes;
	if (!(c->arena = mem_zalloc(1, c->arena_cap))) {
		text_say(c->conf.log, "trigger: out of memory for a ring of %llu bytes; nothing is kept",
			 (unsigned long long)c->arena_cap);
		c->arena_cap = 0;
	} else if (want > c->conf.mem_bytes) {
		text_say(c->conf.log, "trigger: --trigger-mem %llu bytes holds about %llu of the %u frames --pre %g s needs; keeping what fits",
			 (unsigned long long)c->conf.mem_bytes, (unsigned long long)(c->conf.mem_bytes / est),
			 c->nslots, c->conf.pre_s);
	}
	c->st.arena_bytes = c->arena_cap;
	c->reserved = 1;
}

static void drop_oldest(struct capture *c)
{
	c->used -= c->slot[c->first].len;
	c->first = (c->first + 1) % c->nslots;
	if (!--c->n)
		c->head = 0;
}

/* Where len bytes go in the arena, dropping the oldest frames until they
 * fit; -1 when len is more than the whole arena. */
static int64_t place(struct capture *c, uint64_t len)
{
	if (len > c->arena_cap)
		return -1;
	if (c->n == c->nslots)
		drop_oldest(c);
	for (;;) {
		uint64_t tail = c->n ? c->slot[c->first].off : 0;

		if (!c->n)
			return 0;
		if (c->head > tail) { /* live bytes in [tail, head) */
			if (c->head + len <= c->arena_cap)
				return (int64_t)c->head;
			if (len <= tail)
				return 0;
		} else if (c->head + len <= tail) { /* wrapped: live in [tail, end) and [0, head) */
			return (int64_t)c->head;
		}
		drop_oldest(c);
		c->st.byte_drops++;
		if (!c->said_drop++)
			text_say(c->conf.log, "trigger: the ring is full at %u frames (%.1f s of --pre %g s): raise --trigger-mem",
				 c->n + 1, (double)(c->n + 1) * c->conf.interval_s, c->conf.pre_s);
	}
}

static void ring_push(struct capture *c, const struct frame *f, uint64_t len)
{
	int64_t pos = place(c, len);
	struct slot *s;

	if (pos < 0) {
		c->st.byte_drops++;
		return;
	}
	s = &c->slot[(c->first + c->n) % c->nslots];
	*s = (struct slot){ .off = (uint64_t)pos, .len = len, .seq = f->seq, .mono_ns = f->mono_ns };
	memcpy(c->arena + pos, c->scratch, len);
	c->head = (uint64_t)pos + len;
	c->n++;
	c->used += len;
	if (c->used > c->st.peak_bytes)
		c->st.peak_bytes = c->used;
}

/* The state a transition entered this tick, if it is one that triggers. */
static const char *entered(const struct frame *f)
{
	const struct frame_regime *g = &f->regime;

	if (g->tlb != g->tlb_was && (g->tlb == TLB_STORM || g->tlb == TLB_SAFE_DEGRADED))
		return tlb_regime_name(g->tlb);
	if (g->iommu != g->iommu_was && (g->iommu == IOMMU_FLUSH_STORM || g->iommu == IOMMU_SAFE_DMA_CONTAIN))
		return iommu_regime_name(g->iommu);
	return NULL;
}

/* A write failed: what is in the file stays readable; the next trigger
 * starts a new file. */
static void fail(struct capture *c, const char *why)
{
	text_say(c->conf.log, "trigger: %s; capture closed, sampling goes on", why);
	rec_writer_close(c->w);
	c->w = NULL;
	c->last_path[0] = '\0';
	c->last_ns = 0;
}

/* DIR/storm-<UTC ISO 8601 basic>-<what>.rec, new (-2, -3 .. when taken). */
static struct rec_writer *create_named(struct capture *c, int64_t wall_ns, const char *what)
{
	time_t t = (time_t)(wall_ns / 1000000000);
	char stamp[32], err[4400];
	struct rec_writer *w = NULL;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	c->meta.start_ns = wall_ns;
	snprintf(err, sizeof(err), "%s: name too long", c->dir);
	for (int i = 1; i < 100 && !w; i++) {
		int n = i == 1 ? snprintf(c->path, sizeof(c->path), "%s/storm-%s-%s.rec", c->dir, stamp, what)
			       : snprintf(c->path, sizeof(c->path), "%s/storm-%s-%s-%d.rec", c->dir, stamp, what, i);

		if (n < 0 || (size_t)n >= sizeof(c->path))
			break;
		w = rec_writer_open_packed(c->path, &c->meta, 0, err, sizeof(err));
		if (!w && errno != EEXIST)
			break;
	}
	if (!w)
		text_say(c->conf.log, "trigger: %s; nothing captured, sampling goes on", err);
	return w;
}

/* Writes the ring's frames newer than after_seq and from from_ns on. */
static int write_ring(struct capture *c, struct rec_writer *w, int64_t from_ns, uint64_t after_seq,
		      int any_seq, uint64_t *last_seq)
{
	char err[4400];

	for (uint32_t i = 0; i < c->n; i++) {
		const struct slot *s = &c->slot[(c->first + i) % c->nslots];

		if (s->mono_ns < from_ns || (!any_seq && s->seq <= after_seq))
			continue;
		if (rec_writer_append_packed(w, c->arena + s->off, s->len, err, sizeof(err)) < 0) {
			text_say(c->conf.log, "trigger: %s; capture closed, sampling goes on", err);
			return -1;
		}
		c->st.written++;
		*last_seq = s->seq;
	}
	return 0;
}

/* A trigger with no file open: append to the last file when this pre
 * window reaches into it, else a new file of the ring's --pre frames. */
static void start(struct capture *c, const struct frame *f, const char *state)
{
	int64_t from = f->mono_ns - c->pre_ns - c->half_ns;
	char err[4400];
	int append = c->last_ns && from <= c->last_ns;

	if (append) {
		snprintf(c->path, sizeof(c->path), "%s", c->last_path);
		c->w = rec_writer_open_packed(c->path, &c->meta, 1, err, sizeof(err));
		if (!c->w)
			text_say(c->conf.log, "trigger: %s; starting a new file", err);
	}
	if (!c->w) {
		append = 0;
		if (!(c->w = create_named(c, f->wall_ns, state)))
			return;
		c->st.files++;
	}
	if (write_ring(c, c->w, from, c->last_seq, !append, &c->last_seq) < 0) {
		rec_writer_close(c->w);
		c->w = NULL;
		c->last_ns = 0;
		c->last_path[0] = '\0';
		return;
	}
	c->end_ns = f->mono_ns + c->post_ns;
}

/* The post window is over: the file is complete; remembered in case the
 * next trigger's pre window reaches back into it. */
static void finish(struct capture *c, const struct frame *f)
{
	text_say(c->conf.log, "trigger: %s: %llu frames", c->path, (unsigned long long)rec_writer_frames(c->w));
	rec_writer_close(c->w);
	c->w = NULL;
	snprintf(c->last_path, sizeof(c->last_path), "%s", c->path);
	c->last_ns = f->mono_ns;
	c->last_seq = f->seq;
}

void capture_frame(struct capture *c, const struct frame *f)
{
	size_t len = rec_pack(&c->pk, f, c->scratch, c->scratch_cap);
	const char *state = entered(f);
	char err[4400];

	if (!len) {
		if (!c->said_pack++)
			text_say(c->conf.log, "trigger: cannot pack frame %llu; it is left out", (unsigned long long)f->seq);
		return;
	}
	if (!c->reserved)
		reserve(c, len);
	ring_push(c, f, len);
	if (!c->w && state) {
		start(c, f, state);
	} else if (c->w) {
		if (rec_writer_append_packed(c->w, c->scratch, len, err, sizeof(err)) < 0) {
			fail(c, err);
			return;
		}
		c->st.written++;
		c->last_seq = f->seq;
		if (state) /* another trigger in the post window: the window restarts */
			c->end_ns = f->mono_ns + c->post_ns;
	}
	if (c->w && f->mono_ns + c->half_ns >= c->end_ns)
		finish(c, f);
}

int capture_save_ring(struct capture *c)
{
	char path[4096];
	struct rec_writer *w;
	uint64_t last = 0;
	int64_t wall;
	struct timespec now;
	int rc;

	if (!c->n) {
		text_say(c->conf.log, "trigger: SIGHUP: the ring is empty");
		return -1;
	}
	clock_gettime(CLOCK_REALTIME, &now);
	wall = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
	/* create_named names the file in c->path: keep an open capture's */
	snprintf(path, sizeof(path), "%s", c->path);
	w = create_named(c, wall, "sighup");
	if (!w) {
		snprintf(c->path, sizeof(c->path), "%s", path);
		return -1;
	}
	c->st.files++;
	rc = write_ring(c, w, INT64_MIN, 0, 1, &last);
	if (rc == 0)
		text_say(c->conf.log, "trigger: %s: %llu frames (SIGHUP)", c->path, (unsigned long long)rec_writer_frames(w));
	rec_writer_close(w);
	snprintf(c->path, sizeof(c->path), "%s", path);
	return rc;
}

void capture_stats(const struct capture *c, struct capture_stats *s)
{
	*s = c->st;
	s->frames = c->n;
	s->used_bytes = c->used;
}

void capture_close(struct capture *c)
{
	if (!c)
		return;
	if (c->w) {
		text_say(c->conf.log, "trigger: %s: %llu frames (stopped inside the post window)", c->path,
			 (unsigned long long)rec_writer_frames(c->w));
		rec_writer_close(c->w);
	}
	rec_packer_free(&c->pk);
	free(c->meta.node_of);
	free(c->scratch);
	free(c->slot);
	free(c->arena);
	free(c);
}
