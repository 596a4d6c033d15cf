/* SPDX-License-Identifier: GPL-2.0-only */
/* Why a frame has no data for an eBPF or perf signal, read off the frame
 * alone (live or recorded): the groups of the bpf status line that name
 * the signal's tracepoints, so a refused program is never called a
 * missing tracepoint. */
#ifndef STORMTOP_SIGWHY_H
#define STORMTOP_SIGWHY_H

#include <stddef.h>

#include "core/frame.h"


/* NULL when f has s; else into buf (never cut but by len) the reason: the
 * source's own status when it is off or failed, the groups of the bpf
 * status naming s's tracepoints ("refused by the verifier: sched_switch
 * (R2 unbounded memory access, ...)"), or the whole status line when none
 * does.  Returns buf. */
const char *signal_why(const struct frame *f, enum signal s, char *buf, size_t len);

#endif
