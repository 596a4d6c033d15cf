// SPDX-License-Identifier: GPL-2.0-only
/* stormtop play: the live UI fed from a recording.  The player keeps the
 * ring; this file turns keys into player moves and paces the frames. */
#include "cmd/app.h"
#include "cmd/app_tui.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "record/player.h"
#include "record/recreader.h"
#include "collectors/sampler.h"
#include "util/when.h"
#include "util/text.h"

struct play {
	struct app *a;
	struct frame_source src;  /* player_source */
	struct player *p;         /* its state: the moves below are the player's own */
	struct tui *t;
	struct view v;
	int64_t due;        /* CLOCK_MONOTONIC time of the next frame */
};

static void schedule(struct play *s)
{
	s->due = clock_ns(CLOCK_MONOTONIC) + player_gap_ns(s->p);
}

/* b: ask for a time and go there; a bad time, or a time that is not in
 * the recording or is in it more than once, is said in the footer. */
static void go_to(struct play *s)
{
	char buf[64], note[200];
	struct when w;

	if (tui_prompt(s->t, "go to (hh:mm[:ss] or YYYY-mm-dd hh:mm): ", buf, sizeof(buf)) < 0)
		return;
	if (when_parse(buf, &w) < 0) {
		tui_prompt(s->t, "not a time (Enter) ", buf, 1);
		return;
	}
	player_goto(s->p, &w, note, sizeof(note));
	if (note[0])
		tui_note(s->t, note);
}

/* n N j J found nothing that way: said in the key bar, or the key would
 * look ignored (the frame shown does not move). */
static void seek(struct play *s, int found, const char *none)
{
	if (found < 0)
		tui_note(s->t, none);
}

/* Applies one action; 1 to quit. */
static int act(struct play *s, enum ui_action a)
{
	static const int64_t MIN = 60000000000LL;

	switch (a) {
	case UI_QUIT: return 1;
	case UI_PAUSE: s->v.paused = !s->v.paused; break;
	case UI_INTERVAL_UP: player_speed_step(s->p, 1); break;
	case UI_INTERVAL_DOWN: player_speed_step(s->p, 0); break;
	case UI_STEP_FWD: player_step(s->p); s->v.paused = 1; break;
	case UI_STEP_BACK:
		if (s->p->pos > 1)
			player_show(s->p, s->p->pos - 2);
		s->v.paused = 1;
		break;
	case UI_JUMP_FWD: player_jump(s->p, MIN); break;
	case UI_JUMP_BACK: player_jump(s->p, -MIN); break;
	case UI_JUMP_FWD_LONG: player_jump(s->p, 10 * MIN); break;
	case UI_JUMP_BACK_LONG: player_jump(s->p, -10 * MIN); break;
	case UI_GOTO: go_to(s); break;
	case UI_NEXT_BURST: seek(s, player_burst(s->p, 1), "no later TLB burst in the recording"); break;
	case UI_PREV_BURST: seek(s, player_burst(s->p, -1), "no earlier TLB burst in the recording"); break;
	case UI_NEXT_TRANSITION:
		seek(s, player_transition(s->p, 1), "no later regime transition in the recording");
		break;
	case UI_PREV_TRANSITION:
		seek(s, player_transition(s->p, -1), "no earlier regime transition in the recording");
		break;
	case UI_SETTINGS:
		s->v.warn = s->a->cfg.heat_warn;
		s->v.crit = s->a->cfg.heat_crit;
		return 0;
	case UI_NONE: case UI_RECORD: case UI_ATTACH: return 0; /* live only */
	case UI_WHERE: return 0; /* the view shows what was recorded (frame.sites) */
	}
	schedule(s);
	return 0;
}

static int loop(struct play *s)
{
	long steps = 0;
	char line[300];

	schedule(s);
	while (!stop_requested) {
		player_status(s->p, line, sizeof(line));
		s->v.status_line = line;
		tui_draw(s->t, &s->a->ring, &s->v);
		/* paused, nothing is due: wait for a key, do not poll */
		if (act(s, app_wait_keys(s->t, s->v.paused ? APP_NO_DEADLINE : s->due)))
			break;
		if (s->v.paused || clock_ns(CLOCK_MONOTONIC) < s->due)
			continue;
		if (player_step(s->p) == 0 && s->a->opt.tick.iterations && ++steps >= s->a->opt.tick.iterations)
			break;
		schedule(s);
	}
	return 0;
}

/* 0; -1 out of memory; -2 a usage error (a history that does not fit, a bad --cpus). */
static int start(struct play *s, struct rec_reader *r, char *err, size_t errlen)
{
	struct app *a = s->a;
	const struct rec_meta *m = rec_reader_meta(r);
	struct tui_opts to;

	if (app_check_history(a, m->ncpu, 1, err, errlen))
		return -2;
	if (ring_init(&a->ring, app_history(a), m->ncpu) < 0 ||
	    source_open(&s->src, &player_source, &(struct source_conf){
		    .reader = r, .ring = &a->ring, .name = a->opt.file, .crit = a->opt.view.crit_rate }) < 0)
		return snprintf(err, errlen, "out of memory"), -1;
	s->p = s->src.self;
	if (a->opt.view.cpus) {
		if (!(a->mask = calloc(m->ncpu, 1)))
			return snprintf(err, errlen, "out of memory"), -1;
		if (app_cpulist("--cpus", a->opt.view.cpus, a->mask, m->ncpu, err, errlen))
			return -2;
	}
	app_tui_opts(a, m->ncpu, &to);
	s->t = tui_open(&to, err, errlen);
	if (!s->t)
		return -1;
	s->v = (struct view){ .warn = a->opt.view.warn_rate, .crit = a->opt.view.crit_rate, .cpu_mask = a->mask,
			      .host = m->host, .kernel = m->kernel, .playback = 1,
			      .interval_s = (double)m->interval_ns / 1e9 };
	if (rec_reader_count(r))
		player_show(s->p, 0);
	return 0;
}

int run_play(struct app *a)
{
	char err[320];
	struct play s = { .a = a };
	struct rec_reader *r = app_open_recording(a->opt.file);
	int rc = 0;

	if (!r)
		return EXIT_RUNTIME;
	if ((rc = start(&s, r, err, sizeof(err))) < 0) {
		text_say(stderr, "%s", err);
		rc = rc == -2 ? EXIT_USAGE : EXIT_RUNTIME;
	} else {
		rc = loop(&s);
	}
	tui_close(s.t);
	if (rec_reader_lost(r)) /* each lost frame once, however often it was passed */
		text_say(stderr, "%s: %zu damaged frames skipped", a->opt.file, rec_reader_lost(r));
	source_close(&s.src);
	rec_reader_close(r);
	return rc;
}
