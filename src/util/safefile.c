// SPDX-License-Identifier: MIT
#include "util/safefile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/random.h>
#include <sys/stat.h>

static int fail(int e, char *err, size_t errlen, const char *path, const char *why)
{
	if (err)
		snprintf(err, errlen, "%s: %s", path, why);
	errno = e;
	return -1;
}

static int fail_errno(char *err, size_t errlen, const char *path)
{
	int e = errno;

	if (e == ELOOP)
		return fail(e, err, errlen, path, "is a symbolic link (not followed)");
	if (e == EEXIST)
		return fail(e, err, errlen, path, "exists (a new file was wanted; not replaced)");
	return fail(e, err, errlen, path, strerror(e));
}

/* What the fd refers to is a regular file of ours with one link. */
static int check_fd(int fd, const char *path, char *err, size_t errlen)
{
	char why[96];
	struct stat st;

	if (fstat(fd, &st) < 0)
		return fail_errno(err, errlen, path);
	if (!S_ISREG(st.st_mode))
		return fail(EINVAL, err, errlen, path, "not a regular file");
	if (st.st_uid != geteuid()) {
		snprintf(why, sizeof(why), "owned by uid %u, not by uid %u", (unsigned int)st.st_uid,
			 (unsigned int)geteuid());
		return fail(EPERM, err, errlen, path, why);
	}
	if (st.st_nlink != 1) {
		snprintf(why, sizeof(why), "has %lu links, not 1", (unsigned long)st.st_nlink);
		return fail(EMLINK, err, errlen, path, why);
	}
	return 0;
}

/* Created 0600 (the narrowest), then set to mode exactly: the umask
 * neither widens nor narrows what the caller asked for. */
int safefile_create(const char *path, int flags, mode_t mode, char *err, size_t errlen)
{
	int fd = open(path, flags | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600), saved;

	if (fd < 0)
		return fail_errno(err, errlen, path);
	if (fchmod(fd, mode) < 0)
		fail_errno(err, errlen, path);
	else if (check_fd(fd, path, err, errlen) == 0)
		return fd;
	saved = errno;
	close(fd);
	unlink(path);
	errno = saved;
	return -1;
}

int safefile_temp(const char *path, char *tmp, size_t tmplen, int flags, mode_t mode, char *err,
		  size_t errlen)
{
	static const char abc[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

	for (int tries = 0; tries < 100; tries++) {
		unsigned char r[6];
		char sfx[7];
		int n, fd;

		if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
			return fail_errno(err, errlen, path);
		for (int i = 0; i < 6; i++)
			sfx[i] = abc[r[i] % (sizeof(abc) - 1)];
		sfx[6] = '\0';
		n = snprintf(tmp, tmplen, "%s.tmp.%s", path, sfx);
		if (n < 0 || (size_t)n >= tmplen)
			return fail(ENAMETOOLONG, err, errlen, path, "name too long");
		fd = safefile_create(tmp, flags, mode, err, errlen);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	return fail(EEXIST, err, errlen, path, "no free temporary name");
}

/* O_NONBLOCK while opening: a FIFO planted at the name must not block
 * the open (it is refused by the check right after). */
int safefile_open_own(const char *path, int flags, char *err, size_t errlen)
{
	int fd = open(path, flags | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK), saved;

	if (fd < 0)
		return fail_errno(err, errlen, path);
	if (check_fd(fd, path, err, errlen) == 0 && fcntl(fd, F_SETFL, flags & O_APPEND) == 0)
		return fd;
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

/* renameat2's RENAME_NOREPLACE; where the filesystem lacks it, link()
 * (which never replaces, nor follows a symlink at to) then unlink. */
int safefile_rename_new(const char *from, const char *to)
{
	if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	if (link(from, to) < 0)
		return -1;
	return unlink(from);
}

/* The directory at path (opened without following a symlink) is ours and
 * only ours to write; set to mode first when fix.  0, or -1. */
static int check_dir(const char *path, int fix, mode_t mode, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), rc = -1;
	struct stat st;
	char why[96];

	/* a symlink at the name fails O_DIRECTORY first: say which it is */
	if (fd < 0 && errno == ENOTDIR && lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
		errno = ELOOP;
	if (fd < 0)
		return fail_errno(err, errlen, path);
	if (fstat(fd, &st) < 0) {
		fail_errno(err, errlen, path);
	} else if (st.st_uid != geteuid()) {
		snprintf(why, sizeof(why), "owned by uid %u, not by uid %u", (unsigned int)st.st_uid,
			 (unsigned int)geteuid());
		fail(EPERM, err, errlen, path, why);
	} else if (fix && fchmod(fd, mode) < 0) {
		fail_errno(err, errlen, path);
	} else if (!fix && (st.st_mode & (S_IWGRP | S_IWOTH))) {
		snprintf(why, sizeof(why), "writable by %s (mode %03o)",
			 st.st_mode & S_IWOTH ? "others" : "its group", (unsigned int)(st.st_mode & 0777));
		fail(EPERM, err, errlen, path, why);
	} else {
		rc = 0;
	}
	close(fd);
	return rc;
}

/* Made 0700 (the narrowest) and then set to mode, like safefile_create;
 * a component that already exists is left as it is. */
int safefile_mkdir_own(const char *path, mode_t mode, char *err, size_t errlen)
{
	char dir[4096];
	int n = snprintf(dir, sizeof(dir), "%s", path);

	if (n <= 0 || (size_t)n >= sizeof(dir))
		return fail(ENAMETOOLONG, err, errlen, path, "name empty or too long");
	for (char *p = dir + 1;; p++) {
		char c = *p;

		if (c && c != '/')
			continue;
		*p = '\0';
		if (p[-1] != '/') {
			if (mkdir(dir, 0700) == 0) {
				if (check_dir(dir, 1, mode, err, errlen) < 0)
					return -1;
			} else if (errno != EEXIST) {
				return fail_errno(err, errlen, dir);
			}
		}
		*p = c;
		if (!c)
			break;
	}
	return check_dir(path, 0, mode, err, errlen);
}

int safefile_is_own(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() && st.st_nlink == 1;
}
