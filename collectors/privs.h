/* Privilege housekeeping: once the BPF programs are loaded and the perf
 * events open, stormtop needs no capability to read them (on Linux 6.5 and
 * later, where reading a map by fd is unprivileged), so it drops them all. */
#ifndef STORMTOP_PRIVS_H
#define STORMTOP_PRIVS_H

/* Clears the effective, permitted and inheritable sets, keeping CAP_BPF
 * and CAP_SYS_ADMIN on kernels older than 6.5.  Returns the number of
 * capabilities still effective afterwards, or -1 on error. */
int privs_drop(void);
/* Effective capabilities now held (bit i = capability i, low 64). */
unsigned long long privs_effective(void);

#endif
