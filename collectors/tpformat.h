/* SPDX-License-Identifier: GPL-2.0-only */
/* A tracepoint's event record layout, as tracefs describes it in
 * events/<group>/<event>/format ("field:pid_t prev_pid;	offset:24;
 * size:4;	signed:1;"): what BPF programs that read the record need on
 * kernels without BTF. */
#ifndef STORMTOP_TPFORMAT_H
#define STORMTOP_TPFORMAT_H

#include <stddef.h>
#include <stdint.h>

struct tp_field {
	uint32_t offset;  /* bytes from the start of the record */
	uint32_t size;    /* bytes */
};

/* The field called name in a format file's text (NUL-terminated):
 * 0, -ENOENT when the record has no such field, -EINVAL when its line is
 * malformed. */
int tpformat_field(const char *text, const char *name, struct tp_field *out);

/* Reads root/sys/kernel/tracing/events/group/event/format, or the one
 * under /sys/kernel/debug/tracing, into buf (NUL-terminated); path gets
 * the first file tried.  Returns the length, or -errno. */
int tpformat_read(const char *root, const char *group, const char *event, char *buf, size_t len,
		  char *path, size_t plen);

#endif
