/* SPDX-License-Identifier: GPL-2.0-only */
/* Helpers shared by the cmocka tests (header-only: each test is one file). */
#ifndef STORMTOP_TESTLIB_H
#define STORMTOP_TESTLIB_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A test file's scratch directory: made from its mkdtemp template at
 * set-up, removed with what it holds at teardown (0, or -1). */
static inline int scratch_make(char *dir)
{
	return mkdtemp(dir) ? 0 : -1;
}

static inline int scratch_remove(const char *dir)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd);
}

/* Reads tests/fixtures/NAME into a static buffer; fails the test if absent. */
static inline const char *fixture(const char *name, size_t *len)
{
	static char buf[1 << 20];
	char path[512];
	const char *dir = getenv("STORMTOP_FIXTURES");
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "tests/fixtures", name);
	f = fopen(path, "r");
	if (!f)
		fail_msg("fixture %s: cannot open", path);
	*len = fread(buf, 1, sizeof(buf) - 1, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

#endif
