/* SPDX-License-Identifier: GPL-2.0-only */
/* The call sites behind one process's shootdowns (bpf/stacks.bpf.c):
 * for its tlb_flush events of reason TLB_REMOTE_SEND_IPI (in the
 * initiator's context) the kernel and user stacks, and for its mmap,
 * munmap, mprotect, madvise and mremap calls (raw_syscalls:sys_enter) the
 * user stack and the caller of the libc wrapper (the return address on
 * top of the user stack at syscall entry).  A flush inside one of those
 * calls is charged to that call's site too, with the IPIs it queued
 * (csd_queue_cpu of flush_tlb_func).  Aggregated in the kernel (a stack
 * map and a count per site), bounded, one event in `period` sampled.
 * Off until a target is set: nothing is loaded or attached before
 * (but see stacks_preload).  Sizes, period and cost: bpf/stacks_shared.h
 * and bpf/stacks.bpf.c.  One thread calls all of these (the sampler's). */
#ifndef STORMTOP_STACKS_H
#define STORMTOP_STACKS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/frame.h"

struct stacks;
struct symbolizer;

/* root: the host's /proc prefix ("" on the host); force_raw: the raw_tp
 * twins only, as --raw-tp asks of every unit (tests).  NULL on ENOMEM. */
struct stacks *stacks_new(const char *root, int force_raw);

/* Samples tgid from now on (0: stop, detach and unload).  Loads and
 * attaches on the first target.  0, or -1 with why filled ("needs
 * CAP_BPF and CAP_PERFMON", "no such process", the verifier's words). */
int stacks_target(struct stacks *st, int32_t tgid, char *why, size_t len);

/* Fills f->sites with the sites seen since the last call (deltas),
 * symbolised with sym, most events first, and sets SIG_STACKS; leaves
 * f->sites.tgid 0 when off.  Allocates nothing once a binary is known.
 * A flush outside any mm call (a fault, migration, reclaim) has caller
 * "".  A target that has exited keeps its tgid with no site.  sym NULL:
 * frames as "0x..." addresses.  With every capability dropped the
 * symbolizer reads another process's maps and binaries through the
 * privileged opener (collectors/privsep.h); without one its frames are
 * "[unknown]". */
void stacks_sample(struct stacks *st, struct symbolizer *sym, struct frame *f);

/* For a sampler that drops its capabilities after set-up: loads now and
 * leaves the programs detached (the host pays nothing until a target is
 * set); stacks_target attaches them (no capability needed on 6.5+) and
 * stacks_target(0) detaches them but keeps them loaded, since loading
 * needs CAP_BPF and CAP_PERFMON that are gone by then.  0, or -1 with
 * why. */
int stacks_preload(struct stacks *st, char *why, size_t len);

/* Its --probes rows (unit_describe): loaded and detached, "detached:
 * attached while ..."; not loaded yet, one row a tracepoint saying so. */
void stacks_describe(const struct stacks *st, FILE *out);

void stacks_free(struct stacks *st);

#endif
