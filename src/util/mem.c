// SPDX-License-Identifier: GPL-2.0-only
#include "util/mem.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

static size_t page_size(void)
{
	static size_t page;

	if (!page)
		page = (size_t)sysconf(_SC_PAGESIZE);
	return page;
}

void *mem_zalloc(size_t n, size_t size)
{
	volatile uint8_t *b = calloc(n, size);
	size_t len = n * size; /* calloc has checked the product */

	if (!b || !len)
		return (void *)b;
	/* written, not read: a read first would map the zero page itself */
	for (size_t i = 0; i < len; i += page_size())
		b[i] = 0;
	b[len - 1] = 0;
	return (void *)b;
}

/* A write fault on every page, content kept.  Older kernels lack
 * MADV_POPULATE_WRITE; an atomic add of 0 faults the same way and
 * cannot lose a store another thread makes meanwhile. */
static void populate(uintptr_t lo, uintptr_t hi)
{
	if (madvise((void *)lo, hi - lo, MADV_POPULATE_WRITE) == 0)
		return;
	for (uintptr_t p = lo; p < hi; p += page_size())
		__atomic_fetch_add((uint8_t *)p, 0, __ATOMIC_RELAXED);
}

/* Writable private mappings of our executable, the anonymous one that
 * starts where it ends (the tail of bss) and the heap.  Thread stacks
 * and other libraries' mappings are left alone: not ours to size. */
size_t mem_prefault_image(void)
{
	char exe[4096], perms[8], *line = NULL;
	unsigned long exe_end = 0;
	size_t done = 0, cap = 0;
	ssize_t n;
	FILE *f;

	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) <= 0 || !(f = fopen("/proc/self/maps", "re")))
		return 0;
	exe[n] = '\0';
	/* getline: a mapped file's path can be longer than any fixed line */
	while (getline(&line, &cap, f) > 0) {
		unsigned long lo, hi;
		int ours, at = 0;
		char *path;

		if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %n", &lo, &hi, perms, &at) < 3 || !at)
			continue;
		path = line + at;
		path[strcspn(path, "\n")] = '\0';
		ours = !strcmp(path, exe) || !strcmp(path, "[heap]") || (!path[0] && lo == exe_end);
		exe_end = !strcmp(path, exe) ? hi : 0;
		if (ours && !strcmp(perms, "rw-p")) {
			populate(lo, hi);
			done += hi - lo;
		}
	}
	free(line);
	fclose(f);
	return done;
}
