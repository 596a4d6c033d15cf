/* SPDX-License-Identifier: GPL-2.0-only */
/* CPU and NUMA topology as the kernel's sets: which CPU ids exist
 * (possible, present), which node each sits on, and every node of the
 * node set, memory-only ones (CXL expanders) included.  Ids are members
 * of sets, not spans: CPUs 0-1,4-5 are four CPUs, nodes 0,2,5 three. */
#ifndef STORMTOP_TOPOLOGY_H
#define STORMTOP_TOPOLOGY_H

#include <stddef.h>
#include <stdint.h>

#include "core/frame.h"

struct topo_node {
	uint16_t id;          /* the kernel's node number */
	uint32_t cpus;        /* present CPUs on it; 0 = memory only */
	uint64_t mem_bytes;   /* MemTotal of node<id>/meminfo; 0 = unknown */
};

struct topology {
	uint32_t ncpu;        /* CPU slots: highest possible CPU id + 1 */
	uint8_t *possible;    /* ncpu entries: 1 for members of cpu/possible */
	uint8_t *present;     /* ncpu entries: members of cpu/present (= possible without the file) */
	uint32_t npossible;   /* members of each set */
	uint32_t npresent;
	uint16_t *node_of;    /* ncpu entries: the node of each CPU */
	uint32_t nnodes;      /* members of the node set; 1 on one-node hosts */
	struct topo_node *nodes; /* nnodes entries, ascending id */
	int numa;             /* 1 when the node lists were read, 0 when one node is assumed */
	char reason[FRAME_REASON_LEN]; /* why numa is 0 */
};

/* root "" is the running host, any other root a copied tree (fixtures,
 * another host's files); both are read the same way, from
 *   <root>/sys/devices/system/cpu/{possible,present}   CPU sets (lists)
 *   <root>/sys/devices/system/node/online              node set (else the node<N> directories)
 *   <root>/sys/devices/system/node/node<N>/cpulist     its CPUs (empty: memory only)
 *   <root>/sys/devices/system/node/node<N>/meminfo     its MemTotal
 * Returns 0, or -1 with a one-line reason: no or malformed possible list
 * in a tree, out of memory.  No NUMA information is not an error: one
 * node is assumed and t->reason says so. */
int topology_detect(struct topology *t, const char *root, char *err, size_t errlen);

/* A made-up host (tests, demos, the many-core views): CPUs 0..ncpu-1,
 * split evenly across nodes 0..nnodes-1 in contiguous blocks. */
int topology_synthetic(struct topology *t, uint32_t ncpu, uint32_t nnodes);

/* Writes the topology into f: each slot's possible, present and node,
 * and the node list.  Allocates nothing. */
void topology_fill(const struct topology *t, struct frame *f);

/* Nodes without CPUs (memory only). */
uint32_t topology_memory_nodes(const struct topology *t);

/* 0 when every CPU mask names is present (a CPU of the host); else -1
 * with the first other one named in err. */
int topology_check_mask(const struct topology *t, const uint8_t *mask, const char *what, char *err,
			size_t errlen);

void topology_free(struct topology *t);

#endif
