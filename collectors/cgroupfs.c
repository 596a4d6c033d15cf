// SPDX-License-Identifier: GPL-2.0-only
#include "collectors/cgroupfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "collectors/hostfs.h"
#include "util/mem.h"
#include "util/regfile.h"

#define SLOTS (CGFS_CACHE * 2) /* open addressing, half full at most */

struct entry {
	uint64_t id;           /* 0: empty */
	char path[FRAME_CGROUP_PATH];
};

struct cgroupfs {
	uint8_t state;         /* enum cgroup_state */
	char why[FRAME_REASON_LEN];
	char mnt[4096];        /* as the host names it */
	char dir[4096 + HOSTFS_ROOT_MAX]; /* root + mnt: what is walked */
	uint64_t root_id;      /* the mount's own directory */
	struct entry *slot;    /* SLOTS */
	uint32_t used;
	uint64_t want;         /* the id whose miss started this walk */
	int64_t scanned_at;
	uint32_t scans;
	char rel[4096];        /* the walk's current path, relative to the mount */
};

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The kernel writes space, tab, newline and backslash in a mount path as
 * \ooo (fs/proc_namespace.c, mangle()); every other byte as it is. */
static int unescape(const char *s, size_t len, char *out, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		char ch = s[i];

		if (ch == '\\' && i + 3 < len && s[i + 1] >= '0' && s[i + 1] <= '3' &&
		    s[i + 2] >= '0' && s[i + 2] <= '7' && s[i + 3] >= '0' && s[i + 3] <= '7') {
			ch = (char)((s[i + 1] - '0') << 6 | (s[i + 2] - '0') << 3 | (s[i + 3] - '0'));
			i += 3;
		}
		if (o + 1 >= n)
			return -1;
		out[o++] = ch;
	}
	out[o] = '\0';
	return 0;
}

/* Field k (0-based, space separated) of line [s, end): its start and length. */
static const char *field(const char *s, const char *end, int k, size_t *len)
{
	for (; k > 0; k--) {
		const char *sp = memchr(s, ' ', (size_t)(end - s));

		if (!sp)
			return NULL;
		s = sp + 1;
	}
	const char *sp = memchr(s, ' ', (size_t)(end - s));

	*len = (size_t)((sp ? sp : end) - s);
	return s;
}

enum cgroup_state cgroupfs_parse_mounts(const char *text, char *mnt, size_t n, char *why, size_t wn)
{
	int v1 = 0;

	mnt[0] = '\0';
	for (const char *s = text; *s;) {
		const char *end = strchr(s, '\n');
		const char *type, *path;
		size_t tlen, plen;

		if (!end)
			end = s + strlen(s);
		type = field(s, end, 2, &tlen);
		path = field(s, end, 1, &plen);
		if (type && path && tlen == 7 && memcmp(type, "cgroup2", 7) == 0) {
			if (unescape(path, plen, mnt, n) == 0)
				return CGROUPS_OK;
			snprintf(why, wn, "cgroup2 mount path longer than %zu bytes", n - 1);
			mnt[0] = '\0';
			return CGROUPS_UNAVAILABLE;
		}
		if (type && tlen == 6 && memcmp(type, "cgroup", 6) == 0)
			v1 = 1;
		s = *end ? end + 1 : end;
	}
	if (v1) {
		snprintf(why, wn, "cgroup v1 only: no cgroup2 mount, per-cgroup view unavailable");
		return CGROUPS_V1_ONLY;
	}
	snprintf(why, wn, "no cgroup filesystem mounted: per-cgroup view unavailable");
	return CGROUPS_UNAVAILABLE;
}

/* The whole of <root>/proc/mounts, NUL-terminated (malloc'd: set-up only;
 * it has no fixed size and procfs files cannot be sized by stat). */
static char *slurp(const char *path)
{
	FILE *f = regfile_fopen(path, NULL); /* a device would grow buf forever */
	size_t len = 0, cap = 0;
	char *buf = NULL;

	if (!f)
		return NULL;
	for (;;) {
		if (cap - len < 4096) {
			char *nb = realloc(buf, cap += 65536);

			if (!nb) {
				free(buf);
				fclose(f);
				errno = ENOMEM;
				return NULL;
			}
			buf = nb;
		}
		size_t got = fread(buf + len, 1, cap - len - 1, f);

		len += got;
		if (got == 0)
			break;
	}
	fclose(f);
	buf[len] = '\0';
	return buf;
}

static uint32_t hash(uint64_t id)
{
	return (uint32_t)((id * 0x9e3779b97f4a7c15ull) >> 40) & (SLOTS - 1);
}

static struct entry *lookup(struct cgroupfs *c, uint64_t id, int insert)
{
	for (uint32_t i = hash(id);; i = (i + 1) & (SLOTS - 1)) {
		struct entry *e = &c->slot[i];

		if (e->id == id)
			return e;
		if (e->id == 0) {
			if (!insert)
				return NULL;
			e->id = id;
			c->used++;
			return e;
		}
	}
}

/* A path that does not fit keeps its innermost end, as frame.h says. */
static void put_path(char *out, size_t n, const char *path)
{
	size_t len = strlen(path);

	if (len >= n)
		path += len - (n - 1);
	memcpy(out, path, strlen(path) + 1);
}

/* Keeps id -> rel; once the cache is full only the wanted id, so a tree
 * larger than the cache still resolves what was asked. */
static void remember(struct cgroupfs *c, uint64_t id, const char *rel)
{
	struct entry *e;

	if (id == 0 || (c->used >= CGFS_CACHE && id != c->want))
		return;
	if (c->used >= SLOTS - 1)
		return;
	e = lookup(c, id, 1);
	put_path(e->path, sizeof(e->path), rel);
}

/* Every directory below the one open at fd, depth first; rel (len bytes
 * used) names it.  getdents64 into a stack buffer: no allocation. */
static void walk(struct cgroupfs *c, int fd, size_t len, int depth)
{
	char buf[2048]; /* per level: 64 KiB of stack at CGFS_MAX_DEPTH */
	long got;

	while ((got = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0)
		for (long at = 0; at < got;) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + at);
			size_t nl = strlen(d->d_name);
			int sub;

			at += d->d_reclen;
			if (d->d_type != DT_DIR || !strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
				continue;
			if (len + 1 + nl >= sizeof(c->rel)) /* too long to name: not walked */
				continue;
			c->rel[len] = '/';
			memcpy(c->rel + len + 1, d->d_name, nl + 1);
			remember(c, d->d_ino, c->rel);
			if (depth + 1 < CGFS_MAX_DEPTH &&
			    (sub = openat(fd, d->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) >= 0) {
				walk(c, sub, len + 1 + nl, depth + 1);
				close(sub);
			}
			c->rel[len] = '\0';
		}
}

/* The cache rebuilt from the tree as it is now: a removed cgroup's id
 * goes, a renamed one gets its new path. */
static void rescan(struct cgroupfs *c, uint64_t want)
{
	int fd = open(c->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	c->scanned_at = mono_ns();
	c->scans++;
	if (fd < 0)
		return;
	memset(c->slot, 0, SLOTS * sizeof(*c->slot));
	c->used = 0;
	c->want = want;
	remember(c, c->root_id, "/");
	c->rel[0] = '\0';
	walk(c, fd, 0, 0);
	close(fd);
}

static void set_state(struct cgroupfs *c, enum cgroup_state s, const char *what, int err)
{
	c->state = s;
	if (what)
		snprintf(c->why, sizeof(c->why), "%s: %s", what, strerror(err));
}

struct cgroupfs *cgroupfs_open(const char *root)
{
	struct cgroupfs *c = mem_zalloc(1, sizeof(*c));
	char path[4096 + 32];
	struct stat st;
	char *text;

	if (!c)
		return NULL;
	c->slot = mem_zalloc(SLOTS, sizeof(*c->slot));
	if (!c->slot) {
		free(c);
		return NULL;
	}
	/* At a prefix the host's /proc is a procfs of the host's PID namespace
	 * seen from another mount namespace: its "self" is this process, whose
	 * mounts are the container's, so the host's are pid 1's. */
	snprintf(path, sizeof(path), "%s/proc/%s", root, root[0] ? "1/mounts" : "mounts");
	if (!(text = slurp(path))) {
		set_state(c, CGROUPS_UNAVAILABLE, root[0] ? "cannot read <root>/proc/1/mounts" :
			  "cannot read /proc/mounts", errno);
		return c;
	}
	c->state = (uint8_t)cgroupfs_parse_mounts(text, c->mnt, sizeof(c->mnt), c->why, sizeof(c->why));
	free(text);
	if (c->state != CGROUPS_OK)
		return c;
	snprintf(c->dir, sizeof(c->dir), "%s%s", root, c->mnt);
	if (stat(c->dir, &st) < 0) {
		set_state(c, CGROUPS_UNAVAILABLE, "cannot open the cgroup2 mount", errno);
		return c;
	}
	if (!S_ISDIR(st.st_mode)) {
		set_state(c, CGROUPS_UNAVAILABLE, "cannot open the cgroup2 mount", ENOTDIR);
		return c;
	}
	c->root_id = st.st_ino;
	rescan(c, 0);
	return c;
}

enum cgroup_state cgroupfs_state(const struct cgroupfs *c, const char **why)
{
	*why = c->why;
	return (enum cgroup_state)c->state;
}

const char *cgroupfs_mount(const struct cgroupfs *c)
{
	return c->mnt;
}

int cgroupfs_path(struct cgroupfs *c, uint64_t id, char *out, size_t n)
{
	struct entry *e;

	out[0] = '\0';
	if (c->state != CGROUPS_OK || id == 0 || n == 0)
		return -1;
	e = lookup(c, id, 0);
	if (!e && mono_ns() - c->scanned_at >= CGFS_RESCAN_NS) {
		rescan(c, id);
		e = lookup(c, id, 0);
	}
	if (!e)
		return -1;
	put_path(out, n, e->path);
	return 0;
}

uint32_t cgroupfs_scans(const struct cgroupfs *c)
{
	return c->scans;
}

void cgroupfs_close(struct cgroupfs *c)
{
	if (!c)
		return;
	free(c->slot);
	free(c);
}
