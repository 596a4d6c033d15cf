/* SPDX-License-Identifier: GPL-2.0-only */
/* Whether a figure of a frame exists.  A counter whose signal is missing
 * (no TLB line in /proc/interrupts on arm64, no eBPF, no PMU, no PSI) is
 * stored as 0 in the frame; this is the one rule every output uses to
 * print it as missing instead: batch `-`, CSV an empty cell, JSON null,
 * Prometheus no series, the TUI n/a.
 *
 * Each row of the field table (src/core/field.h) names its gate: the
 * /proc/interrupts line's frame.irq_present bit, the /proc/vmstat
 * counter's frame.sys.vm_present bit, its source's state ok or partial
 * (PSI "full" also needs the kernel's full line), or its eBPF or perf
 * signal's frame.signals bit.
 * A per-CPU figure also needs the CPU measured this tick: online, not
 * fresh (first tick online), and an interval. */
#ifndef STORMTOP_PRESENT_H
#define STORMTOP_PRESENT_H

#include <stddef.h>

#include <stdio.h>

#include "core/field.h"
#include "core/frame.h"

/* 1 when fd's figure exists in f (for per-CPU fields: on some CPU that is
 * measured); else 0 with a short reason in why (when why is not NULL),
 * e.g. "no TLB line in /proc/interrupts" or "bpf: off: reading a copied
 * tree (--root)". */
int field_available(const struct frame *f, const struct field *fd, char *why, size_t n);

/* CPU c is online, not fresh, and the frame covers an interval. */
int cpu_measured(const struct frame *f, uint32_t c);

/* Whether CPU c's run-queue octaves (frame_cpu.rq_oct) are in f: its
 * delays were measured (SIG_RUNQ, cpu_measured) and the octaves account
 * for every one of them.  0 for a recording made before they were kept
 * (codec id 252), which has rq_count but no octaves. */
int rq_oct_present(const struct frame *f, uint32_t c);

/* Whether CPU c has fd's figure this tick: what describes the slot
 * (online, node, fresh, possible, present) always; a figure when
 * available and the CPU measured (jitter quantiles also need samples). */
int field_present_cpu(const struct frame *f, const struct field *fd, uint32_t c);

/* Says on out why the columns of fds[0..n) (named names[i]) that f lacks
 * are empty: one line per reason, "stormtop: no data, printed as AS:
 * name, name (reason)", the reason from field_available.  Only when the
 * set lacking differs from said[0..n) (one byte a column, zeroed at
 * start), which it then updates; so a run says it once, and again when
 * a source comes or goes. */
void field_say_missing(FILE *out, const char *as, const struct field *const *fds, const char *const *names,
		       size_t n, const struct frame *f, uint8_t *said);

#endif
