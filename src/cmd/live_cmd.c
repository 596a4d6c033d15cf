// SPDX-License-Identifier: GPL-2.0-only
/* stormtop with no command word: the live UI, -b's tab-separated samples,
 * or --probes' hook table, from the frame source main.c opened. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/app.h"
#include "cmd/app_tui.h"
#include "collectors/attach.h"
#include "collectors/sampler.h"
#include "collectors/synth.h"
#include "core/config.h"
#include "export/batch.h"
#include "record/recdir.h"
#include "record/recwriter.h"
#include "ui/tui.h"
#include "util/mem.h"
#include "util/text.h"
static int run_batch(struct app *a)
{
	uint64_t own_sent = 0;
	uint8_t said[BATCH_MAX_COLS] = { 0 };
	int64_t next;

	batch_header(stdout);
	app_sample(a); /* baseline: deltas start at the next tick */
	batch_topology(stderr, ring_at_age(&a->ring, 0));
	batch_sources(stderr, ring_at_age(&a->ring, 0));
	next = ring_at_age(&a->ring, 0)->mono_ns;
	for (long i = 0; !stop_requested && (a->opt.tick.iterations == 0 || i < a->opt.tick.iterations); i++) {
		next += app_interval_ns(a);
		if (app_sleep_until(next))
			return 0;
		app_sample(a);
		batch_missing(stderr, ring_at_age(&a->ring, 0), said);
		batch_frame(stdout, ring_at_age(&a->ring, 0), a->mask);
		own_sent += ring_at_age(&a->ring, 0)->sys.self_sent;
	}
	/* The monitor must not cause what it measures: say so at the end. */
	if (ring_at_age(&a->ring, 0)->status[SRC_BPF].state == SOURCE_OK ||
	    ring_at_age(&a->ring, 0)->status[SRC_BPF].state == SOURCE_PARTIAL)
		text_say(stderr, "own TLB shootdowns sent after start-up: %llu",
			(unsigned long long)own_sent);
	return 0;
}

/* --probes: what each tracepoint got, then every source's status. */
static int run_probes(struct app *a)
{
	app_sample(a);
	fputs("unit\ttracepoint\tprogram\trecursion_misses\tstate\n", stdout);
	a->src.ops->describe(a->src.self, stdout);
	batch_sources(stdout, ring_at_age(&a->ring, 0));
	return 0;
}

/* w: start recording what is shown (to -o FILE, or a name with the time
 * in the state directory: record/recdir.h, never the cwd), or stop. */
static void toggle_recording(struct app *a, struct tui *t)
{
	char path[4096], err[320];

	if (a->rec) {
		/* the header's REC note goes: say where the frames went */
		snprintf(err, sizeof(err), "recorded %llu frames to %s",
			 (unsigned long long)rec_writer_frames(a->rec), a->rec_path);
		app_rec_stop(a);
		a->rec_path[0] = '\0';
		tui_note(t, err);
		return;
	}
	if (recdir_path(a->opt.file, time(NULL), path, sizeof(path), err, sizeof(err)) < 0 ||
	    app_rec_start(a, path, err, sizeof(err)) < 0)
		snprintf(a->rec_err, sizeof(a->rec_err), "%s", err);
}

/* The header's recording note: what, how much, or why it stopped. */
static const char *rec_line(struct app *a, char *buf, size_t n)
{
	if (a->rec)
		snprintf(buf, n, "REC %s  %llu frames", a->rec_path,
			 (unsigned long long)rec_writer_frames(a->rec));
	else if (a->rec_err[0])
		snprintf(buf, n, "REC stopped: %s", a->rec_err);
	else
		return NULL;
	return buf;
}

/* a: offers the segments in the segment directory and attaches the one
 * typed; what happened shows in the app panel and the sources line. */
static void attach_prompt(struct app *a, struct tui *t)
{
	char names[8][FRAME_APP_NAME], prompt[400], name[FRAME_APP_NAME] = "", err[200];
	size_t n = attach_available(names, 8), used;

	used = (size_t)snprintf(prompt, sizeof(prompt), "attach%s", n ? " (" : " (none in /dev/shm yet)");
	for (size_t i = 0; i < n && used < sizeof(prompt); i++)
		used += (size_t)snprintf(prompt + used, sizeof(prompt) - used, "%s%s", i ? ", " : "", names[i]);
	snprintf(prompt + (used < sizeof(prompt) ? used : sizeof(prompt) - 1),
		 sizeof(prompt) - (used < sizeof(prompt) ? used : sizeof(prompt) - 1), "%s: ", n ? ")" : "");
	if (tui_prompt(t, prompt, name, sizeof(name)) == 0 &&
	    sampler_attach(a->sampler, name, err, sizeof(err)) < 0)
		snprintf(a->rec_err, sizeof(a->rec_err), "attach: %s", err);
}

/* Why the stack sampler could not follow the where view's process. */
static char where_why[256];

/* The where view opened (Enter in the process view) or closed (Esc): the
 * stack sampler follows its process from the next tick, or stops. */
static void where_target(struct app *a, struct tui *t, struct view *v)
{
	where_why[0] = '\0';
	if (sampler_stacks(a->sampler, tui_where(t), where_why, sizeof(where_why)) < 0 && !where_why[0])
		snprintf(where_why, sizeof(where_why), "refused");
	v->where_why = where_why[0] ? where_why : NULL;
}

/* Applies a key's action; returns 1 when the user asked to quit. */
static int apply_action(struct app *a, struct tui *t, struct view *v, enum ui_action act,
			int64_t *next)
{
	switch (act) {
	case UI_QUIT:
		return 1;
	case UI_PAUSE:
		v->paused = !v->paused;
		break;
	case UI_INTERVAL_UP:
	case UI_INTERVAL_DOWN:
		a->cfg.interval = a->opt.tick.interval_s = v->interval_s = config_step(STEPS_INTERVAL, v->interval_s, act == UI_INTERVAL_UP);
		*next = clock_ns(CLOCK_MONOTONIC) + app_interval_ns(a);
		break;
	case UI_RECORD:
		toggle_recording(a, t);
		break;
	case UI_ATTACH:
		attach_prompt(a, t);
		break;
	case UI_WHERE:
		where_target(a, t, v);
		break;
	case UI_SETTINGS: /* setup changed the interval or the thresholds */
		v->warn = a->opt.view.warn_rate = a->cfg.heat_warn;
		v->crit = a->opt.view.crit_rate = a->cfg.heat_crit;
		if (a->cfg.interval != v->interval_s) {
			a->opt.tick.interval_s = v->interval_s = a->cfg.interval;
			*next = clock_ns(CLOCK_MONOTONIC) + app_interval_ns(a);
		}
		break;
	default: /* playback keys mean nothing live */
		break;
	}
	return 0;
}

static int run_tui(struct app *a)
{
	char err[400], synth[64];
	struct tui_opts to;
	struct tui *t;
	struct view v = {
		.interval_s = a->opt.tick.interval_s, .warn = a->opt.view.warn_rate, .crit = a->opt.view.crit_rate,
		.cpu_mask = a->mask, .host = a->uts.nodename, .kernel = a->uts.release,
	};
	long ticks = 0;
	int64_t next;

	app_tui_opts(a, a->topo.ncpu, &to);
	t = tui_open(&to, err, sizeof(err));
	snprintf(synth, sizeof(synth), "SYNTHETIC %u CPUs, %u nodes", a->topo.ncpu, a->topo.nnodes);
	if (!t) {
		text_say(stderr, "%s", err);
		return EXIT_RUNTIME;
	}
	mem_prefault_image(); /* again: curses has allocated since set-up */
	app_sample(a);
	next = clock_ns(CLOCK_MONOTONIC) + app_interval_ns(a);
	while (!stop_requested) {
		char line[400];

		v.status_line = a->src.ops == &synth_source && !a->rec && !a->rec_err[0] ? synth
											: rec_line(a, line, sizeof(line));
		tui_draw(t, &a->ring, &v);
		/* paused, nothing changes: wait for a key, not for the next tick */
		if (apply_action(a, t, &v, app_wait_keys(t, v.paused ? APP_NO_DEADLINE : next), &next))
			break;
		if (clock_ns(CLOCK_MONOTONIC) < next)
			continue;
		next += app_interval_ns(a);
		if (next < clock_ns(CLOCK_MONOTONIC)) /* fell behind (suspend): resync */
			next = clock_ns(CLOCK_MONOTONIC) + app_interval_ns(a);
		if (v.paused)
			continue;
		app_sample(a);
		if (a->opt.tick.iterations && ++ticks >= a->opt.tick.iterations) {
			tui_draw(t, &a->ring, &v);
			break;
		}
	}
	tui_close(t);
	return 0;
}

int run_live(struct app *a)
{
	return a->opt.live.probes ? run_probes(a) : a->opt.live.batch ? run_batch(a) : run_tui(a);
}
