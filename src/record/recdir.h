/* SPDX-License-Identifier: GPL-2.0-only */
/* Where the live view's w key records to: -o FILE when given, else a new
 * stormtop-YYYYmmdd-HHMMSS.rec in the user's state directory,
 * $XDG_STATE_HOME/stormtop/ (an absolute XDG_STATE_HOME only, as the XDG
 * base directory spec says), else ~/.local/state/stormtop/.  Never the
 * current directory, which under `make run` is the source tree. */
#ifndef STORMTOP_RECDIR_H
#define STORMTOP_RECDIR_H

#include <stddef.h>
#include <time.h>

/* The state directory into dir, made with its missing parents 0700 by
 * safefile_mkdir_own's rules (ours, not a symlink, written by no one
 * else).  0, or -1 with a one-line reason in err (no HOME either, a
 * directory that is not ours). */
int recdir_make(char *dir, size_t len, char *err, size_t errlen);

/* The absolute path w records to: file (-o; NULL when not given) against
 * the current directory, or the state directory's name for local time
 * now (recdir_make).  0, or -1 with a reason in err. */
int recdir_path(const char *file, time_t now, char *out, size_t len, char *err, size_t errlen);

#endif
