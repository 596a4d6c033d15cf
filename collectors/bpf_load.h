/* Loads one of stormtop's BPF objects so that each program stands on its
 * own: a tp_btf program or its raw_tp twin per tracepoint, a tracepoint
 * the kernel lacks or a program the verifier refuses disables that hook
 * only. */
#ifndef STORMTOP_BPF_LOAD_H
#define STORMTOP_BPF_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include "strlist.h"

struct bpf_object;
struct bpf_program;
struct bpf_link;
struct btf;

enum hook_state {
	HOOK_OFF,            /* not tried */
	HOOK_ATTACHED,
	HOOK_DISABLED,       /* turned off by the user */
	HOOK_NO_TRACEPOINT,  /* the kernel has no such tracepoint */
	HOOK_REFUSED,        /* the verifier refused the program */
	HOOK_ATTACH_FAILED,
};

struct hook {
	char tp[48];               /* tracepoint name, as in the section */
	struct bpf_program *prog;  /* the twin kept */
	struct bpf_link *link;
	uint8_t raw;               /* the raw_tp twin was kept */
	uint8_t state;             /* enum hook_state */
	int err;                   /* errno of a failure */
};

#define UNIT_MAX_HOOKS 16

/* A skeleton seen through three callbacks, so one loader serves all. */
struct bpf_unit {
	const char *name;
	void *skel;
	void *(*open)(void);
	void (*destroy)(void *skel);
	struct bpf_object *(*object)(void *skel);
	/* Before load: read-only data, map sizes.  May be NULL. */
	void (*prepare)(void *skel, void *arg);
	void *arg;
	struct hook hooks[UNIT_MAX_HOOKS];
	int nhooks;
};

struct load_env {
	struct btf *vmlinux;       /* NULL: every hook uses its raw_tp twin */
	int force_raw;             /* tests: exercise the raw_tp twins */
	const char *disable;       /* comma-separated tracepoint names */
};

/* Returns the number of hooks attached, or -errno when the object cannot
 * be loaded at all (-EPERM: no privilege).  The unit keeps what it needs
 * to be closed either way. */
int unit_load(struct bpf_unit *u, const struct load_env *env);
int unit_attached(const struct bpf_unit *u, const char *tp);
/* Sums the run time and count of the unit's attached programs, as kept by
 * the kernel while BPF_ENABLE_STATS is on. */
void unit_run_stats(const struct bpf_unit *u, uint64_t *ns, uint64_t *cnt);
/* The same for one hook: adds its program's run time and count. */
void hook_run_stats(const struct hook *h, uint64_t *ns, uint64_t *cnt);
void unit_close(struct bpf_unit *u);

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
	struct load_env env;
};

const char *hook_state_name(enum hook_state s);

#endif
