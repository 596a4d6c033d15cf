/* SPDX-License-Identifier: GPL-2.0-only */
/* Addresses to names for the call-site view: user addresses through
 * elfutils' libdwfl (the process's own maps, each binary's symbol table,
 * separate debug info found by build-id), kernel addresses through the
 * kallsyms file.  Each binary is read once and kept until its process is
 * forgotten; nothing here runs in the drawing loop (the sampler thread
 * calls it when the stack sampler is on).  Names are untrusted text: the
 * results hold printable ASCII only (anything else becomes '?'). */
#ifndef STORMTOP_SYMBOLIZE_H
#define STORMTOP_SYMBOLIZE_H

#include <stddef.h>
#include <stdint.h>

struct symbolizer;

/* root: prefix of the host's /proc (and of the binaries' paths as
 * /proc/PID/root shows them), "" on the host itself.  NULL on ENOMEM. */
struct symbolizer *sym_new(const char *root);

/* One user address of process pid into buf (at most len bytes, always
 * terminated): "func+0x1f" (or "func" at offset 0) when a symbol covers it,
 * else "module+0x1234" (module: the file's base name, offset from the
 * module's load address), else "[unknown]"; never a guess from the
 * nearest symbol of another object.  Returns buf. */
const char *sym_user(struct symbolizer *s, int32_t pid, uint64_t addr, char *buf, size_t len);

/* One kernel address, the same forms ("[unknown]" when kallsyms hides
 * the addresses: no CAP_SYSLOG, or kptr_restrict 2).  Returns buf. */
const char *sym_kernel(struct symbolizer *s, uint64_t addr, char *buf, size_t len);

/* Drops what was kept for pid (its process exited, or the view moved on). */
void sym_forget(struct symbolizer *s, int32_t pid);

void sym_free(struct symbolizer *s);

#endif
