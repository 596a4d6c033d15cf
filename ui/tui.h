/* SPDX-License-Identifier: GPL-2.0-only */
/* The terminal UI: draws frames from the ring, turns keys into actions.
 * It never calls a collector: main feeds it frames. */
#ifndef STORMTOP_TUI_H
#define STORMTOP_TUI_H

#include <stddef.h>
#include <stdint.h>

#include "core/config.h"
#include "core/ring.h"

struct view {
	double interval_s;
	int paused;
	double warn, crit;          /* per-core rate thresholds */
	const uint8_t *cpu_mask;    /* NULL = all CPUs */
	const char *host;
	const char *kernel;
	const char *status_line;    /* playback position or recording; NULL = none */
	int playback;               /* the frames come from a file */
	const char *where_why;      /* live: why the stack sampler could not start; NULL none */
};

enum ui_action {
	UI_NONE, UI_QUIT, UI_PAUSE, UI_INTERVAL_UP, UI_INTERVAL_DOWN,
	UI_RECORD,                                  /* w: start/stop recording */
	UI_STEP_FWD, UI_STEP_BACK,                  /* playback: t, T */
	UI_JUMP_FWD, UI_JUMP_BACK,                  /* ] [ : one minute */
	UI_JUMP_FWD_LONG, UI_JUMP_BACK_LONG,        /* } { : ten minutes */
	UI_GOTO,                                    /* b: a time, asked for */
	UI_NEXT_BURST, UI_PREV_BURST,               /* n, N */
	UI_ATTACH,                                  /* a: attach an app's segment */
	UI_NEXT_TRANSITION, UI_PREV_TRANSITION,     /* j, J: regime transitions */
	UI_SETTINGS,                                /* setup changed cfg: apply it */
	UI_WHERE,                                   /* the where view opened or closed: tui_where() */
};

struct tui_opts {
	uint32_t ncpu;
	int no_color;
	const char *theme;          /* name or path; NULL = cfg's */
	struct config *cfg;         /* the setup screen edits and saves it */
	const char *cfg_path;       /* where it saves ("" = nowhere) */
	const char *cgroup;         /* --cgroup PATH: the screen shows that subtree only; NULL all */
};

struct tui;

/* NULL with a reason in err when there is no usable terminal or theme. */
struct tui *tui_open(const struct tui_opts *o, char *err, size_t errlen);
void tui_draw(struct tui *t, const struct frame_ring *r, const struct view *v);
/* Reads pending keys up to the first that main must act on (views,
 * scrolling, sorting, setup are handled inside); UI_NONE when none is
 * left. */
enum ui_action tui_keys(struct tui *t);
/* Asks for a line of text in the bottom row; 0 with it in buf, -1 when
 * the user pressed Esc or left it empty. */
int tui_prompt(struct tui *t, const char *prompt, char *buf, size_t len);
/* The process the where view shows (Enter in the process view), whose
 * call sites the stack sampler should follow; 0 when it is closed. */
int32_t tui_where(const struct tui *t);
/* A one-off note in the key bar, until the next key. */
void tui_note(struct tui *t, const char *text);
void tui_close(struct tui *t);
/* A UI without a terminal, drawing into a w x h screen at a colour depth
 * (enum color_depth): for the bench and the tests. */
struct tui *tui_headless(const struct tui_opts *o, int w, int h, int depth, char *err, size_t errlen);
/* Composes the frame and renders what changed; returns the bytes a
 * terminal would get (tui_draw sends them). */
size_t tui_render(struct tui *t, const struct frame_ring *r, const struct view *v);
/* Keys as a terminal would send them (tests). */
enum ui_action tui_feed(struct tui *t, const char *bytes, size_t len);

#endif
