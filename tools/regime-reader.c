// SPDX-License-Identifier: MIT
/* regime-reader: how an execution engine reads the host regime that
 * `stormtop --publish NAME` publishes, without a syscall per read: map the
 * segment once, then each read is a seqlock copy of its state block.
 *
 *   cc -o regime-reader tools/regime-reader.c -Iinclude
 *   ./regime-reader stormtop            # prints the regime every second
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "stormtop/probe.h"

/* Values of the state block, as src/export/publish.h defines them. */
enum { V_TLB, V_IOMMU, V_SBI_MILLI, V_DFI_MILLI, V_DVR_MILLI, V_RATE_MILLI, V_WIDEN_MILLI, V_SEQ };

/* The hot-path read: plain loads, retried while the writer is inside. */
static int read_state(const struct stormprobe_header *h, struct stormprobe_state *out)
{
	for (int tries = 0; tries < 100; tries++) {
		uint32_t seq = __atomic_load_n(&h->state.seq, __ATOMIC_ACQUIRE);

		if (seq & 1)
			continue;
		memcpy(out, (const void *)&h->state, sizeof(*out));
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (__atomic_load_n(&h->state.seq, __ATOMIC_RELAXED) == seq)
			return 0;
	}
	return -1;
}

int main(int argc, char **argv)
{
	char path[256];
	struct stormprobe_state st;
	const struct stormprobe_header *h;
	struct stat sb;
	int fd;

	if (argc != 2 || stormprobe_path(argv[1], path, sizeof(path)) < 0) {
		fprintf(stderr, "usage: regime-reader NAME  (as given to stormtop --publish)\n");
		return 2;
	}
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &sb) < 0 || sb.st_size < (off_t)sizeof(*h)) {
		perror(path);
		return 1;
	}
	h = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (h == MAP_FAILED || h->magic != STORMPROBE_MAGIC || h->version >> 16 != STORMPROBE_MAJOR) {
		fprintf(stderr, "%s: not a stormprobe segment of this version\n", path);
		return 1;
	}
	for (;;) {
		if (read_state(h, &st) == 0)
			printf("%-28s tlb %lld iommu %lld  SBI %.2f  DFI %.1f  hottest %.0f IPIs/s  heartbeat %llu\n",
			       st.label, (long long)st.value[V_TLB], (long long)st.value[V_IOMMU],
			       (double)st.value[V_SBI_MILLI] / 1000, (double)st.value[V_DFI_MILLI] / 1000,
			       (double)st.value[V_RATE_MILLI] / 1000,
			       (unsigned long long)__atomic_load_n(&h->heartbeat, __ATOMIC_ACQUIRE));
		fflush(stdout);
		sleep(1);
	}
}
