// SPDX-License-Identifier: GPL-2.0-only
#include "collectors/topology.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/cpulist.h"
#include "collectors/hostfs.h"
#include "util/mem.h"

#define NODE_DIR "/sys/devices/system/node"

/* The CPU slots: the possible list sizes them (highest id + 1, at most
 * FRAME_MAX_CPUS, the kernel's largest NR_CPUS: a list past it is an
 * error, not CPUs left out) and says which are CPUs.  The live host
 * without the file falls back on sysconf's count. */
static int read_possible(struct topology *t, const char *root, char *err, size_t errlen)
{
	char buf[8192], why[160];
	uint32_t span = 0;
	uint8_t *all;

	if (hostfs_read(root, "/sys/devices/system/cpu/possible", buf, sizeof(buf)) >= 0) {
		if (!(span = cpulist_span(buf))) {
			snprintf(err, errlen, "%s/sys/devices/system/cpu/possible: bad CPU list '%.40s'", root, buf);
			return -1;
		}
		if (span > FRAME_MAX_CPUS) {
			snprintf(err, errlen, "%s/sys/devices/system/cpu/possible: CPU %u is past the %u CPUs Linux can have",
				 root, span - 1, FRAME_MAX_CPUS);
			return -1;
		}
	} else if (root[0] && errno != ENOENT) {
		snprintf(err, errlen, "cannot read %s/sys/devices/system/cpu/possible: %s", root, strerror(errno));
		return -1;
	} else if (!root[0]) {
		long c = sysconf(_SC_NPROCESSORS_CONF);

		snprintf(buf, sizeof(buf), "0-%ld", c > 1 ? c - 1 : 0);
		span = cpulist_span(buf);
	}
	if (span == 0) {
		snprintf(err, errlen, "no CPU list at %s/sys/devices/system/cpu/possible", root);
		return -1;
	}
	t->ncpu = span < FRAME_MAX_CPUS ? span : FRAME_MAX_CPUS;
	all = mem_zalloc(span, 1);
	t->possible = mem_zalloc(t->ncpu, 1);
	t->present = mem_zalloc(t->ncpu, 1);
	t->node_of = mem_zalloc(t->ncpu, sizeof(*t->node_of));
	if (!all || !t->possible || !t->present || !t->node_of) {
		free(all);
		snprintf(err, errlen, "out of memory sizing topology for %u CPUs", span);
		return -1;
	}
	cpulist_parse(buf, all, span, why, sizeof(why)); /* span parsed it: it is well formed */
	memcpy(t->possible, all, t->ncpu);
	free(all);
	return 0;
}

static uint32_t count(const uint8_t *mask, uint32_t n)
{
	uint32_t k = 0;

	for (uint32_t i = 0; i < n; i++)
		k += mask[i] != 0;
	return k;
}

/* present, within possible; a tree or kernel without the file: all possible. */
static void read_present(struct topology *t, const char *root)
{
	char buf[8192], why[160];
	uint8_t *mask = t->present;

	if (hostfs_read(root, "/sys/devices/system/cpu/present", buf, sizeof(buf)) < 0 ||
	    cpulist_parse(buf, mask, t->ncpu, why, sizeof(why)) < 0)
		memcpy(mask, t->possible, t->ncpu);
	for (uint32_t c = 0; c < t->ncpu; c++)
		mask[c] &= t->possible[c];
	t->npossible = count(t->possible, t->ncpu);
	t->npresent = count(mask, t->ncpu);
}

static int mark_node_dir(const char *name, int is_dir, void *ctx)
{
	uint8_t *ids = ctx;
	char *end;
	unsigned long id;

	(void)is_dir;
	if (strncmp(name, "node", 4) != 0 || name[4] < '0' || name[4] > '9')
		return 0;
	id = strtoul(name + 4, &end, 10);
	if (!*end && id < FRAME_MAX_NODES)
		ids[id] = 1;
	return 0;
}

/* The node set: node/online when the kernel has it, else the node<N>
 * directories.  Returns how many. */
static uint32_t node_set(const char *root, uint8_t ids[FRAME_MAX_NODES])
{
	char buf[4096], why[160];

	memset(ids, 0, FRAME_MAX_NODES);
	if (hostfs_read(root, NODE_DIR "/online", buf, sizeof(buf)) < 0 ||
	    cpulist_parse(buf, ids, FRAME_MAX_NODES, why, sizeof(why)) < 0) {
		memset(ids, 0, FRAME_MAX_NODES);
		hostfs_list(root, NODE_DIR, mark_node_dir, ids);
	}
	return count(ids, FRAME_MAX_NODES);
}

/* "Node 0 MemTotal:  16318540 kB" (node meminfo) or "MemTotal: ... kB". */
static uint64_t mem_total(const char *root, const char *rel)
{
	char buf[4096];
	const char *p;

	if (hostfs_read(root, rel, buf, sizeof(buf)) < 0 || !(p = strstr(buf, "MemTotal:")))
		return 0;
	return strtoull(p + 9, NULL, 10) * 1024;
}

/* One node: its CPUs (only possible ones count) and its memory.  0, or
 * -1 with why (the node's cpulist cannot be read or is no CPU list of
 * this host): its CPUs would land on another node, or it would pass for
 * memory only.  An empty or missing list is a node without CPUs. */
static int read_node(struct topology *t, const char *root, struct topo_node *n, uint8_t *mask,
		     char *why, size_t whylen)
{
	char rel[96], buf[8192], bad[160];
	int got;

	snprintf(rel, sizeof(rel), NODE_DIR "/node%u/meminfo", n->id);
	n->mem_bytes = mem_total(root, rel);
	snprintf(rel, sizeof(rel), NODE_DIR "/node%u/cpulist", n->id);
	memset(mask, 0, t->ncpu);
	if ((got = hostfs_read(root, rel, buf, sizeof(buf))) < 0 && errno != ENOENT) {
		snprintf(why, whylen, "node%u/cpulist: %s", n->id, strerror(errno));
		return -1;
	}
	if (got <= 0)
		return 0;
	if (cpulist_parse(buf, mask, t->ncpu, bad, sizeof(bad)) < 0) {
		snprintf(why, whylen, "node%u/cpulist: %.80s", n->id, bad);
		return -1;
	}
	for (uint32_t c = 0; c < t->ncpu; c++)
		if (mask[c] && t->possible[c])
			t->node_of[c] = n->id;
	return 0;
}

/* CPUs no node list names go on the first node that has CPUs; then
 * each node counts its present CPUs (a possible-only slot is no CPU:
 * frame_cpu_exists). */
static void count_cpus(struct topology *t, const uint8_t *listed)
{
	uint16_t home = t->nodes[0].id;

	for (uint32_t c = 0; c < t->ncpu; c++)
		if (listed[c]) {
			home = t->node_of[c];
			break;
		}
	for (uint32_t c = 0; c < t->ncpu; c++) {
		if (!t->possible[c])
			continue;
		if (!listed[c])
			t->node_of[c] = home;
		if (!t->present[c])
			continue;
		for (uint32_t i = 0; i < t->nnodes; i++)
			if (t->nodes[i].id == t->node_of[c]) {
				t->nodes[i].cpus++;
				break;
			}
	}
}

static int read_nodes(struct topology *t, const char *root, char *err, size_t errlen)
{
	uint8_t ids[FRAME_MAX_NODES];
	uint32_t n = node_set(root, ids), k = 0;
	uint8_t *mask = mem_zalloc(t->ncpu, 1), *listed = mem_zalloc(t->ncpu, 1);
	char why[FRAME_REASON_LEN - 20];

	t->numa = n > 0;
	t->nnodes = n ? n : 1;
	t->nodes = mem_zalloc(t->nnodes, sizeof(*t->nodes));
	if (!mask || !listed || !t->nodes) {
		free(mask);
		free(listed);
		snprintf(err, errlen, "out of memory reading the NUMA nodes");
		return -1;
	}
	if (!n)
		snprintf(t->reason, sizeof(t->reason), "no NUMA node lists (%s): one node assumed", NODE_DIR);
	for (uint32_t id = 0; id < FRAME_MAX_NODES && n; id++) {
		if (!ids[id])
			continue;
		t->nodes[k].id = (uint16_t)id;
		if (read_node(t, root, &t->nodes[k++], mask, why, sizeof(why)) < 0) {
			/* one node it cannot place CPUs of: every node is a guess */
			snprintf(t->reason, sizeof(t->reason), "%.130s: one node assumed", why);
			t->numa = 0;
			t->nnodes = 1;
			memset(t->nodes, 0, sizeof(*t->nodes));
			memset(t->node_of, 0, t->ncpu * sizeof(*t->node_of));
			memset(listed, 0, t->ncpu);
			break;
		}
		for (uint32_t c = 0; c < t->ncpu; c++)
			listed[c] |= mask[c] & t->possible[c];
	}
	if (!t->numa)
		t->nodes[0].mem_bytes = mem_total(root, "/proc/meminfo");
	count_cpus(t, listed);
	free(mask);
	free(listed);
	return 0;
}

int topology_detect(struct topology *t, const char *root, char *err, size_t errlen)
{
	memset(t, 0, sizeof(*t));
	if (read_possible(t, root, err, errlen) < 0)
		goto fail;
	read_present(t, root);
	if (read_nodes(t, root, err, errlen) < 0)
		goto fail;
	return 0;
fail:
	topology_free(t);
	return -1;
}

int topology_synthetic(struct topology *t, uint32_t ncpu, uint32_t nnodes)
{
	memset(t, 0, sizeof(*t));
	if (ncpu == 0 || ncpu > FRAME_MAX_CPUS || nnodes == 0 || nnodes > ncpu || nnodes > FRAME_MAX_NODES)
		return -1;
	t->ncpu = t->npossible = t->npresent = ncpu;
	t->nnodes = nnodes;
	t->possible = mem_zalloc(ncpu, 1);
	t->present = mem_zalloc(ncpu, 1);
	t->node_of = mem_zalloc(ncpu, sizeof(*t->node_of));
	t->nodes = mem_zalloc(nnodes, sizeof(*t->nodes));
	if (!t->possible || !t->present || !t->node_of || !t->nodes) {
		topology_free(t);
		return -1;
	}
	for (uint32_t n = 0; n < nnodes; n++)
		t->nodes[n].id = (uint16_t)n;
	for (uint32_t c = 0; c < ncpu; c++) {
		t->possible[c] = t->present[c] = 1;
		t->node_of[c] = (uint16_t)((uint64_t)c * nnodes / ncpu);
		t->nodes[t->node_of[c]].cpus++;
	}
	t->numa = 1;
	return 0;
}

void topology_fill(const struct topology *t, struct frame *f)
{
	struct frame_topo *ft = &f->topo;

	for (uint32_t c = 0; c < f->ncpu && c < t->ncpu; c++) {
		f->cpu[c].node = t->node_of[c];
		f->cpu[c].possible = t->possible[c];
		f->cpu[c].present = t->present[c];
	}
	ft->possible = t->npossible;
	ft->present = t->npresent;
	ft->nnodes = t->nnodes;
	ft->nlist = t->nnodes < FRAME_TOPO_NODES ? t->nnodes : FRAME_TOPO_NODES;
	for (uint32_t i = 0; i < ft->nlist; i++)
		ft->node[i] = (struct frame_node){ .node = t->nodes[i].id, .cpus = t->nodes[i].cpus,
						   .mem_bytes = t->nodes[i].mem_bytes };
}

uint32_t topology_memory_nodes(const struct topology *t)
{
	uint32_t k = 0;

	for (uint32_t i = 0; i < t->nnodes; i++)
		k += t->nodes[i].cpus == 0;
	return k;
}

int topology_check_mask(const struct topology *t, const uint8_t *mask, const char *what, char *err,
			size_t errlen)
{
	char list[160];

	for (uint32_t c = 0; c < t->ncpu; c++)
		if (mask[c] && !t->present[c]) {
			cpulist_format(t->present, t->ncpu, list, sizeof(list));
			snprintf(err, errlen, "%s: CPU %u is not a CPU of this host (present: %s)", what, c, list);
			return -1;
		}
	return 0;
}

void topology_free(struct topology *t)
{
	free(t->possible);
	free(t->present);
	free(t->node_of);
	free(t->nodes);
	memset(t, 0, sizeof(*t));
}
