// SPDX-License-Identifier: GPL-2.0-only
#include "ui/cgtree.h"

#include <stdio.h>
#include <string.h>

static const char *const runtimes[] = { "docker-", "cri-containerd-", "crio-", "libpod-" };

/* n hex digits at s. */
static int hex_run(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strchr("0123456789abcdef", s[i]) || !s[i])
			return 0;
	return 1;
}

/* A runtime's container scope: "<runtime> <12 hex>"; 0 when comp is not one. */
static int container(const char *comp, size_t len, char *dst, size_t n)
{
	for (size_t r = 0; r < sizeof(runtimes) / sizeof(runtimes[0]); r++) {
		size_t p = strlen(runtimes[r]);

		if (len == p + 64 + 6 && !strncmp(comp, runtimes[r], p) && hex_run(comp + p, 64) &&
		    !strncmp(comp + p + 64, ".scope", 6)) {
			snprintf(dst, n, "%.*s %.12s", (int)(p - 1), runtimes[r], comp + p);
			return 1;
		}
	}
	return 0;
}

/* A kubepods component's pod: "pod <uid>" from "...pod<uid>[.slice]";
 * 0 when comp is not one. */
static int pod(const char *path, const char *comp, size_t len, char *dst, size_t n)
{
	const char *at = NULL;
	size_t uid, k;

	if (!strstr(path, "kubepods"))
		return 0;
	for (const char *p = comp; p + 3 <= comp + len; p++)
		if (!strncmp(p, "pod", 3) && p + 3 < comp + len && hex_run(p + 3, 1))
			at = p + 3;
	if (!at)
		return 0;
	uid = (size_t)(comp + len - at);
	if (uid > 6 && !strncmp(at + uid - 6, ".slice", 6))
		uid -= 6;
	k = (size_t)snprintf(dst, n, "pod %.*s", (int)uid, at);
	for (size_t i = 4; i < k && i < n; i++)
		if (dst[i] == '_')
			dst[i] = '-';
	return 1;
}

char *cgroup_label(const char *path, char *dst, size_t n)
{
	const char *end = path + strlen(path), *comp;

	while (end > path && end[-1] == '/')
		end--;
	comp = end;
	while (comp > path && comp[-1] != '/')
		comp--;
	if (!path[0]) /* the collector found no path for its id: not the root */
		snprintf(dst, n, "(no path)");
	else if (comp == end)
		snprintf(dst, n, "/");
	else if (!container(comp, (size_t)(end - comp), dst, n) && !pod(path, comp, (size_t)(end - comp), dst, n))
		snprintf(dst, n, "%.*s", (int)(end - comp), comp);
	return dst;
}

int cgroup_depth(const char *path)
{
	int d = 0;

	for (const char *p = path; *p; p++)
		d += *p != '/' && (p == path || p[-1] == '/');
	return d;
}

int cgroup_keeps_proc(const struct frame *f, const struct frame_proc *p, const char *root)
{
	if (!root[0])
		return 1;
	if (f->cgroups.state != CGROUPS_OK || !p->cgroup_id)
		return 0;
	for (uint32_t i = 0; i < f->cgroups.n && i < FRAME_TOP_CGROUPS; i++)
		if (f->cgroups.top[i].id == p->cgroup_id)
			return cgroup_in_subtree(f->cgroups.top[i].path, root);
	return 0;
}

int cgroup_in_subtree(const char *path, const char *root)
{
	size_t n = strlen(root);

	while (n > 1 && root[n - 1] == '/')
		n--;
	if (n == 1 && root[0] == '/')
		return 1;
	return !strncmp(path, root, n) && (path[n] == '\0' || path[n] == '/');
}
