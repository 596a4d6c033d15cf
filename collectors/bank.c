// SPDX-License-Identifier: GPL-2.0-only
#include "collectors/bank.h"
#include "util/mem.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include <bpf/libbpf.h>

int bank_map(struct bank *b, int map_fd, size_t stride, uint32_t n)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t len = (stride * n + page - 1) / page * page;
	void *p = mmap(NULL, len, PROT_READ, MAP_SHARED, map_fd, 0);

	if (p == MAP_FAILED)
		return -errno;
	*b = (struct bank){ .base = p, .len = len, .stride = stride, .n = n };
	return 0;
}

void bank_unmap(struct bank *b)
{
	if (b->base)
		munmap((void *)b->base, b->len);
	*b = (struct bank){0};
}

int banked_open(struct banked *b, const struct bpf_setup *s,
		struct bpf_map *(*map_of)(void *skel), size_t stride)
{
	int err;

	b->prev = mem_zalloc(s->nslots, stride);
	err = b->prev ? unit_load(&b->unit, &s->env) : -ENOMEM;
	if (err >= 0 && (err = bank_map(&b->bank, bpf_map__fd(map_of(b->unit.skel)), stride, s->nslots)) < 0)
		unit_fail(&b->unit, err, "its per-CPU bank cannot be mapped");
	if (err < 0) { /* the unit's hooks stay, to say why */
		free(b->prev);
		b->prev = NULL;
		return err;
	}
	return 0;
}

void banked_close(struct banked *b)
{
	bank_unmap(&b->bank);
	unit_close(&b->unit);
	free(b->prev);
	b->prev = NULL;
}
