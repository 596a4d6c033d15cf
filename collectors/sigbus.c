// SPDX-License-Identifier: GPL-2.0-only
#include "collectors/sigbus.h"

#include <setjmp.h>
#include <signal.h>
#include <string.h>

static __thread sigjmp_buf *guard;
static struct sigaction previous;

/* Outside a guarded call a SIGBUS is a real bug: hand it to whoever had
 * the signal before (by default, a core dump at the faulting load). */
static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	if (guard)
		siglongjmp(*guard, 1);
	sigaction(SIGBUS, &previous, NULL);
	(void)sig, (void)si, (void)uc;
}

void sigbus_arm(void)
{
	struct sigaction sa, old;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigbus;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGBUS, &sa, &old) == 0 && old.sa_sigaction != on_sigbus)
		previous = old;
}

int sigbus_run(void (*fn)(void *arg), void *arg)
{
	sigjmp_buf jb;
	/* no mask to save: SA_NODEFER leaves SIGBUS unblocked in the handler */
	if (sigsetjmp(jb, 0)) {
		guard = NULL;
		return -1;
	}
	guard = &jb;
	fn(arg);
	guard = NULL;
	return 0;
}
