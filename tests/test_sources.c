// SPDX-License-Identifier: GPL-2.0-only
/* The const tables that wire the sampling loop: frame sources
 * (src/core/source.h) and per-tick stages (src/stages/stages.h).  The
 * reference is the typed calls the tables replaced: the same frames must
 * come out, and a recording's source must give each frame once, then end. */
#include "testlib.h"

#include "collectors/synth.h"
#include "collectors/topology.h"
#include "core/config.h"
#include "core/ring.h"
#include "record/player.h"
#include "record/recreader.h"
#include "stages/controller.h"
#include "stages/correlator.h"
#include "stages/stages.h"

#define TICKS 400

/* An application whose latency follows the storms: its samples sit in a
 * slot that climbs with the tick's TLB shootdowns, so the correlator has
 * something to find and the controller reads what it found. */
static void add_app_latency(struct frame *f)
{
	uint64_t tlb = frame_irq_total(f, IRQ_TLB);
	unsigned int slot = 40;

	while (tlb > 1 && slot < LOGLIN_SLOTS - 1) {
		tlb >>= 1;
		slot += 4;
	}
	f->signals |= 1u << SIG_APP_LAT;
	f->app_hist[slot] = 100;
	f->app_hist[slot > 8 ? slot - 8 : 0] = 900;
}

/* stages_run on one ring and correlator_run then controller_run on a copy
 * of every frame in another: the regime and correlation written agree on
 * every tick, and the synthetic storms make the controller move. */
static void stages_match_the_typed_calls(void **state)
{
	struct topology topo = { 0 };
	struct frame_ring a = { 0 }, b = { 0 };
	struct frame_source src;
	struct stages st;
	struct config cfg;
	struct correlator *corr;
	struct controller *ctrl;
	int moved = 0, correlated = 0;

	(void)state;
	config_defaults(&cfg);
	assert_int_equal(topology_synthetic(&topo, 8, 2), 0);
	assert_int_equal(ring_init(&a, 120, topo.ncpu), 0);
	assert_int_equal(ring_init(&b, 120, topo.ncpu), 0);
	assert_int_equal(source_open(&src, &synth_source, &(struct source_conf){
		.topo = &topo, .interval_ns = 1000000000 }), 0);
	assert_int_equal(stages_new(&st, &(struct stage_conf){ .cfg = &cfg, .cap = a.cap, .crit = 20 }), 0);
	corr = correlator_new(20);
	ctrl = controller_new(&cfg, b.cap);
	assert_non_null(corr);
	assert_non_null(ctrl);
	for (int i = 0; i < TICKS; i++) {
		struct frame *fa = ring_begin(&a), *fb = ring_begin(&b);

		assert_int_equal(src.ops->fill(src.self, fa), SOURCE_FRAME);
		add_app_latency(fa);
		frame_copy(fb, fa);
		stages_run(&st, &a, fa);
		correlator_run(corr, &b, fb);
		controller_run(ctrl, &b, fb);
		/* why is a string: the bytes after its end are not the figure */
		assert_memory_equal(&fa->regime, &fb->regime, offsetof(struct frame_regime, why));
		assert_string_equal(fa->regime.why, fb->regime.why);
		assert_int_equal(fa->regime.nnodes, fb->regime.nnodes);
		assert_memory_equal(fa->regime.nodes, fb->regime.nodes, sizeof(fa->regime.nodes));
		assert_memory_equal(&fa->corr, &fb->corr, sizeof(fa->corr));
		moved |= fa->regime.tlb != TLB_CLEAN;
		correlated |= fa->corr.window && fa->corr.n_in && fa->corr.n_out;
		ring_commit(&a);
		ring_commit(&b);
	}
	/* else the comparisons above held nothing */
	assert_true(moved);
	assert_true(correlated);
	assert_non_null(stage_find("controller"));
	assert_null(stage_find("desk")); /* desk is the controller's arithmetic, not a stage */
	stages_free(&st);
	controller_free(ctrl);
	correlator_free(corr);
	source_close(&src);
	ring_free(&a);
	ring_free(&b);
	topology_free(&topo);
}

/* The synthetic source gives what synth_fill gives for the same tick. */
static void synth_source_is_synth_fill(void **state)
{
	struct topology topo = { 0 };
	struct frame_ring a = { 0 }, b = { 0 };
	struct frame_source src;
	struct synth s;

	(void)state;
	assert_int_equal(topology_synthetic(&topo, 16, 4), 0);
	assert_int_equal(ring_init(&a, 4, topo.ncpu), 0);
	assert_int_equal(ring_init(&b, 4, topo.ncpu), 0);
	assert_int_equal(source_open(&src, &synth_source, &(struct source_conf){
		.topo = &topo, .interval_ns = 500000000 }), 0);
	synth_init(&s, &topo, 500000000);
	for (int i = 0; i < 30; i++) {
		struct frame *fa = ring_begin(&a), *fb = ring_begin(&b);

		src.ops->fill(src.self, fa);
		synth_fill(&s, fb);
		/* the clocks were read at open: only the per-CPU figures compare */
		assert_int_equal(fa->seq, fb->seq);
		assert_int_equal(fa->interval_ns, fb->interval_ns);
		assert_memory_equal(fa->cpu, fb->cpu, topo.ncpu * sizeof(*fa->cpu));
		ring_commit(&a);
		ring_commit(&b);
	}
	source_close(&src);
	ring_free(&a);
	ring_free(&b);
	topology_free(&topo);
}

/* A recording through player_source: every frame once, in order, then
 * SOURCE_END; the same count as the reader's. */
static void player_source_reads_each_frame_once(void **state)
{
	char err[256];
	const char *dir = getenv("STORMTOP_FIXTURES");
	char path[512];
	struct rec_reader *r;
	struct frame_ring ring = { 0 };
	struct frame_source src;
	size_t n = 0;
	uint64_t last_seq = 0;
	int rc;

	(void)state;
	snprintf(path, sizeof(path), "%s/rec/seed-2cpu.rec", dir ? dir : "tests/fixtures");
	r = rec_reader_open(path, err, sizeof(err));
	if (!r)
		fail_msg("%s: %s", path, err);
	assert_true(rec_reader_count(r) > 2);
	assert_int_equal(ring_init(&ring, 8, rec_reader_meta(r)->ncpu), 0);
	assert_int_equal(source_open(&src, &player_source, &(struct source_conf){
		.reader = r, .ring = &ring, .name = path, .crit = 20 }), 0);
	while ((rc = src.ops->fill(src.self, ring_begin(&ring))) != SOURCE_END) {
		const struct frame *f;

		assert_int_equal(rc, SOURCE_FRAME);
		ring_commit(&ring);
		f = ring_at_age(&ring, 0);
		assert_true(n == 0 || f->seq > last_seq);
		last_seq = f->seq;
		n++;
	}
	assert_int_equal(n, rec_reader_count(r));
	assert_int_equal(((struct player *)src.self)->pos, n);
	source_close(&src);
	ring_free(&ring);
	rec_reader_close(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(stages_match_the_typed_calls),
		cmocka_unit_test(synth_source_is_synth_fill),
		cmocka_unit_test(player_source_reads_each_frame_once),
	};
	return cmocka_run_group_tests_name("sources", tests, NULL, NULL);
}
