/* CPU and NUMA topology: which node each CPU sits on, and node distances. */
#ifndef STORMTOP_TOPOLOGY_H
#define STORMTOP_TOPOLOGY_H

#include <stddef.h>
#include <stdint.h>

#define TOPO_MAX_NODES 1024

struct topology {
	uint32_t ncpu;        /* possible CPUs: highest id + 1 */
	uint32_t nnodes;      /* highest node id + 1; 1 on one-node hosts */
	uint16_t *node_of;    /* ncpu entries */
	uint8_t *distance;    /* nnodes * nnodes, SLIT units (10 = local) */
	int numa;             /* 1 when libnuma answered, 0 when assumed */
	char reason[96];      /* why numa is 0 */
};

/* root "" is the running host: possible CPUs from sysfs, nodes from
 * libnuma.  Any other root is a copied tree (fixtures, another host's
 * files): CPUs and nodes from its sysfs lists.  Returns 0, or -1 with a
 * reason (out of memory only: no NUMA information means one node, said in
 * t->reason). */
int topology_detect(struct topology *t, const char *root, char *err, size_t errlen);

/* A made-up host (tests, demos, the many-core views): CPUs split evenly
 * across nodes in contiguous blocks. */
int topology_synthetic(struct topology *t, uint32_t ncpu, uint32_t nnodes);

void topology_free(struct topology *t);

#endif
