/* The terminal UI: draws frames from the ring, turns keys into actions.
 * It never calls a collector: main feeds it frames. */
#ifndef STORMTOP_TUI_H
#define STORMTOP_TUI_H

#include <stddef.h>
#include <stdint.h>

#include "ring.h"

struct view {
	double interval_s;
	int paused;
	double warn, crit;          /* per-core rate thresholds */
	const uint8_t *cpu_mask;    /* NULL = all CPUs */
	const char *host;
	const char *kernel;
};

enum ui_action { UI_NONE, UI_QUIT, UI_PAUSE, UI_INTERVAL_UP, UI_INTERVAL_DOWN };

struct tui;

/* NULL with a reason in err when there is no usable terminal. */
struct tui *tui_open(uint32_t ncpu, int no_color, char *err, size_t errlen);
void tui_draw(struct tui *t, const struct frame_ring *r, const struct view *v);
/* Reads every pending key; scrolling is handled inside.  Returns the last
 * action that main must act on. */
enum ui_action tui_keys(struct tui *t);
void tui_close(struct tui *t);

#endif
