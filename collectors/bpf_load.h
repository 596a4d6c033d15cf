/* SPDX-License-Identifier: GPL-2.0-only */
/* Loads one of stormtop's BPF objects so that each program stands on its
 * own: per tracepoint one program of the object (tp_btf, its raw_tp twin,
 * or a classic tracepoint program), and a tracepoint the kernel lacks, a
 * program the verifier refuses or a map the kernel cannot create disables
 * the hooks concerned only.  Every hook keeps the true reason it is not
 * attached, in full (--probes prints it, bpf_status.c sums it up). */
#ifndef STORMTOP_BPF_LOAD_H
#define STORMTOP_BPF_LOAD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util/strlist.h"

struct bpf_object;
struct bpf_program;
struct bpf_link;
struct btf;

/* The program kinds, in order of preference. */
enum prog_family {
	FAM_TP_BTF,      /* SEC("tp_btf/x"): typed arguments, needs kernel BTF */
	FAM_RAW_TP,      /* SEC("raw_tp/x"): needs BTF only if it uses CO-RE */
	FAM_TRACEPOINT,  /* SEC("tracepoint/group/x"): the event record, needs no BTF */
	FAM_COUNT
};

enum hook_state {
	HOOK_OFF,            /* not tried */
	HOOK_ATTACHED,
	HOOK_DISABLED,       /* turned off by the user */
	HOOK_NO_TRACEPOINT,  /* the kernel has no such tracepoint */
	HOOK_REFUSED,        /* the verifier refused it; detail: its words */
	HOOK_NEEDS_BTF,      /* no kernel BTF, and no program that does without */
	HOOK_MAP_FAILED,     /* a map it uses cannot be created; map, detail: errno */
	HOOK_LOAD_FAILED,    /* libbpf could not prepare it, or no usable kind
			      * of program is left; detail: errno, or why */
	HOOK_ATTACH_FAILED,  /* detail: errno */
	HOOK_NOT_PERMITTED,  /* no CAP_BPF / CAP_PERFMON */
	HOOK_STATES
};

#define HOOK_MAP_LEN 24     /* BPF object names are at most 15 characters */

struct hook {
	char tp[48];               /* tracepoint name, as in the section */
	struct bpf_program *prog;  /* the program kept */
	struct bpf_link *link;
	uint8_t family;            /* enum prog_family of the program kept */
	uint8_t state;             /* enum hook_state */
	int err;                   /* errno of a failure */
	char map[HOOK_MAP_LEN];    /* HOOK_MAP_FAILED: the map */
	char *detail;              /* NULL, or what the state alone does not say
				    * (malloc'd at set-up, freed by unit_close) */
};

#define UNIT_MAX_HOOKS 16
#define UNIT_MAX_MAPS 16

/* A map the kernel would not create, and why. */
struct bad_map {
	char name[HOOK_MAP_LEN];
	int err;                   /* errno */
};

/* A skeleton seen through three callbacks, so one loader serves all. */
struct bpf_unit {
	const char *name;
	void *skel;
	void *(*open)(void);
	void (*destroy)(void *skel);
	struct bpf_object *(*object)(void *skel);
	/* Before load: read-only data, map sizes, maps not to create.  May be
	 * NULL.  Runs after the programs are chosen (bpf_program__autoload
	 * says which). */
	void (*prepare)(void *skel, void *arg);
	void *arg;
	/* Families the collector rules out before load (bit 1 << family),
	 * and why: a hook left with none gets HOOK_LOAD_FAILED and this. */
	uint8_t avoid;
	const char *avoid_why;
	struct hook hooks[UNIT_MAX_HOOKS];
	int nhooks;
	struct bad_map bad[UNIT_MAX_MAPS];
	int nbad;
};

struct load_env {
	struct btf *vmlinux;       /* NULL: the kernel has no BTF we can read */
	int force_raw;             /* tests: exercise the raw_tp twins */
	const char *disable;       /* comma-separated tracepoint names */
};

/* Returns the number of hooks attached, or -errno when nothing of the
 * object could be loaded (-EPERM: no privilege).  Either way every hook
 * has its state and the unit describes itself until unit_close. */
int unit_load(struct bpf_unit *u, const struct load_env *env);
/* Opens the object and picks its programs as unit_load would, loading
 * nothing (no privilege needed): the hook table only.  0 or -errno. */
int unit_plan(struct bpf_unit *u, const struct load_env *env);
int unit_attached(const struct bpf_unit *u, const char *tp);

/* What the kernel keeps about a program (struct bpf_prog_info): run time
 * and count while BPF_ENABLE_STATS is on, and recursion_misses (5.12+,
 * else 0): events dropped because the program was already running on
 * that CPU.  Cumulative since load. */
struct prog_stats {
	uint64_t run_ns, run_cnt, recursion_misses;
};
/* Adds an attached hook's figures to s (one bpf_obj_get_info_by_fd);
 * 0, or -errno (s untouched). */
int hook_stats(const struct hook *h, struct prog_stats *s);
/* The same for every attached hook of the unit. */
void unit_stats(const struct bpf_unit *u, struct prog_stats *s);
/* Adds one hook's run time and count (the cost bench). */
void hook_run_stats(const struct hook *h, uint64_t *ns, uint64_t *cnt);
/* After a successful load, what came after failed (err, what): the unit
 * is released and every hook not yet failed says so. */
void unit_fail(struct bpf_unit *u, int err, const char *what);
/* Frees the hook table too. */
void unit_close(struct bpf_unit *u);
/* One --probes row a hook: unit, tracepoint, program kind, recursion
 * misses ("-" when unknown), and why it stands as it does (hook_why, in
 * full).  detached_why, when not NULL, replaces "attached" for a hook
 * loaded and attachable but with no link now (an on-demand unit). */
void unit_describe(const struct bpf_unit *u, FILE *out, const char *detached_why);

/* The three callbacks for skeleton x (from x.skel.h), and the unit fields
 * they fill: UNIT_GLUE(x) at file scope, UNIT_OF(x) in an initialiser. */
#define UNIT_GLUE(x)                                                          \
	static void *x##_skel_open(void) { return x##_bpf__open(); }          \
	static void x##_skel_destroy(void *s) { x##_bpf__destroy(s); }       \
	static struct bpf_object *x##_skel_object(void *s)                    \
	{                                                                     \
		return ((struct x##_bpf *)s)->obj;                            \
	}
#define UNIT_OF(x) .name = #x, .open = x##_skel_open, .destroy = x##_skel_destroy, \
		   .object = x##_skel_object

/* What every BPF collector is opened with. */
struct bpf_setup {
	uint32_t ncpu;             /* frame CPU slots */
	uint32_t nslots;           /* per-CPU bank slots: possible CPUs, >= ncpu */
	uint64_t flush_tlb_func;   /* address, 0 when unknown */
	const char *root;          /* "" or the host's /proc and /sys at a prefix
				    * (hostfs_live): where pids are named */
	struct load_env env;
};

/* "tp_btf", "raw_tp", "tracepoint". */
const char *prog_family_name(enum prog_family f);
/* The state's words: "attached", "no tracepoint", "refused by the
 * verifier", ... (a failed map's name is in hook_why). */
const char *hook_state_name(enum hook_state s);
/* Room for any hook_why: a label and up to four verifier lines, which
 * the kernel writes 1023 bytes at most each. */
#define HOOK_WHY_MAX 4200
/* The hook's full reason into buf (HOOK_WHY_MAX bytes hold any):
 * "attached", "refused by the verifier: R2 unbounded memory access, ...",
 * "map rq_banks cannot be created: Invalid argument". */
size_t hook_why(const struct hook *h, char *buf, size_t len);
/* The state's words with the failed map named, without the detail. */
size_t hook_label(const struct hook *h, char *buf, size_t len);

/* The reason in a verifier log: the lines the verifier wrote after the
 * last instruction it traced and before its "processed N insns" summary,
 * joined by ": " (';' becomes ','), or the last line when there is no
 * summary.  Returns the length written (cut only by len); 0 for an
 * empty log. */
size_t verifier_reason(const char *log, char *out, size_t len);

#endif
