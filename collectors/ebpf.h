/* SPDX-License-Identifier: GPL-2.0-only */
/* The eBPF collectors together: opens each BPF object on its own, says
 * in the frame what works and why the rest does not (bpf_status.h), and
 * what the programs cost (BPF_ENABLE_STATS) and miss (recursion_misses). */
#ifndef STORMTOP_EBPF_H
#define STORMTOP_EBPF_H

#include <stdint.h>
#include <stdio.h>

#include "core/frame.h"

struct ebpf;
struct hook;

struct ebpf_opts {
	const char *disable;  /* comma list: tracepoint names, or "bpf" for all */
	int force_raw;        /* use the raw_tp twins even where tp_btf works */
	const char *root;     /* "" or a live prefix (hostfs_live): kallsyms,
			       * tracefs formats and pids' names read there */
};

/* Never NULL but for lack of memory: a host where nothing loads gives an
 * ebpf whose samples only set the status. */
struct ebpf *ebpf_open(uint32_t ncpu, const struct ebpf_opts *o);
void ebpf_sample(struct ebpf *e, struct frame *f);
/* One line per program for --probes: unit, tracepoint, program kind
 * (tp_btf, raw_tp, tracepoint), recursion_misses so far (bpf_prog_info;
 * "-" when not attached), and its state with the full reason, tab
 * separated. */
void ebpf_describe(const struct ebpf *e, FILE *out);
/* The attached hooks, unit by unit (for the cost bench). */
int ebpf_hooks(const struct ebpf *e, const struct hook **out, const char **unit, int max);
void ebpf_close(struct ebpf *e);

#endif
