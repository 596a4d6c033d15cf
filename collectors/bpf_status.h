/* SPDX-License-Identifier: GPL-2.0-only */
/* The eBPF source's status line: every hook that is not attached, grouped
 * by its reason, e.g. "no tracepoint: qi_submit,cache_tag_flush_all;
 * refused by the verifier: sched_switch (R2 unbounded memory access, make
 * sure to bounds check any such access)".  --probes has one line per
 * program; this is the sum the frame carries (src/core/sigwhy.c reads it). */
#ifndef STORMTOP_BPF_STATUS_H
#define STORMTOP_BPF_STATUS_H

#include <stddef.h>

#include "collectors/bpf_load.h"

/* Into buf (len bytes): the hooks of units[0..n) (NULL entries skipped)
 * not attached, as "<label>: tp,tp (<detail>)" groups joined by "; ", a
 * tracepoint named once per group, then note (may be NULL) as a group of
 * its own.  When the details do not fit, they are all left out and
 * "(their details: stormtop --probes)" ends the line: a label or a name is
 * never cut.  Returns the line's length; if even that does not fit, buf
 * is "" and the length it needed is returned (>= len). */
size_t bpf_status_line(const struct bpf_unit *const *units, int n, const char *note, char *buf, size_t len);

#endif
