// SPDX-License-Identifier: GPL-2.0-only
#include "collectors/bpf_load.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

/* A refused program's verifier log goes here.  Kernels before 6.4 keep a
 * log's head and fail with ENOSPC once it is full, losing the reason at
 * its end: this is far more than our programs' logs need.  Allocated only
 * while a unit that failed is taken apart, at set-up. */
#define LOG_SIZE (8u << 20)

enum { LOAD_ALL = -1, LOAD_MAPS = -2 };

static int vmlinux_has(const struct load_env *env, const char *tp)
{
	char type[80];

	if (!env->vmlinux)
		return 0;
	snprintf(type, sizeof(type), "btf_trace_%s", tp);
	return btf__find_by_name_kind(env->vmlinux, type, BTF_KIND_TYPEDEF) >= 0;
}

/* The tracepoint and family of a program's section; NULL for others. */
static const char *section_tp(const struct bpf_program *p, int *fam)
{
	const char *sec = bpf_program__section_name(p), *slash;

	if (strncmp(sec, "tp_btf/", 7) == 0) {
		*fam = FAM_TP_BTF;
		return sec + 7;
	}
	if (strncmp(sec, "raw_tp/", 7) == 0) {
		*fam = FAM_RAW_TP;
		return sec + 7;
	}
	if ((strncmp(sec, "tracepoint/", 11) == 0 || strncmp(sec, "tp/", 3) == 0) &&
	    (slash = strrchr(sec, '/'))) {
		*fam = FAM_TRACEPOINT;
		return slash + 1;
	}
	return NULL;
}

static struct hook *hook_for(struct bpf_unit *u, const char *tp)
{
	for (int i = 0; i < u->nhooks; i++)
		if (strcmp(u->hooks[i].tp, tp) == 0)
			return &u->hooks[i];
	if (u->nhooks == UNIT_MAX_HOOKS)
		return NULL;
	snprintf(u->hooks[u->nhooks].tp, sizeof(u->hooks[0].tp), "%s", tp);
	return &u->hooks[u->nhooks++];
}

/* Set-up only: the detail is kept until unit_close. */
static void set_state(struct hook *h, enum hook_state st, const char *detail)
{
	h->state = (uint8_t)st;
	free(h->detail);
	h->detail = detail && detail[0] ? strdup(detail) : NULL;
}

/* Whether family fam's program (if the object has one) can serve h here:
 * tp_btf needs the tracepoint in the kernel's BTF; a raw_tp twin gives
 * way to a classic tracepoint program when there is no kernel BTF (the
 * object holding such programs is the one made to do without). */
static int usable(const struct bpf_unit *u, const struct hook *h, int fam,
		  struct bpf_program *const *found, const struct load_env *env)
{
	if (!found[fam] || ((u->avoid >> fam) & 1))
		return 0;
	if (fam == FAM_TP_BTF)
		return !env->force_raw && vmlinux_has(env, h->tp);
	if (fam == FAM_RAW_TP)
		return env->vmlinux || !found[FAM_TRACEPOINT];
	return 1;
}

/* No program of h can serve: why. */
static void nothing_usable(const struct bpf_unit *u, struct hook *h, struct bpf_program *const *found,
			   const struct load_env *env)
{
	if (h->state != HOOK_OFF)
		return;
	if (found[FAM_TP_BTF] && !env->vmlinux)
		set_state(h, HOOK_NEEDS_BTF, NULL);
	else if (found[FAM_TP_BTF] && !env->force_raw && !vmlinux_has(env, h->tp))
		set_state(h, HOOK_NO_TRACEPOINT, NULL);
	else
		set_state(h, HOOK_LOAD_FAILED, u->avoid_why ? u->avoid_why :
			  env->force_raw ? "no raw_tp program (--raw-tp)" : "no program of a usable kind");
}

/* Per tracepoint, the program of the first usable family. */
static void choose_programs(struct bpf_unit *u, const struct load_env *env)
{
	struct bpf_program *found[UNIT_MAX_HOOKS][FAM_COUNT], *p;

	memset(found, 0, sizeof(found));
	bpf_object__for_each_program(p, u->object(u->skel)) {
		int fam;
		const char *tp = section_tp(p, &fam);
		struct hook *h;

		bpf_program__set_autoload(p, false);
		if (tp && (h = hook_for(u, tp)))
			found[h - u->hooks][fam] = p;
	}
	for (int i = 0; i < u->nhooks; i++) {
		struct hook *h = &u->hooks[i];
		int fam = 0;

		if (h->state == HOOK_OFF && list_has(env->disable, h->tp))
			set_state(h, HOOK_DISABLED, NULL);
		while (fam < FAM_COUNT && !usable(u, h, fam, found[i], env))
			fam++;
		h->prog = fam < FAM_COUNT ? found[i][fam] : NULL;
		if (!h->prog) { /* shown as the kind it has */
			for (fam = 0; fam < FAM_COUNT - 1 && !found[i][fam]; fam++)
				;
			nothing_usable(u, h, found[i], env);
		}
		h->family = (uint8_t)fam;
	}
}

/* A fresh skeleton with this unit's choices: programs, read-only data,
 * and no map the kernel has refused. */
static int reopen(struct bpf_unit *u, const struct load_env *env)
{
	struct bpf_map *m;

	if (u->skel)
		u->destroy(u->skel);
	u->skel = u->open();
	if (!u->skel)
		return errno ? -errno : -ENOMEM;
	choose_programs(u, env);
	for (int i = 0; i < u->nhooks; i++)
		if (u->hooks[i].prog)
			bpf_program__set_autoload(u->hooks[i].prog, u->hooks[i].state == HOOK_OFF);
	if (u->prepare)
		u->prepare(u->skel, u->arg);
	bpf_object__for_each_map(m, u->object(u->skel))
		for (int k = 0; k < u->nbad; k++)
			if (strcmp(bpf_map__name(m), u->bad[k].name) == 0)
				bpf_map__set_autocreate(m, false);
	return 0;
}

/* Loads the hooks still in play (only >= 0: that hook alone; LOAD_MAPS:
 * none, and map_only alone when set), the verifier's log into log. */
static int try_load(struct bpf_unit *u, const struct load_env *env, int only, const char *map_only,
		    char *log)
{
	int err = reopen(u, env);
	struct bpf_map *m;

	if (err)
		return err;
	for (int i = 0; i < u->nhooks; i++) {
		struct hook *h = &u->hooks[i];
		int on = h->state == HOOK_OFF && (only == LOAD_ALL || only == i);

		if (!h->prog)
			continue;
		bpf_program__set_autoload(h->prog, on);
		if (on && log) {
			log[0] = '\0';
			bpf_program__set_log_buf(h->prog, log, LOG_SIZE);
		}
	}
	if (map_only)
		bpf_object__for_each_map(m, u->object(u->skel))
			if (strcmp(bpf_map__name(m), map_only) != 0)
				bpf_map__set_autocreate(m, false);
	return bpf_object__load(u->object(u->skel));
}

/* The maps the kernel will not create (a type it lacks, a flag it does
 * not know), each tried on its own with no program.  When even no map at
 * all fails (libbpf wants kernel BTF for any object with CO-RE in it),
 * the object is at fault, not a map. */
static void find_bad_maps(struct bpf_unit *u, const struct load_env *env)
{
	char names[UNIT_MAX_MAPS][HOOK_MAP_LEN];
	struct bpf_map *m;
	int n = 0;

	if (try_load(u, env, LOAD_MAPS, NULL, NULL) >= 0 || !u->skel)
		return;
	bpf_object__for_each_map(m, u->object(u->skel))
		if (bpf_map__autocreate(m) && n < UNIT_MAX_MAPS)
			snprintf(names[n++], HOOK_MAP_LEN, "%s", bpf_map__name(m));
	if (try_load(u, env, LOAD_MAPS, "", NULL) < 0)
		return;
	for (int k = 0; k < n && u->nbad < UNIT_MAX_MAPS; k++) {
		int err = try_load(u, env, LOAD_MAPS, names[k], NULL);

		if (err < 0) {
			memcpy(u->bad[u->nbad].name, names[k], HOOK_MAP_LEN);
			u->bad[u->nbad++].err = -err;
		}
	}
}

/* Why hook h failed to load alone with err and this log.  libbpf turns a
 * reference to a map it did not create into a call to "unknown#2001..."
 * (or fails before the kernel): that is the map's failure, not the
 * verifier's judgement of our code.  Without kernel BTF, libbpf fails
 * before the kernel sees the program (no log) when it needs CO-RE. */
static void classify(struct bpf_unit *u, struct hook *h, int err, const char *log,
		     const struct load_env *env)
{
	char words[HOOK_WHY_MAX - 64];
	size_t n = log ? verifier_reason(log, words, sizeof(words)) : 0;

	h->err = -err;
	if (err == -EPERM) {
		set_state(h, HOOK_NOT_PERMITTED, NULL);
	} else if (u->nbad && (!n || strstr(log, "unknown#2001") || strstr(log, "BPF map '"))) {
		set_state(h, HOOK_MAP_FAILED, strerror(u->bad[0].err));
		snprintf(h->map, sizeof(h->map), "%s", u->bad[0].name);
	} else if (n) {
		set_state(h, HOOK_REFUSED, words);
	} else if (!env->vmlinux) {
		set_state(h, HOOK_NEEDS_BTF, NULL);
	} else {
		set_state(h, HOOK_LOAD_FAILED, strerror(-err));
	}
}

/* The object failed as a whole: find the maps the kernel refuses, then
 * load each program on its own to learn what is wrong with which, then
 * load the rest together. */
static int load_each(struct bpf_unit *u, const struct load_env *env)
{
	char *log = malloc(LOG_SIZE);
	int err;

	find_bad_maps(u, env);
	for (int i = 0; i < u->nhooks; i++) {
		struct hook *h = &u->hooks[i];

		if (!h->prog || h->state != HOOK_OFF)
			continue;
		err = try_load(u, env, i, NULL, log);
		if (err < 0)
			classify(u, h, err, log, env);
	}
	free(log);
	err = try_load(u, env, LOAD_ALL, NULL, NULL);
	for (int i = 0; err < 0 && i < u->nhooks; i++)
		if (u->hooks[i].prog && u->hooks[i].state == HOOK_OFF)
			set_state(&u->hooks[i], HOOK_LOAD_FAILED, strerror(-err));
	return err;
}

static void attach_all(struct bpf_unit *u)
{
	for (int i = 0; i < u->nhooks; i++) {
		struct hook *h = &u->hooks[i];

		if (h->state != HOOK_OFF || !h->prog)
			continue;
		h->link = bpf_program__attach(h->prog);
		if (h->link) {
			set_state(h, HOOK_ATTACHED, NULL);
			continue;
		}
		h->err = errno;
		if (errno == ENOENT)
			set_state(h, HOOK_NO_TRACEPOINT, NULL);
		else
			set_state(h, HOOK_ATTACH_FAILED, strerror(h->err));
	}
}

/* Links and skeleton go; the hook table stays, to describe the unit. */
static void release(struct bpf_unit *u)
{
	for (int i = 0; i < u->nhooks; i++) {
		bpf_link__destroy(u->hooks[i].link);
		u->hooks[i].link = NULL;
		u->hooks[i].prog = NULL;
	}
	if (u->skel)
		u->destroy(u->skel);
	u->skel = NULL;
}

int unit_load(struct bpf_unit *u, const struct load_env *env)
{
	int err = try_load(u, env, LOAD_ALL, NULL, NULL);
	int n = 0;

	if (err == -EPERM) { /* no privilege; EACCES is the verifier's refusal */
		for (int i = 0; i < u->nhooks; i++)
			if (u->hooks[i].state == HOOK_OFF)
				set_state(&u->hooks[i], HOOK_NOT_PERMITTED, NULL);
		release(u);
		return err;
	}
	if (err < 0 && (err = load_each(u, env)) < 0) {
		release(u);
		return err;
	}
	attach_all(u);
	for (int i = 0; i < u->nhooks; i++)
		n += u->hooks[i].state == HOOK_ATTACHED;
	return n;
}

int unit_plan(struct bpf_unit *u, const struct load_env *env)
{
	int err = reopen(u, env);

	release(u);
	return err;
}

int unit_attached(const struct bpf_unit *u, const char *tp)
{
	for (int i = 0; i < u->nhooks; i++)
		if (strcmp(u->hooks[i].tp, tp) == 0)
			return u->hooks[i].state == HOOK_ATTACHED;
	return 0;
}

int hook_stats(const struct hook *h, struct prog_stats *s)
{
	struct bpf_prog_info info;
	uint32_t len = sizeof(info);

	if (h->state != HOOK_ATTACHED || !h->prog)
		return -ENOENT;
	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(bpf_program__fd(h->prog), &info, &len) < 0)
		return -errno;
	s->run_ns += info.run_time_ns;
	s->run_cnt += info.run_cnt;
	s->recursion_misses += info.recursion_misses;
	return 0;
}

void unit_stats(const struct bpf_unit *u, struct prog_stats *s)
{
	for (int i = 0; i < u->nhooks; i++)
		hook_stats(&u->hooks[i], s);
}

void hook_run_stats(const struct hook *h, uint64_t *ns, uint64_t *cnt)
{
	struct prog_stats s = { 0 };

	if (hook_stats(h, &s) == 0) {
		*ns += s.run_ns;
		*cnt += s.run_cnt;
	}
}

void unit_fail(struct bpf_unit *u, int err, const char *what)
{
	char detail[256];

	snprintf(detail, sizeof(detail), "%s: %s", what, strerror(-err));
	for (int i = 0; i < u->nhooks; i++)
		if (u->hooks[i].state == HOOK_ATTACHED || u->hooks[i].state == HOOK_OFF)
			set_state(&u->hooks[i], HOOK_LOAD_FAILED, detail);
	release(u);
}

void unit_close(struct bpf_unit *u)
{
	release(u);
	for (int i = 0; i < u->nhooks; i++)
		free(u->hooks[i].detail);
	memset(u->hooks, 0, sizeof(u->hooks));
	u->nhooks = 0;
	u->nbad = 0;
}

const char *prog_family_name(enum prog_family f)
{
	switch (f) {
	case FAM_TP_BTF: return "tp_btf";
	case FAM_RAW_TP: return "raw_tp";
	case FAM_TRACEPOINT: return "tracepoint";
	case FAM_COUNT: break;
	}
	return "?";
}

const char *hook_state_name(enum hook_state s)
{
	switch (s) {
	case HOOK_OFF: return "not tried";
	case HOOK_ATTACHED: return "attached";
	case HOOK_DISABLED: return "disabled";
	case HOOK_NO_TRACEPOINT: return "no tracepoint";
	case HOOK_REFUSED: return "refused by the verifier";
	case HOOK_NEEDS_BTF: return "needs kernel BTF";
	case HOOK_MAP_FAILED: return "map cannot be created";
	case HOOK_LOAD_FAILED: return "cannot be loaded";
	case HOOK_ATTACH_FAILED: return "attach failed";
	case HOOK_NOT_PERMITTED: return "not permitted";
	case HOOK_STATES: break;
	}
	return "?";
}

size_t hook_label(const struct hook *h, char *buf, size_t len)
{
	int n = h->state == HOOK_MAP_FAILED ?
		snprintf(buf, len, "map %s cannot be created", h->map) :
		snprintf(buf, len, "%s", hook_state_name((enum hook_state)h->state));

	return n < 0 ? 0 : (size_t)n;
}

size_t hook_why(const struct hook *h, char *buf, size_t len)
{
	size_t n = hook_label(h, buf, len);

	if (h->detail && n < len)
		n += (size_t)snprintf(buf + n, len - n, ": %s", h->detail);
	return n;
}

/* A line of the verifier's trace rather than its verdict: an instruction
 * ("12: (61) r1 = ..."), a source line ("; x = y"), a branch state
 * ("from 4 to 6: ...") or a register dump ("R1=ctx() ..."). */
static int trace_line(const char *l, size_t n)
{
	size_t k = 0;

	if (n && isdigit((unsigned char)l[0])) {
		while (k < n && isdigit((unsigned char)l[k]))
			k++;
		return k < n && l[k] == ':';
	}
	if (n >= 2 && l[0] == ';' && l[1] == ' ')
		return 1;
	if (n >= 5 && strncmp(l, "from ", 5) == 0)
		return 1;
	if (n >= 2 && l[0] == 'R' && isdigit((unsigned char)l[1])) {
		for (k = 1; k < n && isdigit((unsigned char)l[k]); k++)
			;
		return k < n && (l[k] == '=' || l[k] == '_');
	}
	return 0;
}

struct span {
	const char *p;
	size_t n;
};

/* The line ending just before end (end > log), without its newline. */
static struct span line_before(const char *log, const char *end)
{
	const char *s = end;

	while (s > log && s[-1] != '\n')
		s--;
	return (struct span){ s, (size_t)(end - s) };
}

static size_t append(char *out, size_t len, size_t at, struct span l, int first)
{
	if (!first && at + 2 < len) {
		memcpy(out + at, ": ", 2);
		at += 2;
	}
	for (size_t i = 0; i < l.n && at + 1 < len; i++)
		out[at++] = l.p[i] == ';' ? ',' : l.p[i];
	out[at] = '\0';
	return at;
}

size_t verifier_reason(const char *log, char *out, size_t len)
{
	const char *end = log + strlen(log), *sum = NULL, *cur = end;
	struct span block[4], l;
	int nb = 0;
	size_t at = 0;

	if (!len)
		return 0;
	out[0] = '\0';
	/* the summary: the last line that starts "processed " */
	while (cur > log) {
		if (cur[-1] == '\n')
			cur--;
		l = line_before(log, cur);
		if (l.n >= 10 && strncmp(l.p, "processed ", 10) == 0) {
			sum = l.p;
			break;
		}
		cur = l.p;
	}
	cur = sum ? sum : end;
	while (cur > log && nb < 4) {
		if (cur[-1] == '\n')
			cur--;
		l = line_before(log, cur);
		cur = l.p;
		while (l.n && isspace((unsigned char)l.p[l.n - 1]))
			l.n--;
		if (!l.n)
			continue;
		if (trace_line(l.p, l.n) && (nb || sum)) {
			if (!nb) /* nothing between trace and summary: the trace says it */
				block[nb++] = l;
			break;
		}
		block[nb++] = l;
		if (!sum) /* no summary: the last line is the verdict */
			break;
	}
	for (int i = nb - 1; i >= 0; i--)
		at = append(out, len, at, block[i], i == nb - 1);
	return at;
}

void unit_describe(const struct bpf_unit *u, FILE *out, const char *detached_why)
{
	for (int h = 0; h < u->nhooks; h++) {
		const struct hook *k = &u->hooks[h];
		struct prog_stats st = { 0 };
		char why[HOOK_WHY_MAX];
		int detached = detached_why && k->state == HOOK_ATTACHED && !k->link;

		if (detached)
			snprintf(why, sizeof(why), "%s", detached_why);
		else
			hook_why(k, why, sizeof(why));
		fprintf(out, "%s\t%s\t%s\t", u->name, k->tp, prog_family_name((enum prog_family)k->family));
		if (!detached && hook_stats(k, &st) == 0)
			fprintf(out, "%llu", (unsigned long long)st.recursion_misses);
		else
			fputs("-", out);
		fprintf(out, "\t%s\n", why);
	}
}
