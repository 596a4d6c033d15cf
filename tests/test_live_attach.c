// SPDX-License-Identifier: GPL-2.0-only
/* Live, end to end: tools/dispatch-sim publishes its latencies and storms
 * in bursts on its own mappings (--storm: munmap on CPU 0, as an allocator
 * returning memory does), and stormtop's own sampler, attach collector and
 * correlator must tie the two together.  The dispatch thread spins on
 * CPU 1, so it always runs the mm each munmap flushes: every shootdown
 * interrupts it and, at 64 pages (above x86's 33-page ceiling), empties
 * its TLB, working set included.  A storm from another process would not
 * do that: since 6.x the kernel skips CPUs that run another mm.
 *
 * What holds on any host: the app stays attached, its phase series lands
 * in CPU 1's cell and no other, and the correlator's split of its window
 * into burst and clean ticks, with the p99 of each, is the one the test
 * computes itself from the same frames (its own per-core rates, the rule
 * in correlator.h).
 *
 * What needs a quiet host: that the storms move the app's tail (the
 * pooled p90 inside the bursts above the one outside, and the
 * correlator's p99 inside not below the one outside.  Measured on the
 * 2-vCPU VM: p90 5.8-6.0 us against 4.5-4.7 us, p99 17.9 against 4.7-6.5
 * us; with stress-ng loading both CPUs, p90 5.5-5.8 against 4.7 us and
 * p99 17.9 against 11.5 us).  Another process's storm on the
 * same CPUs makes bursts of its own, and tasks crowding the app's CPU move
 * its tail more than IPIs do; so the test reads the TLB rate and the CPU
 * pressure (PSI) in the ticks between the app's bursts (it prints each
 * burst's CLOCK_MONOTONIC window) and, if the host was busy there, says
 * so and skips that part outside CI. */
#include "live.h"

#include <math.h>

#include "stages/correlator.h"
#include "core/hist.h"
#include "core/ring.h"
#include "collectors/sampler.h"
#include "collectors/topology.h"

#define TICKS 40
#define CRIT 20.0 /* the red threshold the correlator is made with */
#define BUSY 0.5  /* share of the time some task waited for a CPU (PSI) */

/* Static, not in the test's frame: the teardown closes what a failed
 * check left open. */
static struct {
	struct topology topo;
	struct frame_ring r;
	struct sampler *s;
	struct correlator *c;
	int topo_ok, ring_ok, ran, skipped;
	char out[64];
	/* between the storm's bursts: ticks, those below CRIT, CPU pressure */
	int quiet_ticks, calm;
	double worst, waited;
	uint64_t p90[2];      /* pooled app p90, clean and burst ticks, ns */
} at;

/* After both tests (the second reads what the first ran). */
static int teardown(void **state)
{
	(void)state;
	live_release();
	if (at.s)
		sampler_close(at.s);
	correlator_free(at.c);
	if (at.ring_ok)
		ring_free(&at.r);
	if (at.topo_ok)
		topology_free(&at.topo);
	if (at.out[0])
		unlink(at.out);
	memset(&at, 0, sizeof(at));
	return 0;
}

/* The per-core TLB IPI rate of a tick, from the frame's raw deltas;
 * NAN where the frame has none (the first tick). */
static double per_core(const struct frame *f)
{
	double sum = 0;
	int n = 0;

	for (uint32_t c = 0; c < f->ncpu; c++)
		if (f->interval_ns > 0 && f->cpu[c].online && !f->cpu[c].fresh) {
			sum += (double)f->cpu[c].irq[IRQ_TLB] * 1e9 / (double)f->interval_ns;
			n++;
		}
	return n ? sum / n : NAN;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The storm's bursts, [start, end] on CLOCK_MONOTONIC in ns, from its output. */
static int read_bursts(const char *path, int64_t (*b)[2], int max)
{
	FILE *f = fopen(path, "r");
	char line[256];
	int n = 0;

	while (f && fgets(line, sizeof(line), f) && n < max) {
		double s, e;
		char *p = strstr(line, "monotonic ");

		if (p && sscanf(p, "monotonic %lf-%lf", &s, &e) == 2) {
			b[n][0] = (int64_t)(s * 1e9);
			b[n][1] = (int64_t)(e * 1e9);
			n++;
		}
	}
	if (f)
		fclose(f);
	return n;
}

/* 1 when the tick's window misses every burst (with 50 ms to spare). */
static int between_bursts(const struct frame *f, int64_t (*b)[2], int n)
{
	int64_t t0 = f->mono_ns - f->interval_ns - 50000000, t1 = f->mono_ns + 50000000;

	for (int i = 0; i < n; i++)
		if (t0 < b[i][1] && t1 > b[i][0])
			return 0;
	return 1;
}

static void app_attached_and_split_as_computed(void **state)
{
	static uint32_t pool[2][LOGLIN_SLOTS];
	static double rate[TICKS], scratch[TICKS];
	static int64_t bursts[16][2];
	char name[64], err[256];
	uint64_t jit1 = 0, jit_other = 0;
	int nb, fd, n_in = 0, n_out = 0, nr = 0;
	const struct frame *f;
	double thr, base;
	pid_t sim;

	(void)state;
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2 || topology_detect(&at.topo, "", err, sizeof(err)) < 0) {
		printf("SKIP: needs 2 online CPUs\n");
		at.skipped = 1;
		skip();
	}
	at.topo_ok = 1;
	/* a name of its own: another run of this test may be attached too */
	snprintf(name, sizeof(name), "live-e2e-%d", (int)getpid());
	assert_int_equal(ring_init_full(&at.r, 100, 100, at.topo.ncpu, 0), 0); /* read back TICKS full frames */
	at.ring_ok = 1;
	at.c = correlator_new(CRIT);
	at.s = sampler_open(&at.topo, &(struct sampler_opts){ .root = "", .disable = "bpf,perf",
							    .attach_owner = -1 });
	assert_non_null(at.s);
	assert_int_equal(sampler_attach(at.s, name, err, sizeof(err)), 0);
	/* the app churns its own mappings on CPU 0 in bursts (as its
	 * allocator would), so the shootdowns land on its dispatch thread,
	 * which spins on CPU 1 and so always runs the mm they flush. Its
	 * decision reads 1024 pages (about 5 us here): long enough that an
	 * IPI lands inside one decision in ten during a burst, so the p99
	 * moves; short enough that the host's own interruptions (timer
	 * ticks, hypervisor exits) land in under one in a hundred. With 64
	 * pages (0.4 us) one dispatch in a thousand was hit, and a noisy
	 * host's clean ticks out-tailed the storm's at p99.9; with 4096
	 * (18 us) the clean p99 was the host's. */
	snprintf(at.out, sizeof(at.out), "/tmp/stormtop-sim-%d", (int)getpid());
	fd = open(at.out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	sim = spawn_out((char *[]){ getenv("STORMTOP_DISPATCH_SIM") ? getenv("STORMTOP_DISPATCH_SIM") : "tools/dispatch-sim",
				    "-n", name, "-c", "1", "-s", "-S", "0", "-b", "2,2", "-P", "64", "-w", "1024", "-t", "21", NULL },
			fd);
	close(fd);
	sleep_ms(500);
	for (int t = 0; t < TICKS; t++) {
		struct frame *cur = ring_begin(&at.r);

		sampler_fill(at.s, cur);
		correlator_run(at.c, &at.r, cur);
		ring_commit(&at.r);
		f = ring_at_age(&at.r, 0);
		assert_int_equal(f->apps[0].state, APP_OK);
		jit1 += f->cpu[1].jit_n;
		for (uint32_t c = 0; c < f->ncpu; c++)
			jit_other += c != 1 ? f->cpu[c].jit_n : 0;
		sleep_ms(450);
	}
	assert_int_equal(live_reap(sim), 0);
	nb = read_bursts(at.out, bursts, 16);
	f = ring_at_age(&at.r, 0);
	printf("r_tlb %.3f r_runq %.3f lag %d ticks; p99 in bursts %llu ns (%u ticks), outside %llu ns (%u); DVR %.2f\n",
	       f->corr.r_tlb, f->corr.r_runq, f->corr.lag, (unsigned long long)f->corr.p99_in_ns,
	       f->corr.n_in, (unsigned long long)f->corr.p99_out_ns, f->corr.n_out, f->corr.dvr);
	assert_true(nb >= 3); /* the app said when it stormed */
	assert_true(jit1 > 1000); /* the phase-error series reached CPU 1's cell */
	assert_int_equal(jit_other, 0); /* and no other: the app runs on CPU 1 alone */

	/* The correlator's split, recomputed: the window is every tick held
	 * (fewer than CORR_WINDOW), oldest first. */
	assert_int_equal(f->corr.window, TICKS);
	for (int i = 0; i < TICKS; i++) {
		rate[i] = per_core(ring_at_age(&at.r, (uint32_t)(TICKS - 1 - i)));
		if (!isnan(rate[i]))
			scratch[nr++] = rate[i];
	}
	qsort(scratch, (size_t)nr, sizeof(double), cmp_double);
	base = scratch[(int)ceil(0.25 * nr - 1e-9) - 1];
	thr = fmax(CRIT, CORR_BURST_OVER_BASE * base);
	memset(pool, 0, sizeof(pool));
	for (int i = 0; i < TICKS; i++) {
		const struct frame *g = ring_at_age(&at.r, (uint32_t)(TICKS - 1 - i));
		int in = !isnan(rate[i]) && rate[i] >= thr;

		if (between_bursts(g, bursts, nb) && !isnan(rate[i])) {
			at.quiet_ticks++;
			at.calm += rate[i] < CRIT;
			at.worst = fmax(at.worst, rate[i]);
			at.waited += (double)g->sys.psi_cpu.some_us * 1e3 / (double)g->interval_ns;
		}
		if (!frame_has(g, SIG_APP_LAT) || !hist_total(g->app_hist))
			continue;
		in ? n_in++ : n_out++;
		for (int s = 0; s < LOGLIN_SLOTS; s++)
			pool[in][s] += g->app_hist[s];
	}
	printf("recomputed: burst from %.1f IPIs/s per core, %d burst ticks (p99 %llu ns), %d clean (p99 %llu ns)\n",
	       thr, n_in, (unsigned long long)(n_in ? hist_quantile(pool[1], 0.99) : 0), n_out,
	       (unsigned long long)(n_out ? hist_quantile(pool[0], 0.99) : 0));
	at.p90[0] = hist_quantile(pool[0], 0.9);
	at.p90[1] = hist_quantile(pool[1], 0.9);
	printf("pooled: p90 %llu / %llu ns, p99.9 %llu / %llu ns, max %llu / %llu ns (bursts / clean)\n",
	       (unsigned long long)at.p90[1], (unsigned long long)at.p90[0],
	       (unsigned long long)hist_quantile(pool[1], 0.999), (unsigned long long)hist_quantile(pool[0], 0.999),
	       (unsigned long long)hist_max(pool[1]), (unsigned long long)hist_max(pool[0]));
	assert_int_equal(f->corr.n_in, n_in);
	assert_int_equal(f->corr.n_out, n_out);
	assert_int_equal(f->corr.p99_in_ns, n_in ? hist_quantile(pool[1], 0.99) : 0);
	assert_int_equal(f->corr.p99_out_ns, n_out ? hist_quantile(pool[0], 0.99) : 0);

	at.ran = 1;
}

/* The physics, on a host that stayed calm between the bursts. */
static void storms_move_the_apps_p99(void **state)
{
	const struct frame *f;
	double waited = at.quiet_ticks ? at.waited / at.quiet_ticks : 0;

	(void)state;
	if (at.skipped)
		skip();
	if (!at.ran)
		fail_msg("the storm scenario did not run (see the test before)");
	f = ring_at_age(&at.r, 0);
	printf("between the storm's bursts: %d ticks, %d below %.0f IPIs/s per core (the worst %.1f); "
	       "some task waited for a CPU %.0f %% of the time\n",
	       at.quiet_ticks, at.calm, CRIT, at.worst, 100 * waited);
	if (at.quiet_ticks < 5 || at.calm < at.quiet_ticks * 9 / 10 || waited >= BUSY) {
		if (!in_ci()) {
			printf("SKIP: the host was busy between the storm's bursts (%d of %d ticks at %.0f IPIs/s per core "
			       "or more, CPU pressure %.0f %%): its load, not the test's storms, decides the app's p99\n",
			       at.quiet_ticks - at.calm, at.quiet_ticks, CRIT, 100 * waited);
			skip();
		}
		printf("CI: the host is expected to be quiet, checking anyway\n");
	}
	printf("r of the app's per-tick p99 against TLB IPIs: %.3f (shown, not judged: it rests on how the ticks fall against the bursts)\n",
	       f->corr.r_tlb);
	assert_true(f->corr.n_in >= 5 && f->corr.n_out >= 5);
	/* The bulk moves: a munmap every 85 us against a dispatch every
	 * 50 us, so most decisions in a burst refill a TLB the last IPI
	 * emptied. The host's own stalls, rarer than one dispatch in ten,
	 * cannot move a p90; they can move a p99, so that one need only
	 * not fall below. */
	assert_true(at.p90[1] > at.p90[0]);
	assert_true(f->corr.p99_in_ns >= f->corr.p99_out_ns);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(app_attached_and_split_as_computed),
		cmocka_unit_test(storms_move_the_apps_p99),
	};

	return cmocka_run_group_tests_name("live: an attached app against its own storms", tests, NULL, teardown);
}
