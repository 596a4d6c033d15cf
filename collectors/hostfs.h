/* SPDX-License-Identifier: GPL-2.0-only */
/* Small reads of /proc and /sys under a root ("" is this host, anything
 * else a copied tree): whole small files and directory listings, with no
 * allocation, for checks that run every few seconds. */
#ifndef STORMTOP_HOSTFS_H
#define STORMTOP_HOSTFS_H

#include <stddef.h>
#include <stdint.h>

/* One record of getdents64(2), which glibc does not declare: the
 * listings here read directories into a stack buffer, as opendir would
 * malloc on every scan. */
struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* The longest root (--root) taken: every path built under it (a cgroup2
 * mount path, /proc/PID/root/<binary>) must still fit its buffer, or
 * the collector would open a path cut short: another file. */
#define HOSTFS_ROOT_MAX 1024

/* root/rel into buf, trailing newlines cut; its length, or -1 with errno
 * (EFBIG: the file does not fit in n - 1 bytes: never cut silently). */
int hostfs_read(const char *root, const char *rel, char *buf, size_t n);
/* A file holding one integer (a sysctl such as
 * /proc/sys/kernel/kptr_restrict): its value, or fallback when it cannot
 * be read or is not a number. */
int hostfs_int(const char *root, const char *rel, int fallback);
/* Calls each(name, is_dir, ctx) for every entry but . and ..; stops when
 * it returns non-zero.  0, or -1 when the directory cannot be read. */
int hostfs_list(const char *root, const char *rel, int (*each)(const char *name, int is_dir, void *ctx),
		void *ctx);
/* The [bracketed] choice of a sysfs selector ("always [madvise] never");
 * 0, or -1 when there is none or it does not fit in n - 1 bytes. */
int hostfs_selected(const char *text, char *out, size_t n);
/* The value of NAME= on a kernel command line; 1 found (maybe empty), 0
 * not, -1 found but longer than n - 1 bytes (out empty). */
int hostfs_param(const char *cmdline, const char *name, char *out, size_t n);
/* Whether root is the running kernel: "" (this host), or a prefix whose
 * proc is a procfs (statfs PROC_SUPER_MAGIC), as in a container given the
 * host's /proc at /host/proc.  0 for a copied tree (fixtures), whose files
 * sit on an ordinary file system: live collectors stay off there. */
int hostfs_live(const char *root);
/* This process's pid as root's procfs numbers it (readlink root/proc/self):
 * with the host's /proc at a prefix that is the host's pid, the one eBPF
 * reports, even from inside a PID namespace.  getpid() when unreadable. */
int hostfs_self_pid(const char *root);
/* Whether root's /proc has process pid (a dir root/proc/PID): the pids
 * eBPF reports are the host's, which kill(pid, 0) cannot see from inside
 * a PID namespace.  1, or 0 when gone (ENOENT) or unreadable. */
int hostfs_has_pid(const char *root, int pid);

#endif
