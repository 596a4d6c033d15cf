/* SPDX-License-Identifier: GPL-2.0-only */
/* Reading memory another process may truncate under us: a shrunk shared
 * file turns our next load into SIGBUS.  sigbus_run() runs fn with a
 * handler that turns that SIGBUS into a -1 return instead of a crash. */
#ifndef STORMTOP_SIGBUS_H
#define STORMTOP_SIGBUS_H

/* Installs the handler (again: a library or test harness may have put
 * its own in place since); once per tick, before the guarded reads. */
void sigbus_arm(void);
/* 0 when fn ran to its end, -1 when it touched a page that is gone. */
int sigbus_run(void (*fn)(void *arg), void *arg);

#endif
