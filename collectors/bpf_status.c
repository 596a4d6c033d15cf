// SPDX-License-Identifier: GPL-2.0-only
#include "collectors/bpf_status.h"

#include <string.h>

#define MAX_HOOKS 128

/* Appends while it fits; at keeps counting past the end. */
struct out {
	char *buf;
	size_t len, at;
};

static void put(struct out *o, const char *s)
{
	size_t n = strlen(s);

	if (o->at + n < o->len)
		memcpy(o->buf + o->at, s, n + 1);
	o->at += n;
}

static int same_text(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* One group: the same state, map and (with details) detail. */
static int same_group(const struct hook *a, const struct hook *b, int details)
{
	return a->state == b->state && strcmp(a->map, b->map) == 0 &&
	       (!details || same_text(a->detail, b->detail));
}

static void group(struct out *o, const struct hook *const *h, int nh, int first, int details)
{
	char label[HOOK_MAP_LEN + 48];

	hook_label(h[first], label, sizeof(label));
	put(o, o->at ? "; " : "");
	put(o, label);
	put(o, ": ");
	for (int i = first, named = 0; i < nh; i++) {
		int dup = 0;

		if (!same_group(h[i], h[first], details))
			continue;
		for (int k = first; k < i && !dup; k++) /* tlb_flush of two units */
			dup = same_group(h[k], h[first], details) && strcmp(h[k]->tp, h[i]->tp) == 0;
		if (dup)
			continue;
		put(o, named++ ? "," : "");
		put(o, h[i]->tp);
	}
	if (details && h[first]->detail) {
		put(o, " (");
		put(o, h[first]->detail);
		put(o, ")");
	}
}

static size_t write_line(const struct hook *const *h, int nh, const char *note, int details,
			 char *buf, size_t len)
{
	static const enum hook_state order[] = {
		HOOK_NO_TRACEPOINT, HOOK_REFUSED, HOOK_NEEDS_BTF, HOOK_MAP_FAILED, HOOK_LOAD_FAILED,
		HOOK_ATTACH_FAILED, HOOK_NOT_PERMITTED, HOOK_DISABLED, HOOK_OFF,
	};
	struct out o = { buf, len, 0 };

	buf[0] = '\0';
	for (size_t s = 0; s < sizeof(order) / sizeof(order[0]); s++)
		for (int i = 0; i < nh; i++) {
			int seen = 0;

			if (h[i]->state != order[s])
				continue;
			for (int k = 0; k < i && !seen; k++)
				seen = same_group(h[k], h[i], details);
			if (!seen)
				group(&o, h, nh, i, details);
		}
	if (note && note[0]) {
		put(&o, o.at ? "; " : "");
		put(&o, note);
	}
	return o.at;
}

static int any_detail(const struct hook *const *h, int nh)
{
	for (int i = 0; i < nh; i++)
		if (h[i]->detail)
			return 1;
	return 0;
}

size_t bpf_status_line(const struct bpf_unit *const *units, int n, const char *note, char *buf, size_t len)
{
	const struct hook *h[MAX_HOOKS] = { 0 };
	int nh = 0;
	size_t need;

	if (!len)
		return 0;
	for (int u = 0; u < n; u++)
		for (int i = 0; units[u] && i < units[u]->nhooks && nh < MAX_HOOKS; i++)
			if (units[u]->hooks[i].state != HOOK_ATTACHED)
				h[nh++] = &units[u]->hooks[i];
	need = write_line(h, nh, note, 1, buf, len);
	if (need < len)
		return need;
	need = write_line(h, nh, note, 0, buf, len);
	if (any_detail(h, nh)) {
		struct out o = { buf, len, need };

		put(&o, " (their details: stormtop --probes)");
		need = o.at;
	}
	if (need >= len)
		buf[0] = '\0';
	return need;
}
