/* SPDX-License-Identifier: GPL-2.0-only */
/* A privilege-separated opener for the call-site view (the OpenSSH
 * pattern).  stormtop drops every capability once its collectors are open
 * (collectors/privs.h), but the symbolizer opens files later, when a
 * process is picked: /proc/PID/maps and the binaries under
 * /proc/PID/root or /proc/PID/map_files of another user's (or a more
 * privileged) process need CAP_SYS_PTRACE at open, and /proc/kallsyms
 * shows its addresses only to an opener holding CAP_SYSLOG.
 *
 * What the child can do: before the drop, privsep_start() starts a child
 * ("stormtop-open", this program again: see privsep_main) that keeps only
 * CAP_SYS_PTRACE, CAP_SYSLOG and CAP_CHECKPOINT_RESTORE, those of them the
 * parent held (Linux 5.9+ asks the last for any lookup in
 * /proc/PID/map_files).  Every other capability leaves its effective,
 * permitted, inheritable, ambient and (where CAP_SETPCAP allows) bounding
 * sets; it sets no_new_privs, is not dumpable, closes every descriptor but
 * its end of a SOCK_SEQPACKET socketpair, dies with its parent
 * (PR_SET_PDEATHSIG, and the socket's end), and answers one request at a
 * time: a path in, an O_RDONLY|O_CLOEXEC descriptor (SCM_RIGHTS) or an
 * errno out.
 *
 * Why it is safe: it opens read-only, and only paths of four fixed shapes
 * after the host-root prefix: /proc/kallsyms, /proc/<digits>/maps,
 * /proc/<digits>/root/<path without a ".." component>, resolved inside
 * that process's own root (openat2 RESOLVE_IN_ROOT, so neither ".." nor a
 * symlink leaves it; a plain open before Linux 5.6), and
 * /proc/<digits>/map_files/<hex>-<hex>; anything else is EPERM.  Through
 * a root or map_files path it hands out ELF regular files only (EPERM
 * otherwise): those shapes also reach another mount namespace's files,
 * pid 1's root (the host's) and any process's memfd or shared memory,
 * which the symbolizer never needs.  The main
 * process, which parses the untrusted text and ELF files, holds no
 * capability at all.
 *
 * Cost: one round trip (two system calls each side) per file opened, and
 * files are opened only on a symbolizer cache miss (a new process's maps,
 * a binary not seen before, kallsyms once); nothing in the drawing loop.
 * One idle process otherwise. */
#ifndef STORMTOP_PRIVSEP_H
#define STORMTOP_PRIVSEP_H

#include <sys/types.h>

/* The hidden first argument that makes a program the opener. */
#define PRIVSEP_ARG "--privsep-opener"

/* First thing in main(): with argv as privsep_start makes it (PRIVSEP_ARG
 * SOCKET PARENT KEEP ROOT) it serves as the opener and never returns;
 * else it notes that privsep_start may start the opener as a fresh exec
 * of this program (/proc/self/exe, posix_spawn), which shares no page with
 * it.  Programs that never call it get a forked opener instead: every page
 * shared copy-on-write, so each one they write later costs a copy and a
 * TLB shootdown (fine in a test, not in the monitor). */
void privsep_main(int argc, char **argv);

/* Starts the opener for paths under root ("" on the host; copied, at
 * most PATH_MAX - 64 bytes, else EINVAL).  A no-op returning 0 when this
 * process holds none of the three capabilities (privsep_open then opens
 * plainly) or an opener is already running.  1 when started, -1 with
 * errno when fork or socketpair failed.  Call it before dropping the
 * capabilities, from the thread that lives longest (PR_SET_PDEATHSIG
 * follows the forking thread). */
int privsep_start(const char *root);

/* path opened O_RDONLY|O_CLOEXEC: by the opener when it runs (EPERM for
 * a path of another shape), else by a plain open().  A descriptor the
 * caller closes, or -1 with errno.  Thread-safe (one request at a time). */
int privsep_open(const char *path);

/* The opener's pid, 0 when none runs (for tests). */
pid_t privsep_pid(void);

/* Ends the opener (its socket closed, it exits) and reaps it.  Safe when
 * none runs. */
void privsep_stop(void);

#endif
