// SPDX-License-Identifier: GPL-2.0-only
#include "collectors/tlb.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>
#include <bpf/libbpf.h>

#include "collectors/bank.h"
#include "core/delta.h"
#include "util/mem.h"
#include "tlb_shared.h"
#include "tlb.skel.h"

_Static_assert(TLB_REASONS == FRAME_TLB_REASONS && TLB_REASON_SEND == FLUSH_SEND, "one tlb_flush reason list");

struct tlb_coll {
	struct banked b;
	const struct bpf_setup *setup;
	uint32_t signals;
};

UNIT_GLUE(tlb)

static void prepare(void *skel, void *arg)
{
	struct tlb_bpf *s = skel;
	const struct bpf_setup *setup = arg;

	s->rodata->flush_tlb_func_addr = setup->flush_tlb_func;
	bpf_map__set_max_entries(s->maps.tlb_banks, setup->nslots);
}

static struct bpf_map *bank_of(void *skel)
{
	return ((struct tlb_bpf *)skel)->maps.tlb_banks;
}

static uint32_t signals_of(const struct tlb_coll *t)
{
	const struct bpf_unit *u = &t->b.unit;
	int addr = t->setup->flush_tlb_func != 0;
	uint32_t s = 0;

	if (unit_attached(u, "tlb_flush"))
		s |= 1u << SIG_TLB_FLUSH;
	if (addr && unit_attached(u, "csd_queue_cpu"))
		s |= 1u << SIG_TLB_FANOUT;
	if (addr && unit_attached(u, "csd_function_entry") && unit_attached(u, "csd_function_exit"))
		s |= 1u << SIG_TLB_RX;
	if (unit_attached(u, "call_function_entry") && unit_attached(u, "call_function_exit"))
		s |= 1u << SIG_CALLFN;
	return s;
}

struct tlb_coll *tlb_open(const struct bpf_setup *s, int *err)
{
	struct tlb_coll *t = mem_zalloc(1, sizeof(*t));

	if (!t) {
		*err = -ENOMEM;
		return NULL;
	}
	t->setup = s;
	t->b.unit = (struct bpf_unit){ UNIT_OF(tlb), .prepare = prepare, .arg = (void *)s };
	/* on failure the unit stays, saying why, with nothing to sample */
	*err = banked_open(&t->b, s, bank_of, sizeof(struct tlb_bank));
	t->signals = signals_of(t);
	return t;
}

static void cpu_deltas(struct frame_cpu *fc, const struct tlb_bank *cur, const struct tlb_bank *prev)
{
	for (int r = 0; r < TLB_REASONS; r++) {
		fc->tlb_flush[r] = delta_u64(prev->flushes[r], cur->flushes[r]);
		fc->tlb_pages += delta_u64(prev->pages[r], cur->pages[r]);
		fc->tlb_full += delta_u64(prev->full[r], cur->full[r]);
	}
	fc->tlb_fanout = delta_u64(prev->fanout, cur->fanout);
	fc->tlb_rx = delta_u64(prev->rx, cur->rx);
	fc->tlb_rx_ns = delta_u64(prev->rx_ns, cur->rx_ns);
	fc->callfn = delta_u64(prev->callfn, cur->callfn);
	fc->callfn_ns = delta_u64(prev->callfn_ns, cur->callfn_ns);
}

void tlb_sample(struct tlb_coll *t, struct frame *f)
{
	struct tlb_bank *prev = t->b.prev;
	uint32_t n = f->ncpu < t->b.bank.n ? f->ncpu : t->b.bank.n;

	for (uint32_t c = 0; c < n; c++) {
		const struct tlb_bank *cur = bank_slot(&t->b.bank, c);

		if (t->b.primed) /* the first read is the baseline: no deltas */
			cpu_deltas(&f->cpu[c], cur, &prev[c]);
		prev[c] = *cur;
	}
	t->b.primed = 1;
	f->signals |= t->signals;
}

const struct bpf_unit *tlb_unit(const struct tlb_coll *t)
{
	return &t->b.unit;
}

size_t tlb_csd_note(enum hook_state csd, const char *why_addr, char *buf, size_t len, int *covers_csd)
{
	int n = 0;

	*covers_csd = 0;
	if (len == 0)
		return 0;
	buf[0] = '\0';
	if (csd == HOOK_NO_TRACEPOINT) {
		*covers_csd = 1;
		n = snprintf(buf, len, "no csd tracepoints (kernel before 6.5): TLB IPIs received from "
				       "/proc/interrupts only, none sent, no handler time");
	} else if (csd == HOOK_ATTACHED && why_addr && why_addr[0]) {
		n = snprintf(buf, len, "%s: no TLB IPIs sent, no csd received count", why_addr);
	}
	return n < 0 ? 0 : (size_t)n < len ? (size_t)n : len - 1;
}

static enum hook_state hook_state_of(const struct bpf_unit *u, const char *tp)
{
	for (int i = 0; i < u->nhooks; i++)
		if (strcmp(u->hooks[i].tp, tp) == 0)
			return (enum hook_state)u->hooks[i].state;
	return HOOK_OFF;
}

size_t tlb_missing(const struct tlb_coll *t, const char *why_addr, char *buf, size_t len,
		   int *covers_csd)
{
	return tlb_csd_note(hook_state_of(&t->b.unit, "csd_function_entry"), why_addr, buf, len,
			    covers_csd);
}

void tlb_close(struct tlb_coll *t)
{
	if (t)
		banked_close(&t->b);
	free(t);
}
