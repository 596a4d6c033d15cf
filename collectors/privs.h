/* SPDX-License-Identifier: GPL-2.0-only */
/* Privilege housekeeping: once the BPF programs are loaded and the perf
 * events open, stormtop needs no capability to read them (on Linux 6.5 and
 * later, where reading a map by fd is unprivileged), so it drops them all. */
#ifndef STORMTOP_PRIVS_H
#define STORMTOP_PRIVS_H

#include <stddef.h>
#include <linux/capability.h>

/* Linux 5.8's capabilities, for headers that predate them. */
#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

/* Clears the effective, permitted and inheritable sets, keeping CAP_BPF
 * and CAP_SYS_ADMIN on kernels older than 6.5.  Returns the number of
 * capabilities still effective afterwards, or -1 on error. */
int privs_drop(void);
/* Effective capabilities now held (bit i = capability i, low 64). */
unsigned long long privs_effective(void);

/* Names the capabilities of need that held lacks ("CAP_BPF and
 * CAP_PERFMON"), counting CAP_SYS_ADMIN as CAP_BPF and CAP_PERFMON as the
 * kernel's bpf_capable() and perfmon_capable() do.  Returns the number
 * lacking; buf is "" when none. */
int privs_missing(unsigned long long held, unsigned long long need, char *buf, size_t len);

/* Why the kernel answered EPERM to loading BPF programs, for the status:
 * the capabilities lacking; or, all held, RLIMIT_MEMLOCK (memlock bytes,
 * ~0ULL for unlimited) on kernels before 5.11 (release as uname -r),
 * which charge BPF memory to it; or else a security policy. */
void privs_bpf_denied(unsigned long long held, const char *release, unsigned long long memlock,
		      char *buf, size_t len);

/* Why perf_event_open refused per-CPU counting: CAP_PERFMON lacking
 * (and kernel.perf_event_paranoid, -1 unknown, above 0), or a policy. */
void privs_perf_denied(unsigned long long held, int paranoid, char *buf, size_t len);

/* The running kernel's release (uname -r) and RLIMIT_MEMLOCK (~0ULL when
 * unlimited), for privs_bpf_denied. */
const char *privs_release(void);
unsigned long long privs_memlock(void);

#endif
