#include "topology.h"

#include <numa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cpulist.h"
#include "frame.h"

static int alloc_maps(struct topology *t, uint32_t ncpu, uint32_t nnodes)
{
	t->ncpu = ncpu;
	t->nnodes = nnodes;
	t->node_of = calloc(ncpu, sizeof(*t->node_of));
	t->distance = calloc((size_t)nnodes * nnodes, 1);
	if (!t->node_of || !t->distance)
		return -1;
	for (uint32_t a = 0; a < nnodes; a++)
		for (uint32_t b = 0; b < nnodes; b++)
			t->distance[a * nnodes + b] = a == b ? 10 : 20;
	return 0;
}

/* Possible CPUs, not online ones: frames are sized once and hotplug must
 * not need a reallocation. */
static uint32_t possible_cpus(void)
{
	char buf[256] = "";
	FILE *f = fopen("/sys/devices/system/cpu/possible", "re");
	uint32_t n = 0;

	if (f) {
		if (fgets(buf, sizeof(buf), f))
			n = cpulist_span(buf);
		fclose(f);
	}
	if (n == 0) {
		long c = sysconf(_SC_NPROCESSORS_CONF);

		n = c > 0 ? (uint32_t)c : 1;
	}
	return n > FRAME_MAX_CPUS ? FRAME_MAX_CPUS : n;
}

static void fill_from_libnuma(struct topology *t)
{
	for (uint32_t c = 0; c < t->ncpu; c++) {
		int node = numa_node_of_cpu((int)c);

		t->node_of[c] = node >= 0 && (uint32_t)node < t->nnodes ? (uint16_t)node : 0;
	}
	for (uint32_t a = 0; a < t->nnodes; a++)
		for (uint32_t b = 0; b < t->nnodes; b++) {
			int d = numa_distance((int)a, (int)b);

			if (d > 0 && d < 256)
				t->distance[a * t->nnodes + b] = (uint8_t)d;
		}
}

int topology_detect(struct topology *t, char *err, size_t errlen)
{
	uint32_t ncpu = possible_cpus();
	uint32_t nnodes = 1;
	int numa = numa_available() >= 0;

	memset(t, 0, sizeof(*t));
	if (numa) {
		int max = numa_max_node();

		nnodes = max >= 0 && max < TOPO_MAX_NODES ? (uint32_t)max + 1 : 1;
	}
	if (alloc_maps(t, ncpu, nnodes) < 0) {
		topology_free(t);
		snprintf(err, errlen, "out of memory sizing topology for %u CPUs", ncpu);
		return -1;
	}
	t->numa = numa;
	if (numa)
		fill_from_libnuma(t);
	else
		snprintf(t->reason, sizeof(t->reason),
			 "libnuma: NUMA not available, all CPUs on node 0");
	return 0;
}

int topology_synthetic(struct topology *t, uint32_t ncpu, uint32_t nnodes)
{
	memset(t, 0, sizeof(*t));
	if (ncpu == 0 || ncpu > FRAME_MAX_CPUS || nnodes == 0 || nnodes > ncpu)
		return -1;
	if (alloc_maps(t, ncpu, nnodes) < 0) {
		topology_free(t);
		return -1;
	}
	for (uint32_t c = 0; c < ncpu; c++)
		t->node_of[c] = (uint16_t)((uint64_t)c * nnodes / ncpu);
	t->numa = 1;
	return 0;
}

void topology_free(struct topology *t)
{
	free(t->node_of);
	free(t->distance);
	memset(t, 0, sizeof(*t));
}
