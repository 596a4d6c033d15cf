// SPDX-License-Identifier: GPL-2.0-only
/* Frames to bytes and back: every field of every frame equal after the
 * round trip, up to 1024 CPUs; old readers skip unknown fields; malformed
 * bytes fail cleanly. */
#include "testlib.h"

#include <math.h>

#include "record/codec.h"
#include "record/recreader.h"
#include "core/present.h"
#include "core/ring.h"

static uint64_t rnd_state = 88172645463325252ull;

static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

/* Values of every size: small counts mostly, sometimes huge. */
static uint64_t value(void)
{
	uint64_t r = rnd();

	switch (r % 4) {
	case 0: return 0;
	case 1: return r >> 56;
	case 2: return r >> 40;
	default: return rnd();
	}
}

static void put_field(const struct field *fd, void *base)
{
	uint8_t *p = (uint8_t *)base + fd->offset;
	uint64_t v = value();

	switch (fd->kind) {
	case KIND_U64: case KIND_I64: memcpy(p, &v, 8); break;
	case KIND_U32: case KIND_I32: case KIND_F32: memcpy(p, &v, 4); break;
	case KIND_U16: case KIND_I16: memcpy(p, &v, 2); break;
	case KIND_U8: *p = (uint8_t)v; break;
	}
}

/* Attached apps, their series, and what the correlator pooled. */
static void fill_apps(struct frame *f)
{
	for (unsigned int s = 0; s < LOGLIN_SLOTS; s++)
		f->app_hist[s] = rnd() % 5 ? 0 : (uint32_t)rnd();
	for (unsigned int b = 0; b < CORR_BUCKETS; b++) {
		f->corr.clean_hist[b] = rnd() % 2 ? 0 : (uint32_t)rnd();
		f->corr.burst_hist[b] = rnd() % 2 ? 0 : (uint32_t)rnd();
	}
	/* r at every lag (id 251): some lags without one, some frames none */
	f->corr.nlags = rnd() % 3 ? FRAME_CORR_LAGS : 0;
	for (unsigned int k = 0; k < FRAME_CORR_LAGS && f->corr.nlags; k++)
		f->corr.lag_rs[k] = rnd() % 4 ? (float)((double)(rnd() % 2001) / 1000 - 1) : NAN;
	f->nseries = (uint32_t)(rnd() % (FRAME_SERIES + 1));
	for (uint32_t i = 0; i < f->nseries; i++) {
		for (size_t k = 0; k < frame_nfields; k++)
			if (frame_fields[k].scope == SCOPE_SERIES)
				put_field(&frame_fields[k], &f->series[i]);
		snprintf(f->series[i].label, FRAME_LABEL_LEN, "series %u \"quoted\"", i);
	}
	f->napps = (uint32_t)(rnd() % (FRAME_APPS + 1));
	for (uint32_t i = 0; i < f->napps; i++) {
		for (size_t k = 0; k < frame_nfields; k++)
			if (frame_fields[k].scope == SCOPE_APP)
				put_field(&frame_fields[k], &f->apps[i]);
		snprintf(f->apps[i].name, FRAME_APP_NAME, "app-%u", i);
		snprintf(f->apps[i].why, FRAME_REASON_LEN, "why %llx", (unsigned long long)rnd());
		snprintf(f->apps[i].mode_label, FRAME_LABEL_LEN, "mode %u", i);
	}
}

/* The sampled process's call sites (id 253): any values, some frames none. */
static void fill_sites(struct frame *f)
{
	for (size_t k = 0; k < site_nfields; k++)
		if (site_fields[k].scope == SCOPE_SITES)
			put_field(&site_fields[k], &f->sites);
	f->sites.n = (uint32_t)(rnd() % (FRAME_SITES + 1));
	for (uint32_t i = 0; i < f->sites.n; i++) {
		for (size_t k = 0; k < site_nfields; k++)
			if (site_fields[k].scope == SCOPE_SITE)
				put_field(&site_fields[k], &f->sites.site[i]);
		snprintf(f->sites.site[i].caller, FRAME_SITE_SYM, "fn%u+0x%llx", i, (unsigned long long)rnd());
		snprintf(f->sites.site[i].upath, FRAME_SITE_PATH, "main;fn%u", i);
		if (rnd() % 2)
			snprintf(f->sites.site[i].kpath, FRAME_SITE_PATH, "do_syscall_64;__x64_sys_munmap");
	}
}

static void fill(struct frame *f)
{
	struct frame_cpu *cpu = f->cpu;
	uint32_t ncpu = f->ncpu;

	frame_clear(f);
	for (size_t k = 0; k < frame_nfields; k++) {
		const struct field *fd = &frame_fields[k];

		if (fd->scope == SCOPE_FRAME)
			put_field(fd, f);
		for (uint32_t c = 0; fd->scope == SCOPE_CPU && c < ncpu; c++)
			put_field(fd, &cpu[c]);
	}
	f->cpu = cpu;
	f->ncpu = ncpu;
	for (int s = 0; s < SRC_MAX; s++) {
		f->status[s].state = (uint8_t)(rnd() % 5);
		snprintf(f->status[s].reason, sizeof(f->status[s].reason), "reason %d: %llx", s,
			 (unsigned long long)rnd());
	}
	for (unsigned int s = 0; s < LOGLIN_SLOTS; s++)
		f->sys.rq_hist[s] = rnd() % 3 ? 0 : (uint32_t)rnd();
	for (uint32_t c = 0; c < ncpu; c++) /* id 252: some CPUs none, some octaves empty */
		for (unsigned int k = 0; k < RQ_OCTAVES && rnd() % 4; k++)
			cpu[c].rq_oct[k] = rnd() % 2 ? 0 : (uint32_t)value();
	f->procs.n = (uint32_t)(rnd() % (FRAME_TOP_PROCS + 1));
	for (uint32_t i = 0; i < f->procs.n; i++) {
		for (size_t k = 0; k < frame_nfields; k++)
			if (frame_fields[k].scope == SCOPE_PROC)
				put_field(&frame_fields[k], &f->procs.top[i]);
		snprintf(f->procs.top[i].comm, FRAME_COMM_LEN, "proc-%u", i);
	}
	fill_apps(f);
	fill_sites(f);
}

static void assert_frames_equal(const struct frame *a, const struct frame *b)
{
	struct frame x = *a, y = *b;

	x.cpu = y.cpu = NULL;
	assert_memory_equal(&x, &y, sizeof(x));
	assert_memory_equal(a->cpu, b->cpu, sizeof(*a->cpu) * a->ncpu);
}

static void round_trip(uint32_t ncpu, int frames)
{
	struct frame_ring r;
	size_t cap = codec_bound(ncpu);
	uint8_t *buf = malloc(cap);

	assert_non_null(buf);
	assert_int_equal(ring_init(&r, 2, ncpu), 0);
	for (int i = 0; i < frames; i++) {
		struct frame *a = &r.frames[0], *b = &r.frames[1];
		size_t n;

		fill(a);
		a->ncpu = ncpu; /* the ncpu field is the ring's */
		n = frame_encode(a, buf, cap);
		assert_true(n > 0);
		memset(b->cpu, 0xab, sizeof(*b->cpu) * ncpu);
		assert_int_equal(frame_decode(buf, n, b), 0);
		assert_frames_equal(a, b);
	}
	ring_free(&r);
	free(buf);
}

static void round_trips(void **state)
{
	(void)state;
	round_trip(1, 200);
	round_trip(2, 200);
	round_trip(64, 50);
	round_trip(1024, 5);
}

/* Two CPUs' octaves (id 252) by hand: cpu0 empty (no record for it),
 * cpu1 with three octaves, the top one a full 32-bit count; they come
 * back where they were and nothing else moves.  The same frame from a
 * writer without the record decodes with its octaves 0, and
 * rq_oct_present tells that from a CPU with no waits. */
static void rq_octaves_round_trip(void **state)
{
	struct frame_ring r;
	uint8_t buf[8192];
	size_t n;
	struct frame *a, *b;

	(void)state;
	assert_int_equal(ring_init(&r, 2, 2), 0);
	a = &r.frames[0];
	b = &r.frames[1];
	frame_clear(a);
	a->signals = 1u << SIG_RUNQ;
	a->interval_ns = 1000000000;
	a->cpu[0].online = a->cpu[1].online = 1;
	a->cpu[1].rq_count = 12 + 7 + 0xffffffffULL;
	a->cpu[1].rq_oct[0] = 12;
	a->cpu[1].rq_oct[18] = 7;
	a->cpu[1].rq_oct[32] = 0xffffffffu;
	n = frame_encode(a, buf, sizeof(buf));
	assert_true(n > 0);
	memset(b->cpu, 0xab, sizeof(*b->cpu) * 2);
	assert_int_equal(frame_decode(buf, n, b), 0);
	assert_frames_equal(a, b);
	assert_int_equal(b->cpu[1].rq_oct[18], 7);
	assert_int_equal(b->cpu[1].rq_oct[32], 0xffffffffu);
	assert_true(rq_oct_present(b, 0)); /* no waits: an empty histogram, present */
	assert_true(rq_oct_present(b, 1));
	/* the same frame without its octaves: what an older writer wrote */
	memset(a->cpu[1].rq_oct, 0, sizeof(a->cpu[1].rq_oct));
	n = frame_encode(a, buf, sizeof(buf));
	assert_int_equal(frame_decode(buf, n, b), 0);
	assert_frames_equal(a, b);
	assert_false(rq_oct_present(b, 1)); /* waits but no octaves: not recorded */
	ring_free(&r);
}

/* The recordings made before id 252 (tests/fixtures/rec) still read:
 * every CPU's octaves 0, and where a CPU had waits the frame says its
 * octaves are not there rather than that it had none. */
static void old_recordings_have_no_octaves(void **state)
{
	static const char *const files[] = { "tests/fixtures/rec/seed-2cpu.rec", "tests/fixtures/rec/step-back-60s.rec",
					      "tests/fixtures/rec/escape-strings-c0-c1-invalid-utf8.rec" };
	size_t waits = 0, frames = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char err[256];
		struct rec_reader *rd = rec_reader_open(files[i], err, sizeof(err));
		struct frame_ring r;

		if (!rd)
			fail_msg("%s: %s", files[i], err);
		assert_int_equal(ring_init(&r, 1, rec_reader_meta(rd)->ncpu), 0);
		for (size_t k = 0; k < rec_reader_count(rd); k++) {
			struct frame *f = &r.frames[0];

			assert_int_equal(rec_reader_frame(rd, k, f), 0);
			frames++;
			for (uint32_t c = 0; c < f->ncpu; c++) {
				for (unsigned int o = 0; o < RQ_OCTAVES; o++)
					assert_int_equal(f->cpu[c].rq_oct[o], 0);
				if (frame_has(f, SIG_RUNQ) && cpu_measured(f, c) && f->cpu[c].rq_count) {
					assert_false(rq_oct_present(f, c));
					waits++;
				}
			}
		}
		rec_reader_close(rd);
		ring_free(&r);
	}
	printf("%zu old frames, %zu CPU ticks with waits and no octaves\n", frames, waits);
	assert_true(waits > 0);
}

/* Another reader's frame has fields this one does not know: skipped. */
static void unknown_fields_are_skipped(void **state)
{
	struct frame_ring r;
	uint8_t buf[4096], more[4200];
	size_t n, m;

	(void)state;
	assert_int_equal(ring_init(&r, 2, 2), 0);
	frame_clear(&r.frames[0]);
	r.frames[0].seq = 42;
	r.frames[0].cpu[1].irq[IRQ_TLB] = 7;
	n = frame_encode(&r.frames[0], buf, sizeof(buf));
	/* prepend a varint field 60 and a block field 199 with 3 bytes */
	m = 0;
	more[m++] = 60 * 2; more[m++] = 5;
	more[m++] = (uint8_t)(199 * 2 + 1) | 0x80; more[m++] = 3; /* key 399 as varint */
	more[m++] = 3; more[m++] = 1; more[m++] = 2; more[m++] = 3;
	memcpy(more + m, buf, n);
	assert_int_equal(frame_decode(more, m + n, &r.frames[1]), 0);
	assert_int_equal(r.frames[1].seq, 42);
	assert_int_equal(r.frames[1].cpu[1].irq[IRQ_TLB], 7);
	ring_free(&r);
}

/* Every truncation and every single-byte change either decodes or fails
 * cleanly; never reads out of bounds (ASan watches). */
static void malformed_bytes_fail_cleanly(void **state)
{
	struct frame_ring r;
	static uint8_t buf[1 << 16], bad[1 << 16];
	size_t n;

	(void)state;
	assert_int_equal(ring_init(&r, 2, 4), 0);
	r.frames[0].ncpu = 4;
	fill(&r.frames[0]);
	n = frame_encode(&r.frames[0], buf, sizeof(buf));
	assert_true(n > 0);
	for (size_t cut = 0; cut < n; cut++) {
		uint8_t *copy = malloc(cut ? cut : 1);

		memcpy(copy, buf, cut);
		frame_decode(copy, cut, &r.frames[1]);
		free(copy);
	}
	for (size_t i = 0; i < n; i++) {
		memcpy(bad, buf, n);
		bad[i] ^= (uint8_t)(1 + rnd() % 255);
		frame_decode(bad, n, &r.frames[1]);
	}
	assert_int_equal(frame_decode((const uint8_t *)"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", 11,
				      &r.frames[1]), -1);
	/* frames that say ncpu 112 (found by the fuzzer): the slots stay 4,
	 * whether the frame then breaks off or goes on to per-CPU fields */
	assert_int_equal(frame_decode((const uint8_t *)"\x0a\x70\xff", 3, &r.frames[1]), -1);
	assert_int_equal(r.frames[1].ncpu, 4);
	assert_int_equal(frame_decode((const uint8_t *)"\x0a\x70\xc9\x01\x06\x01\x01\x01\x01\x01\x01", 11,
				      &r.frames[1]), 0);
	assert_int_equal(r.frames[1].ncpu, 4);
	ring_free(&r);
}

static void field_names_are_unique(void **state)
{
	(void)state;
	for (size_t i = 0; i < frame_nfields; i++)
		for (size_t j = i + 1; j < frame_nfields; j++) {
			assert_false(frame_fields[i].id == frame_fields[j].id);
			if (frame_fields[i].scope == frame_fields[j].scope)
				assert_string_not_equal(frame_fields[i].name, frame_fields[j].name);
		}
}

/* Every per-CPU and per-process figure has a presence gate: a frame with
 * no source, line or signal has none of them (so no output prints a 0
 * for it), and one with all of them has all. */
static void every_figure_has_a_gate(void **state)
{
	static const char *const identity[] = { "online", "node", "fresh", "possible", "present", "pid", "on_cpu" };
	struct frame_ring r;
	struct frame *f;

	(void)state;
	assert_int_equal(ring_init(&r, 1, 1), 0);
	f = &r.frames[0];
	frame_clear(f);
	f->interval_ns = 1;
	f->cpu[0].online = 1;
	for (size_t k = 0; k < frame_nfields; k++) {
		const struct field *fd = &frame_fields[k];
		int ident = 0;

		if (fd->scope != SCOPE_CPU && fd->scope != SCOPE_PROC)
			continue;
		for (size_t i = 0; i < sizeof(identity) / sizeof(identity[0]); i++)
			ident |= strcmp(fd->name, identity[i]) == 0;
		if (field_available(f, fd, NULL, 0) != ident)
			fail_msg("field %u '%s': %s without its source", fd->id, fd->name, ident ? "missing" : "present");
	}
	f->irq_present = (1u << IRQ_KIND_MAX) - 1;
	f->signals = (1u << SIG_MAX) - 1;
	for (int s = 0; s < SRC_MAX; s++)
		f->status[s].state = SOURCE_OK;
	f->cpu[0].jit_n = 1;
	for (size_t k = 0; k < frame_nfields; k++)
		if (frame_fields[k].scope == SCOPE_CPU)
			assert_true(field_present_cpu(f, &frame_fields[k], 0));
	f->cpu[0].fresh = 1; /* just online: no figure, its description stays */
	for (size_t k = 0; k < frame_nfields; k++)
		if (frame_fields[k].scope == SCOPE_CPU)
			assert_int_equal(field_present_cpu(f, &frame_fields[k], 0),
					 frame_fields[k].id == 100 || frame_fields[k].id == 101 || frame_fields[k].id == 102 ||
					 frame_fields[k].id == 150 || frame_fields[k].id == 151);
	ring_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_figure_has_a_gate),
		cmocka_unit_test(round_trips),
		cmocka_unit_test(rq_octaves_round_trip),
		cmocka_unit_test(old_recordings_have_no_octaves),
		cmocka_unit_test(unknown_fields_are_skipped),
		cmocka_unit_test(malformed_bytes_fail_cleanly),
		cmocka_unit_test(field_names_are_unique),
	};
	return cmocka_run_group_tests_name("frame codec", tests, NULL, NULL);
}
