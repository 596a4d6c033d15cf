// SPDX-License-Identifier: GPL-2.0-only
/* Live, end to end: tools/dispatch-sim publishes its latencies, tools/churn
 * storms in bursts on the CPU one of its threads runs on, and stormtop's
 * own sampler, attach collector and correlator must tie the two together
 * (the app runs on the stormed CPU only, so its p99 is that CPU's):
 * a positive r between TLB IPIs and the app's p99, and a p99 inside the
 * bursts above the p99 outside them. */
#include "live.h"

#include <math.h>

#include "correlator.h"
#include "ring.h"
#include "sampler.h"
#include "topology.h"

static pid_t start_sim(const char *secs)
{
	char *sim = getenv("STORMTOP_DISPATCH_SIM") ? getenv("STORMTOP_DISPATCH_SIM")
						    : "tools/dispatch-sim";

	return spawn((char *const[]){ sim, "-n", "live-e2e", "-c", "1", "-t", (char *)secs, NULL });
}

static void storms_move_the_apps_p99(void **state)
{
	struct topology topo;
	struct frame_ring r;
	struct sampler *s;
	struct correlator *c = correlator_new(20);
	const struct frame *f;
	char err[256];
	uint64_t jit = 0;
	pid_t sim, churn;

	(void)state;
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2 || topology_detect(&topo, "", err, sizeof(err)) < 0) {
		printf("SKIP: needs 2 online CPUs\n");
		skip();
	}
	assert_int_equal(ring_init(&r, 100, topo.ncpu), 0);
	s = sampler_open(&topo, &(struct sampler_opts){ .root = "", .disable = "bpf,perf",
							 .attach_owner = -1 });
	assert_non_null(s);
	assert_int_equal(sampler_attach(s, "live-e2e", err, sizeof(err)), 0);
	sim = start_sim("21");
	sleep_ms(500);
	churn = spawn((char *const[]){ getenv("STORMTOP_CHURN") ? getenv("STORMTOP_CHURN") : "tools/churn",
				       "-c", "1", "-m", "0", "-b", "2,2", "-t", "18", "-q", NULL });
	for (int t = 0; t < 40; t++) {
		struct frame *cur = ring_begin(&r);

		sampler_fill(s, cur);
		correlator_run(c, &r, cur);
		ring_commit(&r);
		f = ring_at_age(&r, 0);
		assert_int_equal(f->apps[0].state, APP_OK);
		jit += f->cpu[1].jit_n;
		sleep_ms(450);
	}
	f = ring_at_age(&r, 0);
	printf("r_tlb %.3f r_runq %.3f lag %d ticks; p99 in bursts %llu ns (%u ticks), outside %llu ns (%u); DVR %.2f\n",
	       f->corr.r_tlb, f->corr.r_runq, f->corr.lag, (unsigned long long)f->corr.p99_in_ns,
	       f->corr.n_in, (unsigned long long)f->corr.p99_out_ns, f->corr.n_out, f->corr.dvr);
	assert_true(f->corr.n_in >= 5 && f->corr.n_out >= 5);
	assert_true(f->corr.r_tlb > 0);
	assert_true(f->corr.p99_in_ns > f->corr.p99_out_ns);
	assert_true(jit > 1000); /* the phase-error series reached CPU 1's cell */
	waitpid(churn, NULL, 0);
	kill(sim, SIGTERM);
	waitpid(sim, NULL, 0);
	sampler_close(s);
	correlator_free(c);
	ring_free(&r);
	topology_free(&topo);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(storms_move_the_apps_p99),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
