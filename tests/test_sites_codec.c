// SPDX-License-Identifier: GPL-2.0-only
/* frame.sites in recordings (field 253): hostile strings and full-length
 * paths come back byte for byte; a frame with every site full fits
 * codec_bound; a writer's unknown ids, extra strings and sites past
 * FRAME_SITES are skipped; the recordings made before 253 read with no
 * sites; dump's JSON of a site parses. */
#include "testlib.h"

#include "core/ring.h"
#include "record/codec.h"
#include "record/recreader.h"

static void assert_frames_equal(const struct frame *a, const struct frame *b)
{
	struct frame x = *a, y = *b;

	x.cpu = y.cpu = NULL;
	assert_memory_equal(&x, &y, sizeof(x));
	assert_memory_equal(a->cpu, b->cpu, sizeof(*a->cpu) * a->ncpu);
}

/* A string of len bytes (NUL excluded) from the hostile alphabet: ESC
 * sequences, C0 and C1 controls, invalid UTF-8, ';' and spaces. */
static void hostile(char *dst, size_t len, unsigned int seed)
{
	static const char alphabet[] = "\x1b[2J\x01\x7f\xc2\x9b\xff\xfe\xc0\xaf;; \n\t\xe2\x80\xae"
				       "\xf0\x9f\x98" "a_b+0x1f";

	for (size_t i = 0; i < len; i++)
		dst[i] = alphabet[(seed * 31 + i * 7) % (sizeof(alphabet) - 1)];
	dst[len] = '\0';
}

static void fill_sites(struct frame *f, uint32_t n)
{
	struct frame_sites *s = &f->sites;

	f->signals |= 1u << SIG_STACKS;
	s->tgid = 2147483647;
	s->period = 64;
	s->n = n;
	s->other_events = 18446744073709551615ull;
	s->other_ipis = 3;
	for (uint32_t i = 0; i < n; i++) {
		struct frame_site *site = &s->site[i];

		site->kind = (uint8_t)(i % SITE_KINDS);
		site->events = 64ull * (i + 1);
		site->ipis = i % 2 ? 0 : 1ull << (i * 5);
		/* full length: every byte of each buffer but its NUL */
		hostile(site->caller, sizeof(site->caller) - 1, i);
		hostile(site->upath, sizeof(site->upath) - 1, i + 100);
		hostile(site->kpath, i % 3 ? sizeof(site->kpath) - 1 : 0, i + 200);
	}
}

static void hostile_sites_round_trip(void **state)
{
	struct frame_ring r;
	size_t cap = codec_bound(2), n;
	uint8_t *buf = malloc(cap);

	(void)state;
	assert_non_null(buf);
	assert_int_equal(ring_init(&r, 2, 2), 0);
	for (uint32_t k = 0; k <= FRAME_SITES; k++) {
		frame_clear(&r.frames[0]);
		r.frames[0].seq = k;
		fill_sites(&r.frames[0], k);
		n = frame_encode(&r.frames[0], buf, cap);
		assert_true(n > 0);
		assert_int_equal(frame_decode(buf, n, &r.frames[1]), 0);
		assert_frames_equal(&r.frames[0], &r.frames[1]);
	}
	/* every byte of the strings, not just the struct: the last site's */
	assert_int_equal(strlen(r.frames[1].sites.site[FRAME_SITES - 1].upath), FRAME_SITE_PATH - 1);
	assert_int_equal(strlen(r.frames[1].sites.site[FRAME_SITES - 1].caller), FRAME_SITE_SYM - 1);
	assert_int_equal((unsigned char)r.frames[1].sites.site[0].caller[0], 0x1b);
	ring_free(&r);
	free(buf);
}

/* codec_bound holds a frame with every site full and every other list
 * at its fullest with the largest values: encoding into exactly the
 * bound succeeds. */
static void bound_covers_full_sites(void **state)
{
	struct frame_ring r;
	size_t cap = codec_bound(4);
	uint8_t *buf = malloc(cap);
	struct frame *f;

	(void)state;
	assert_non_null(buf);
	assert_int_equal(ring_init(&r, 1, 4), 0);
	f = &r.frames[0];
	frame_clear(f);
	for (size_t k = 0; k < frame_nfields; k++)
		if (frame_fields[k].scope == SCOPE_FRAME)
			field_set_bits(&frame_fields[k], f, ~0ull);
	f->ncpu = 4;
	f->procs.n = FRAME_TOP_PROCS;
	for (uint32_t i = 0; i < FRAME_TOP_PROCS; i++) {
		memset(f->procs.top[i].comm, 'c', FRAME_COMM_LEN - 1);
		for (size_t k = 0; k < frame_nfields; k++)
			if (frame_fields[k].scope == SCOPE_PROC)
				field_set_bits(&frame_fields[k], &f->procs.top[i], ~0ull);
	}
	fill_sites(f, FRAME_SITES);
	for (uint32_t i = 0; i < FRAME_SITES; i++) {
		f->sites.site[i].events = f->sites.site[i].ipis = ~0ull;
		f->sites.site[i].kind = 255;
	}
	f->sites.period = ~0u;
	f->sites.other_ipis = ~0ull;
	assert_true(frame_encode(f, buf, cap) > 0);
	ring_free(&r);
	free(buf);
}

static size_t varint(uint8_t *p, uint64_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		p[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (uint8_t)v;
	return n;
}

static size_t str(uint8_t *p, const char *s)
{
	size_t n = varint(p, strlen(s));

	memcpy(p + n, s, strlen(s));
	return n + strlen(s);
}

/* A newer writer's 253 by hand: an unknown header id, a fourth string,
 * an unknown site id, and 14 sites: the known parts kept, the rest
 * skipped, 12 sites kept. */
static void newer_writer_is_read(void **state)
{
	struct frame_ring r;
	uint8_t body[4096], rec[4200];
	size_t b = 0, m = 0;
	const struct frame_sites *s;

	(void)state;
	assert_int_equal(ring_init(&r, 1, 2), 0);
	b += varint(body + b, 3);                 /* header pairs */
	b += varint(body + b, 1), b += varint(body + b, 77 * 2); /* pid 77, zigzag */
	b += varint(body + b, 9), b += varint(body + b, 5);      /* unknown */
	b += varint(body + b, 2), b += varint(body + b, 16);     /* period */
	b += varint(body + b, 14);                /* sites */
	for (int i = 0; i < 14; i++) {
		b += varint(body + b, 4);
		b += str(body + b, "caller+0x1f");
		b += str(body + b, "main;work");
		b += str(body + b, i == 0 ? "__x64_sys_munmap;flush_tlb_mm_range" : "");
		b += str(body + b, "a string this reader does not know");
		b += varint(body + b, 3);
		b += varint(body + b, 10), b += varint(body + b, SITE_MUNMAP);
		b += varint(body + b, 11), b += varint(body + b, 1000u + (unsigned)i);
		b += varint(body + b, 29), b += varint(body + b, 123); /* unknown */
	}
	m += varint(rec + m, 253 * 2 + 1);
	m += varint(rec + m, b);
	memcpy(rec + m, body, b);
	m += b;
	m += varint(rec + m, 1 * 2), m += varint(rec + m, 9); /* seq after it: still read */
	assert_int_equal(frame_decode(rec, m, &r.frames[0]), 0);
	s = &r.frames[0].sites;
	assert_int_equal(r.frames[0].seq, 9);
	assert_int_equal(s->tgid, 77);
	assert_int_equal(s->period, 16);
	assert_int_equal(s->n, FRAME_SITES);
	assert_string_equal(s->site[0].caller, "caller+0x1f");
	assert_string_equal(s->site[0].upath, "main;work");
	assert_string_equal(s->site[0].kpath, "__x64_sys_munmap;flush_tlb_mm_range");
	assert_int_equal(s->site[0].kind, SITE_MUNMAP);
	assert_int_equal(s->site[11].events, 1011);
	/* a cut inside it fails the frame cleanly */
	for (size_t cut = 1; cut < m - 2; cut++)
		assert_int_equal(frame_decode(rec, cut, &r.frames[0]), -1);
	ring_free(&r);
}

/* Recordings made before 253: every frame reads, with no sites. */
static void old_recordings_have_no_sites(void **state)
{
	static const char *const files[] = { "tests/fixtures/rec/seed-2cpu.rec", "tests/fixtures/rec/step-back-60s.rec",
					      "tests/fixtures/rec/escape-strings-c0-c1-invalid-utf8.rec" };
	static const struct frame_sites none;
	size_t frames = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char err[256];
		struct rec_reader *rd = rec_reader_open(files[i], err, sizeof(err));
		struct frame_ring r;

		if (!rd)
			fail_msg("%s: %s", files[i], err);
		assert_int_equal(ring_init(&r, 1, rec_reader_meta(rd)->ncpu), 0);
		for (size_t k = 0; k < rec_reader_count(rd); k++, frames++) {
			assert_int_equal(rec_reader_frame(rd, k, &r.frames[0]), 0);
			assert_memory_equal(&r.frames[0].sites, &none, sizeof(none));
			assert_false(frame_has(&r.frames[0], SIG_STACKS));
		}
		rec_reader_close(rd);
		ring_free(&r);
	}
	printf("%zu old frames read, none with sites\n", frames);
	assert_true(frames > 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hostile_sites_round_trip),
		cmocka_unit_test(bound_covers_full_sites),
		cmocka_unit_test(newer_writer_is_read),
		cmocka_unit_test(old_recordings_have_no_sites),
	};
	return cmocka_run_group_tests_name("sites_codec", tests, NULL, NULL);
}
