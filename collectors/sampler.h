/* SPDX-License-Identifier: GPL-2.0-only */
/* The live frame source: stamps the time and lets each collector fill its
 * part of the frame.  Synthetic and playback are the other sources. */
#ifndef STORMTOP_SAMPLER_H
#define STORMTOP_SAMPLER_H

#include <stdio.h>

#include "core/frame.h"
#include "core/source.h"

struct topology;
struct sampler;

struct sampler_opts {
	const char *root;     /* "" for the live host (see procfs_open) */
	const char *disable;  /* comma list: "bpf", "perf", tracepoint names */
	int force_raw;        /* BPF: raw_tp twins only (tests) */
	int drop_privs;       /* drop every capability once collectors are open */
	long attach_owner;    /* uid also trusted to own app segments, or -1 */
	uint64_t late_ns;     /* phase error counted late for CBR; 0 = 50 us */
};

/* NULL when out of memory. */
struct sampler *sampler_open(const struct topology *topo, const struct sampler_opts *o);
void sampler_fill(struct sampler *s, struct frame *f);
void sampler_close(struct sampler *s);
/* Follows an application's stormprobe segment from the next tick on:
 * 0, or -1 with a reason. */
int sampler_attach(struct sampler *s, const char *name, char *err, size_t len);
/* Samples the call sites of process tgid from the next tick on (0: off): 0, or -1 with why. */
int sampler_stacks(struct sampler *s, int32_t tgid, char *why, size_t len);
/* The BPF hook table, one line a program (ebpf_describe). */
void sampler_describe(const struct sampler *s, FILE *out);

/* The sampler as a frame source: open takes topo and the live fields of
 * source_conf; fill never ends. */
extern const struct source_ops sampler_source;

int64_t clock_ns(int clock_id);

#endif
