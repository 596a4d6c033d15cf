/* SPDX-License-Identifier: GPL-2.0-only */
/* The cgroup v2 filesystem: where it is mounted (the first "cgroup2"
 * entry of the host's mounts table, never an assumed path) and the path of a
 * cgroup id as the kernel gives it to BPF (bpf_get_current_cgroup_id:
 * the kernfs id, which is the inode number of the cgroup's directory on
 * 64-bit kernels).  Memory is fixed at open: a cache of CGFS_CACHE paths,
 * rebuilt by walking the mount on a miss, at most once a second. */
#ifndef STORMTOP_CGROUPFS_H
#define STORMTOP_CGROUPFS_H

#include <stddef.h>
#include <stdint.h>

#include "core/frame.h"

#define CGFS_CACHE 1024     /* ids whose paths are kept */
#define CGFS_RESCAN_NS 1000000000LL
#define CGFS_MAX_DEPTH 32   /* deeper cgroups are not walked (systemd nests 4-6) */

struct cgroupfs;

/* Finds the cgroup2 mount in text (the contents of a /proc/mounts) and
 * decodes its path (octal escapes \040 \011 \012 \134 of the kernel's
 * mangle()) into mnt.  Returns CGROUPS_OK; CGROUPS_V1_ONLY when only
 * "cgroup" (v1) mounts are there; CGROUPS_UNAVAILABLE when there is no
 * cgroup filesystem at all or the path does not fit in n - 1 bytes.  why
 * gets one line for the states other than CGROUPS_OK. */
enum cgroup_state cgroupfs_parse_mounts(const char *text, char *mnt, size_t n, char *why, size_t wn);

/* Finds the cgroup2 mount in /proc/mounts when root is "" (this host), or
 * in <root>/proc/1/mounts at a prefix (the host's /proc bound there, as
 * in a container: the mounts of the host's pid 1, not the container's
 * own), and walks <root><mount> once.  NULL only when out of memory;
 * otherwise check cgroupfs_state. */
struct cgroupfs *cgroupfs_open(const char *root);
/* enum cgroup_state, and why (one line) when not CGROUPS_OK. */
enum cgroup_state cgroupfs_state(const struct cgroupfs *c, const char **why);
/* The mount as the host names it, decoded ("/sys/fs/cgroup/unified"). */
const char *cgroupfs_mount(const struct cgroupfs *c);
/* The path of cgroup id relative to the mount ("/" for its root,
 * "/system.slice/x.scope" below it) into out (n bytes; a longer path
 * keeps its innermost end).  The name's bytes are kept as the kernel has
 * them: untrusted, consumers sanitise.  0 found; -1 unknown (out is ""):
 * not in the cache and no rescan allowed yet, or no such directory (the
 * cgroup is gone).  Allocates nothing. */
int cgroupfs_path(struct cgroupfs *c, uint64_t id, char *out, size_t n);
/* Walks so far (tests; the rescan limit). */
uint32_t cgroupfs_scans(const struct cgroupfs *c);
void cgroupfs_close(struct cgroupfs *c);

#endif
