// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer target: any bytes as a config file (src/core/config.c through
 * src/util/inifile.c: inih with stormtop's own whole-line reader), and as one
 * --set KEY=VALUE.  Never a crash, a hang or a read out of bounds; every
 * key set must be within its documented range. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/config.h"
#include "util/inifile.h"

static int on_pair(void *user, const char *key, const char *value, char *err, size_t len)
{
	return config_set(user, key, value, err, len);
}

static void check(const struct config *c)
{
	/* what the UI relies on, whatever the file said */
	if (!(c->interval >= 0.05 && c->interval <= 3600) || !(c->history >= 10 && c->history <= 100000) ||
	    !isfinite(c->desk_window_s) || c->desk_window_s < 0 || !memchr(c->theme, '\0', sizeof(c->theme)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64], first[256], pair[512], err[256];
	struct config c;
	int fd = memfd_create("rc", 0);

	config_defaults(&c);
	if (fd >= 0 && write(fd, data, size) == (ssize_t)size) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		inifile_load(path, on_pair, &c, NULL, first, sizeof(first));
		check(&c);
	}
	if (fd >= 0)
		close(fd);
	if (size < sizeof(pair)) {
		memcpy(pair, data, size);
		pair[size] = '\0';
		config_set_pair(&c, pair, err, sizeof(err));
		check(&c);
	}
	return 0;
}
