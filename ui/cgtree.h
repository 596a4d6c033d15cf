/* SPDX-License-Identifier: GPL-2.0-only */
/* Names for the process table grouped by cgroup (`g`): a cgroup v2 path
 * (frame_cgroup.path, "/" the root, untrusted text) as a tree row. */
#ifndef STORMTOP_CGTREE_H
#define STORMTOP_CGTREE_H

#include <stddef.h>

#include "core/frame.h"

/* The row's name: the path's last component, except a container runtime's
 * scope (docker-, cri-containerd-, crio-, libpod- then 64 hex digits then
 * ".scope") is "<runtime> <first 12 hex>", as `docker ps` shows the id,
 * and a kubepods component carrying "pod<uid>" is "pod <uid>" (the uid's
 * '_' back to '-', as systemd escapes it).  "/" for the root, "(no path)"
 * for "" (a cgroup the collector found no path for).  Writes at
 * most n - 1 bytes; returns dst. */
char *cgroup_label(const char *path, char *dst, size_t n);
/* Components below the root: "/" 0, "/a.slice" 1, "/a.slice/b.scope" 2. */
int cgroup_depth(const char *path);
/* 1 when path is root or inside it ("/a" holds "/a/b", not "/ab"). */
int cgroup_in_subtree(const char *path, const char *root);
/* Whether `--cgroup root` keeps process p of frame f: always when root is
 * "" ; else when p's cgroup (cgroup_id) is one of f's named cgroups inside
 * root.  A process whose cgroup the frame summed into other (or left
 * unknown) cannot be placed and is left out. */
int cgroup_keeps_proc(const struct frame *f, const struct frame_proc *p, const char *root);

#endif
