// SPDX-License-Identifier: GPL-2.0-only
/* The privilege-separated opener (collectors/privsep.h).
 *
 * The opener is this program again (privsep_main), spawned without
 * sharing memory; a program without privsep_main (a test) gets a forked
 * one, which runs only system calls and its own string checks: the parent
 * may have threads, whose locks (malloc's, stdio's) a forked child must not
 * touch. */
#include "collectors/privsep.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/openat2.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>

#include "collectors/privs.h"

#ifndef CAP_CHECKPOINT_RESTORE
#define CAP_CHECKPOINT_RESTORE 40
#endif
/* CAP_CHECKPOINT_RESTORE: Linux 5.9 and later ask it to look up any
 * /proc/PID/map_files entry, the opener's own process's included. */
#define PRIVSEP_KEEP  (1ULL << CAP_SYS_PTRACE | 1ULL << CAP_SYSLOG | 1ULL << CAP_CHECKPOINT_RESTORE)
#define PRIVSEP_WAIT  5   /* s: a reply later than this means the opener hangs (a stuck filesystem) */

static struct {
	pthread_mutex_t lock;
	int sock;          /* ours; -1: no opener */
	pid_t pid;
	char root[PATH_MAX - 64];
} ps = { PTHREAD_MUTEX_INITIALIZER, -1, 0, "" };

/* ---- the child ---- */

/* 1 when s starts with 1 to 10 digits then '/'; *end after the '/'. */
static int pid_part(const char *s, const char **end)
{
	size_t n = 0;

	while (s[n] >= '0' && s[n] <= '9')
		n++;
	if (!n || n > 10 || s[n] != '/')
		return 0;
	*end = s + n + 1;
	return 1;
}

/* "<hex>-<hex>" and nothing else, as map_files names a mapping. */
static int range_name(const char *s)
{
	size_t a = strspn(s, "0123456789abcdef"), b;

	if (!a || s[a] != '-')
		return 0;
	b = strspn(s + a + 1, "0123456789abcdef");
	return b && !s[a + 1 + b];
}

/* A path under a process's root: no ".." component, so the request
 * itself cannot climb out (the open below also resolves inside). */
static int root_tail(const char *tail)
{
	size_t n = strlen(tail);

	if (tail[0] != '/' || strstr(tail, "/../") || (n >= 3 && !strcmp(tail + n - 3, "/..")))
		return 0;
	return 1;
}

/* The shapes the symbolizer opens, and only those: the child holds
 * CAP_SYS_PTRACE, which passes every /proc/PID access check, so
 * /proc/PID/mem, environ or fd would hand out another process's memory,
 * secrets or descriptors; and any path outside /proc is nothing the call-
 * site view needs.  A refused shape is EPERM.  Otherwise 0 with *kind:
 * 'k' kallsyms, 'm' maps, 'f' map_files, 'r' root (*tail: the path inside
 * it, *rootlen: the length of the path up to the root directory). */
static int path_shape(const char *path, int *kind, const char **tail, size_t *rootlen)
{
	size_t rl = strlen(ps.root);
	const char *p, *rest;

	if (strncmp(path, ps.root, rl) || strncmp(path + rl, "/proc/", 6))
		return EPERM;
	p = path + rl + 6;
	if (!strcmp(p, "kallsyms")) {
		*kind = 'k';
		return 0;
	}
	if (!pid_part(p, &rest))
		return EPERM;
	if (!strcmp(rest, "maps")) {
		*kind = 'm';
		return 0;
	}
	if (!strncmp(rest, "map_files/", 10) && range_name(rest + 10)) {
		*kind = 'f';
		return 0;
	}
	if (!strncmp(rest, "root/", 5) && root_tail(rest + 4)) {
		*kind = 'r';
		*tail = rest + 4;
		*rootlen = (size_t)(rest + 4 - path);
		return 0;
	}
	return EPERM;
}

/* A file inside a process's root, resolved as that process would: an
 * absolute symlink or ".." there stays inside its root instead of
 * reaching the opener's (a container's /lib/x -> /etc/shadow would be the
 * host's otherwise).  Kernels before 5.6 have no openat2: a plain open. */
static int open_in_root(char *path, const char *tail, size_t rootlen)
{
	/* O_NONBLOCK: a FIFO planted where a binary was would otherwise hold
	 * the opener until the parent gives up on it; a regular file reads
	 * the same either way */
	struct open_how how = { .flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK,
				.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
	int dir, fd, err;

	path[rootlen] = '\0';
	dir = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	path[rootlen] = '/';
	if (dir < 0)
		return -1;
	fd = (int)syscall(SYS_openat2, dir, tail + 1, &how, sizeof(how));
	err = errno;
	if (fd < 0 && err == ENOSYS) {
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
		err = errno;
	}
	close(dir);
	errno = err;
	return fd;
}

/* 1 when fd is a regular file starting with the ELF magic.  A root or
 * map_files path is a binary the symbolizer reads, and only that: the
 * same shapes reach any file in another mount namespace (a container's
 * /run/secrets), any process's memfd or shared memory (map_files of a
 * data mapping) and pid 1's root is the host's, none of which this
 * process's parent could open itself after dropping its capabilities. */
static int elf_file(int fd)
{
	unsigned char magic[SELFMAG];
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && pread(fd, magic, SELFMAG, 0) == SELFMAG &&
	       memcmp(magic, ELFMAG, SELFMAG) == 0;
}

/* One request: a descriptor, or -1 with *err. */
static int serve(char *path, int *err)
{
	const char *tail = NULL;
	size_t rootlen = 0;
	int kind, fd;

	if ((*err = path_shape(path, &kind, &tail, &rootlen)))
		return -1;
	fd = kind == 'r' ? open_in_root(path, tail, rootlen) : open(path, O_RDONLY | O_CLOEXEC);
	*err = fd < 0 ? errno : 0;
	if (fd >= 0 && (kind == 'r' || kind == 'f') && !elf_file(fd)) {
		close(fd);
		*err = EPERM;
		return -1;
	}
	return fd;
}

static void reply(int sock, int fd, int err)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} c;
	struct iovec iov = { &err, sizeof(err) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (fd >= 0) {
		struct cmsghdr *h;

		memset(&c, 0, sizeof(c));
		m.msg_control = c.buf;
		m.msg_controllen = sizeof(c.buf);
		h = CMSG_FIRSTHDR(&m);
		h->cmsg_level = SOL_SOCKET;
		h->cmsg_type = SCM_RIGHTS;
		h->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(h), &fd, sizeof(int));
	}
	while (sendmsg(sock, &m, MSG_NOSIGNAL) < 0 && errno == EINTR)
		;
}

/* Every capability but keep out of the bounding set (needs CAP_SETPCAP:
 * left as it is without), the ambient set, and then the effective,
 * permitted and inheritable sets.  -1 when the last step failed. */
static int child_caps(unsigned long long keep)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];

	for (int cap = 0; prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0; cap++)
		if (!(keep >> cap & 1))
			prctl(PR_CAPBSET_DROP, cap, 0, 0, 0);
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	memset(d, 0, sizeof(d));
	d[0].effective = d[0].permitted = (uint32_t)keep;
	d[1].effective = d[1].permitted = (uint32_t)(keep >> 32);
	if (syscall(SYS_capset, &h, d) < 0)
		return -1;
	return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}

/* Every descriptor but sock: the parent's BPF maps, perf events and
 * terminal are not the opener's business. */
static void close_others(int sock)
{
	if (sock > 0 && syscall(SYS_close_range, 0u, (unsigned)sock - 1, 0u) < 0)
		for (int fd = 0; fd < sock; fd++)
			close(fd);
	if (syscall(SYS_close_range, (unsigned)sock + 1, ~0u, 0u) < 0)
		for (long fd = sock + 1, max = sysconf(_SC_OPEN_MAX); fd < max; fd++)
			close((int)fd);
}

/* Set-up and serving, in the opener: the capabilities, descriptors and
 * name as the header says, then one request at a time until the parent
 * closes its end. */
static __attribute__((noreturn)) void serve_loop(int sock, pid_t parent, unsigned long long keep)
{
	static char path[PATH_MAX + 1];

	/* dies with the parent; it may have gone before the line above */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 || getppid() != parent)
		_exit(1);
	close_others(sock);
	if (child_caps(keep) < 0)
		_exit(1);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0); /* no one without CAP_SYS_PTRACE attaches to it */
	prctl(PR_SET_NAME, "stormtop-open", 0, 0, 0); /* last: the name says it is set up */
	for (;;) {
		ssize_t n = recv(sock, path, PATH_MAX, MSG_TRUNC);
		int fd = -1, err;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(0); /* the parent closed its end */
		if (n >= PATH_MAX) {
			err = ENAMETOOLONG;
		} else {
			path[n] = '\0';
			fd = strlen(path) == (size_t)n ? serve(path, &err) : (err = EPERM, -1);
		}
		reply(sock, fd, err);
		if (fd >= 0)
			close(fd);
	}
}

/* ---- the parent ---- */

static int can_exec; /* the program runs privsep_main first: the opener is a fresh exec */

/* argv[2..5]: the socket's descriptor, the parent's pid, the
 * capabilities the parent held of those kept (hexadecimal), the root. */
void privsep_main(int argc, char **argv)
{
	unsigned long long keep;
	long sock, parent;
	cpu_set_t cpus;
	char *end;

	if (argc != 6 || strcmp(argv[1], PRIVSEP_ARG)) {
		can_exec = 1;
		return;
	}
	sock = strtol(argv[2], &end, 10);
	if (*end || sock < 0 || sock > INT_MAX)
		_exit(2);
	parent = strtol(argv[3], &end, 10);
	if (*end || parent <= 0)
		_exit(2);
	keep = strtoull(argv[4], &end, 16);
	if (*end || strlen(argv[5]) >= sizeof(ps.root))
		_exit(2);
	snprintf(ps.root, sizeof(ps.root), "%s", argv[5]);
	if (sched_getaffinity((pid_t)parent, sizeof(cpus), &cpus) == 0) /* spawned pinned (spawn) */
		sched_setaffinity(0, sizeof(cpus), &cpus);
	/* root's exec granted every capability again: back to the parent's */
	serve_loop((int)sock, (pid_t)parent, keep & privs_effective() & PRIVSEP_KEEP);
}

/* Pins the calling thread to the CPU it runs on (*was: its mask before);
 * 1 when done.  The spawned child runs on stormtop's memory until its
 * exec: on another CPU, that CPU would stay in stormtop's mm_cpumask and
 * take an IPI at stormtop's next TLB flush (x86 trims the mask lazily). */
static int pin_here(cpu_set_t *was)
{
	int cpu = sched_getcpu();
	cpu_set_t one;

	if (cpu < 0 || cpu >= CPU_SETSIZE || sched_getaffinity(0, sizeof(*was), was) < 0)
		return 0;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	return sched_setaffinity(0, sizeof(one), &one) == 0;
}

/* The opener as a fresh exec of this program, through posix_spawn (a
 * vfork: no page is copied or shared).  A forked copy would share every
 * page with stormtop copy-on-write, and each page stormtop wrote later
 * would be copied with a TLB flush on the other CPUs running it: the
 * shootdowns it measures.  Its other descriptors are closed first thing
 * in serve_loop.  The pid, or -1 with errno. */
static pid_t spawn(int sock, pid_t parent, unsigned long long keep, const char *root)
{
	char fd_arg[16], pid_arg[16], keep_arg[24];
	char *argv[] = { "stormtop-open", PRIVSEP_ARG, fd_arg, pid_arg, keep_arg, (char *)root, NULL };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none;
	cpu_set_t was;
	pid_t pid = -1;
	int err, pinned;

	snprintf(fd_arg, sizeof(fd_arg), "%d", sock);
	snprintf(pid_arg, sizeof(pid_arg), "%d", (int)parent);
	snprintf(keep_arg, sizeof(keep_arg), "%llx", keep);
	sigemptyset(&none);
	pinned = pin_here(&was);
	if ((err = posix_spawn_file_actions_init(&fa)))
		goto out;
	if ((err = posix_spawnattr_init(&at))) {
		posix_spawn_file_actions_destroy(&fa);
		goto out;
	}
	/* dup2 onto itself clears close-on-exec (glibc 2.29+, POSIX 2024) */
	if (!(err = posix_spawn_file_actions_adddup2(&fa, sock, sock)) &&
	    !(err = posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK)) &&
	    !(err = posix_spawnattr_setsigmask(&at, &none)))
		err = posix_spawn(&pid, "/proc/self/exe", &fa, &at, argv, environ);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
out:
	if (pinned)
		sched_setaffinity(0, sizeof(was), &was);
	errno = err;
	return err ? -1 : pid;
}

int privsep_start(const char *root)
{
	unsigned long long keep = privs_effective() & PRIVSEP_KEEP;
	struct timeval wait = { .tv_sec = PRIVSEP_WAIT };
	pid_t parent = getpid(), pid;
	int sv[2];

	if (strlen(root) >= sizeof(ps.root)) {
		errno = EINVAL;
		return -1;
	}
	if (!keep || ps.sock >= 0)
		return 0;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	snprintf(ps.root, sizeof(ps.root), "%s", root);
	if (can_exec)
		pid = spawn(sv[1], parent, keep, root);
	else if ((pid = fork()) == 0) /* a program without privsep_main (a test) */
		serve_loop(sv[1], parent, keep);
	close(sv[1]);
	if (pid < 0) {
		close(sv[0]);
		return -1;
	}
	setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof(wait));
	ps.sock = sv[0];
	ps.pid = pid;
	return 1;
}

static void stop_locked(void)
{
	if (ps.sock < 0)
		return;
	close(ps.sock); /* its recv sees the end, it exits */
	ps.sock = -1;
	while (waitpid(ps.pid, NULL, 0) < 0 && errno == EINTR)
		;
	ps.pid = 0;
}

void privsep_stop(void)
{
	pthread_mutex_lock(&ps.lock);
	stop_locked();
	pthread_mutex_unlock(&ps.lock);
}

pid_t privsep_pid(void)
{
	return ps.pid;
}

/* The opener's answer: a descriptor, -1 with errno, or -2 when it is gone
 * or hangs (then it is ended and reaped). */
static int ask(const char *path)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} c;
	int err = 0, fd = -1;
	struct iovec iov = { &err, sizeof(err) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = c.buf,
			    .msg_controllen = sizeof(c.buf) };
	struct cmsghdr *h;
	ssize_t n;

	while ((n = send(ps.sock, path, strlen(path), MSG_NOSIGNAL)) < 0 && errno == EINTR)
		;
	if (n >= 0)
		while ((n = recvmsg(ps.sock, &m, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR)
			;
	if (n != (ssize_t)sizeof(err)) {
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			kill(ps.pid, SIGKILL); /* hangs: a later reply would answer the wrong request */
		stop_locked();
		return -2;
	}
	for (h = CMSG_FIRSTHDR(&m); h; h = CMSG_NXTHDR(&m, h))
		if (h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_RIGHTS && h->cmsg_len == CMSG_LEN(sizeof(int)))
			memcpy(&fd, CMSG_DATA(h), sizeof(int));
	if (err == 0 && fd >= 0)
		return fd;
	if (fd >= 0)
		close(fd);
	errno = err ? err : EIO;
	return -1;
}

int privsep_open(const char *path)
{
	int fd = -2;

	if (!path[0]) { /* an empty message is the end of the stream */
		errno = ENOENT;
		return -1;
	}
	if (strlen(path) >= PATH_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	pthread_mutex_lock(&ps.lock);
	if (ps.sock >= 0)
		fd = ask(path);
	pthread_mutex_unlock(&ps.lock);
	return fd != -2 ? fd : open(path, O_RDONLY | O_CLOEXEC);
}
