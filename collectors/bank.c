#include "bank.h"

#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

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
