// SPDX-License-Identifier: GPL-2.0-only
/* The call-site sampler (collectors/stacks.h): loads bpf/stacks.bpf.c on
 * the first target, drains its counts every tick (one batch
 * lookup-and-delete: the map holds this tick's sampled events only),
 * resolves the stack ids through the stack map and names the frames with
 * the symbolizer.  Buffers are allocated by stacks_new; a tick allocates
 * nothing (the symbolizer reads a binary once, when first seen). */
#include "collectors/stacks.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "stacks_shared.h"
#include "stacks.skel.h"
#include "collectors/bpf_load.h"
#include "collectors/hostfs.h"
#include "collectors/kallsyms.h"
#include "collectors/privs.h"
#include "collectors/symbolize.h"
#include "util/mem.h"

_Static_assert((int)STACKS_FLUSH == (int)SITE_FLUSH && (int)STACKS_MUNMAP == (int)SITE_MUNMAP &&
	       (int)STACKS_MREMAP == (int)SITE_MREMAP && (int)STACKS_KINDS == (int)SITE_KINDS,
	       "one list of site kinds");

#define NAME_LEN FRAME_SITE_SYM
#define PATH_FRAMES (STACKS_DEPTH + 1) /* the stack and the wrapper's caller */

struct stacks {
	char root[256];
	struct bpf_unit unit;
	uint64_t flush_tlb_func;
	int loaded;
	int attached;              /* the programs' links are up */
	int keep_loaded;           /* privileges dropped: a reload would fail */
	int force_raw;             /* --raw-tp */
	int32_t tgid;              /* the target, 0: none */
	int gone;                  /* the target exited: report it empty */
	int counts_fd, stack_fd, cpu_fd;
	int ncpu;                  /* possible CPUs: per-CPU values */
	uint64_t lost_prev;
	/* set-up buffers */
	struct stacks_key *keys;
	struct stacks_count *vals;
	struct stacks_cpu *percpu;
	uint32_t top[FRAME_SITES];
	uint64_t ips[STACKS_DEPTH];
	char names[PATH_FRAMES][NAME_LEN];
};

UNIT_GLUE(stacks)

static void prepare(void *skel, void *arg)
{
	const struct stacks *st = arg;

	((struct stacks_bpf *)skel)->rodata->flush_tlb_func_addr = st->flush_tlb_func;
	((struct stacks_bpf *)skel)->rodata->period = STACKS_PERIOD;
}

struct stacks *stacks_new(const char *root, int force_raw)
{
	struct stacks *st = mem_zalloc(1, sizeof(*st));
	int n = libbpf_num_possible_cpus();

	if (!st)
		return NULL;
	snprintf(st->root, sizeof(st->root), "%s", root ? root : "");
	st->ncpu = n > 0 ? n : 1;
	st->force_raw = force_raw;
	st->counts_fd = st->stack_fd = st->cpu_fd = -1;
	st->keys = mem_zalloc(STACKS_MAX_SITES, sizeof(*st->keys));
	st->vals = mem_zalloc(STACKS_MAX_SITES, sizeof(*st->vals));
	st->percpu = mem_zalloc((size_t)st->ncpu, sizeof(*st->percpu));
	if (!st->keys || !st->vals || !st->percpu) {
		stacks_free(st);
		return NULL;
	}
	return st;
}

static struct stacks_bpf *skel_of(const struct stacks *st)
{
	return st->unit.skel;
}

/* The programs' target.  bpf_load loads with bpf_object__load, which
 * (libbpf 1.1) leaves the skeleton's .bss pointer on a private copy: the
 * map is written through its fd (a system call per change of target). */
static void aim(struct stacks *st, uint32_t tgid)
{
	uint32_t zero = 0;

	skel_of(st)->bss->target_tgid = tgid;
	bpf_map_update_elem(bpf_map__fd(skel_of(st)->maps.bss), &zero, skel_of(st)->bss, BPF_ANY);
}

static void unload(struct stacks *st)
{
	unit_close(&st->unit);
	st->loaded = st->attached = 0;
	st->counts_fd = st->stack_fd = st->cpu_fd = -1;
}

/* Links down, programs kept: with no target the host pays nothing.  The
 * hook table keeps saying "attached" (what the hook can do, for
 * --probes); h->link says whether it is. */
static void detach(struct stacks *st)
{
	for (int i = 0; i < st->unit.nhooks; i++) {
		bpf_link__destroy(st->unit.hooks[i].link);
		st->unit.hooks[i].link = NULL;
	}
	st->attached = 0;
}

/* Links up again for the hooks that attached at load.  Needs no
 * capability (Linux 6.5+; before, privs_drop keeps CAP_BPF and
 * CAP_SYS_ADMIN).  0, or -1 with why (all down again). */
static int attach(struct stacks *st, char *why, size_t len)
{
	for (int i = 0; i < st->unit.nhooks && !st->attached; i++) {
		struct hook *h = &st->unit.hooks[i];

		if (h->link || h->state != HOOK_ATTACHED || !h->prog)
			continue;
		h->link = bpf_program__attach(h->prog);
		if (!h->link) {
			snprintf(why, len, "%s: cannot attach: %s", h->tp, strerror(errno));
			detach(st);
			return -1;
		}
	}
	st->attached = 1;
	return 0;
}

/* Why a needed hook failed (else any), in its own words. */
static void first_failure(const struct bpf_unit *u, char *why, size_t len)
{
	char buf[HOOK_WHY_MAX];

	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < u->nhooks; i++) {
			const struct hook *h = &u->hooks[i];

			if (h->state == HOOK_ATTACHED ||
			    (!pass && strcmp(h->tp, "tlb_flush") && strcmp(h->tp, "sys_enter")))
				continue;
			hook_why(h, buf, sizeof(buf));
			snprintf(why, len, "%s: %s", h->tp, buf);
			return;
		}
	snprintf(why, len, "no program attached");
}

/* Loads and attaches every program (target 0: each returns at its first
 * compare).  Needs sys_enter and tlb_flush; csd_queue_cpu (IPIs, 6.5+)
 * may be missing.  0, or -1 with why. */
static int load(struct stacks *st, char *why, size_t len)
{
	char addr_why[128], path[300];
	struct load_env env = { 0 };
	int err;

	if (st->loaded)
		return 0;
	if (!hostfs_live(st->root)) {
		snprintf(why, len, "off: reading a copied tree (--root)");
		return -1;
	}
	snprintf(path, sizeof(path), "%s/proc/kallsyms", st->root);
	st->flush_tlb_func = flush_tlb_func_addr(path, addr_why, sizeof(addr_why));
	st->unit = (struct bpf_unit){ UNIT_OF(stacks), .prepare = prepare, .arg = st };
	env.vmlinux = btf__load_vmlinux_btf();
	env.force_raw = st->force_raw;
	err = unit_load(&st->unit, &env);
	btf__free(env.vmlinux);
	if (err == -EPERM) {
		privs_missing(privs_effective(), (1ull << CAP_BPF) | (1ull << CAP_PERFMON), addr_why,
			      sizeof(addr_why));
		snprintf(why, len, "needs %s", addr_why[0] ? addr_why : "CAP_BPF and CAP_PERFMON");
	} else if (err >= 0 && (!unit_attached(&st->unit, "sys_enter") || !unit_attached(&st->unit, "tlb_flush"))) {
		first_failure(&st->unit, why, len);
		err = -ENOENT;
	} else if (err < 0) {
		first_failure(&st->unit, why, len);
	}
	if (err < 0) {
		unload(st);
		return -1;
	}
	st->counts_fd = bpf_map__fd(skel_of(st)->maps.counts);
	st->stack_fd = bpf_map__fd(skel_of(st)->maps.stack_map);
	st->cpu_fd = bpf_map__fd(skel_of(st)->maps.cpu_state);
	st->loaded = st->attached = 1;
	return 0;
}

int stacks_preload(struct stacks *st, char *why, size_t len)
{
	if (load(st, why, len) < 0)
		return -1;
	detach(st);
	st->keep_loaded = 1;
	return 0;
}

/* Every key of a map deleted (the target changed: nothing of the last
 * one may show under the next).  Key-by-key: a set-up path. */
static void clear_map(int fd, void *key)
{
	while (bpf_map_get_next_key(fd, NULL, key) == 0)
		if (bpf_map_delete_elem(fd, key) < 0)
			break;
}

static void clear_all(struct stacks *st)
{
	struct stacks_key k;
	uint32_t id;

	if (!st->loaded)
		return;
	clear_map(st->counts_fd, &k);
	clear_map(st->stack_fd, &id);
}

static uint64_t lost_now(struct stacks *st)
{
	uint32_t zero = 0;
	uint64_t n = 0;

	if (bpf_map_lookup_elem(st->cpu_fd, &zero, st->percpu) < 0)
		return st->lost_prev;
	for (int c = 0; c < st->ncpu; c++)
		n += st->percpu[c].lost_sites;
	return n;
}

int stacks_target(struct stacks *st, int32_t tgid, char *why, size_t len)
{
	if (tgid < 0) {
		snprintf(why, len, "no such process");
		return -1;
	}
	if (tgid && !hostfs_has_pid(st->root, tgid)) {
		snprintf(why, len, "no such process");
		return -1;
	}
	if (tgid && (load(st, why, len) < 0 || attach(st, why, len) < 0))
		return -1;
	if (st->loaded) {
		aim(st, 0);
		clear_all(st);
		st->lost_prev = lost_now(st);
		if (tgid)
			aim(st, (uint32_t)tgid);
		else if (st->keep_loaded)
			detach(st);
		else
			unload(st);
	}
	st->tgid = tgid;
	st->gone = 0;
	return 0;
}

/* Gone, or a zombie: nothing of it can be named any more. */
static int exited(const struct stacks *st)
{
	char rel[48], stat[512], *close_paren;

	if (!hostfs_has_pid(st->root, st->tgid))
		return 1;
	snprintf(rel, sizeof(rel), "/proc/%d/stat", st->tgid);
	if (hostfs_read(st->root, rel, stat, sizeof(stat)) < 0)
		return errno == ENOENT || errno == ESRCH;
	close_paren = strrchr(stat, ')');
	return close_paren && close_paren[1] && (close_paren[2] == 'Z' || close_paren[2] == 'X');
}

/* This tick's counts, deleted from the map as they are read: one batch
 * call per up to STACKS_MAX_SITES entries, key by key where the kernel
 * has no batch operations.  Returns the entries read. */
static uint32_t drain(struct stacks *st)
{
	uint32_t total = 0, count = STACKS_MAX_SITES, out = 0;
	struct stacks_key key;

	if (bpf_map_lookup_and_delete_batch(st->counts_fd, NULL, &out, st->keys, st->vals, &count, NULL) == 0 ||
	    errno == ENOENT)
		return count;
	if (errno != EINVAL && errno != EOPNOTSUPP)
		return count;
	while (total < STACKS_MAX_SITES && bpf_map_get_next_key(st->counts_fd, NULL, &key) == 0) {
		if (bpf_map_lookup_and_delete_elem(st->counts_fd, &key, &st->vals[total]) == 0)
			st->keys[total++] = key;
		else if (bpf_map_delete_elem(st->counts_fd, &key) < 0)
			break;
	}
	return total;
}

/* The FRAME_SITES entries with the most events, most first (no sort of
 * the whole table: a tick must not allocate, and qsort may). */
static uint32_t pick_top(struct stacks *st, uint32_t n)
{
	uint32_t k = 0;

	for (uint32_t i = 0; i < n; i++) {
		uint32_t at = k < FRAME_SITES ? k++ : FRAME_SITES;

		if (at == FRAME_SITES && st->vals[i].events <= st->vals[st->top[FRAME_SITES - 1]].events)
			continue;
		if (at == FRAME_SITES)
			at = FRAME_SITES - 1;
		while (at > 0 && st->vals[st->top[at - 1]].events < st->vals[i].events) {
			st->top[at] = st->top[at - 1];
			at--;
		}
		st->top[at] = i;
	}
	return k;
}

static const char *name_user(struct symbolizer *sym, int32_t pid, uint64_t a, char *buf, size_t len)
{
	if (sym)
		return sym_user(sym, pid, a, buf, len);
	snprintf(buf, len, "0x%llx", (unsigned long long)a);
	return buf;
}

static const char *name_kernel(struct symbolizer *sym, uint64_t a, char *buf, size_t len)
{
	if (sym)
		return sym_kernel(sym, a, buf, len);
	snprintf(buf, len, "0x%llx", (unsigned long long)a);
	return buf;
}

/* Frames of stack id into ips, innermost first; their number. */
static int frames_of(struct stacks *st, int32_t id)
{
	int n = 0;

	if (id < 0)
		return 0;
	memset(st->ips, 0, sizeof(st->ips));
	if (bpf_map_lookup_elem(st->stack_fd, &id, st->ips) < 0)
		return 0;
	while (n < STACKS_DEPTH && st->ips[n])
		n++;
	return n;
}

/* st->names[0..n-1] (innermost first) joined outermost first into out;
 * what does not fit loses its outermost frames. */
static void join(struct stacks *st, int n, char *out, size_t len)
{
	size_t used = 0, at = 0;
	int keep = 0;

	while (keep < n && used + strlen(st->names[keep]) + (keep > 0) < len) {
		used += strlen(st->names[keep]) + (keep > 0);
		keep++;
	}
	out[0] = '\0';
	for (int i = keep - 1; i >= 0; i--)
		at += (size_t)snprintf(out + at, len - at, "%s%s", st->names[i], i ? ";" : "");
}

/* The user path: the stack as unwound (frame pointers), with the
 * wrapper's caller put back under the wrapper: a wrapper that sets up no
 * frame hides its caller from the unwinder. */
static void user_path(struct stacks *st, struct symbolizer *sym, const struct stacks_key *k, char *out,
		      size_t len)
{
	int n = frames_of(st, k->ustack), m = 0;

	for (int i = 0; i < n && m < PATH_FRAMES; i++) {
		name_user(sym, st->tgid, st->ips[i], st->names[m++], NAME_LEN);
		if (i == 0 && k->caller && (n < 2 || st->ips[1] != k->caller) && m < PATH_FRAMES)
			name_user(sym, st->tgid, k->caller, st->names[m++], NAME_LEN);
	}
	if (n == 0 && k->caller)
		name_user(sym, st->tgid, k->caller, st->names[m++], NAME_LEN);
	join(st, m, out, len);
}

/* The sampler's own frames: the program and the tracepoint's glue. */
static int tracing_frame(const char *name)
{
	return strncmp(name, "bpf_", 4) == 0 || strncmp(name, "__bpf_", 6) == 0 ||
	       strncmp(name, "__traceiter_", 12) == 0;
}

/* The kernel path from the traced function out: the innermost frames
 * that belong to the sampler itself are left out (named ones only: a raw
 * address is kept, never guessed at). */
static void kernel_path(struct stacks *st, struct symbolizer *sym, int32_t id, char *out, size_t len)
{
	int n = frames_of(st, id), skip = 0;

	for (int i = 0; i < n; i++)
		name_kernel(sym, st->ips[i], st->names[i], NAME_LEN);
	while (skip < n && tracing_frame(st->names[skip]))
		skip++;
	if (skip)
		memmove(st->names, st->names + skip, (size_t)(n - skip) * sizeof(st->names[0]));
	join(st, n - skip, out, len);
}

static void fill_site(struct stacks *st, struct symbolizer *sym, const struct stacks_key *k,
		      const struct stacks_count *c, struct frame_site *s)
{
	memset(s, 0, sizeof(*s));
	s->kind = (uint8_t)(k->kind < SITE_KINDS ? k->kind : SITE_FLUSH);
	s->events = c->events * STACKS_PERIOD;
	s->ipis = c->ipis * STACKS_PERIOD;
	if (k->caller)
		name_user(sym, st->tgid, k->caller, s->caller, sizeof(s->caller));
	user_path(st, sym, k, s->upath, sizeof(s->upath));
	kernel_path(st, sym, k->kstack, s->kpath, sizeof(s->kpath));
}

void stacks_sample(struct stacks *st, struct symbolizer *sym, struct frame *f)
{
	struct frame_sites *out = &f->sites;
	uint64_t lost;
	uint32_t n, k;

	memset(out, 0, sizeof(*out));
	if (!st || !st->tgid || !st->loaded)
		return;
	out->tgid = st->tgid;
	out->period = STACKS_PERIOD;
	f->signals |= 1u << SIG_STACKS;
	if (st->gone)
		return;
	if (exited(st)) { /* nothing of it may outlive it */
		aim(st, 0);
		detach(st);
		clear_all(st);
		if (sym)
			sym_forget(sym, st->tgid);
		st->gone = 1;
		return;
	}
	n = drain(st);
	k = pick_top(st, n);
	for (uint32_t i = 0; i < k; i++)
		fill_site(st, sym, &st->keys[st->top[i]], &st->vals[st->top[i]], &out->site[i]);
	out->n = k;
	/* the rest, and what the full map turned away, as "other" */
	for (uint32_t i = 0; i < n; i++) {
		int shown = 0;

		for (uint32_t j = 0; j < k && !shown; j++)
			shown = st->top[j] == i;
		if (!shown) {
			out->other_events += st->vals[i].events * STACKS_PERIOD;
			out->other_ipis += st->vals[i].ipis * STACKS_PERIOD;
		}
	}
	lost = lost_now(st);
	out->other_events += (lost - st->lost_prev) * STACKS_PERIOD;
	st->lost_prev = lost;
}

void stacks_free(struct stacks *st)
{
	if (!st)
		return;
	if (st->loaded)
		unload(st);
	else
		unit_close(&st->unit);
	free(st->keys);
	free(st->vals);
	free(st->percpu);
	free(st);
}

void stacks_describe(const struct stacks *st, FILE *out)
{
	static const char *const tps[] = { "tlb_flush", "sys_enter", "csd_queue_cpu" };

	if (st->loaded) {
		unit_describe(&st->unit, out,
			      "detached: attached while one process's call sites are sampled (the where view, "
			      "stacks --pid, record --pid)");
		return;
	}
	for (size_t i = 0; i < sizeof(tps) / sizeof(tps[0]); i++)
		fprintf(out, "stacks\t%s\t-\t-\tnot loaded: loads when a process's call sites are first asked for\n",
			tps[i]);
}
