// SPDX-License-Identifier: GPL-2.0-only
#include "core/present.h"

#include "core/sigwhy.h"

#include <stdio.h>
#include <string.h>

#include "util/text.h"

static int source_up(const struct frame *f, int s)
{
	return f->status[s].state == SOURCE_OK || f->status[s].state == SOURCE_PARTIAL;
}

/* The source behind an eBPF or perf signal. */
static int source_of(int sig)
{
	return sig == SIG_PERF_SW || sig == SIG_PERF_TLB ? SRC_PERF :
	       sig == SIG_APP_LAT || sig == SIG_APP_PHASE ? SRC_APP : SRC_BPF;
}

/* why may be NULL: the caller only asks whether the figure exists. */
static void say_source(const struct frame *f, int s, const char *what, char *why, size_t n)
{
	if (!why)
		return;
	if (f->status[s].reason[0] && !source_up(f, s))
		snprintf(why, n, "%s: %s", source_name((enum source)s), f->status[s].reason);
	else
		snprintf(why, n, "%s", what);
}

/* The row's gate (src/core/field.h): a bit, a source's state or a signal. */
int field_available(const struct frame *f, const struct field *fd, char *why, size_t n)
{
	char what[96];
	int full;

	switch (fd->gate) {
	case GATE_IRQ:
		if ((f->irq_present >> fd->arg) & 1)
			return 1;
		snprintf(what, sizeof(what), "no %s line in /proc/interrupts", irq_kind_name(fd->arg));
		say_source(f, SRC_INTERRUPTS, what, why, n);
		return 0;
	case GATE_VM:
		if (source_up(f, SRC_VMSTAT) && (f->sys.vm_present >> fd->arg) & 1)
			return 1;
		snprintf(what, sizeof(what), "no %s in /proc/vmstat", vm_stat_name(fd->arg));
		say_source(f, SRC_VMSTAT, what, why, n);
		return 0;
	case GATE_SRC:
	case GATE_PSI_FULL:
		full = fd->arg == SRC_PSI_CPU ? f->sys.psi_cpu.has_full : f->sys.psi_mem.has_full;
		if (source_up(f, fd->arg) && (fd->gate == GATE_SRC || full))
			return 1;
		snprintf(what, sizeof(what), source_up(f, fd->arg) ? "%s: no \"full\" line" : "%s: not read",
			 source_name(fd->arg));
		say_source(f, fd->arg, what, why, n);
		return 0;
	case GATE_SIG:
		if (frame_has(f, fd->arg))
			return 1;
		if (why && source_up(f, source_of(fd->arg))) {
			char r[FRAME_STATUS_LEN];

			/* the reason of this signal's own programs, whole */
			snprintf(why, n, "no %s data: %s", signal_name(fd->arg), signal_why(f, fd->arg, r, sizeof(r)));
			return 0;
		}
		snprintf(what, sizeof(what), "no %s data (%s)", signal_name(fd->arg), source_name(source_of(fd->arg)));
		say_source(f, source_of(fd->arg), what, why, n);
		return 0;
	case GATE_ANY_PROC:
		if (f->signals & (1u << SIG_SENDERS | 1u << SIG_MAP_OPS | 1u << SIG_FAULTS | 1u << SIG_MIGRATE |
				  1u << SIG_COMPACT | 1u << SIG_RECLAIM))
			return 1;
		say_source(f, SRC_BPF, "no per-process signal", why, n);
		return 0;
	}
	return 1;
}

int cpu_measured(const struct frame *f, uint32_t c)
{
	return c < f->ncpu && f->interval_ns > 0 && f->cpu[c].online && !f->cpu[c].fresh;
}

int rq_oct_present(const struct frame *f, uint32_t c)
{
	uint64_t n = 0;

	if (!frame_has(f, SIG_RUNQ) || !cpu_measured(f, c))
		return 0;
	for (unsigned int k = 0; k < RQ_OCTAVES; k++)
		n += f->cpu[c].rq_oct[k];
	return n == f->cpu[c].rq_count;
}

int field_present_cpu(const struct frame *f, const struct field *fd, uint32_t c)
{
	if (fd->gate == GATE_NONE)
		return 1;
	if (!cpu_measured(f, c) || !field_available(f, fd, NULL, 0))
		return 0;
	/* a CPU no app series is pinned to has no jitter quantiles */
	return !(fd->flags & FIELD_SAMPLED) || f->cpu[c].jit_n > 0;
}

void field_say_missing(FILE *out, const char *as, const struct field *const *fds, const char *const *names,
		       size_t n, const struct frame *f, uint8_t *said)
{
	char why[FRAME_STATUS_LEN + 96], other[FRAME_STATUS_LEN + 96], list[1024];
	int changed = 0;

	for (size_t i = 0; i < n; i++) {
		uint8_t lack = !field_available(f, fds[i], NULL, 0);

		changed |= lack != said[i];
		said[i] = lack;
	}
	if (!changed)
		return;
	/* said[i] 2: named on an earlier line already */
	for (size_t i = 0; i < n; i++) {
		size_t at = 0;

		if (said[i] != 1)
			continue;
		field_available(f, fds[i], why, sizeof(why));
		for (size_t j = i; j < n; j++) {
			if (said[j] != 1 || (j > i && (field_available(f, fds[j], other, sizeof(other)),
						       strcmp(why, other) != 0)))
				continue;
			if (at < sizeof(list))
				at += (size_t)snprintf(list + at, sizeof(list) - at, "%s%s", at ? ", " : "", names[j]);
			said[j] = 2;
		}
		text_say(out, "no data, printed as %s: %s (%s)", as, list, why);
	}
	for (size_t i = 0; i < n; i++)
		said[i] = said[i] != 0;
}
