// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer target: any bytes as a theme file (ui/theme.c through
 * src/util/inifile.c), and as one colour value.  Never a crash, a hang or a
 * read out of bounds; the name and description stay terminated. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ui/theme.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64], err[512], value[128];
	struct theme t;
	uint32_t c;
	int fd = memfd_create("theme", 0);

	theme_default(&t);
	if (fd >= 0 && write(fd, data, size) == (ssize_t)size) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		theme_load_file(&t, path, err, sizeof(err));
		if (!memchr(t.name, '\0', sizeof(t.name)) || !memchr(t.description, '\0', sizeof(t.description)) ||
		    !memchr(err, '\0', sizeof(err)))
			abort();
	}
	if (fd >= 0)
		close(fd);
	if (size < sizeof(value)) {
		memcpy(value, data, size);
		value[size] = '\0';
		theme_color(value, &c);
	}
	return 0;
}
