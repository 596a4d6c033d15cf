// SPDX-License-Identifier: GPL-2.0-only
#include "collectors/ebpf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "collectors/bpf_status.h"
#include "collectors/churn.h"
#include "core/delta.h"
#include "collectors/iotlb.h"
#include "collectors/kallsyms.h"
#include "util/mem.h"
#include "collectors/privs.h"
#include "collectors/rqlat.h"
#include "collectors/tlb.h"

struct ebpf {
	struct bpf_setup setup;
	void *coll[4];                 /* one per row of unit_table[], or NULL */
	int stats_fd;
	struct prog_stats last;        /* every attached program, summed */
	int primed;
	uint8_t state;                 /* enum source_state */
	char reason[FRAME_STATUS_LEN];
	char addr_why[96];             /* why flush_tlb_func is unknown, or "" */
};

/* libbpf's own messages would land on the TUI: keep them for debugging. */
static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (!getenv("STORMTOP_BPF_DEBUG") || level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

/* One BPF unit: its collector's life cycle behind void *, so the loops
 * below never name a unit and adding one is one row. */
struct unit_desc {
	const char *name;
	void *(*open)(const struct bpf_setup *s, int *err);
	void (*sample)(void *c, struct frame *f);
	void (*close)(void *c);
	const struct bpf_unit *(*unit)(const void *c);
	/* Optional: what the missing hooks cost the user, into buf. */
	void (*missing)(const void *c, const char *why_addr, char *buf, size_t len);
	const char *signals;           /* the frame fields it fills */
};

/* Typed collector functions to the table's void * shape. */
#define UNIT_ADAPT(x)                                                              \
	static void *x##_open_v(const struct bpf_setup *s, int *err) { return x##_open(s, err); } \
	static void x##_sample_v(void *c, struct frame *f) { x##_sample(c, f); }     \
	static void x##_close_v(void *c) { x##_close(c); }                           \
	static const struct bpf_unit *x##_unit_v(const void *c) { return x##_unit(c); }
#define UNIT_ROW(x) .name = #x, .open = x##_open_v, .sample = x##_sample_v, \
		    .close = x##_close_v, .unit = x##_unit_v

UNIT_ADAPT(tlb)
UNIT_ADAPT(churn)
UNIT_ADAPT(rqlat)
UNIT_ADAPT(iotlb)

static void tlb_missing_v(const void *c, const char *why_addr, char *buf, size_t len)
{
	int csd = 0;

	tlb_missing(c, why_addr, buf, len, &csd);
}

/* In the order --probes lists them and the status line names them. */
static const struct unit_desc unit_table[] = {
	{ UNIT_ROW(tlb), .missing = tlb_missing_v,
	  .signals = "tlb_rx tlb_rx_ns tlb_fanout tlb_full tlb_pages callfn callfn_ns" },
	{ UNIT_ROW(churn), .signals = "procs (top senders) sys.self_sent" },
	{ UNIT_ROW(rqlat), .signals = "rq_count rq_max rq_preempt rq_negative rq_missed" },
	{ UNIT_ROW(iotlb), .signals = "io_map io_unmap io_map_bytes io_unmap_bytes io_inval" },
};
#define NUNITS ((int)(sizeof(unit_table) / sizeof(unit_table[0])))
_Static_assert(sizeof(unit_table) / sizeof(unit_table[0]) ==
	       sizeof(((struct ebpf *)0)->coll) / sizeof(void *), "one collector per unit row");

static const struct bpf_unit *units(const struct ebpf *e, int i)
{
	return e->coll[i] ? unit_table[i].unit(e->coll[i]) : NULL;
}

static int any_attached(const struct ebpf *e)
{
	for (int i = 0; i < NUNITS; i++) {
		const struct bpf_unit *u = units(e, i);

		for (int h = 0; u && h < u->nhooks; h++)
			if (u->hooks[h].state == HOOK_ATTACHED)
				return 1;
	}
	return 0;
}

/* Says what is missing, grouped by why, and what that costs the user:
 * the line the frame carries. */
static void note_missing(struct ebpf *e)
{
	const struct bpf_unit *u[NUNITS];
	char note[FRAME_REASON_LEN] = "";

	for (int i = 0; i < NUNITS; i++) {
		u[i] = units(e, i);
		if (e->coll[i] && unit_table[i].missing && !note[0])
			unit_table[i].missing(e->coll[i], e->addr_why, note, sizeof(note));
	}
	bpf_status_line(u, NUNITS, note[0] ? note : NULL, e->reason, sizeof(e->reason));
}

/* Nothing attached: no privilege, or every hook's own reason. */
static void fail(struct ebpf *e, int err)
{
	char why[FRAME_REASON_LEN - 16];

	e->state = SOURCE_UNAVAILABLE;
	if (err == -EPERM) {
		privs_bpf_denied(privs_effective(), privs_release(), privs_memlock(), why, sizeof(why));
		snprintf(e->reason, sizeof(e->reason), "%s: procfs only", why);
	} else
		note_missing(e);
	if (!e->reason[0])
		snprintf(e->reason, sizeof(e->reason), "cannot load: %s", strerror(-err));
}

static void open_units(struct ebpf *e)
{
	int err = 0, worst = 0;

	for (int i = 0; i < NUNITS; i++) {
		err = 0;
		e->coll[i] = unit_table[i].open(&e->setup, &err);
		worst = err < 0 ? err : worst;
	}
	if (!any_attached(e)) {
		fail(e, worst ? worst : -ENOENT);
		return;
	}
	note_missing(e);
	e->state = e->reason[0] ? SOURCE_PARTIAL : SOURCE_OK;
}

/* BPF_ENABLE_STATS needs CAP_SYS_ADMIN; without it the cost line has no
 * BPF time unless the admin left kernel.bpf_stats_enabled on. */
static void start_stats(struct ebpf *e)
{
	size_t at = strlen(e->reason);
	FILE *f;
	int on = 0;

	e->stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
	if (e->stats_fd >= 0 || errno != EPERM)
		return;
	if ((f = fopen("/proc/sys/kernel/bpf_stats_enabled", "re"))) {
		on = fgetc(f) == '1';
		fclose(f);
	}
	if (on)
		return;
	snprintf(e->reason + at, sizeof(e->reason) - at, "%sown BPF time unmeasured: needs CAP_SYS_ADMIN",
		 at ? "; " : "");
	e->state = SOURCE_PARTIAL;
}

struct ebpf *ebpf_open(uint32_t ncpu, const struct ebpf_opts *o)
{
	struct ebpf *e = mem_zalloc(1, sizeof(*e));
	int possible = libbpf_num_possible_cpus();
	char path[4096];

	if (!e)
		return NULL;
	e->stats_fd = -1;
	if (list_has(o->disable, "bpf")) {
		e->state = SOURCE_OFF;
		snprintf(e->reason, sizeof(e->reason), "turned off (--disable bpf)");
		return e;
	}
	libbpf_set_print(quiet);
	e->setup.ncpu = ncpu;
	e->setup.nslots = possible > (int)ncpu ? (uint32_t)possible : ncpu;
	e->setup.root = o->root ? o->root : "";
	snprintf(path, sizeof(path), "%s/proc/kallsyms", e->setup.root);
	e->setup.flush_tlb_func = flush_tlb_func_addr(path, e->addr_why, sizeof(e->addr_why));
	/* NULL without kernel BTF: then every hook uses its raw_tp twin */
	e->setup.env.vmlinux = btf__load_vmlinux_btf();
	e->setup.env.force_raw = o->force_raw;
	e->setup.env.disable = o->disable;
	open_units(e);
	btf__free(e->setup.env.vmlinux);
	e->setup.env.vmlinux = NULL;
	e->setup.env.disable = NULL;
	/* Run-time stats only while we hold this fd: no global sysctl left on. */
	if (e->state != SOURCE_UNAVAILABLE)
		start_stats(e);
	return e;
}

/* One bpf_obj_get_info_by_fd per attached program per tick, into a
 * struct on the stack: no allocation. */
static void run_stats(struct ebpf *e, struct frame *f)
{
	struct prog_stats now = { 0 };

	for (int i = 0; i < NUNITS; i++)
		if (units(e, i))
			unit_stats(units(e, i), &now);
	if (e->primed) {
		if (e->stats_fd >= 0) {
			f->sys.bpf_run_ns = delta_u64(e->last.run_ns, now.run_ns);
			f->sys.bpf_run_cnt = delta_u64(e->last.run_cnt, now.run_cnt);
		}
		f->sys.bpf_recursion_misses = delta_u64(e->last.recursion_misses, now.recursion_misses);
	}
	e->last = now;
}

void ebpf_sample(struct ebpf *e, struct frame *f)
{
	frame_set_status(f, SRC_BPF, (enum source_state)e->state, e->reason);
	if (e->state != SOURCE_OK && e->state != SOURCE_PARTIAL)
		return;
	for (int i = 0; i < NUNITS; i++)
		if (e->coll[i])
			unit_table[i].sample(e->coll[i], f);
	run_stats(e, f);
	e->primed = 1;
}

/* Long reasons (a verifier's words) are printed whole, never cut. */
void ebpf_describe(const struct ebpf *e, FILE *out)
{
	for (int i = 0; i < NUNITS; i++) {
		const struct bpf_unit *u = units(e, i);

		if (u)
			unit_describe(u, out, NULL);
	}
}

int ebpf_hooks(const struct ebpf *e, const struct hook **out, const char **unit, int max)
{
	int n = 0;

	for (int i = 0; i < NUNITS; i++) {
		const struct bpf_unit *u = units(e, i);

		for (int h = 0; u && h < u->nhooks && n < max; h++)
			if (u->hooks[h].state == HOOK_ATTACHED) {
				unit[n] = u->name;
				out[n++] = &u->hooks[h];
			}
	}
	return n;
}

void ebpf_close(struct ebpf *e)
{
	if (!e)
		return;
	for (int i = 0; i < NUNITS; i++)
		if (e->coll[i])
			unit_table[i].close(e->coll[i]);
	if (e->stats_fd >= 0)
		close(e->stats_fd);
	free(e);
}
