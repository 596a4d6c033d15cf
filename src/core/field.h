/* SPDX-License-Identifier: GPL-2.0-only */
/* The frame's fields, one row each: what recordings store (the id), what
 * dump prints (the name), where the figure lives in the frame, how wide it
 * is, what it measures (unit, figure, help), when it exists (its gate) and
 * how each output shows it (batch column, Prometheus family, UI label).
 * The codec, dump, batch, the per-CPU and host /metrics counters, the drill panel's
 * counters and docs/FORMAT.md's field list all walk this table, so a plain
 * figure is defined once: adding one is a row here plus its collector. */
#ifndef STORMTOP_FIELD_H
#define STORMTOP_FIELD_H

#include <stddef.h>
#include <stdint.h>

enum field_scope { SCOPE_FRAME, SCOPE_CPU, SCOPE_PROC, SCOPE_SERIES, SCOPE_APP, SCOPE_NODE, SCOPE_HYG,
		   SCOPE_TOPO_NODE, SCOPE_SITES, SCOPE_SITE, SCOPE_CGROUPS, SCOPE_CGROUP };
enum field_kind { KIND_U64, KIND_I64, KIND_U32, KIND_I32, KIND_U16, KIND_I16, KIND_U8, KIND_F32 };

/* What the number is: a state (an id, a flag, a set; never summed), a
 * counter (a delta over the frame's interval) or a gauge (a level of this
 * tick: a quantile, an average, a ratio). */
enum field_figure { FIG_STATE, FIG_COUNTER, FIG_GAUGE };

/* What the stored number counts; field_unit_base() names it the way
 * Prometheus does and field_unit_scale() converts to that base. */
enum field_unit { UNIT_NONE, UNIT_NS, UNIT_US, UNIT_BYTES, UNIT_PERCENT };

/* When a figure exists (src/core/present.h applies it); arg says which
 * line, counter, source or signal. */
enum field_gate {
	GATE_NONE,      /* always: it describes the frame or the slot */
	GATE_IRQ,       /* frame.irq_present bit arg (enum irq_kind) */
	GATE_VM,        /* vmstat source up and frame.sys.vm_present bit arg (enum vm_stat) */
	GATE_SRC,       /* source arg (enum source) ok or partial */
	GATE_PSI_FULL,  /* PSI source arg up and its "full" line read */
	GATE_SIG,       /* frame.signals bit arg (enum signal) */
	GATE_ANY_PROC,  /* any per-process signal */
};

/* Flags of a row. */
#define FIELD_SAMPLED 1  /* per CPU: also needs jit_n > 0 (a pinned phase series) */

struct field {
	uint16_t id;          /* stable forever; never reused */
	uint8_t scope;        /* enum field_scope */
	uint8_t kind;         /* enum field_kind */
	uint32_t offset;      /* in struct frame, frame_cpu, frame_proc, frame_series, frame_app, frame_node_desk,
	                         frame_hyg_item or frame_node */
	const char *name;     /* stable column name (dump, batch) */
	uint8_t figure;       /* enum field_figure */
	uint8_t unit;         /* enum field_unit */
	uint8_t gate, arg;    /* enum field_gate and its argument */
	uint8_t flags;        /* FIELD_* */
	uint8_t col;          /* per CPU: position of its `stormtop --batch` column, from 1; 0 none */
	const char *help;     /* one sentence: what and where from (docs, /metrics HELP) */
	/* counters: the /metrics family after "stormtop_" (frame rows), or
	 * after "stormtop_cpu_" and "stormtop_node_" (per CPU: rows of one
	 * family are consecutive, told apart by prom_label); or NULL */
	const char *prom, *prom_label;
	const char *ui;       /* per CPU: its label in the drill panel's counters, or NULL */
};

/* Every plain field, in id order within each scope. */
extern const struct field frame_fields[];
extern const size_t frame_nfields;

/* The call-site table (frame.sites, recording field 253): SCOPE_SITES rows
 * describe struct frame_sites, SCOPE_SITE rows one struct frame_site.
 * Their ids number the (id, value) pairs inside field 253 only; they are
 * not in frame_fields' id space.  The codec and dump walk this table. */
extern const struct field site_fields[];
extern const size_t site_nfields;
/* The row named name in site_fields' scope, or NULL. */
const struct field *site_field_find(int scope, const char *name);

/* The per-cgroup table (frame.cgroups, recording field 254): SCOPE_CGROUPS
 * rows describe struct frame_cgroups, SCOPE_CGROUP rows one struct
 * frame_cgroup; a cgroup's summed counters are its `sum`, a frame_proc,
 * described by frame_fields' SCOPE_PROC rows.  Ids number the pairs inside
 * 254 only.  The codec and dump walk this table. */
extern const struct field cgroup_fields[];
extern const size_t cgroup_nfields;

/* The value as 64 bits: unsigned as is, signed zigzag-encoded, floats
 * their IEEE bits (the recording's wire form); and back. */
uint64_t field_bits(const struct field *fd, const void *base);
void field_set_bits(const struct field *fd, void *base, uint64_t x);
/* The value of a plain field, widened, from its base (frame, cpu or proc). */
double field_value(const struct field *fd, const void *base);
/* The same as text, exact: integers in full, floats to 9 digits. */
int field_format(const struct field *fd, const void *base, char *buf, size_t n);

/* The unit's Prometheus base unit word: "seconds", "bytes", "percent" or
 * "" for a count; and the factor from the stored number to it (1e-9 for
 * nanoseconds). */
const char *field_unit_base(const struct field *fd);
double field_unit_scale(const struct field *fd);
/* "state", "counter", "gauge". */
const char *field_figure_name(const struct field *fd);
/* The row named name in scope, or NULL. */
const struct field *field_find(int scope, const char *name);

#endif
