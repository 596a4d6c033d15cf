// SPDX-License-Identifier: GPL-2.0-only
#include "record/recdir.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/safefile.h"

/* $HOME, else the passwd entry's (a service started without HOME). */
static const char *home_dir(void)
{
	const char *home = getenv("HOME");
	struct passwd *pw;

	if (home && home[0] == '/')
		return home;
	pw = getpwuid(geteuid());
	return pw && pw->pw_dir && pw->pw_dir[0] == '/' ? pw->pw_dir : NULL;
}

int recdir_make(char *dir, size_t len, char *err, size_t errlen)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home;
	int n;

	if (xdg && xdg[0] == '/') {
		n = snprintf(dir, len, "%s/stormtop", xdg);
	} else if ((home = home_dir())) {
		n = snprintf(dir, len, "%s/.local/state/stormtop", home);
	} else {
		snprintf(err, errlen, "no directory for recordings: set XDG_STATE_HOME or HOME, or use -o FILE");
		return -1;
	}
	if (n < 0 || (size_t)n >= len) {
		snprintf(err, errlen, "no directory for recordings: its name is too long");
		return -1;
	}
	return safefile_mkdir_own(dir, 0700, err, errlen);
}

int recdir_path(const char *file, time_t now, char *out, size_t len, char *err, size_t errlen)
{
	char base[4096], name[64];
	struct tm tm;
	int n;

	if (file && file[0] == '/') {
		n = snprintf(out, len, "%s", file);
	} else if (file) {
		if (!getcwd(base, sizeof(base))) {
			snprintf(err, errlen, "%s: %s", file, strerror(errno));
			return -1;
		}
		n = snprintf(out, len, "%s/%s", base, file);
	} else {
		if (recdir_make(base, sizeof(base), err, errlen) < 0)
			return -1;
		localtime_r(&now, &tm);
		strftime(name, sizeof(name), "stormtop-%Y%m%d-%H%M%S.rec", &tm);
		n = snprintf(out, len, "%s/%s", base, name);
	}
	if (n < 0 || (size_t)n >= len) {
		snprintf(err, errlen, "the recording's path is too long");
		return -1;
	}
	return 0;
}
