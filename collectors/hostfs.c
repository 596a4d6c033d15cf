// SPDX-License-Identifier: GPL-2.0-only
#include "collectors/hostfs.h"

#include <dirent.h>
#include <linux/magic.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util/regfile.h"

int hostfs_read(const char *root, const char *rel, char *buf, size_t n)
{
	char path[4096], more;
	size_t got = 0;
	ssize_t r = 1;
	int fd, saved;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	if ((fd = regfile_open(path, NULL)) < 0) /* a FIFO in a copied tree would block */
		return -1;
	while (got < n - 1 && (r = read(fd, buf + got, n - 1 - got)) > 0)
		got += (size_t)r;
	/* full: one byte more says whether it was all (never cut silently) */
	if (r > 0 && (r = read(fd, &more, 1)) > 0)
		errno = EFBIG;
	saved = errno;
	close(fd);
	if (r != 0) {
		errno = saved;
		return -1;
	}
	while (got > 0 && (buf[got - 1] == '\n' || buf[got - 1] == ' '))
		got--;
	buf[got] = '\0';
	return (int)got;
}

/* getdents64 into a stack buffer: opendir would malloc on every scan. */
int hostfs_int(const char *root, const char *rel, int fallback)
{
	char buf[32], *end;
	long v;

	if (hostfs_read(root, rel, buf, sizeof(buf)) <= 0)
		return fallback;
	errno = 0;
	v = strtol(buf, &end, 10);
	return errno || end == buf || *end || v < INT_MIN || v > INT_MAX ? fallback : (int)v;
}

int hostfs_list(const char *root, const char *rel, int (*each)(const char *name, int is_dir, void *ctx),
		void *ctx)
{
	char path[4096], buf[8192];
	long got;
	int fd, stop = 0;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	while (!stop && (got = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0)
		for (long at = 0; at < got && !stop;) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + at);

			at += d->d_reclen;
			if (strcmp(d->d_name, ".") && strcmp(d->d_name, ".."))
				stop = each(d->d_name, d->d_type == DT_DIR, ctx);
		}
	close(fd);
	return 0;
}

int hostfs_selected(const char *text, char *out, size_t n)
{
	const char *open = strchr(text, '['), *close = open ? strchr(open, ']') : NULL;
	size_t len;

	if (!close)
		return -1;
	len = (size_t)(close - open - 1);
	if (len >= n) {
		errno = EFBIG;
		return -1;
	}
	memcpy(out, open + 1, len);
	out[len] = '\0';
	return 0;
}

int hostfs_param(const char *cmdline, const char *name, char *out, size_t n)
{
	size_t len = strlen(name);

	for (const char *p = cmdline; (p = strstr(p, name)); p += len) {
		size_t v;

		if ((p != cmdline && p[-1] != ' ') || (p[len] != '=' && p[len] != ' ' && p[len]))
			continue;
		p += len + (p[len] == '=');
		v = strcspn(p, " \n");
		if (v >= n) {
			out[0] = '\0';
			return -1;
		}
		memcpy(out, p, v);
		out[v] = '\0';
		return 1;
	}
	out[0] = '\0';
	return 0;
}

int hostfs_live(const char *root)
{
	char path[4096];
	struct statfs fs;

	if (!root[0])
		return 1;
	snprintf(path, sizeof(path), "%s/proc", root);
	return statfs(path, &fs) == 0 && fs.f_type == PROC_SUPER_MAGIC;
}

int hostfs_self_pid(const char *root)
{
	char path[4096], link[32];
	ssize_t n;
	long pid;

	snprintf(path, sizeof(path), "%s/proc/self", root);
	if ((n = readlink(path, link, sizeof(link) - 1)) <= 0)
		return (int)getpid();
	link[n] = '\0';
	pid = strtol(link, NULL, 10);
	return pid > 0 && pid <= INT_MAX ? (int)pid : (int)getpid();
}

int hostfs_has_pid(const char *root, int pid)
{
	char path[4096];
	struct stat st;

	if (pid <= 0)
		return 0;
	snprintf(path, sizeof(path), "%s/proc/%d", root, pid);
	return stat(path, &st) == 0;
}
