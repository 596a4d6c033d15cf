/* Kernel symbol addresses from /proc/kallsyms, looked up once at start. */
#ifndef STORMTOP_KALLSYMS_H
#define STORMTOP_KALLSYMS_H

#include <stdint.h>

/* The address of a text symbol, or 0 when it is absent or hidden
 * (kptr_restrict shows zeros to the unprivileged). */
uint64_t kallsyms_addr(const char *path, const char *name);

#endif
