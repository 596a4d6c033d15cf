/* SPDX-License-Identifier: GPL-2.0-only */
/* Memory for the monitor's long-lived state. */
#ifndef STORMTOP_MEM_H
#define STORMTOP_MEM_H

#include <stddef.h>

/* calloc whose every page has been written.  Fresh anonymous memory that
 * is read before it is written maps the kernel's shared zero page, and a
 * private file page is shared with the page cache; the first write later
 * replaces either and flushes the TLB on every CPU this process has
 * threads on: a shootdown sent by the monitor itself, in the middle of
 * the storm it is measuring. */
void *mem_zalloc(size_t n, size_t size);

/* The same, once set-up is done, for what calloc never saw: this
 * program's own data and bss, and the heap (curses, libc).  Best effort;
 * returns the number of bytes made private and writable. */
size_t mem_prefault_image(void);

#endif
