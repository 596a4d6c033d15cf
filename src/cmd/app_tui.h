/* SPDX-License-Identifier: GPL-2.0-only */
/* What the two commands with a screen (live and play) share, kept out of
 * app.h so that record, dump, check and drill do not pull in the UI. */
#ifndef STORMTOP_APP_TUI_H
#define STORMTOP_APP_TUI_H

#include <stdint.h>

#include "cmd/app.h"
#include "ui/tui.h"

/* Waits for a key until the deadline (CLOCK_MONOTONIC ns), or with
 * APP_NO_DEADLINE until a key, a signal (a resize) or a hang-up: it
 * always blocks, never polls.  The UI's action. */
#define APP_NO_DEADLINE INT64_MAX
enum ui_action app_wait_keys(struct tui *t, int64_t deadline);

/* The UI's options: the config it edits and where setup saves it. */
void app_tui_opts(struct app *a, uint32_t ncpu, struct tui_opts *o);

#endif
