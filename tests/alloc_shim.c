// SPDX-License-Identifier: GPL-2.0-only
/* LD_PRELOAD shim: counts heap allocations and mmap/munmap calls of the
 * whole process (libc, ncurses and all) and writes the totals at exit to
 * $ALLOC_SHIM_OUT.  Two runs that differ only in tick count must report
 * the same totals if the steady-state loop allocates nothing. */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);

static unsigned long n_alloc, n_mmap, n_munmap;

void *malloc(size_t n) { __atomic_add_fetch(&n_alloc, 1, __ATOMIC_RELAXED); return __libc_malloc(n); }
void *calloc(size_t a, size_t b) { __atomic_add_fetch(&n_alloc, 1, __ATOMIC_RELAXED); return __libc_calloc(a, b); }
void *realloc(void *p, size_t n) { __atomic_add_fetch(&n_alloc, 1, __ATOMIC_RELAXED); return __libc_realloc(p, n); }

int posix_memalign(void **out, size_t align, size_t n)
{
	__atomic_add_fetch(&n_alloc, 1, __ATOMIC_RELAXED);
	*out = __libc_memalign(align, n);
	return *out ? 0 : 12;
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	__atomic_add_fetch(&n_mmap, 1, __ATOMIC_RELAXED);
	return (void *)syscall(SYS_mmap, addr, len, prot, flags, fd, off);
}

int munmap(void *addr, size_t len)
{
	__atomic_add_fetch(&n_munmap, 1, __ATOMIC_RELAXED);
	return (int)syscall(SYS_munmap, addr, len);
}

__attribute__((destructor)) static void report(void)
{
	const char *path = getenv("ALLOC_SHIM_OUT");
	FILE *f;

	if (!path || !(f = fopen(path, "w")))
		return;
	fprintf(f, "allocs=%lu mmaps=%lu munmaps=%lu\n", n_alloc, n_mmap, n_munmap);
	fclose(f);
}
