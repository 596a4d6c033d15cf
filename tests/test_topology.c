// SPDX-License-Identifier: GPL-2.0-only
/* Topology as sets: CPU ids with holes, sparse node ids, memory-only
 * nodes, on fixture trees whose answers are counted by hand from their
 * files; the live host against libnuma's own reading. */
#include "testlib.h"

#include <numa.h>
#include <unistd.h>

#include "core/ring.h"
#include "collectors/topology.h"

static void load(struct topology *t, const char *tree)
{
	char root[256], err[256];

	snprintf(root, sizeof(root), "tests/fixtures/%s", tree);
	if (topology_detect(t, root, err, sizeof(err)) < 0)
		fail_msg("%s: %s", tree, err);
}

/* possible = 0-1,4-5,8-9,12-13: 14 slots, 8 CPUs; node0 0-1,4-5, node1 8-9,12-13. */
static void holes_in_cpu_ids(void **state)
{
	static const int node[14] = { 0, 0, -1, -1, 0, 0, -1, -1, 1, 1, -1, -1, 1, 1 };
	struct topology t;

	(void)state;
	load(&t, "phantom-cpus/tree");
	assert_int_equal(t.ncpu, 14);
	assert_int_equal(t.npossible, 8);
	assert_int_equal(t.npresent, 8);
	assert_int_equal(t.nnodes, 2);
	assert_int_equal(t.nodes[0].id, 0);
	assert_int_equal(t.nodes[0].cpus, 4);
	assert_int_equal(t.nodes[1].id, 1);
	assert_int_equal(t.nodes[1].cpus, 4);
	for (uint32_t c = 0; c < 14; c++) {
		assert_int_equal(t.possible[c], node[c] >= 0);
		if (node[c] >= 0)
			assert_int_equal(t.node_of[c], node[c]);
	}
	assert_true(t.numa);
	topology_free(&t);
}

/* nodes 0,2,5 (node/online); node5's cpulist is empty: memory only, 256 GiB. */
static void sparse_and_memory_only_nodes(void **state)
{
	struct topology t;
	struct frame_ring r;
	struct frame *f;

	(void)state;
	load(&t, "root-cxl-sparse");
	assert_int_equal(t.ncpu, 6);
	assert_int_equal(t.npossible, 6);
	assert_int_equal(t.nnodes, 3);
	assert_int_equal(topology_memory_nodes(&t), 1);
	assert_int_equal(t.nodes[0].id, 0);
	assert_int_equal(t.nodes[1].id, 2);
	assert_int_equal(t.nodes[2].id, 5);
	assert_int_equal(t.nodes[0].cpus, 3);
	assert_int_equal(t.nodes[1].cpus, 3);
	assert_int_equal(t.nodes[2].cpus, 0);
	assert_true(t.nodes[0].mem_bytes == 16777216ull * 1024);
	assert_true(t.nodes[2].mem_bytes == 268435456ull * 1024);
	assert_int_equal(t.node_of[4], 2);
	/* into a frame: the same sets, read back through the frame helpers */
	assert_int_equal(ring_init(&r, 1, t.ncpu), 0);
	f = ring_begin(&r);
	topology_fill(&t, f);
	assert_int_equal(frame_cpus(f), 6);
	assert_int_equal(frame_nnodes(f), 3);
	assert_int_equal(f->topo.nlist, 3);
	assert_non_null(frame_node_find(f, 5));
	assert_int_equal(frame_node_find(f, 5)->cpus, 0);
	assert_null(frame_node_find(f, 1));
	assert_int_equal(f->cpu[3].node, 2);
	ring_free(&r);
	topology_free(&t);
}

/* possible 0-63 but present 0-3 (a VM that could hot-add 60 vCPUs; CPU 2
 * present and offline): 4 CPUs, not 64; node0 0-1, node1 2-3 count 2 each;
 * a mask naming CPU 9 (possible, absent) is refused. */
static void possible_only_slots_are_no_cpus(void **state)
{
	struct topology t;
	struct frame_ring r;
	struct frame *f;
	uint8_t mask[64] = { 0 };
	char err[200];

	(void)state;
	load(&t, "hotplug-slots/tree");
	assert_int_equal(t.ncpu, 64);
	assert_int_equal(t.npossible, 64);
	assert_int_equal(t.npresent, 4);
	assert_int_equal(t.nnodes, 2);
	assert_int_equal(t.nodes[0].cpus, 2);
	assert_int_equal(t.nodes[1].cpus, 2);
	assert_int_equal(ring_init(&r, 1, t.ncpu), 0);
	f = ring_begin(&r);
	topology_fill(&t, f);
	assert_int_equal(frame_cpus(f), 4);
	for (uint32_t c = 0; c < 64; c++)
		assert_int_equal(frame_cpu_exists(f, c), c < 4);
	f->cpu[9].online = 1; /* hot-added since: a CPU from the tick it is online */
	assert_true(frame_cpu_exists(f, 9));
	assert_int_equal(frame_cpus(f), 5);
	mask[9] = 1;
	assert_int_equal(topology_check_mask(&t, mask, "--cpus", err, sizeof(err)), -1);
	assert_string_equal(err, "--cpus: CPU 9 is not a CPU of this host (present: 0-3)");
	ring_free(&r);
	topology_free(&t);
}

/* No node directory at all (the arm64 case): one node with every CPU. */
static void no_numa_lists_is_one_node(void **state)
{
	struct topology t;

	(void)state;
	load(&t, "arm64-batch/tree");
	assert_int_equal(t.ncpu, 4);
	assert_int_equal(t.npossible, 4);
	assert_int_equal(t.nnodes, 1);
	assert_int_equal(t.nodes[0].cpus, 4);
	assert_false(t.numa);
	assert_non_null(strstr(t.reason, "one node assumed"));
	topology_free(&t);
}

/* A CPU list names only CPUs the host has. */
static void masks_must_name_possible_cpus(void **state)
{
	struct topology t;
	uint8_t mask[14] = { 0 };
	char err[200];

	(void)state;
	load(&t, "phantom-cpus/tree");
	mask[0] = mask[13] = 1;
	assert_int_equal(topology_check_mask(&t, mask, "--cpus", err, sizeof(err)), 0);
	mask[6] = 1;
	assert_int_equal(topology_check_mask(&t, mask, "--cpus", err, sizeof(err)), -1);
	assert_string_equal(err, "--cpus: CPU 6 is not a CPU of this host (present: 0-1,4-5,8-9,12-13)");
	topology_free(&t);
}

static void bad_trees_say_why(void **state)
{
	struct topology t;
	char err[256];

	(void)state;
	assert_int_equal(topology_detect(&t, "/nonexistent-tree", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no CPU list"));
	assert_int_equal(topology_synthetic(&t, 4, 5), -1);
	assert_int_equal(topology_synthetic(&t, 8, 3), 0);
	assert_int_equal(t.nodes[2].id, 2);
	assert_int_equal(t.nodes[0].cpus + t.nodes[1].cpus + t.nodes[2].cpus, 8);
	topology_free(&t);
}

/* The running host, read the same way as a tree, against libnuma. */
static void live_host_matches_libnuma(void **state)
{
	struct topology t;
	char err[256];

	(void)state;
	if (numa_available() < 0)
		skip();
	assert_int_equal(topology_detect(&t, "", err, sizeof(err)), 0);
	assert_int_equal(t.nnodes, (uint32_t)numa_num_configured_nodes());
	for (uint32_t i = 0; i < t.nnodes; i++) {
		long long total = numa_node_size64(t.nodes[i].id, NULL);

		assert_true(total > 0 ? t.nodes[i].mem_bytes == (uint64_t)total : t.nodes[i].mem_bytes == 0);
	}
	for (uint32_t c = 0; c < t.ncpu; c++)
		if (t.possible[c] && numa_node_of_cpu((int)c) >= 0)
			assert_int_equal(t.node_of[c], numa_node_of_cpu((int)c));
	topology_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(holes_in_cpu_ids),
		cmocka_unit_test(sparse_and_memory_only_nodes),
		cmocka_unit_test(no_numa_lists_is_one_node),
		cmocka_unit_test(masks_must_name_possible_cpus),
		cmocka_unit_test(possible_only_slots_are_no_cpus),
		cmocka_unit_test(bad_trees_say_why),
		cmocka_unit_test(live_host_matches_libnuma),
	};

	return cmocka_run_group_tests_name("topology", tests, NULL, NULL);
}
