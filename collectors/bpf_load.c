#include "bpf_load.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

static int vmlinux_has(const struct load_env *env, const char *tp)
{
	char type[80];

	if (!env->vmlinux)
		return 0;
	snprintf(type, sizeof(type), "btf_trace_%s", tp);
	return btf__find_by_name_kind(env->vmlinux, type, BTF_KIND_TYPEDEF) >= 0;
}

/* Splits "tp_btf/x" or "raw_tp/x"; NULL for any other section. */
static const char *section_tp(const struct bpf_program *p, int *raw)
{
	const char *sec = bpf_program__section_name(p);

	if (strncmp(sec, "tp_btf/", 7) == 0) {
		*raw = 0;
		return sec + 7;
	}
	if (strncmp(sec, "raw_tp/", 7) == 0) {
		*raw = 1;
		return sec + 7;
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

/* 1 when the object has a tp_btf program for tp. */
static int has_btf_twin(struct bpf_object *obj, const char *tp)
{
	struct bpf_program *p;

	bpf_object__for_each_program(p, obj) {
		int raw;
		const char *t = section_tp(p, &raw);

		if (t && !raw && strcmp(t, tp) == 0)
			return 1;
	}
	return 0;
}

/* Keeps one program per tracepoint: tp_btf when the object has one and the
 * kernel's BTF knows the tracepoint, the raw_tp twin otherwise. */
static void choose_twins(struct bpf_unit *u, const struct load_env *env)
{
	struct bpf_object *obj = u->object(u->skel);
	struct bpf_program *p;

	bpf_object__for_each_program(p, obj) {
		int raw, keep;
		const char *tp = section_tp(p, &raw);
		struct hook *h;

		if (!tp || !(h = hook_for(u, tp))) {
			bpf_program__set_autoload(p, false);
			continue;
		}
		if (list_has(env->disable, tp))
			h->state = HOOK_DISABLED;
		if (raw)
			keep = env->force_raw || !vmlinux_has(env, tp) || !has_btf_twin(obj, tp);
		else
			keep = !env->force_raw && vmlinux_has(env, tp);
		bpf_program__set_autoload(p, keep && h->state != HOOK_DISABLED);
		if (keep) {
			h->prog = p;
			h->raw = (uint8_t)raw;
		}
	}
}

static int reopen(struct bpf_unit *u, const struct load_env *env)
{
	if (u->skel)
		u->destroy(u->skel);
	u->skel = u->open();
	if (!u->skel)
		return -errno ? -errno : -ENOMEM;
	for (int i = 0; i < u->nhooks; i++)
		u->hooks[i].prog = NULL;
	choose_twins(u, env);
	if (u->prepare)
		u->prepare(u->skel, u->arg);
	return 0;
}

/* Loads with only hook `only` (or every live hook when only < 0). */
static int try_load(struct bpf_unit *u, const struct load_env *env, int only)
{
	int err = reopen(u, env);

	if (err)
		return err;
	for (int i = 0; only >= 0 && i < u->nhooks; i++)
		if (u->hooks[i].prog)
			bpf_program__set_autoload(u->hooks[i].prog, i == only);
	for (int i = 0; only < 0 && i < u->nhooks; i++)
		if (u->hooks[i].prog && u->hooks[i].state == HOOK_REFUSED)
			bpf_program__set_autoload(u->hooks[i].prog, false);
	return bpf_object__load(u->object(u->skel));
}

/* The object failed as a whole: find out which programs the verifier
 * refuses by loading each on its own, then load the rest together. */
static int load_each(struct bpf_unit *u, const struct load_env *env)
{
	for (int i = 0; i < u->nhooks; i++) {
		struct hook *h = &u->hooks[i];

		if (h->state == HOOK_DISABLED)
			continue;
		if (try_load(u, env, i) < 0) {
			h->state = HOOK_REFUSED;
			h->err = errno;
		}
	}
	return try_load(u, env, -1);
}

static void attach_all(struct bpf_unit *u)
{
	for (int i = 0; i < u->nhooks; i++) {
		struct hook *h = &u->hooks[i];

		if (h->state != HOOK_OFF || !h->prog)
			continue;
		h->link = bpf_program__attach(h->prog);
		if (h->link) {
			h->state = HOOK_ATTACHED;
			continue;
		}
		h->err = errno;
		h->state = errno == ENOENT ? HOOK_NO_TRACEPOINT : HOOK_ATTACH_FAILED;
	}
}

int unit_load(struct bpf_unit *u, const struct load_env *env)
{
	int err = try_load(u, env, -1);
	int n = 0;

	if (err == -EPERM) /* no privilege; EACCES is the verifier's refusal */
		return err;
	if (err < 0 && (err = load_each(u, env)) < 0)
		return err;
	attach_all(u);
	for (int i = 0; i < u->nhooks; i++)
		n += u->hooks[i].state == HOOK_ATTACHED;
	return n;
}

int unit_attached(const struct bpf_unit *u, const char *tp)
{
	for (int i = 0; i < u->nhooks; i++)
		if (strcmp(u->hooks[i].tp, tp) == 0)
			return u->hooks[i].state == HOOK_ATTACHED;
	return 0;
}

void hook_run_stats(const struct hook *h, uint64_t *ns, uint64_t *cnt)
{
	struct bpf_prog_info info;
	uint32_t len = sizeof(info);

	if (h->state != HOOK_ATTACHED)
		return;
	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(bpf_program__fd(h->prog), &info, &len) == 0) {
		*ns += info.run_time_ns;
		*cnt += info.run_cnt;
	}
}

void unit_run_stats(const struct bpf_unit *u, uint64_t *ns, uint64_t *cnt)
{
	for (int i = 0; i < u->nhooks; i++)
		hook_run_stats(&u->hooks[i], ns, cnt);
}

void unit_close(struct bpf_unit *u)
{
	for (int i = 0; i < u->nhooks; i++)
		bpf_link__destroy(u->hooks[i].link);
	if (u->skel)
		u->destroy(u->skel);
	u->skel = NULL;
	u->nhooks = 0;
}

const char *hook_state_name(enum hook_state s)
{
	switch (s) {
	case HOOK_OFF: return "not tried";
	case HOOK_ATTACHED: return "attached";
	case HOOK_DISABLED: return "disabled";
	case HOOK_NO_TRACEPOINT: return "no tracepoint";
	case HOOK_REFUSED: return "refused by the verifier";
	case HOOK_ATTACH_FAILED: return "attach failed";
	}
	return "?";
}
