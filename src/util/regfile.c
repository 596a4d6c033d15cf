// SPDX-License-Identifier: GPL-2.0-only
#include "util/regfile.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

const char *regfile_kind(mode_t m)
{
	return S_ISREG(m) ? "a regular file" : S_ISDIR(m) ? "a directory" : S_ISFIFO(m) ? "a FIFO" :
	       S_ISCHR(m) ? "a character device" : S_ISBLK(m) ? "a block device" :
	       S_ISSOCK(m) ? "a socket" : "not a regular file";
}

int regfile_open(const char *path, const char **kind)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (kind)
		*kind = NULL;
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	/* /dev/null (1:3) reads as an empty file: --config /dev/null for the defaults */
	if (!S_ISREG(st.st_mode) && !(S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3))) {
		if (kind)
			*kind = regfile_kind(st.st_mode);
		close(fd);
		errno = REGFILE_NOT_REGULAR;
		return -1;
	}
	return fd;
}

FILE *regfile_fopen(const char *path, const char **kind)
{
	int fd = regfile_open(path, kind), saved;
	FILE *f;

	if (fd < 0)
		return NULL;
	if (!(f = fdopen(fd, "re"))) {
		saved = errno;
		close(fd);
		errno = saved;
	}
	return f;
}
