/* SPDX-License-Identifier: MIT */
/* Every file stormtop creates or replaces: the config (a temporary renamed
 * over it), recordings and their rotation, the w key's recordings and
 * their directory, published stormprobe segments.  stormtop often runs
 * as root in directories others can write to (a 1777 /tmp or /dev/shm, a
 * shared recordings directory), so a name there may already be a planted
 * symlink or someone else's file.  Here:
 *   - a new file is created with O_CREAT | O_EXCL | O_NOFOLLOW (an
 *     existing name, symlink or not, is EEXIST: never followed, never
 *     truncated) and given its mode with fchmod, exactly, whatever the
 *     umask;
 *   - a temporary gets a random name beside its target (mkstemp-like), so
 *     it cannot be predicted and planted;
 *   - an existing file is opened with O_NOFOLLOW and checked on the open
 *     fd: a regular file, owned by this user, one link;
 *   - a rename never replaces what is at the new name.
 * Functions return an fd or 0, or -1 with errno and, when err is not
 * NULL, a one-line reason naming the path.  Shared with libstormprobe
 * (hidden there). */
#ifndef STORMTOP_SAFEFILE_H
#define STORMTOP_SAFEFILE_H

#include <stddef.h>
#include <sys/types.h>

#define SAFEFILE_API __attribute__((visibility("hidden")))

/* Creates path anew, open for flags (O_WRONLY or O_RDWR, plus O_APPEND
 * and the like; O_CLOEXEC always), with exactly mode.  EEXIST when the
 * name exists (a symlink included). */
SAFEFILE_API int safefile_create(const char *path, int flags, mode_t mode, char *err, size_t errlen);

/* A new temporary in path's directory (so renaming it over path is
 * atomic), named path.tmp.XXXXXX with a random suffix, created as by
 * safefile_create; its name in tmp (tmplen >= strlen(path) + 12). */
SAFEFILE_API int safefile_temp(const char *path, char *tmp, size_t tmplen, int flags, mode_t mode,
			       char *err, size_t errlen);

/* Opens an existing file for flags without following a symlink at its
 * last component (ELOOP), then checks it is a regular file (EINVAL)
 * owned by the effective user (EPERM) with one link (EMLINK). */
SAFEFILE_API int safefile_open_own(const char *path, int flags, char *err, size_t errlen);

/* Renames from to to when nothing is at to (EEXIST otherwise: a file or
 * symlink there is neither replaced nor followed). */
SAFEFILE_API int safefile_rename_new(const char *from, const char *to);

/* mkdir -p path: each missing directory is made with exactly mode, its
 * mode set on an fd opened without following a symlink.  Then path
 * itself, opened the same way, must be a directory (ENOTDIR; ELOOP for a
 * symlink) owned by the effective user (EPERM) that neither group nor
 * others can write to (EPERM): the place a user's own files go. */
SAFEFILE_API int safefile_mkdir_own(const char *path, mode_t mode, char *err, size_t errlen);

/* path is a regular file owned by the effective user with one link,
 * looked at without following a symlink: 1, else 0. */
SAFEFILE_API int safefile_is_own(const char *path);

#endif
