// SPDX-License-Identifier: GPL-2.0-only
#include "collectors/attach.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/mem.h"
#include "collectors/probe_hist.h"
#include "collectors/probe_seg.h"
#include "collectors/probe_slots.h"

struct attach {
	size_t n;
	struct probe_seg seg[FRAME_APPS];
	struct probe_slots slots[FRAME_APPS];
	uid_t owners[3];
	size_t nowners;
	uint32_t dropped;          /* series beyond FRAME_SERIES this tick */
};

struct attach *attach_open(uid_t owner, uint64_t late_ns)
{
	struct attach *a = mem_zalloc(1, sizeof(*a));

	if (!a)
		return NULL;
	for (int k = 0; k < FRAME_APPS; k++)
		a->slots[k].late_bucket = stormprobe_bucket(late_ns);
	a->owners[a->nowners++] = getuid();
	a->owners[a->nowners++] = 0;
	if (owner != (uid_t)-1)
		a->owners[a->nowners++] = owner;
	return a;
}

int attach_add(struct attach *a, const char *name, char *err, size_t len)
{
	struct probe_seg *s = &a->seg[a->n];

	if (a->n == FRAME_APPS) {
		snprintf(err, len, "at most %d applications can be attached", FRAME_APPS);
		return -1;
	}
	if (probe_seg_init(s, name) < 0) {
		snprintf(err, len, "'%s' is not a segment name ([A-Za-z0-9_.-], up to %d) or a path",
			 name, STORMPROBE_NAME_MAX - 1);
		return -1;
	}
	for (size_t k = 0; k < a->n; k++)
		if (!strcmp(a->seg[k].path, s->path)) {
			snprintf(err, len, "'%s' is already attached", name);
			return -1;
		}
	a->n++;
	return 0;
}

void attach_close(struct attach *a)
{
	if (!a)
		return;
	for (size_t k = 0; k < a->n; k++) {
		probe_seg_close(&a->seg[k]);
		probe_slots_free(&a->slots[k]);
	}
	free(a);
}

struct state_job { const struct stormprobe_state *src; struct stormprobe_state *dst; int ok; };

/* The application-state block is the one seqlock reader. */
static void read_state(void *arg)
{
	struct state_job *j = arg;

	for (int tries = 0; tries < 4 && !j->ok; tries++) {
		uint32_t seq = __atomic_load_n(&j->src->seq, __ATOMIC_ACQUIRE);

		if (seq & 1)
			continue;
		memcpy(j->dst, j->src, sizeof(*j->dst));
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		j->ok = __atomic_load_n(&j->src->seq, __ATOMIC_RELAXED) == seq;
	}
}

static void describe_app(struct probe_seg *s, struct frame_app *app)
{
	struct stormprobe_state st;
	struct state_job j = { probe_seg_at(s, offsetof(struct stormprobe_header, state), sizeof(st)),
			       &st, 0 };

	memset(app, 0, sizeof(*app));
	app->state = (uint8_t)s->state;
	snprintf(app->name, sizeof(app->name), "%s", s->name);
	snprintf(app->why, sizeof(app->why), "%s", s->why);
	if (s->state != APP_OK && s->state != APP_GONE)
		return;
	app->pid = s->hdr.writer_pid;
	if (j.src && probe_seg_guard(s, read_state, &j) == 0 && j.ok) {
		app->mode = st.mode;
		memcpy(app->mode_label, st.label, sizeof(app->mode_label) - 1);
	}
}

/* A phase series pinned to a CPU feeds that CPU's jitter cell. */
static void add_series(struct frame *f, const struct frame_series *s, const uint64_t *delta)
{
	struct frame_cpu *c;

	if (s->reset || !s->n)
		return;
	if (s->kind == STORMPROBE_LATENCY) {
		f->signals |= 1u << SIG_APP_LAT;
		probe_hist_to_loglin(delta, f->app_hist);
		return;
	}
	f->signals |= 1u << SIG_APP_PHASE;
	if (s->cpu < 0 || (uint32_t)s->cpu >= f->ncpu)
		return;
	c = &f->cpu[s->cpu];
	c->jit_n += s->n;
	if (s->q[SQ_P99] > c->jit_p99_ns)
		c->jit_p99_ns = s->q[SQ_P99];
	if (s->max_ns > c->jit_max_ns)
		c->jit_max_ns = s->max_ns;
}

static void read_slots(struct attach *a, size_t k, struct frame *f)
{
	struct probe_seg *s = &a->seg[k];
	struct frame_series scratch;

	for (uint32_t i = 0; i < s->hdr.slot_count && s->state == APP_OK; i++) {
		struct frame_series *out = f->nseries < FRAME_SERIES ? &f->series[f->nseries] : &scratch;
		int r = probe_slots_read(&a->slots[k], s, i, out);

		if (r <= 0)
			continue;
		out->app = (uint8_t)k;
		add_series(f, out, a->slots[k].delta);
		if (out == &scratch)
			a->dropped++;
		else
			f->nseries++;
	}
	if (s->state == APP_OK)
		probe_slots_primed(&a->slots[k]);
}

static void fill_one(struct attach *a, size_t k, struct frame *f, int64_t now)
{
	struct probe_seg *s = &a->seg[k];

	if (probe_seg_refresh(s, a->owners, a->nowners, now) &&
	    s->state == APP_OK && probe_slots_size(&a->slots[k], s->hdr.slot_count) < 0) {
		probe_seg_close(s);
		s->state = APP_REJECTED;
		snprintf(s->why, sizeof(s->why), "out of memory for %u slots", s->hdr.slot_count);
	}
	if (s->state == APP_OK)
		read_slots(a, k, f);
	describe_app(s, &f->apps[k]);
}

static void set_status(struct attach *a, struct frame *f)
{
	char why[FRAME_STATUS_LEN] = "";
	size_t ok = 0, clean = 0, used = 0;

	for (size_t k = 0; k < a->n; k++) {
		const struct frame_app *app = &f->apps[k];

		ok += app->state == APP_OK;
		clean += app->state == APP_OK && !app->why[0]; /* ok with a note: partly trusted */
		if (app->why[0] && used < sizeof(why))
			used += (size_t)snprintf(why + used, sizeof(why) - used, "%s%s: %s",
						 used ? "; " : "", app->name, app->why);
	}
	if (a->dropped && used < sizeof(why))
		snprintf(why + used, sizeof(why) - used, "%s%u series beyond %d not shown",
			 used ? "; " : "", a->dropped, FRAME_SERIES);
	if (!a->n)
		frame_set_status(f, SRC_APP, SOURCE_OFF, "no application attached (--attach NAME)");
	else
		frame_set_status(f, SRC_APP, clean == a->n && !a->dropped ? SOURCE_OK :
				 ok ? SOURCE_PARTIAL : SOURCE_UNAVAILABLE, why);
}

void attach_fill(struct attach *a, struct frame *f)
{
	struct timespec ts;
	int64_t now;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
	a->dropped = 0;
	f->napps = (uint32_t)a->n;
	for (size_t k = 0; k < a->n; k++)
		fill_one(a, k, f, now);
	set_status(a, f);
}

size_t attach_available(char (*names)[FRAME_APP_NAME], size_t max)
{
	char dir[256], *slash;
	struct dirent *d;
	size_t n = 0;
	DIR *dp;

	if (stormprobe_path("x", dir, sizeof(dir)) < 0 || !(slash = strrchr(dir, '/')))
		return 0;
	*slash = '\0';
	if (!(dp = opendir(dir)))
		return 0;
	while ((d = readdir(dp)) && n < max)
		if (!strncmp(d->d_name, "stormprobe.", 11) && !strstr(d->d_name, ".tmp.") &&
		    strlen(d->d_name + 11) < FRAME_APP_NAME)
			snprintf(names[n++], FRAME_APP_NAME, "%s", d->d_name + 11);
	closedir(dp);
	return n;
}
