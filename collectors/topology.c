#include "topology.h"

#include <numa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cpulist.h"
#include "frame.h"
#include "hostfs.h"
#include "mem.h"

static int alloc_maps(struct topology *t, uint32_t ncpu, uint32_t nnodes)
{
	t->ncpu = ncpu;
	t->nnodes = nnodes;
	t->node_of = mem_zalloc(ncpu, sizeof(*t->node_of));
	t->distance = mem_zalloc((size_t)nnodes * nnodes, 1);
	if (!t->node_of || !t->distance)
		return -1;
	for (uint32_t a = 0; a < nnodes; a++)
		for (uint32_t b = 0; b < nnodes; b++)
			t->distance[a * nnodes + b] = a == b ? 10 : 20;
	return 0;
}

/* Possible CPUs, not online ones: frames are sized once and hotplug must
 * not need a reallocation. */
static uint32_t possible_cpus(const char *root)
{
	char buf[4096];
	uint32_t n = 0;

	if (hostfs_read(root, "/sys/devices/system/cpu/possible", buf, sizeof(buf)) >= 0)
		n = cpulist_span(buf);
	if (n == 0 && !root[0]) {
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

/* Node of each CPU from <root>/sys/devices/system/node/node<N>/cpulist. */
static uint32_t sysfs_nodes(const char *root, uint32_t ncpu, uint16_t *node_of)
{
	uint8_t *mask = mem_zalloc(ncpu, 1);
	uint32_t nnodes = 0;
	char rel[96], buf[4096], err[128];

	for (uint32_t n = 0; mask && n < TOPO_MAX_NODES; n++) {
		snprintf(rel, sizeof(rel), "/sys/devices/system/node/node%u/cpulist", n);
		if (hostfs_read(root, rel, buf, sizeof(buf)) < 0)
			continue;
		memset(mask, 0, ncpu);
		if (buf[0] && cpulist_parse(buf, mask, ncpu, err, sizeof(err)) < 0)
			continue;
		for (uint32_t c = 0; c < ncpu; c++)
			if (mask[c] && node_of)
				node_of[c] = (uint16_t)n;
		nnodes = n + 1;
	}
	free(mask);
	return nnodes;
}

static int detect_tree(struct topology *t, const char *root, uint32_t ncpu)
{
	uint32_t nnodes = sysfs_nodes(root, ncpu, NULL);

	if (alloc_maps(t, ncpu, nnodes ? nnodes : 1) < 0)
		return -1;
	t->numa = nnodes > 0;
	if (nnodes)
		sysfs_nodes(root, ncpu, t->node_of);
	else
		snprintf(t->reason, sizeof(t->reason), "no NUMA node lists in this tree: one node assumed");
	return 0;
}

int topology_detect(struct topology *t, const char *root, char *err, size_t errlen)
{
	uint32_t ncpu = possible_cpus(root);
	uint32_t nnodes = 1;
	int numa;

	memset(t, 0, sizeof(*t));
	if (ncpu == 0) {
		snprintf(err, errlen, "no CPU list at %s/sys/devices/system/cpu/possible", root);
		return -1;
	}
	if (root[0]) {
		if (detect_tree(t, root, ncpu) == 0)
			return 0;
		topology_free(t);
		snprintf(err, errlen, "out of memory sizing topology for %u CPUs", ncpu);
		return -1;
	}
	numa = numa_available() >= 0;

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
