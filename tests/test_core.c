// SPDX-License-Identifier: GPL-2.0-only
/* Frame ring, counter maths, CPU lists and the command line. */
#include "testlib.h"

#include "cmd/cli.h"
#include "util/cpulist.h"
#include "core/delta.h"
#include "core/ring.h"

#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

static void delta_wraps_mod_2_32(void **state)
{
	(void)state;
	assert_int_equal(delta_u32(10, 15), 5);
	assert_int_equal(delta_u32(4294967290u, 5), 11);
	assert_int_equal(delta_u32(0xffffffffu, 0), 1);
	assert_int_equal(delta_u32(7, 7), 0);
	/* went back: a reset, not a wrap of 4294966296 events */
	assert_int_equal(delta_u32(5000, 4000), 0);
	assert_int_equal(delta_u32(3000000000u, 5), 1294967301u);
	assert_true(delta_u64(100, 40) == 0); /* reset, not 2^64 - 60 */
	assert_true(delta_u64(40, 100) == 60);
}

static void rate_uses_interval(void **state)
{
	struct frame f = { .interval_ns = 500000000 };

	(void)state;
	assert_true(frame_rate(&f, 100) == 200.0);
	f.interval_ns = 0; /* first frame: no rate yet */
	assert_true(frame_rate(&f, 100) == 0.0);
}

static void ring_keeps_last_n(void **state)
{
	struct frame_ring r;

	(void)state;
	assert_int_equal(ring_init(&r, 4, 3), 0);
	assert_null(ring_at_age(&r, 0));
	for (uint64_t i = 0; i < 10; i++) {
		struct frame *f = ring_begin(&r);

		assert_int_equal(f->ncpu, 3);
		assert_int_equal(f->cpu[2].irq[IRQ_TLB], 0); /* cleared on reuse */
		f->seq = i;
		f->cpu[2].irq[IRQ_TLB] = i * 10;
		ring_commit(&r);
		assert_int_equal(ring_count(&r), i + 1 < 4 ? i + 1 : 4);
		assert_int_equal(ring_at_age(&r, 0)->seq, i);
	}
	for (uint32_t age = 0; age < 4; age++) {
		assert_int_equal(ring_at_age(&r, age)->seq, 9 - age);
		assert_int_equal(ring_at_age(&r, age)->cpu[2].irq[IRQ_TLB], (9 - age) * 10);
	}
	assert_null(ring_at_age(&r, 4));
	ring_free(&r);
	assert_int_equal(ring_init(&r, 0, 3), -1);
	assert_int_equal(ring_init(&r, 4, FRAME_MAX_CPUS + 1), -1);
}

static void frame_copy_is_deep(void **state)
{
	struct frame_ring r;
	struct frame *a, *b;

	(void)state;
	assert_int_equal(ring_init(&r, 2, 64), 0);
	a = &r.frames[0];
	b = &r.frames[1];
	a->seq = 42;
	a->cpu[63].irq[IRQ_CAL] = 7;
	frame_set_status(a, SRC_BPF, SOURCE_UNAVAILABLE, "not root");
	frame_copy(b, a);
	assert_ptr_not_equal(b->cpu, a->cpu);
	assert_int_equal(b->cpu[63].irq[IRQ_CAL], 7);
	assert_string_equal(b->status[SRC_BPF].reason, "not root");
	ring_free(&r);
}

/* Pages of [p, p + len) the kernel has resident (mincore), the reference. */
static size_t resident_pages(const void *p, size_t len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), n = 0;
	uintptr_t lo = (uintptr_t)p & ~(page - 1), hi = (uintptr_t)p + len;
	unsigned char vec[4096];

	for (uintptr_t at = lo; at < hi; at += page * sizeof(vec)) {
		size_t chunk = hi - at < page * sizeof(vec) ? hi - at : page * sizeof(vec);

		assert_int_equal(mincore((void *)at, chunk, vec), 0);
		for (size_t i = 0; i < (chunk + page - 1) / page; i++)
			n += vec[i] & 1;
	}
	return n;
}

static long minor_faults(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

/* The ring's CPU slots become resident as frames arrive (2 of 8 slots:
 * about a quarter of the pool), and once written are private and
 * writable: the next pass over every slot takes no page fault, so no
 * zero page was mapped for a later write to replace with a TLB flush. */
static void ring_resident_as_filled(void **state)
{
	const uint32_t cap = 8, ncpu = 1024;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t slot = (size_t)ncpu * sizeof(struct frame_cpu), pool = cap * slot, got;
	struct frame_ring r;
	long before;

	(void)state;
	assert_int_equal(ring_init(&r, cap, ncpu), 0);
	assert_int_equal(resident_pages(r.cpu_pool, pool), 0);
	for (int i = 0; i < 2; i++) {
		ring_begin(&r)->cpu[ncpu - 1].tlb_rx = 1;
		ring_commit(&r);
	}
	got = resident_pages(r.cpu_pool, pool);
	assert_true(got >= 2 * slot / page && got <= 2 * slot / page + 2);
	for (uint32_t i = 2; i < cap; i++) {
		ring_begin(&r);
		ring_commit(&r);
	}
	assert_int_equal(resident_pages(r.cpu_pool, pool), (pool + page - 1) / page);
	before = minor_faults();
	for (uint32_t i = 0; i < cap; i++) {
		ring_begin(&r)->cpu[i].irq[IRQ_TLB] = i;
		ring_commit(&r);
	}
	assert_int_equal(minor_faults() - before, 0);
	assert_int_equal(ring_at_age(&r, 0)->cpu[cap - 1].irq[IRQ_TLB], cap - 1);
	ring_free(&r);
}

static void cpulists(void **state)
{
	uint8_t m[16];
	char err[128];

	(void)state;
	memset(m, 0, sizeof(m));
	assert_int_equal(cpulist_parse("0-3,8,10-11", m, 16, err, sizeof(err)), 7);
	assert_true(m[0] && m[3] && m[8] && m[11] && !m[4] && !m[9]);
	assert_int_equal(cpulist_parse("0-4095\n", m, 16, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "beyond"));
	assert_int_equal(cpulist_parse("3-1", m, 16, err, sizeof(err)), -1);
	assert_int_equal(cpulist_parse("a", m, 16, err, sizeof(err)), -1);
	assert_int_equal(cpulist_parse("", m, 16, err, sizeof(err)), -1);
	assert_int_equal(cpulist_parse("1,,2", m, 16, err, sizeof(err)), -1);
	assert_int_equal(cpulist_span("0-63\n"), 64);
	assert_int_equal(cpulist_span("0,5"), 6);
	assert_int_equal(cpulist_span("x"), 0);
}

static enum cli_result parse(struct options *o, char *err, int argc, ...)
{
	char *argv[16] = { "stormtop" };
	va_list ap;

	va_start(ap, argc);
	for (int i = 1; i < argc; i++)
		argv[i] = va_arg(ap, char *);
	va_end(ap);
	return cli_parse(argc, argv, o, err, 256);
}

static void command_line(void **state)
{
	struct options o;
	char err[256];

	(void)state;
	assert_int_equal(parse(&o, err, 1), CLI_RUN);
	assert_true(o.tick.interval_s == 1.0 && o.view.warn_rate == 5 && o.view.crit_rate == 20);
	assert_int_equal(parse(&o, err, 6, "-d", "0.25", "-n", "3", "--thresholds", "2,50"), CLI_ERROR);
	assert_int_equal(parse(&o, err, 8, "-d", "0.25", "-n", "3", "--thresholds", "2,50", "-b"), CLI_RUN);
	assert_true(o.tick.interval_s == 0.25 && o.tick.iterations == 3 && o.view.crit_rate == 50 && o.live.batch);
	assert_int_equal(parse(&o, err, 3, "-d", "0"), CLI_ERROR);
	assert_non_null(strstr(err, "-d"));
	assert_int_equal(parse(&o, err, 3, "-d", "1x"), CLI_ERROR);
	assert_int_equal(parse(&o, err, 3, "-n", "-1"), CLI_ERROR);
	assert_int_equal(parse(&o, err, 3, "--thresholds", "20,5"), CLI_ERROR);
	assert_int_equal(parse(&o, err, 2, "--frobnicate"), CLI_ERROR);
	assert_non_null(strstr(err, "--frobnicate"));
	assert_int_equal(parse(&o, err, 2, "-d"), CLI_ERROR);
	assert_non_null(strstr(err, "missing value"));
	assert_int_equal(parse(&o, err, 2, "stray"), CLI_ERROR);
	assert_int_equal(parse(&o, err, 3, "--cpus", "0-1"), CLI_RUN);
	assert_string_equal(o.view.cpus, "0-1");
}

/* Each command takes its own options: another command's is refused with
 * both names, and -r (live turned play) re-checks what came before it. */
static void commands_own_options(void **state)
{
	struct options o;
	char err[256];

	(void)state;
	assert_int_equal(cli_table_check(err, sizeof(err)), 0);
	assert_int_equal(parse(&o, err, 5, "dump", "x.rec", "--cpus", "0"), CLI_RUN);
	assert_int_equal(o.mode, MODE_DUMP);
	assert_string_equal(o.read.format, "csv");
	assert_int_equal(parse(&o, err, 5, "dump", "x.rec", "-d", "2"), CLI_ERROR);
	assert_string_equal(err, "dump: --delay is not an option of dump; only live, record and stacks take it "
				 "(see stormtop dump --help)");
	assert_int_equal(parse(&o, err, 4, "check", "--metrics", "tlb"), CLI_ERROR);
	assert_non_null(strstr(err, "only dump takes it"));
	assert_int_equal(parse(&o, err, 4, "record", "-o", "x.rec"), CLI_RUN);
	assert_int_equal(parse(&o, err, 5, "record", "-o", "x.rec", "-b"), CLI_ERROR);
	assert_non_null(strstr(err, "record: --batch is not an option of record"));
	assert_int_equal(parse(&o, err, 4, "-b", "-r", "x.rec"), CLI_ERROR);
	assert_non_null(strstr(err, "play: --batch"));
	assert_int_equal(parse(&o, err, 5, "-r", "x.rec", "--cpus", "0"), CLI_RUN);
	assert_int_equal(o.mode, MODE_PLAY);
	assert_int_equal(parse(&o, err, 5, "drill", "x.rec", "--set", "a=b"), CLI_RUN);
	assert_int_equal(parse(&o, err, 4, "drill", "x.rec", "--rotate=daily"), CLI_ERROR);
	assert_non_null(strstr(err, "only live and record take it"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(delta_wraps_mod_2_32),
		cmocka_unit_test(rate_uses_interval),
		cmocka_unit_test(ring_keeps_last_n),
		cmocka_unit_test(frame_copy_is_deep),
		cmocka_unit_test(ring_resident_as_filled),
		cmocka_unit_test(cpulists),
		cmocka_unit_test(command_line),
		cmocka_unit_test(commands_own_options),
	};
	return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}
