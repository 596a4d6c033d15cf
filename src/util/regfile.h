/* SPDX-License-Identifier: GPL-2.0-only */
/* Opening a file to read whose path a user or a copied tree (--root)
 * names, so it may be anything: a FIFO blocks the open and every read, a
 * device such as /dev/zero or /dev/urandom never ends (a reader that
 * grows its buffer to the end runs out of memory), a directory reads as
 * EISDIR.  /proc and /sys files are regular files (size 0 or 4096), so
 * the rule costs the real ones nothing. */
#ifndef STORMTOP_REGFILE_H
#define STORMTOP_REGFILE_H

#include <errno.h>
#include <stdio.h>
#include <sys/types.h>

/* Returned by regfile_open (as errno) for something that is not a
 * regular file. */
#define REGFILE_NOT_REGULAR EINVAL

/* Opens path read-only (O_NONBLOCK, so a FIFO cannot block the open;
 * O_CLOEXEC) when it is a regular file or /dev/null (an empty file).  Returns the fd, or -1 with
 * errno: open's, or REGFILE_NOT_REGULAR with *kind (when kind is not
 * NULL) saying what it is ("a FIFO", "a character device"); *kind is
 * NULL otherwise. */
int regfile_open(const char *path, const char **kind);
/* The same as a stdio stream ("re"); NULL with errno as above. */
FILE *regfile_fopen(const char *path, const char **kind);
/* What a file of mode m is, for a message: "a directory", "a FIFO",
 * "a character device", "a block device", "a socket", "a regular file". */
const char *regfile_kind(mode_t m);

#endif
